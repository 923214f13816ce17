package zhengxie

import (
	"testing"
	"time"
)

func TestRatesAndComparisons(t *testing.T) {
	for _, c := range []struct {
		n, d int
		want string
	}{{0, 0, "0%"}, {3, 4, "75%"}, {1, 3, "33.3%"}, {2, 3, "66.7%"}, {7, 7, "100%"}} {
		if got := FormatRate(Rate(c.n, c.d)); got != c.want {
			t.Errorf("%d/%d = %s, want %s", c.n, c.d, got, c.want)
		}
	}
	for _, c := range []struct {
		cur, prev int
		want      string
	}{{6, 2, "比上年增加4件（增长200%）"}, {2, 6, "比上年减少4件（下降66.7%）"}, {5, 5, "与上年持平"}, {3, 0, "比上年增加3件"}} {
		if got := CountChangeText(c.cur, c.prev); got != c.want {
			t.Errorf("%d vs %d: %s, want %s", c.cur, c.prev, got, c.want)
		}
	}
	for _, c := range []struct {
		cur, prev float64
		want      string
	}{{0.9, 0.85, "比上年提高5个百分点"}, {0.801, 0.85, "比上年下降4.9个百分点"}, {0.5, 0.5, "与上年持平"}} {
		if got := RateChangeText(c.cur, c.prev); got != c.want {
			t.Errorf("%v vs %v: %s, want %s", c.cur, c.prev, got, c.want)
		}
	}
	f := StatsFigure{Value: 0.75, Prev: 0.5, HasPrev: true, Percent: true}
	if f.Text() != "75%" || f.ChangeText() != "比上年提高25个百分点" {
		t.Errorf("figure %s %s", f.Text(), f.ChangeText())
	}
}

func TestScopePrevious(t *testing.T) {
	loc := ChinaTime()
	since := time.Date(2026, 1, 1, 0, 0, 0, 0, loc)
	p := StatsScope{CommitteeID: 1, SessionID: 9, Since: since, Until: since.AddDate(0, 6, 0)}.Previous(2026)
	if p.SessionID != 0 || p.Year != 2025 || !p.Since.Equal(since.AddDate(-1, 0, 0)) || !p.Until.Equal(since.AddDate(0, -6, 0)) {
		t.Errorf("previous of a session scope: %+v", p)
	}
	if (StatsScope{CommitteeID: 1}).Comparable() || !(StatsScope{Year: 2026}).Comparable() {
		t.Error("Comparable")
	}
}

func TestFillFigures(t *testing.T) {
	figs := map[string]string{"收到提案": "12", "按时答复率": "87.5%"}
	got, err := FillFigures("共收到提案【收到提案】件，按时答复率【按时答复率】。【未闭合", figs)
	if err != nil || got != "共收到提案12件，按时答复率87.5%。【未闭合" {
		t.Errorf("filled %q, %v", got, err)
	}
	if _, err := FillFigures("【提案总数】件", figs); ErrorCode(err) != EInvalid || ErrorField(err) != "text" {
		t.Errorf("unknown figure: %v", err)
	}
	if names := FigureNames("a【x】b【y】c【"); len(names) != 2 || names[0] != "x" || names[1] != "y" {
		t.Errorf("names %v", names)
	}
}

func TestRankUnits(t *testing.T) {
	us := []UnitRate{{"乙局", 4, 2}, {"甲局", 2, 2}, {"丙局", 4, 4}, {"丁局", 0, 0}, {"戊局", 2, 1}}
	got := RankUnits(us, 1)
	var names []string
	for _, u := range got {
		names = append(names, u.Unit)
	}
	want := "丙局 甲局 乙局 戊局"
	if s := join(names); s != want {
		t.Errorf("ranked %s, want %s", s, want)
	}
	if len(RankUnits(us, 3)) != 2 {
		t.Error("minimum replies not applied")
	}
}

func join(xs []string) string {
	out := ""
	for i, x := range xs {
		if i > 0 {
			out += " "
		}
		out += x
	}
	return out
}
