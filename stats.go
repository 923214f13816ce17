package zhengxie

import (
	"fmt"
	"math"
	"strings"
	"time"
)

// StatsScope says which proposals a statistic counts: one committee's filed
// proposals (never drafts), optionally of one session, of the sessions of
// one year, submitted within a date range, or only the published ones (what
// the public may count).
type StatsScope struct {
	CommitteeID  int64
	SessionID    int64
	Year         int       // the sessions held that year; 0: any
	Since, Until time.Time // submission time, Until exclusive; zero: open
	Public       bool      // only published proposals
}

// Previous is the same scope one year earlier: the comparison the reports
// make ("比上年"). A session scope becomes the previous year's sessions,
// since sessions are yearly.
func (s StatsScope) Previous(sessionYear int) StatsScope {
	p := s
	if p.SessionID != 0 {
		p.SessionID = 0
		p.Year = sessionYear
	}
	if p.Year != 0 {
		p.Year--
	}
	if !p.Since.IsZero() {
		p.Since = p.Since.AddDate(-1, 0, 0)
	}
	if !p.Until.IsZero() {
		p.Until = p.Until.AddDate(-1, 0, 0)
	}
	return p
}

// Comparable reports whether a previous-year comparison means anything:
// without a year, a session or a date range the scope is "everything", and
// there is no "previous" of everything.
func (s StatsScope) Comparable() bool {
	return s.Year != 0 || s.SessionID != 0 || !s.Since.IsZero() || !s.Until.IsZero()
}

// StatsCell is one number of a table, with the list that shows the
// proposals or tasks behind it ("" when no list can show them).
type StatsCell struct {
	Value   float64
	Percent bool // a rate between 0 and 1, shown as a percentage
	Link    string
}

// Text is the cell as shown: an integer count or a percentage with one decimal.
func (c StatsCell) Text() string {
	if c.Percent {
		return FormatRate(c.Value)
	}
	return FormatCount(c.Value)
}

// StatsRow is one line of a table: its label and its cells, one per column.
type StatsRow struct {
	Label string
	Cells []StatsCell
}

// StatsTable is one table of the statistics: the unit of the page, of the
// XLSX download (one sheet each) and of the API.
type StatsTable struct {
	Key     string // stable, ASCII: the sheet's anchor and the API's key
	Title   string
	Columns []string // headings of the cells, after the label column
	Rows    []StatsRow
	Chart   string // "bar", "pie" or "" (table only)
	Public  bool   // part of the public subset
}

// Column returns the values of column i, for charts.
func (t *StatsTable) Column(i int) []float64 {
	out := make([]float64, 0, len(t.Rows))
	for _, r := range t.Rows {
		if i < len(r.Cells) {
			out = append(out, r.Cells[i].Value)
		}
	}
	return out
}

// StatsSection groups the tables of one module (proposals, supervision, and
// later duty, contact, linkage).
type StatsSection struct {
	Key    string
	Title  string
	Tables []StatsTable
}

// StatsFigure is a headline number with its previous-year value.
type StatsFigure struct {
	Key     string
	Label   string
	Value   float64
	Prev    float64
	HasPrev bool
	Percent bool
	Link    string
}

// Text is the figure as shown.
func (f StatsFigure) Text() string { return StatsCell{Value: f.Value, Percent: f.Percent}.Text() }

// ChangeText says how the figure moved since the previous year, in words.
func (f StatsFigure) ChangeText() string {
	if !f.HasPrev {
		return ""
	}
	if f.Percent {
		return RateChangeText(f.Value, f.Prev)
	}
	return CountChangeText(int(f.Value), int(f.Prev))
}

// StatsModule is a module that may contribute a section; the sections of
// modules not yet in this build are named on the page as pending.
type StatsModule struct {
	Key, Title string
}

// StatsModules lists every module whose figures belong in the statistics,
// in page order.
var StatsModules = []StatsModule{
	{"proposals", "提案"},
	{"supervision", "办理与督办"},
	{"duty", "委员履职"},
	{"contact", "联系群众"},
	{"topic", "订单式提案"},
	{"linkage", "订单式提案与四级联动"},
}

// Rate is n/d, 0 when d is 0.
func Rate(n, d int) float64 {
	if d <= 0 {
		return 0
	}
	return float64(n) / float64(d)
}

// FormatRate shows a rate as a percentage with one decimal: 0.875 → 87.5%.
func FormatRate(r float64) string {
	v := math.Round(r*1000) / 10
	if v == math.Trunc(v) {
		return fmt.Sprintf("%.0f%%", v)
	}
	return fmt.Sprintf("%.1f%%", v)
}

// FormatCount shows a count.
func FormatCount(v float64) string { return fmt.Sprintf("%.0f", v) }

// CountChangeText compares a count with last year's: "比上年增加3件（增长12.5%）".
func CountChangeText(cur, prev int) string {
	switch {
	case cur == prev:
		return "与上年持平"
	case prev == 0:
		return fmt.Sprintf("比上年增加%d件", cur)
	case cur > prev:
		return fmt.Sprintf("比上年增加%d件（增长%s）", cur-prev, FormatRate(Rate(cur-prev, prev)))
	}
	return fmt.Sprintf("比上年减少%d件（下降%s）", prev-cur, FormatRate(Rate(prev-cur, prev)))
}

// RateChangeText compares a rate with last year's in percentage points.
func RateChangeText(cur, prev float64) string {
	d := math.Round((cur-prev)*1000) / 10
	switch {
	case d == 0:
		return "与上年持平"
	case d > 0:
		return fmt.Sprintf("比上年提高%s个百分点", trimFloat(d))
	}
	return fmt.Sprintf("比上年下降%s个百分点", trimFloat(-d))
}

func trimFloat(v float64) string {
	s := fmt.Sprintf("%.1f", v)
	return strings.TrimSuffix(s, ".0")
}

// UnitRate is one unit's on-time record, for ranking.
type UnitRate struct {
	Unit            string
	Replied, OnTime int
}

// RankUnits orders units by on-time rate, best first, among those with at
// least min replies (a unit with one reply is not "the best"); ties go to
// the unit with more replies, then by name, so that the order is stable.
func RankUnits(us []UnitRate, min int) []UnitRate {
	var out []UnitRate
	for _, u := range us {
		if u.Replied >= min && u.Replied > 0 {
			out = append(out, u)
		}
	}
	less := func(a, b UnitRate) bool {
		ra, rb := Rate(a.OnTime, a.Replied), Rate(b.OnTime, b.Replied)
		if ra != rb {
			return ra > rb
		}
		if a.Replied != b.Replied {
			return a.Replied > b.Replied
		}
		return a.Unit < b.Unit
	}
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && less(out[j], out[j-1]); j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}

// ReportSection is one chapter of the annual work report (提案工作情况报告).
type ReportSection struct {
	Key, Title string
	// Optional chapters appear only where their module has something to
	// say (订单式提案与四级联动 needs the linkage module's figures).
	Optional bool
}

// ReportSections are the chapters of the report, in the order a real
// report has them.
var ReportSections = []ReportSection{
	{Key: "overview", Title: "总体情况"},
	{Key: "filing", Title: "提案提出与审查"},
	{Key: "handling", Title: "交办与办理"},
	{Key: "supervision", Title: "督办与重点提案"},
	{Key: "results", Title: "办理成效与满意度"},
	{Key: "linkage", Title: "订单式提案与四级联动", Optional: true},
	{Key: "duty", Title: "委员履职", Optional: true},
	{Key: "contact", Title: "联系群众与社情民意", Optional: true},
	{Key: "topic", Title: "订单式提案", Optional: true},
	{Key: "problems", Title: "存在的问题"},
	{Key: "next", Title: "下一步工作"},
}

// The report's text names its figures as 【名称】: the office edits the
// words around them freely while the figures are filled in from the data
// each time the report is shown, so that no edit can make a number wrong.
const (
	figOpen  = "【"
	figClose = "】"
)

// FigureToken is how the text refers to a figure.
func FigureToken(name string) string { return figOpen + name + figClose }

// FigureNames lists the figure names a text refers to, in order of appearance.
func FigureNames(text string) []string {
	var out []string
	for {
		i := strings.Index(text, figOpen)
		if i < 0 {
			return out
		}
		rest := text[i+len(figOpen):]
		j := strings.Index(rest, figClose)
		if j < 0 {
			return out
		}
		out = append(out, rest[:j])
		text = rest[j+len(figClose):]
	}
}

// FillFigures replaces every 【名称】 with its figure. A name the report
// does not know is an error that lists the known ones, so that a typo in
// the office's edit is caught when saving, not printed.
func FillFigures(text string, figs map[string]string) (string, error) {
	var b strings.Builder
	for {
		i := strings.Index(text, figOpen)
		if i < 0 {
			b.WriteString(text)
			return b.String(), nil
		}
		rest := text[i+len(figOpen):]
		j := strings.Index(rest, figClose)
		if j < 0 {
			b.WriteString(text)
			return b.String(), nil
		}
		name := rest[:j]
		v, ok := figs[name]
		if !ok {
			return "", FieldError("text", "报告中引用了不存在的数据项%s。数据项须写作【名称】，可用的名称见页面右侧的数据项列表", FigureToken(name))
		}
		b.WriteString(text[:i])
		b.WriteString(v)
		text = rest[j+len(figClose):]
	}
}

// ChineseOrdinal is 一, 二, … 十二 for chapter numbers.
func ChineseOrdinal(n int) string {
	digits := []string{"", "一", "二", "三", "四", "五", "六", "七", "八", "九"}
	switch {
	case n <= 0 || n >= 100:
		return fmt.Sprint(n)
	case n < 10:
		return digits[n]
	case n == 10:
		return "十"
	case n < 20:
		return "十" + digits[n-10]
	}
	return digits[n/10] + "十" + digits[n%10]
}
