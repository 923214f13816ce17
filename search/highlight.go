package search

import (
	"html/template"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Highlight returns text HTML-escaped with every occurrence of a term
// wrapped in <mark>. Matching ignores what Tokens ignores: letter case,
// full-width forms and line breaks inside Chinese words, so a term found by
// the search is also marked in the text shown. Adjacent marks merge
// (光纤改造 is one mark for the terms 光纤 and 改造).
func Highlight(text string, terms []string) template.HTML {
	return template.HTML(highlight(text, merged(findMatches(text, terms))))
}

// Snippet returns about `runes` characters of text around the densest
// cluster of term occurrences, white space tidied, highlighted like
// Highlight, with … where text was cut. Without any occurrence it is the
// start of the text. runes ≤ 0 means 120.
func Snippet(text string, terms []string, runes int) template.HTML {
	if runes <= 0 {
		runes = 120
	}
	disp := tidySpaces(text)
	ranges := findMatches(disp, terms)
	total := utf8.RuneCountInString(disp)
	if total <= runes {
		return template.HTML(highlight(disp, merged(ranges)))
	}
	// Rune index of a byte offset; offsets come in increasing order.
	lastByte, lastRune := 0, 0
	runeAt := func(byteOff int) int {
		lastRune += utf8.RuneCountInString(disp[lastByte:byteOff])
		lastByte = byteOff
		return lastRune
	}

	start := 0
	if len(ranges) > 0 {
		// Score each window starting a little before an occurrence by the
		// number of distinct terms it shows, then by occurrences.
		type occ struct {
			r    int // rune index
			term int
		}
		occs := make([]occ, len(ranges))
		for i, m := range ranges {
			occs[i] = occ{runeAt(m.start), m.term}
		}
		lead := min(runes/5, 20)
		bestDistinct, bestCount := -1, -1
		for i := range occs {
			s := max(0, occs[i].r-lead)
			seen := map[int]bool{}
			count := 0
			for j := i; j < len(occs) && occs[j].r < s+runes; j++ {
				seen[occs[j].term] = true
				count++
			}
			if len(seen) > bestDistinct || (len(seen) == bestDistinct && count > bestCount) {
				bestDistinct, bestCount, start = len(seen), count, s
			}
		}
		// Start at a sentence if one begins between the window start and
		// the occurrence, so the snippet does not open mid-clause.
		first := -1
		for _, o := range occs {
			if o.r >= start {
				first = o.r
				break
			}
		}
		if first >= 0 {
			from, to := byteAt(disp, start), byteAt(disp, first)
			if k := strings.LastIndexAny(disp[from:to], "。！？；!?;"); k >= 0 {
				_, size := utf8.DecodeRuneInString(disp[from+k:])
				start += utf8.RuneCountInString(disp[from : from+k+size])
			}
		}
		if start+runes > total {
			start = max(0, total-runes)
		}
	}
	startByte := byteAt(disp, start)
	endByte := byteAt(disp, start+runes)
	var b strings.Builder
	if start > 0 {
		b.WriteString("…")
	}
	b.WriteString(highlight(disp[startByte:endByte], merged(findMatches(disp[startByte:endByte], terms))))
	if endByte < len(disp) {
		b.WriteString("…")
	}
	return template.HTML(b.String())
}

// byteAt returns the byte offset of rune index n (len(s) past the end).
func byteAt(s string, n int) int {
	i := 0
	for off := range s {
		if i == n {
			return off
		}
		i++
	}
	return len(s)
}

func highlight(text string, ranges [][2]int) string {
	var b strings.Builder
	last := 0
	for _, rg := range ranges {
		b.WriteString(template.HTMLEscapeString(text[last:rg[0]]))
		b.WriteString("<mark>")
		b.WriteString(template.HTMLEscapeString(text[rg[0]:rg[1]]))
		b.WriteString("</mark>")
		last = rg[1]
	}
	b.WriteString(template.HTMLEscapeString(text[last:]))
	return b.String()
}

// tidySpaces removes white space between Chinese characters and collapses
// other runs of white space to one space, for display in a snippet.
func tidySpaces(text string) string {
	var b strings.Builder
	b.Grow(len(text))
	var prev rune
	pending := false
	for _, r := range text {
		if unicode.IsSpace(r) || r == 0x3000 {
			pending = true
			continue
		}
		if pending {
			if prev != 0 && !(isHan(prev) && isHan(r)) {
				b.WriteByte(' ')
			}
			pending = false
		}
		b.WriteRune(r)
		prev = r
	}
	return b.String()
}

type match struct {
	start, end int // bytes of text
	term       int // index among the distinct normalised terms
}

// merged joins adjacent matches into one range to mark.
func merged(ms []match) [][2]int {
	var out [][2]int
	for _, m := range ms {
		if n := len(out); n > 0 && out[n-1][1] == m.start {
			out[n-1][1] = m.end
		} else {
			out = append(out, [2]int{m.start, m.end})
		}
	}
	return out
}

// findMatches finds where the terms occur in text, leftmost longest,
// without overlaps.
func findMatches(text string, terms []string) []match {
	type pos struct {
		r          rune
		start, end int // byte range in text
	}
	// The text as Tokens sees it, each rune remembering where it came from.
	var seq []pos
	var prevR rune
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		fr := fold(r)
		if unicode.IsSpace(fr) {
			j := i + size
			for j < len(text) {
				r2, s2 := utf8.DecodeRuneInString(text[j:])
				if !unicode.IsSpace(fold(r2)) {
					break
				}
				j += s2
			}
			next := rune(0)
			if j < len(text) {
				next = fold(firstRune(text[j:]))
			}
			if !(isHan(prevR) && isHan(next)) {
				seq = append(seq, pos{' ', i, j})
				prevR = ' '
			}
			i = j
			continue
		}
		seq = append(seq, pos{fr, i, i + size})
		prevR = fr
		i += size
	}

	var ts [][]rune
	seen := map[string]bool{}
	for _, t := range terms {
		n := normalize(strings.TrimSpace(t))
		if n == "" || seen[n] {
			continue
		}
		seen[n] = true
		ts = append(ts, []rune(n))
	}
	sort.Slice(ts, func(i, j int) bool {
		if len(ts[i]) != len(ts[j]) {
			return len(ts[i]) > len(ts[j])
		}
		return string(ts[i]) < string(ts[j])
	})

	var out []match
	for i := 0; i < len(seq); {
		matched, which := 0, 0
		for ti, t := range ts {
			if i+len(t) > len(seq) {
				continue
			}
			ok := true
			for k, r := range t {
				if seq[i+k].r != r {
					ok = false
					break
				}
			}
			// Latin words and numbers match whole: 2 is not marked in 2019.
			if ok && isAlnum(t[0]) && i > 0 && isAlnum(seq[i-1].r) {
				ok = false
			}
			if ok && isAlnum(t[len(t)-1]) && i+len(t) < len(seq) && isAlnum(seq[i+len(t)].r) {
				ok = false
			}
			if ok {
				matched, which = len(t), ti
				break
			}
		}
		if matched == 0 {
			i++
			continue
		}
		out = append(out, match{seq[i].start, seq[i+matched-1].end, which})
		i += matched
	}
	return out
}

func isAlnum(r rune) bool { return isAlnumUnit(r) }
