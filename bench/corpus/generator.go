// Package corpus generates realistic Chinese proposal texts for benchmarks:
// titles, bodies with the 调研情况 / 问题分析 / 具体建议 structure, member and
// unit names, reply letters and feedback comments.
//
// The lengths, structure and category mix follow statistics measured from
// real proposals (stats.go); the words are the project's own (vocab.go,
// templates.go), combined sentence by sentence so that no two texts repeat.
// A Generator is deterministic: the same seed gives the same texts on every
// machine and Go version, because it carries its own random source.
package corpus

import (
	"math/bits"
	"strconv"
	"strings"
)

// Proposal is a generated proposal text.
type Proposal struct {
	Title    string // 案由, "关于…的建议" and similar, at most 50 runes
	Body     string // 正文
	Category string // one of the 14 categories of CategoryCounts
}

// MaxTitleLen is the longest title the generator produces, in runes.
const MaxTitleLen = 50

// Generator produces texts from a seed. It is not safe for concurrent use:
// give each goroutine its own, with its own seed.
type Generator struct {
	r     rng
	level int
	buf   []byte
	n     int // runes of buf that are not space, the length measure of stats.go
	cur   *compiledVocab
	subj  frag
	perm  []int // scratch orders
	perm2 []int
	// Template orders that last a whole body, so that a sentence pattern
	// comes back only after every other one of its kind was used.
	cSurvey, cProblem, cMeasure, cProse cycler
}

type cycler struct {
	perm []int
	i    int
}

// New returns a generator for a city (市) committee.
func New(seed int64) *Generator {
	g := &Generator{level: 1, buf: make([]byte, 0, 16<<10)}
	g.r.s = uint64(seed)
	g.r.next() // so that seeds 0 and 1 do not start alike
	return g
}

// SetLevel makes the texts speak of a district (区), city (市) or province
// (省): 我区 / 我市 / 我省, and unit names to match. It panics on another value.
func (g *Generator) SetLevel(level string) *Generator {
	g.level = levelIndex(level)
	return g
}

// rng is splitmix64: tiny, fast, and fixed forever, unlike the generators of
// math/rand whose derived methods may change between Go versions.
type rng struct{ s uint64 }

func (r *rng) next() uint64 {
	r.s += 0x9e3779b97f4a7c15
	z := r.s
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

// intn is uniform in [0, n) up to a bias of n/2^64, which no text notices.
func (r *rng) intn(n int) int {
	hi, _ := bits.Mul64(r.next(), uint64(n))
	return int(hi)
}

func (r *rng) float() float64 { return float64(r.next()>>11) / (1 << 53) }

// frag is a phrase with its length precomputed, so that generating never
// counts runes.
type frag struct {
	s string
	n int
}

func frags(ss []string) []frag {
	out := make([]frag, len(ss))
	for i, s := range ss {
		out[i] = frag{s, textLen(s)}
	}
	return out
}

type part struct {
	lit  frag
	slot byte // 0 for a literal
}

type tmpl []part

func compile(s string) tmpl {
	var t tmpl
	for s != "" {
		i := strings.IndexByte(s, '{')
		if i < 0 {
			t = append(t, part{lit: frag{s, textLen(s)}})
			break
		}
		if i > 0 {
			t = append(t, part{lit: frag{s[:i], textLen(s[:i])}})
		}
		if len(s) < i+3 || s[i+2] != '}' {
			panic("corpus: bad template slot in " + s)
		}
		t = append(t, part{slot: s[i+1]})
		s = s[i+3:]
	}
	return t
}

func compileAll(ss []string) []tmpl {
	out := make([]tmpl, len(ss))
	for i, s := range ss {
		out[i] = compile(s)
	}
	return out
}

type compiledVocab struct {
	name                                                                 string
	subjects, problems, causes, measures, actors, objects, groups, goals []frag
}

var (
	compiled      []compiledVocab
	byCategory    = map[string]int{}
	categoryCum   []int // cumulative CategoryCounts, for weighted choice
	surnameCum    []int
	lists         [128][]frag // the slots filled from a plain list
	places        [3][]frag   // 我市, 全市
	areaFrags     [3][]frag   // the parts of the committee's area
	levelFrags    [3]frag
	tSurvey       = compileAll(surveyTemplates)
	tAnalysis     = compileAll(analysisIntros)
	tProblem      = compileAll(problemDetails)
	tSuggest      = compileAll(suggestIntros)
	tMeasure      = compileAll(measureDetails)
	tProse        = compileAll(proseMeasures)
	tClosing      = compileAll(closings)
	gProblems     = frags(genericProblems)
	gCauses       = frags(genericCauses)
	gMeasures     = frags(genericMeasures)
	gGoals        = frags(genericGoals)
	fTitleVerbs   = frags(titleVerbs)
	fTitleEndings = frags(titleEndings)
	fSurnames     []frag
	fGiven        = frags(givenChars)
)

func init() {
	for _, v := range vocabs {
		byCategory[v.category] = len(compiled)
		compiled = append(compiled, compiledVocab{v.category, frags(v.subjects), frags(v.problems), frags(v.causes),
			frags(v.measures), frags(v.actors), frags(v.objects), frags(v.groups), frags(v.goals)})
	}
	sum := 0
	for _, c := range CategoryCounts {
		if _, ok := byCategory[c.Category]; !ok {
			panic("corpus: no vocabulary for category " + c.Category)
		}
		sum += c.Count
		categoryCum = append(categoryCum, sum)
	}
	sum = 0
	for _, s := range surnames {
		sum += s.w
		surnameCum = append(surnameCum, sum)
		fSurnames = append(fSurnames, frag{s.s, textLen(s.s)})
	}
	for slot, l := range map[byte][]string{
		'B': genericActors, 'l': subPlaces, 'c': cities, 'g': progress, 'q': sources, 'o': opinions,
		'm': methods, 't': trends, 'u': supports, 'f': partners, 'h': mechs, 'a': acts, 'r': results,
		'j': plans, 'J': priorities, 'e': effects, 'p': passingProblems, 'T': terms, 'b': fractions,
	} {
		lists[slot] = frags(l)
	}
	for i, l := range Levels {
		places[i] = frags([]string{"我" + l, "我" + l, "全" + l})
		areaFrags[i] = frags(areas[i])
		levelFrags[i] = frag{l, 1}
	}
}

func (g *Generator) pick(l []frag) frag { return l[g.r.intn(len(l))] }

// pickMixed takes from the category's own list six times in ten.
func (g *Generator) pickMixed(own, generic []frag) frag {
	if g.r.intn(10) < 6 {
		return g.pick(own)
	}
	return g.pick(generic)
}

func (g *Generator) put(f frag) {
	g.buf = append(g.buf, f.s...)
	g.n += f.n
}

func (g *Generator) putInt(v int) {
	l := len(g.buf)
	g.buf = strconv.AppendInt(g.buf, int64(v), 10)
	g.n += len(g.buf) - l
}

func (g *Generator) slot(s byte) {
	c := g.cur
	switch s {
	case 'S':
		g.put(g.subj)
	case 's':
		g.put(g.pick(c.subjects))
	case 'P':
		g.put(g.pickMixed(c.problems, gProblems))
	case 'C':
		g.put(g.pickMixed(c.causes, gCauses))
	case 'M':
		g.put(g.pickMixed(c.measures, gMeasures))
	case 'R':
		g.put(g.pickMixed(c.goals, gGoals))
	case 'A':
		g.put(g.pick(c.actors))
	case 'O':
		g.put(g.pick(c.objects))
	case 'G':
		g.put(g.pick(c.groups))
	case 'L':
		g.put(g.pick(places[g.level]))
	case 'k':
		g.put(g.pick(areaFrags[g.level]))
	case 'v':
		g.put(levelFrags[g.level])
	case 'n':
		g.putInt(2 + g.r.intn(11))
	case 'N':
		g.putInt(20 + g.r.intn(980))
	case 'F': // 万元
		g.putInt(50 + g.r.intn(4950))
	case 'W':
		sent := 200 + g.r.intn(5000)
		g.put(fSent)
		g.putInt(sent)
		g.put(fReturned)
		g.putInt(sent - g.r.intn(sent/5))
		g.put(fCopies)
	case 'K':
		g.putInt(1000 + g.r.intn(99000))
	case 'Y':
		g.putInt(2016 + g.r.intn(9))
	case '%':
		g.putInt(5 + g.r.intn(91))
		g.buf = append(g.buf, '.')
		g.putInt(g.r.intn(10))
		g.n++
	default:
		l := lists[s]
		if l == nil {
			panic("corpus: unknown template slot " + string(s))
		}
		g.put(g.pick(l))
	}
}

func (g *Generator) render(t tmpl) {
	for i := range t {
		if t[i].slot == 0 {
			g.put(t[i].lit)
		} else {
			g.slot(t[i].slot)
		}
	}
}

// halfSentence is about half the length of a generated sentence: a section
// stops when less than that remains, so that lengths neither fall short nor
// overshoot on average.
const halfSentence = 16

// fill renders templates from ts in the order of c until the text has grown
// by about want runes, and at least one sentence.
func (g *Generator) fill(ts []tmpl, c *cycler, want int) {
	start := g.n
	for {
		if c.i >= len(c.perm) {
			g.permute(&c.perm, len(ts))
			c.i = 0
		}
		g.render(ts[c.perm[c.i]])
		c.i++
		if g.n-start+halfSentence >= want {
			return
		}
	}
}

// permute returns a random order of 0..n-1 kept in *buf.
func (g *Generator) permute(buf *[]int, n int) []int {
	p := (*buf)[:0]
	for i := 0; i < n; i++ {
		p = append(p, i)
	}
	for i := n - 1; i > 0; i-- {
		j := g.r.intn(i + 1)
		p[i], p[j] = p[j], p[i]
	}
	*buf = p
	return p
}

// quantile draws from the distribution whose values at 0, 5, …, 100 % are p,
// interpolating linearly in between.
func (g *Generator) quantile(p *[21]int) int {
	x := g.r.float() * 20
	i := int(x)
	return p[i] + int((x-float64(i))*float64(p[i+1]-p[i])+0.5)
}

// weighted picks an index with probability proportional to its weight,
// given cumulative weights.
func (g *Generator) weighted(cum []int) int {
	x := g.r.intn(cum[len(cum)-1])
	for i, c := range cum {
		if x < c {
			return i
		}
	}
	return len(cum) - 1
}

// Category draws a category with the measured mix.
func (g *Generator) Category() string {
	return CategoryCounts[g.weighted(categoryCum)].Category
}

// Proposal generates a proposal of a category drawn with the measured mix.
func (g *Generator) Proposal() Proposal {
	return g.ProposalIn(g.Category())
}

// ProposalIn generates a proposal of the given category; it panics if the
// category is not one of CategoryCounts.
func (g *Generator) ProposalIn(category string) Proposal {
	ci, ok := byCategory[category]
	if !ok {
		panic("corpus: unknown category " + category)
	}
	g.cur = &compiled[ci]
	g.subj = g.pick(g.cur.subjects)
	// The measure a title names leads the suggestions.
	lead := g.r.intn(len(g.cur.measures))
	title := g.title(lead)
	g.buf, g.n = g.buf[:0], 0
	for _, c := range []*cycler{&g.cSurvey, &g.cProblem, &g.cMeasure, &g.cProse} {
		c.i = len(c.perm)
	}
	g.body(g.quantile(&BodyLenPercentiles), lead)
	return Proposal{Title: title, Body: string(g.buf), Category: category}
}

var (
	fAbout    = frag{"关于", 2}
	fSuggest  = frag{"的建议", 3}
	fComma    = frag{"，", 1}
	fPeriod   = frag{"。", 1}
	fMy       = frag{"我", 1}
	fAll      = frag{"在全", 2}
	fFurther  = frag{"进一步", 3}
	fAnd      = frag{"、", 1}
	fSent     = frag{"发放调查问卷", 6}
	fReturned = frag{"份，回收有效问卷", 8}
	fCopies   = frag{"份", 1}
	headFrags = [3]frag{{headSurvey + "：", 5}, {headAnalysis + "：", 5}, {headSuggest + "：", 5}}
)

// title writes one of the three measured title forms, in their measured
// proportions.
func (g *Generator) title(lead int) string {
	for {
		g.buf, g.n = g.buf[:0], 0
		total := TitleForms[0] + TitleForms[1] + TitleForms[2]
		x := g.r.intn(total)
		switch {
		case x < TitleForms[0]+TitleForms[1]:
			g.put(fAbout)
			g.titleCore(lead)
			if x < TitleForms[0] {
				g.put(fSuggest)
			} else {
				g.put(g.pick(fTitleEndings))
			}
		default:
			if g.r.intn(2) == 0 {
				g.put(g.cur.measures[lead])
			} else {
				g.put(g.pick(fTitleVerbs))
				g.put(g.subj)
			}
			g.put(fComma)
			g.put(g.pickMixed(g.cur.goals, gGoals))
		}
		if g.n <= MaxTitleLen {
			return string(g.buf)
		}
	}
}

func (g *Generator) titleCore(lead int) {
	switch g.r.intn(6) {
	case 0, 1: // 加强我市社区居家养老服务
		g.put(g.pick(fTitleVerbs))
		if g.r.intn(3) == 0 {
			g.put(fMy)
			g.put(levelFrags[g.level])
		}
		g.put(g.subj)
	case 2, 3: // 在全市建立长期护理保险制度
		switch g.r.intn(4) {
		case 0:
			g.put(fAll)
			g.put(levelFrags[g.level])
		case 1:
			g.put(fFurther)
		}
		g.put(g.cur.measures[lead])
	case 4: // 建立长期护理保险制度、推进社区居家养老服务
		g.put(g.cur.measures[lead])
		g.put(fAnd)
		g.put(g.pick(fTitleVerbs))
		g.put(g.subj)
	default: // 加强社区居家养老服务，兜牢民生保障底线
		g.put(g.pick(fTitleVerbs))
		g.put(g.subj)
		g.put(fComma)
		g.put(g.pickMixed(g.cur.goals, gGoals))
	}
}

// Numbering styles of suggestions, with the number rendered for 1..maxItems.
const maxItems = 12

var numbering = func() (out [7][maxItems + 1]frag) {
	styles := []func(int) string{
		func(n int) string { return strconv.Itoa(n) + "." },
		func(n int) string { return strconv.Itoa(n) + "．" },
		func(n int) string { return strconv.Itoa(n) + "、" },
		func(n int) string { return "（" + strconv.Itoa(n) + "）" },
		func(n int) string { return cnNumeralFor(n) + "、" },
		func(n int) string { return "（" + cnNumeralFor(n) + "）" },
		func(n int) string { return cnNumeralFor(n) + "是" },
	}
	for s, f := range styles {
		for n := 1; n <= maxItems; n++ {
			out[s][n] = frag{f(n), textLen(f(n))}
		}
	}
	return out
}()

// styleCum weights the numbering styles; arabic with a full stop is the
// most common in real proposals, 一是/二是 and 一、 follow.
var styleCum = []int{30, 38, 46, 52, 70, 80, 100}

func cnNumeralFor(n int) string {
	d := []string{"", "一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二"}
	return d[n]
}

var suggestionCum = func() []int {
	out := make([]int, len(SuggestionCounts))
	sum := 0
	for i, c := range SuggestionCounts {
		sum += c
		out[i] = sum
	}
	return out
}()

// body writes a body of about want runes.
func (g *Generator) body(want, lead int) {
	structured := g.r.intn(MeasuredProposals) < StructuredProposals
	content := want
	if structured {
		content -= 3 * headFrags[0].n
	}
	var w [3]float64
	sum := 0.0
	for i := range w {
		w[i] = SectionShares[i] * (0.6 + 0.8*g.r.float())
		sum += w[i]
	}
	var target [3]int
	for i := range target {
		target[i] = int(float64(content) * w[i] / sum)
	}

	if structured {
		g.put(headFrags[0])
	}
	g.survey(target[0])
	g.buf = append(g.buf, '\n')
	if structured {
		g.put(headFrags[1])
	}
	g.analysis(target[1])
	g.buf = append(g.buf, '\n')
	if structured {
		g.put(headFrags[2])
	}
	g.suggestions(target[2], lead)
}

func (g *Generator) survey(want int) {
	// Paragraphs of a few sentences, as people write them.
	start := g.n
	for {
		left := want - (g.n - start)
		if left < halfSentence && g.n > start {
			return
		}
		para := 90 + g.r.intn(200)
		if para > left || left-para < 60 {
			para = left
		}
		if g.n > start {
			g.buf = append(g.buf, '\n')
		}
		g.fill(tSurvey, &g.cSurvey, para)
	}
}

func (g *Generator) analysis(want int) {
	start := g.n
	g.render(tAnalysis[g.r.intn(len(tAnalysis))])
	k := want/140 + g.r.intn(2)
	if k < 1 {
		k = 1
	}
	if k > 6 {
		k = 6
	}
	style := 4 + g.r.intn(3) // 一、 （一） 一是
	probs := g.permute(&g.perm, len(g.cur.problems))
	for i := 0; i < k; i++ {
		if i < len(probs) {
			g.put(numbering[style][i+1])
			g.put(g.cur.problems[probs[i]])
		} else {
			g.put(numbering[style][i+1])
			g.put(g.pick(gProblems))
		}
		g.put(fPeriod)
		left := want - (g.n - start)
		share := left / (k - i)
		if share > halfSentence {
			g.fill(tProblem, &g.cProblem, share)
		}
	}
}

func (g *Generator) suggestions(want, lead int) {
	start := g.n
	k := g.weighted(suggestionCum)
	// Short sections hold fewer suggestions: each needs room for a heading
	// and a sentence.
	if limit := want / 45; k > limit {
		k = max(limit, 1)
	}
	g.render(tSuggest[g.r.intn(len(tSuggest))])
	if k == 1 {
		g.put(frag{"建议", 2})
		g.put(g.cur.measures[lead])
		g.put(fPeriod)
		if left := want - (g.n - start); left > halfSentence {
			g.fillMixed(left)
		}
		return
	}
	style := g.weighted(styleCum)
	ms := g.permute(&g.perm, len(g.cur.measures))
	// Move the title's measure to the front.
	for i, m := range ms {
		if m == lead {
			ms[0], ms[i] = ms[i], ms[0]
		}
	}
	closing := g.r.intn(2) == 0
	for i := 0; i < k; i++ {
		g.buf = append(g.buf, '\n')
		g.put(numbering[style][i+1])
		if i < len(ms) {
			g.put(g.cur.measures[ms[i]])
		} else {
			g.put(g.pick(gMeasures))
		}
		g.put(fPeriod)
		left := want - (g.n - start)
		if closing {
			left -= 30
		}
		if share := left / (k - i); share > halfSentence {
			g.fill(tMeasure, &g.cMeasure, share)
		}
	}
	if closing && want-(g.n-start) > halfSentence {
		g.buf = append(g.buf, '\n')
		g.render(tClosing[g.r.intn(len(tClosing))])
	}
}

// fillMixed writes unnumbered suggestion prose: short "建议…" sentences
// among the longer ones of numbered suggestions.
func (g *Generator) fillMixed(want int) {
	start := g.n
	for g.n-start+halfSentence < want {
		if g.r.intn(3) == 0 {
			g.fill(tProse, &g.cProse, 1)
		} else {
			g.fill(tMeasure, &g.cMeasure, 1)
		}
	}
}
