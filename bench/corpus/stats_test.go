package corpus

import (
	"encoding/csv"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	"unicode/utf8"
	"zhengxie/internal/testenv/shared"
)

// dataDir is <repo root>/../shared/data; the test skips where it is
// absent and fails where CI requires it (package shared).
func dataDir(t testing.TB) string {
	t.Helper()
	return shared.Dir(t, "proposals_jiangsu_2019.csv")
}

// measurement holds what stats.go records, recomputed from the CSV file.
type measurement struct {
	n             int
	bodyPct       [21]int
	logMu, logSig float64
	titlePct      [21]int
	structured    int
	sectionShare  [3]float64
	suggestions   []int
	titleForms    [3]int
	proposerKinds [3]int
	jointSizePct  [21]int
	categories    map[string]int
	replyPct      [21]int
	replies       int
}

func readCSV(t testing.TB, path string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.LazyQuotes = true
	r.FieldsPerRecord = -1
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return recs
}

func column(t testing.TB, header []string, name string) int {
	t.Helper()
	for i, h := range header {
		if strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")) == name {
			return i
		}
	}
	t.Fatalf("column %q missing in %v", name, header)
	return -1
}

// percentiles21 returns the values at 0, 5, …, 100 percent by the
// nearest-rank-below rule on the sorted sample.
func percentiles21(v []int) (p [21]int) {
	s := append([]int(nil), v...)
	sort.Ints(s)
	for i := range p {
		p[i] = s[i*5*(len(s)-1)/100]
	}
	return p
}

func median(v []float64) float64 {
	s := append([]float64(nil), v...)
	sort.Float64s(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

func measure(t testing.TB, dir string) measurement {
	recs := readCSV(t, filepath.Join(dir, "proposals_jiangsu_2019.csv"))
	h := recs[0]
	cName, cTitle, cType, cBody := column(t, h, "personnel_name"), column(t, h, "reason"), column(t, h, "type"), column(t, h, "content")
	m := measurement{categories: map[string]int{}}
	var bodies, titles, joint []int
	var lnSum float64
	var shares [3][]float64
	for _, rec := range recs[1:] {
		body := strings.TrimSpace(rec[cBody])
		title := strings.TrimSpace(rec[cTitle])
		m.n++
		bl := textLen(body)
		bodies = append(bodies, bl)
		lnSum += math.Log(float64(bl))
		titles = append(titles, textLen(title))
		m.categories[strings.TrimSpace(rec[cType])]++
		m.titleForms[titleForm(title)]++
		kind, size := proposerKind(strings.TrimSpace(rec[cName]))
		m.proposerKinds[kind]++
		if kind == proposerJoint {
			joint = append(joint, size)
		}
		if sec, ok := splitSections(body); ok {
			m.structured++
			total := float64(textLen(sec[0]) + textLen(sec[1]) + textLen(sec[2]))
			for i := range sec {
				shares[i] = append(shares[i], float64(textLen(sec[i]))/total)
			}
			k := countSuggestions(sec[2])
			for len(m.suggestions) <= k {
				m.suggestions = append(m.suggestions, 0)
			}
			m.suggestions[k]++
		}
	}
	m.bodyPct = percentiles21(bodies)
	m.titlePct = percentiles21(titles)
	m.logMu = lnSum / float64(m.n)
	var ss float64
	for _, b := range bodies {
		d := math.Log(float64(b)) - m.logMu
		ss += d * d
	}
	m.logSig = math.Sqrt(ss / float64(m.n-1))
	for i := range shares {
		m.sectionShare[i] = median(shares[i])
	}
	m.jointSizePct = percentiles21(joint)

	replies := readCSV(t, filepath.Join(dir, "citizen_messages_with_replies.csv"))
	cReply := column(t, replies[0], "答复意见")
	var rl []int
	for _, rec := range replies[1:] {
		if s := strings.TrimSpace(rec[cReply]); s != "" {
			rl = append(rl, textLen(s))
		}
	}
	m.replies = len(rl)
	m.replyPct = percentiles21(rl)
	return m
}

// splitSections cuts a body at the first 调研情况, the next 问题分析 and the
// next 具体建议; ok is false unless all three appear in that order.
func splitSections(body string) (sec [3]string, ok bool) {
	a := strings.Index(body, headSurvey)
	if a < 0 {
		return sec, false
	}
	b := strings.Index(body[a:], headAnalysis)
	if b < 0 {
		return sec, false
	}
	b += a
	c := strings.Index(body[b:], headSuggest)
	if c < 0 {
		return sec, false
	}
	c += b
	return [3]string{body[a+len(headSurvey) : b], body[b+len(headAnalysis) : c], body[c+len(headSuggest):]}, true
}

// countSuggestions finds, over the numbering styles proposals use, the
// longest run of markers 1, 2, 3 … appearing in order; a section with no
// run of at least two counts as one unnumbered suggestion.
func countSuggestions(s string) int {
	best := 1
	for _, style := range []func(int) []string{
		func(n int) []string { d := strconv.Itoa(n); return []string{d + ".", d + "．", d + "、"} },
		func(n int) []string { d := strconv.Itoa(n); return []string{"（" + d + "）", "(" + d + ")"} },
		func(n int) []string { c := cnNumeral(n); return []string{c + "、", "（" + c + "）", "(" + c + ")"} },
		func(n int) []string {
			c := cnNumeral(n)
			return []string{c + "是", "第" + c + "，", "第" + c + "、"}
		},
	} {
		pos, k := 0, 0
		for n := 1; n < 40; n++ {
			at := -1
			for _, mk := range style(n) {
				if i := indexMarker(s[pos:], mk); i >= 0 && (at < 0 || i < at) {
					at = i
				}
			}
			if at < 0 {
				break
			}
			pos += at + 1
			k = n
		}
		if k > best {
			best = k
		}
	}
	return best
}

// indexMarker finds mk not glued to a preceding digit (so 2019. is not "9.")
// nor, for arabic markers, to a following digit (so 2.0 is not "2.").
func indexMarker(s, mk string) int {
	off := 0
	for {
		i := strings.Index(s[off:], mk)
		if i < 0 {
			return -1
		}
		i += off
		r, _ := utf8.DecodeLastRuneInString(s[:i])
		after, _ := utf8.DecodeRuneInString(s[i+len(mk):])
		first, _ := utf8.DecodeRuneInString(mk)
		digitMarker := first >= '0' && first <= '9'
		if !(digitMarker && (r >= '0' && r <= '9' || after >= '0' && after <= '9')) {
			return i
		}
		off = i + len(mk)
	}
}

func cnNumeral(n int) string {
	d := []string{"", "一", "二", "三", "四", "五", "六", "七", "八", "九"}
	switch {
	case n < 10:
		return d[n]
	case n == 10:
		return "十"
	case n < 20:
		return "十" + d[n-10]
	case n%10 == 0:
		return d[n/10] + "十"
	default:
		return d[n/10] + "十" + d[n%10]
	}
}

// TestMeasuredStats recomputes every number of stats.go from the real texts.
// When it fails, the log shows the new values to write into stats.go.
func TestMeasuredStats(t *testing.T) {
	m := measure(t, dataDir(t))
	t.Logf("proposals %d, structured %d, body log-normal mu=%.4f sigma=%.4f", m.n, m.structured, m.logMu, m.logSig)
	t.Logf("body percentiles %v", m.bodyPct)
	t.Logf("title percentiles %v", m.titlePct)
	t.Logf("section shares %.4f", m.sectionShare)
	t.Logf("suggestion counts %v", m.suggestions)
	t.Logf("title forms %v, proposer kinds %v, joint sizes %v", m.titleForms, m.proposerKinds, m.jointSizePct)
	t.Logf("replies %d, reply percentiles %v", m.replies, m.replyPct)
	t.Logf("categories %v", m.categories)

	check := func(what string, got, want any) {
		t.Helper()
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("%s: measured %v, stats.go has %v", what, got, want)
		}
	}
	check("proposals", m.n, MeasuredProposals)
	check("body percentiles", m.bodyPct, BodyLenPercentiles)
	check("body log mu", round4(m.logMu), BodyLenLogMu)
	check("body log sigma", round4(m.logSig), BodyLenLogSigma)
	check("title percentiles", m.titlePct, TitleLenPercentiles)
	check("structured", m.structured, StructuredProposals)
	check("section shares", [3]float64{round4(m.sectionShare[0]), round4(m.sectionShare[1]), round4(m.sectionShare[2])}, SectionShares)
	check("suggestion counts", m.suggestions, SuggestionCounts)
	check("title forms", m.titleForms, TitleForms)
	check("proposer kinds", m.proposerKinds, ProposerKinds)
	check("joint sizes", m.jointSizePct, JointSizePercentiles)
	check("replies", m.replies, MeasuredReplies)
	check("reply percentiles", m.replyPct, ReplyLenPercentiles)
	got := map[string]int{}
	for _, c := range CategoryCounts {
		got[c.Category] = c.Count
	}
	check("categories", m.categories, got)
	if len(CategoryCounts) != 14 {
		t.Errorf("CategoryCounts has %d categories, want 14", len(CategoryCounts))
	}
}

// titleForm classifies a title into the forms of TitleForms.
func titleForm(t string) int {
	switch {
	case strings.HasPrefix(t, "关于") && strings.HasSuffix(t, "的建议"):
		return titleAboutSuggestion
	case strings.HasPrefix(t, "关于"):
		return titleAboutOther
	}
	return titleOther
}

var jointName = regexp.MustCompile(`等(\d+)人$`)

// proposerKind classifies a proposer as the measured file names them: joint
// proposals as "lead等N人", bodies by their provincial names.
func proposerKind(name string) (kind, signers int) {
	if m := jointName.FindStringSubmatch(name); m != nil {
		n, _ := strconv.Atoi(m[1])
		return proposerJoint, n
	}
	if strings.HasPrefix(name, "省") || strings.Contains(name, "委员会") || strings.Contains(name, "省委") {
		return proposerBody, 0
	}
	return proposerIndividual, 1
}

func round4(x float64) float64 { return math.Round(x*1e4) / 1e4 }
