package search

import (
	"bufio"
	_ "embed"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/go-ego/gse"
)

//go:embed dict/custom.txt
var customDict string

// customFreq is the frequency given to a custom word whose line has none. It
// is about that of a common word (政协 has 2,695 in the general dictionary),
// so the word wins over its parts in ordinary context without swallowing
// characters of its neighbours.
const customFreq = 3000

// maxTokenRunes drops garbage such as long digit strings or URLs run
// together: no real word is that long, and the engines do not need them.
const maxTokenRunes = 32

// maxQueryTerms bounds the work one search box input can cause.
const maxQueryTerms = 32

// meaningfulSingles are single characters that stand for a thing on their
// own in public-affairs texts (水费, 电价 are words, but "水、电、气" lists
// them alone). Other single characters are mostly function words or halves of
// words the dictionary did not know, which would only bloat the index.
const meaningfulSingles = "水电气煤油路桥房车船税药粮茶鱼猪牛羊鸡蛋奶肉菜米盐酒烟林河湖江海山田树花草狗猫鸟港井岛厕矿钢铁铜铝金银光热网书画戏剧球病医兵警党"

// LoadInfo describes the loaded dictionaries.
type LoadInfo struct {
	Words    int           // entries in the segmentation dictionary
	Custom   int           // of which added by custom dictionaries
	Stop     int           // stop words
	Duration time.Duration // time the embedded dictionaries took to load
}

type segmenter struct {
	// mu guards the dictionary: gse's trie is safe for concurrent reads
	// but not for a read during an insert from LoadUserDict.
	mu       sync.RWMutex
	seg      gse.Segmenter
	logTotal float64
	maxUnits int
	singles  map[rune]bool
	info     LoadInfo
}

var (
	loadOnce sync.Once
	global   *segmenter
)

// Load loads the embedded dictionaries if that has not happened yet and
// reports what was loaded. Everything else loads them on first use; a server
// calls Load at start so that the first search does not pay for it (about a
// second and 130 MB of heap).
func Load() LoadInfo {
	s := get()
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.info
}

func get() *segmenter {
	loadOnce.Do(func() {
		start := time.Now()
		s := &segmenter{singles: map[rune]bool{}}
		s.seg.SkipLog = true
		// The HMM model guesses unknown words; we index unknown runs as
		// character bigrams instead, which is deterministic across contexts.
		s.seg.NotLoadHMM = true
		// Only the simplified-Chinese dictionary: the traditional one adds
		// 65 MB of heap for texts this system rarely sees; traditional text
		// still becomes searchable through the bigrams of unknown runs.
		if err := s.seg.LoadDictEmbed("zh_s"); err != nil {
			panic("search: embedded dictionary: " + err.Error())
		}
		if err := s.seg.LoadStopEmbed(); err != nil {
			panic("search: embedded stop words: " + err.Error())
		}
		n, err := s.addWords(strings.NewReader(customDict))
		if err != nil {
			panic("search: embedded custom dictionary: " + err.Error())
		}
		for _, r := range meaningfulSingles {
			s.singles[r] = true
		}
		s.refresh()
		s.info = LoadInfo{
			Words:    s.seg.Dict.NumTokens(),
			Custom:   n,
			Stop:     len(s.seg.StopWordMap),
			Duration: time.Since(start),
		}
		global = s
	})
	return global
}

func (s *segmenter) refresh() {
	s.logTotal = math.Log(s.seg.Dict.TotalFreq())
	s.maxUnits = s.seg.Dict.MaxTokenLen()
}

// LoadUserDict adds the words of an administrator's dictionary file (same
// format as the embedded dict/custom.txt: word [frequency [part of speech]],
// # comments) and returns how many it added. The error names the line, in
// Chinese, for the administrator. Texts indexed before keep their old
// tokens until they are indexed again.
func LoadUserDict(path string) (int, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, fmt.Errorf("用户词典无法打开：%w", err)
	}
	defer f.Close()
	s := get()
	s.mu.Lock()
	defer s.mu.Unlock()
	n, err := s.addWords(f)
	s.refresh()
	s.info.Words = s.seg.Dict.NumTokens()
	s.info.Custom += n
	if err != nil {
		return n, fmt.Errorf("用户词典 %s：%w", path, err)
	}
	return n, nil
}

// AddWords adds the words of dictionary lines (the format of LoadUserDict)
// to the segmenter of this process, for a committee admin's words. Texts
// indexed before keep their old tokens until they are indexed again.
func AddWords(r io.Reader) (int, error) {
	s := get()
	s.mu.Lock()
	defer s.mu.Unlock()
	n, err := s.addWords(r)
	s.refresh()
	s.info.Words = s.seg.Dict.NumTokens()
	s.info.Custom += n
	return n, err
}

// CheckWord says, in Chinese, why a word cannot go into the dictionary, or
// returns its normalized form.
func CheckWord(word string) (string, error) {
	w := normalize(strings.TrimSpace(word))
	if n := utf8.RuneCountInString(w); n < 2 || n > maxTokenRunes {
		return "", fmt.Errorf("词“%s”的长度应为2到%d个字", word, maxTokenRunes)
	}
	for _, r := range w {
		if !isWordRune(r) {
			return "", fmt.Errorf("词“%s”只能由汉字、字母和数字组成（不含空格和标点）", word)
		}
	}
	return w, nil
}

// Known reports whether the dictionary holds word as a whole word.
func Known(word string) bool {
	s := get()
	s.mu.RLock()
	defer s.mu.RUnlock()
	f, _, ok := s.seg.Find(normalize(word))
	return ok && f > 0
}

// addWords reads dictionary lines; the caller holds the write lock (or is
// the loader).
func (s *segmenter) addWords(r io.Reader) (int, error) {
	sc := bufio.NewScanner(r)
	line, added := 0, 0
	for sc.Scan() {
		line++
		text := strings.TrimSpace(sc.Text())
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		fields := strings.Fields(text)
		word := normalize(fields[0])
		freq := float64(customFreq)
		pos := ""
		rest := fields[1:]
		if len(rest) > 0 {
			if f, err := strconv.ParseFloat(rest[0], 64); err == nil {
				if f <= 0 {
					return added, fmt.Errorf("第%d行：词频必须大于0", line)
				}
				freq = f
				rest = rest[1:]
			}
		}
		if len(rest) > 0 {
			pos = rest[0]
		}
		if utf8.RuneCountInString(word) < 2 || utf8.RuneCountInString(word) > maxTokenRunes {
			return added, fmt.Errorf("第%d行：词“%s”的长度应为2到%d个字", line, word, maxTokenRunes)
		}
		old, _, ok := s.seg.Find(word)
		switch {
		case ok && old >= freq:
			// Already known and strong enough: a lower custom frequency
			// must not weaken a word the general dictionary ranks higher.
		case ok && old > 0:
			if err := s.seg.ReAddToken(word, freq, pos); err != nil {
				return added, fmt.Errorf("第%d行：%w", line, err)
			}
		default:
			if err := s.seg.AddToken(word, freq, pos); err != nil {
				return added, fmt.Errorf("第%d行：%w", line, err)
			}
		}
		added++
	}
	return added, sc.Err()
}

// Tokens returns the tokens to index for a text: the words of the best
// segmentation, every other dictionary word found inside the text (so 光纤
// is found in 光纤化改造 and 民营 in 民营企业), and character bigrams of runs
// the dictionary does not know. They are lower-cased; stop words, punctuation,
// single Latin letters and most single characters are dropped; numbers stay.
// The same text always gives the same tokens.
func Tokens(text string) []string {
	out := make([]string, 0, utf8.RuneCountInString(text)/2+1)
	get().tokens(text, modeIndex, func(tok string) { out = append(out, tok) })
	return out
}

// QueryTerms returns the terms of a search-box query: the words of its best
// segmentation, filtered like Tokens, without sub-words (the index holds
// them, so a query for 民营企业 needs only that word), deduplicated, in
// order, at most 32.
func QueryTerms(q string) []string {
	var out []string
	seen := map[string]bool{}
	get().tokens(q, modeQuery, func(tok string) {
		if !seen[tok] && len(out) < maxQueryTerms {
			seen[tok] = true
			out = append(out, tok)
		}
	})
	return out
}

// Segment returns the words of the best segmentation of text, punctuation
// and stop words included, for display and diagnostics.
func Segment(text string) []string {
	var out []string
	get().tokens(text, modeWords, func(tok string) { out = append(out, tok) })
	return out
}

type mode int

const (
	modeIndex mode = iota
	modeQuery
	modeWords
)

type unit struct{ start, end int }

type edge struct {
	to   int32 // last unit of the word
	logp float32
}

// scratch holds the per-call buffers, pooled because Tokens runs for every
// write and every search.
type scratch struct {
	units []unit
	first []int32 // first[i]: index in edges of unit i's first edge
	edges []edge
	best  []float64
	next  []int32
	run   []int // start offsets of a run of unknown single characters
	norm  []byte
}

var scratchPool = sync.Pool{New: func() any { return new(scratch) }}

func (s *segmenter) tokens(text string, m mode, emit func(string)) {
	sc := scratchPool.Get().(*scratch)
	defer scratchPool.Put(sc)
	sc.norm = appendNormalized(sc.norm[:0], text)
	norm := sc.norm
	s.mu.RLock()
	defer s.mu.RUnlock()

	if m == modeWords {
		// Keep what lies between chunks so the output rebuilds the text.
		last := 0
		forChunks(norm, func(start, end int) {
			if start > last {
				emit(string(norm[last:start]))
			}
			s.chunk(norm[start:end], m, sc, emit)
			last = end
		})
		if last < len(norm) {
			emit(string(norm[last:]))
		}
		return
	}
	forChunks(norm, func(start, end int) { s.chunk(norm[start:end], m, sc, emit) })
}

// forChunks calls fn for each maximal run of letters, digits and marks:
// words never cross punctuation or spaces.
func forChunks(text []byte, fn func(start, end int)) {
	start := -1
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRune(text[i:])
		if isWordRune(r) {
			if start < 0 {
				start = i
			}
			i += size
			continue
		}
		if start >= 0 {
			fn(start, i)
			start = -1
		}
		i += size
	}
	if start >= 0 {
		fn(start, len(text))
	}
}

func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsNumber(r) || unicode.IsMark(r)
}

// isAlnumUnit follows gse's rule for what forms one dictionary unit: a run of
// letters and digits from the one- and two-byte UTF-8 range (Latin, Greek,
// Cyrillic …); every other character is a unit by itself.
func isAlnumUnit(r rune) bool {
	return utf8.RuneLen(r) <= 2 && (unicode.IsLetter(r) || unicode.IsNumber(r) || unicode.IsMark(r))
}

// chunk segments one run of word characters with the dictionary's maximum
// probability path (the DAG method gse and jieba use), implemented here over
// gse's dictionary because gse's own Cut allocates a map per character and
// was the bottleneck of indexing.
func (s *segmenter) chunk(c []byte, m mode, sc *scratch, emit func(string)) {
	units := sc.units[:0]
	for i := 0; i < len(c); {
		r, size := utf8.DecodeRune(c[i:])
		j := i + size
		if isAlnumUnit(r) {
			for j < len(c) {
				r2, size2 := utf8.DecodeRune(c[j:])
				if !isAlnumUnit(r2) {
					break
				}
				j += size2
			}
		}
		units = append(units, unit{i, j})
		i = j
	}
	sc.units = units
	n := len(units)
	if n == 0 {
		return
	}

	// Edges: every dictionary word starting at each unit.
	dict := s.seg.Dict
	first := sc.first[:0]
	edges := sc.edges[:0]
	for i := 0; i < n; i++ {
		first = append(first, int32(len(edges)))
		for j := i; j < n && j-i < s.maxUnits; j++ {
			freq, _, ok := dict.Find(c[units[i].start:units[j].end])
			if !ok {
				break
			}
			if freq > 0 {
				edges = append(edges, edge{int32(j), float32(math.Log(freq) - s.logTotal)})
			}
		}
	}
	first = append(first, int32(len(edges)))
	sc.first, sc.edges = first, edges

	// Best path from the end backwards; ties go to the longer word, as in gse.
	best := grow(sc.best, n+1)
	next := grow(sc.next, n+1)
	sc.best, sc.next = best, next
	best[n] = 0
	for i := n - 1; i >= 0; i-- {
		b, to := -s.logTotal+best[i+1], int32(i)
		found := false
		for _, e := range edges[first[i]:first[i+1]] {
			v := float64(e.logp) + best[e.to+1]
			if !found || v > b || (v == b && e.to > to) {
				b, to, found = v, e.to, true
			}
		}
		best[i], next[i] = b, to
	}

	if m == modeWords {
		for i := 0; i < n; i = int(next[i]) + 1 {
			emit(string(c[units[i].start:units[next[i]].end]))
		}
		return
	}

	run := sc.run[:0]
	flush := func() {
		// Bigrams of a run of unknown single characters: 碳达峰 without a
		// dictionary entry becomes 碳达 达峰 in the text and in the query
		// alike, wherever it occurs.
		for k := 0; k+1 < len(run); k++ {
			_, size := utf8.DecodeRune(c[run[k+1]:])
			s.emitToken(c[run[k]:run[k+1]+size], emit)
		}
		run = run[:0]
	}
	for i := 0; i < n; i = int(next[i]) + 1 {
		j := int(next[i])
		word := c[units[i].start:units[j].end]
		if i == j {
			r, size := utf8.DecodeRune(word)
			if size > 2 && len(word) == size {
				// One CJK (or other wide-script) character.
				if s.singles[r] {
					emit(string(word))
				}
				if s.isStop(word) {
					flush()
				} else {
					run = append(run, units[i].start)
				}
				continue
			}
			flush()
			if isNumber(word) || utf8.RuneCount(word) > 1 {
				s.emitToken(word, emit)
			}
			continue
		}
		flush()
		s.emitToken(word, emit)
		if m == modeIndex {
			// Sub-words inside this word.
			for a := i; a <= j; a++ {
				for _, e := range edges[first[a]:first[a+1]] {
					b := int(e.to)
					if b > j {
						break
					}
					if b == a || (a == i && b == j) {
						continue
					}
					s.emitToken(c[units[a].start:units[b].end], emit)
				}
			}
		}
	}
	flush()
	sc.run = run
}

func (s *segmenter) emitToken(tok []byte, emit func(string)) {
	if s.isStop(tok) || utf8.RuneCount(tok) > maxTokenRunes {
		return
	}
	emit(string(tok))
}

func (s *segmenter) isStop(tok []byte) bool {
	// The conversion in a map index does not allocate.
	return s.seg.StopWordMap[string(tok)]
}

func firstRune(s string) rune {
	r, _ := utf8.DecodeRuneInString(s)
	return r
}

func isNumber(s []byte) bool {
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRune(s[i:])
		if !unicode.IsNumber(r) {
			return false
		}
		i += size
	}
	return len(s) > 0
}

// isNumeral is isNumber for a token.
func isNumeral(s string) bool {
	// Most tokens are Chinese words: answer those without the tables.
	if len(s) > 0 && s[0] >= 0xE4 && s[0] <= 0xE9 {
		return false
	}
	for _, r := range s {
		if !unicode.IsNumber(r) {
			return false
		}
	}
	return s != ""
}

func grow[T any](b []T, n int) []T {
	if cap(b) < n {
		return make([]T, n)
	}
	return b[:n]
}

// normalize folds what should not make a difference to search: full-width
// Latin letters and digits, letter case, and white space between two Chinese
// characters, which in these texts is a line break left by the PDF or word
// processor they were copied from (效\n率 is 效率).
func normalize(text string) string {
	return string(appendNormalized(nil, text))
}

func appendNormalized(b []byte, text string) []byte {
	var prev rune // last rune written, 0 at start
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		i += size
		r = fold(r)
		if unicode.IsSpace(r) {
			// Look past the whole run of spaces.
			j := i
			for j < len(text) {
				r2, size2 := utf8.DecodeRuneInString(text[j:])
				if !unicode.IsSpace(fold(r2)) {
					break
				}
				j += size2
			}
			nextRune := rune(0)
			if j < len(text) {
				nextRune = fold(firstRune(text[j:]))
			}
			i = j
			if isHan(prev) && isHan(nextRune) {
				continue
			}
			b = append(b, ' ')
			prev = ' '
			continue
		}
		b = utf8.AppendRune(b, r)
		prev = r
	}
	return b
}

// fold maps a rune to the form we index: full-width forms to ASCII, the
// ideographic space to a space, letters to lower case.
func fold(r rune) rune {
	switch {
	case r >= 0xFF01 && r <= 0xFF5E:
		r -= 0xFEE0
	case r == 0x3000:
		return ' '
	}
	return unicode.ToLower(r)
}

func isHan(r rune) bool { return r != 0 && unicode.Is(unicode.Han, r) }
