package app

import (
	"context"
	"fmt"
	"net/url"
	"strconv"

	"zhengxie"
	"zhengxie/store"
)

// The duty (委员履职) and contact (联系群众、社情民意) sections of the
// statistics and their chapters of the annual report. Both read through
// the modules' own computations (the ranking of duty_ranking.go, the year
// of reception_stats.go) so that the statistics say what those pages say.
// Both modules count by calendar year, so a scope is read as its year.

func init() {
	RegisterStatsSection("duty", dutyStatsSection)
	RegisterStatsSection("contact", contactStatsSection)
	RegisterReportChapter("duty", dutyReportChapter)
	RegisterReportChapter("contact", contactReportChapter)
}

// statsYear is the calendar year a scope speaks of: its year, its
// session's year, the year its dates start in, or this year.
func (s *Service) statsYear(ctx context.Context, sc zhengxie.StatsScope) (int, error) {
	switch {
	case sc.Year != 0:
		return sc.Year, nil
	case sc.SessionID != 0:
		return s.Store.SessionYear(ctx, sc.CommitteeID, sc.SessionID)
	case !sc.Since.IsZero():
		return zhengxie.DateOf(sc.Since, zhengxie.ChinaTime()).Year, nil
	}
	return zhengxie.DateOf(s.now(), zhengxie.ChinaTime()).Year, nil
}

func listLink(path string, kv ...string) string {
	v := url.Values{}
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i+1] != "" {
			v.Set(kv[i], kv[i+1])
		}
	}
	if len(v) == 0 {
		return path
	}
	return path + "?" + v.Encode()
}

// dutyYear is what the duty section and chapter count.
type dutyYear struct {
	Year                    int
	Members, Low            int
	Invited, Attended       int
	Held                    int
	ByKind                  map[zhengxie.ActivityKind]int
	Ranking                 *Ranking
	LowLine                 int
	TopName                 string
	TopPoints, MedianPoints int
}

func (d *dutyYear) AttendanceRate() float64 { return zhengxie.Rate(d.Attended, d.Invited) }

func (s *Service) dutyYear(ctx context.Context, committeeID int64, year int) (*dutyYear, error) {
	rk, err := s.ranking(ctx, store.ProfileFilter{CommitteeID: committeeID}, year)
	if err != nil {
		return nil, err
	}
	d := &dutyYear{Year: year, Ranking: rk, ByKind: map[zhengxie.ActivityKind]int{}, LowLine: rk.Rules.LowAttendance,
		Members: len(rk.Rows), Low: rk.Low}
	for _, r := range rk.Rows {
		d.Invited += r.Invited
		d.Attended += r.Attended
	}
	if len(rk.Rows) > 0 {
		d.TopName, d.TopPoints = rk.Rows[0].Name, rk.Rows[0].Points
		d.MedianPoints = rk.Rows[len(rk.Rows)/2].Points
	}
	for _, st := range []zhengxie.ActivityState{zhengxie.ActivityHeld, zhengxie.ActivityClosed} {
		acts, err := s.Store.Activities(ctx, store.ActivityFilter{CommitteeID: committeeID, Year: year, State: st, Limit: 1000})
		if err != nil {
			return nil, err
		}
		for _, a := range acts {
			d.ByKind[a.Kind]++
			d.Held++
		}
	}
	return d, nil
}

func dutyStatsSection(ctx context.Context, s *Service, in *StatsInput) (*zhengxie.StatsSection, error) {
	if in.Scope.Public {
		return nil, nil // members' attendance is not for the public
	}
	year, err := s.statsYear(ctx, in.Scope)
	if err != nil {
		return nil, err
	}
	d, err := s.dutyYear(ctx, in.Scope.CommitteeID, year)
	if err != nil {
		return nil, err
	}
	y := strconv.Itoa(year)
	rank := listLink("/duty/ranking", "year", y)
	sec := &zhengxie.StatsSection{Key: "duty", Title: fmt.Sprintf("委员履职（%d年）", year)}
	sec.Tables = append(sec.Tables, zhengxie.StatsTable{Key: "duty_attendance", Title: "出席情况", Columns: []string{"数值"}, Rows: []zhengxie.StatsRow{
		{Label: "参加考核的委员", Cells: []zhengxie.StatsCell{count(d.Members, rank)}},
		{Label: "应出席（人次）", Cells: []zhengxie.StatsCell{count(d.Invited, rank)}},
		{Label: "实际出席（人次）", Cells: []zhengxie.StatsCell{count(d.Attended, rank)}},
		{Label: "出席率", Cells: []zhengxie.StatsCell{rate(d.AttendanceRate(), rank)}},
		{Label: fmt.Sprintf("出席率低于%d%%的委员", d.LowLine), Cells: []zhengxie.StatsCell{count(d.Low, rank)}},
	}})
	kt := zhengxie.StatsTable{Key: "duty_activities", Title: "已举行的履职活动（按类型）", Columns: []string{"活动次数"}, Chart: "bar"}
	for _, k := range zhengxie.ActivityKinds {
		kt.Rows = append(kt.Rows, zhengxie.StatsRow{Label: k.Name(), Cells: []zhengxie.StatsCell{count(d.ByKind[k], listLink("/activities", "year", y, "kind", string(k)))}})
	}
	kt.Rows = append(kt.Rows, zhengxie.StatsRow{Label: "合计", Cells: []zhengxie.StatsCell{count(d.Held, listLink("/activities", "year", y))}})
	sec.Tables = append(sec.Tables, kt)
	pt := zhengxie.StatsTable{Key: "duty_points", Title: "履职积分分布", Columns: []string{"委员人数"}, Chart: "bar"}
	for _, b := range d.Ranking.Buckets {
		pt.Rows = append(pt.Rows, zhengxie.StatsRow{Label: b.Label, Cells: []zhengxie.StatsCell{count(b.Count, rank)}})
	}
	if len(pt.Rows) > 0 {
		sec.Tables = append(sec.Tables, pt)
	}
	lt := zhengxie.StatsTable{Key: "duty_low", Title: fmt.Sprintf("出席率低于%d%%的委员", d.LowLine), Columns: []string{"应出席", "出席", "出席率"}}
	for _, r := range d.Ranking.Rows {
		if !r.Low {
			continue
		}
		lk := listLink("/duty/record", "member", strconv.FormatInt(r.UserID, 10), "year", y)
		lt.Rows = append(lt.Rows, zhengxie.StatsRow{Label: r.Name, Cells: []zhengxie.StatsCell{count(r.Invited, lk), count(r.Attended, ""),
			rate(float64(r.Rate)/100, "")}})
	}
	if len(lt.Rows) > 0 {
		sec.Tables = append(sec.Tables, lt)
	}
	return sec, nil
}

func contactStatsSection(ctx context.Context, s *Service, in *StatsInput) (*zhengxie.StatsSection, error) {
	if in.Scope.Public {
		return nil, nil
	}
	year, err := s.statsYear(ctx, in.Scope)
	if err != nil {
		return nil, err
	}
	st, err := s.contactStatistics(ctx, in.Scope.CommitteeID, year)
	if err != nil {
		return nil, err
	}
	t := st.Total
	y := strconv.Itoa(year)
	recs := listLink("/contact/stats", "year", y)
	sec := &zhengxie.StatsSection{Key: "contact", Title: fmt.Sprintf("联系群众与社情民意（%d年）", year)}
	sec.Tables = append(sec.Tables, zhengxie.StatsTable{Key: "contact_matters", Title: "接访与群众诉求", Columns: []string{"数值"}, Rows: []zhengxie.StatsRow{
		{Label: "委员接访（次）", Cells: []zhengxie.StatsCell{count(t.Receptions, recs)}},
		{Label: "接待群众（人次）", Cells: []zhengxie.StatsCell{count(t.Citizens, recs)}},
		{Label: "群众诉求（件）", Cells: []zhengxie.StatsCell{count(t.Matters, "/matters")}},
		{Label: "已答复", Cells: []zhengxie.StatsCell{count(t.Answered, listLink("/matters", "state", string(zhengxie.MatterAnswered)))}},
		{Label: "已解决", Cells: []zhengxie.StatsCell{count(t.Settled, listLink("/matters", "state", string(zhengxie.MatterSettled)))}},
		{Label: "逾期未答复", Cells: []zhengxie.StatsCell{count(t.Overdue, listLink("/matters", "overdue", "1"))}},
		{Label: "按期答复率", Cells: []zhengxie.StatsCell{rate(zhengxie.Rate(t.OnTime, t.Answered), "")}},
	}})
	rt := zhengxie.StatsTable{Key: "contact_reports", Title: "社情民意信息", Columns: []string{"件数"}, Rows: []zhengxie.StatsRow{
		{Label: "报送", Cells: []zhengxie.StatsCell{count(t.Filed, "/reports")}},
		{Label: "编入《社情民意》", Cells: []zhengxie.StatsCell{count(t.Compiled, listLink("/reports", "state", string(zhengxie.ReportCompiled)))}},
	}}
	for _, l := range zhengxie.Levels {
		rt.Rows = append(rt.Rows, zhengxie.StatsRow{Label: zhengxie.LevelName(l) + "采用", Cells: []zhengxie.StatsCell{count(t.Adopted[l], listLink("/reports", "state", string(zhengxie.ReportAdopted)))}})
	}
	rt.Rows = append(rt.Rows, zhengxie.StatsRow{Label: "获领导批示", Cells: []zhengxie.StatsCell{count(t.Instructed, "")}})
	sec.Tables = append(sec.Tables, rt)
	return sec, nil
}

func reportNum(name string, v int) ReportFigure {
	return ReportFigure{Name: name, Text: strconv.Itoa(v), Value: float64(v), Kind: "count"}
}

func reportPct(name string, v float64) ReportFigure {
	return ReportFigure{Name: name, Text: zhengxie.FormatRate(v), Value: v, Kind: "rate"}
}

func dutyReportChapter(ctx context.Context, s *Service, committeeID int64, year int) (string, []ReportFigure, error) {
	d, err := s.dutyYear(ctx, committeeID, year)
	if err != nil {
		return "", nil, err
	}
	if d.Members == 0 && d.Held == 0 {
		return "", nil, nil
	}
	figs := []ReportFigure{reportNum("履职活动", d.Held), reportNum("参加考核委员", d.Members), reportNum("应出席人次", d.Invited),
		reportNum("出席人次", d.Attended), reportPct("委员出席率", d.AttendanceRate()), reportNum("出席率偏低委员", d.Low),
		reportNum("履职积分中位数", d.MedianPoints)}
	text := "全年组织委员参加会议、协商、视察调研等履职活动【履职活动】次，【参加考核委员】名委员参加履职考核，应出席【应出席人次】人次，实际出席【出席人次】人次，出席率【委员出席率】；委员履职积分中位数为【履职积分中位数】分。"
	if d.Low > 0 {
		text += "\n出席率偏低的委员【出席率偏低委员】名，已由专门委员会和界别联络人逐一提醒，督促其按时参加活动、认真履职。"
	} else {
		text += "\n全体委员出席率均达到履职考核要求。"
	}
	return text, figs, nil
}

func contactReportChapter(ctx context.Context, s *Service, committeeID int64, year int) (string, []ReportFigure, error) {
	st, err := s.contactStatistics(ctx, committeeID, year)
	if err != nil {
		return "", nil, err
	}
	t := st.Total
	if t.Receptions == 0 && t.Matters == 0 && t.Filed == 0 {
		return "", nil, nil
	}
	adopted := t.AdoptedTotal()
	figs := []ReportFigure{reportNum("委员接访", t.Receptions), reportNum("接待群众", t.Citizens), reportNum("群众诉求", t.Matters),
		reportNum("诉求已答复", t.Answered), reportNum("诉求已解决", t.Settled), reportNum("诉求逾期未答复", t.Overdue),
		reportPct("诉求按期答复率", zhengxie.Rate(t.OnTime, t.Answered)),
		reportNum("社情民意报送", t.Filed), reportNum("社情民意编发", t.Compiled), reportNum("社情民意采用", adopted),
		reportNum("社情民意批示", t.Instructed)}
	var levels string
	for _, l := range zhengxie.Levels {
		name := "社情民意" + zhengxie.LevelName(l) + "采用"
		figs = append(figs, reportNum(name, t.Adopted[l]))
		if t.Adopted[l] > 0 {
			if levels != "" {
				levels += "、"
			}
			levels += zhengxie.LevelName(l) + "【" + name + "】件"
		}
	}
	text := "委员依托委员工作站、委员工作室开展接访【委员接访】次，接待群众【接待群众】人次，收集群众诉求【群众诉求】件，已答复【诉求已答复】件、已解决【诉求已解决】件，按期答复率【诉求按期答复率】"
	if t.Overdue > 0 {
		text += "，仍有【诉求逾期未答复】件逾期未答复"
	}
	text += "。\n全年报送社情民意信息【社情民意报送】件，编入《社情民意》【社情民意编发】件，被各级采用【社情民意采用】件"
	if levels != "" {
		text += "（" + levels + "）"
	}
	text += "，获领导批示【社情民意批示】件。"
	return text, figs, nil
}
