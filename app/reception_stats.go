package app

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strconv"
	"time"

	"github.com/xuri/excelize/v2"

	"zhengxie"
	"zhengxie/store"
)

// Statistics of contact with the people for a year: per station and
// studio, per member, per category and per month — receptions, citizens,
// matters, on-time answers, settled rate; reports filed, compiled, adopted
// by level, instructed. Computed from the year's rows (a district has a
// few thousand), for the office, leaders and admins.

// ContactRow is one line of the statistics.
type ContactRow struct {
	Key        string
	Name       string
	Receptions int
	Citizens   int
	Matters    int
	Answered   int
	OnTime     int
	Settled    int
	Filed      int
	Compiled   int
	Adopted    map[string]int // by level
	Instructed int
	Overdue    int // not answered, forwarded to a unit and past its due date
}

// SettledRate is settled / answered in percent.
func (r *ContactRow) SettledRate() int {
	if r.Answered == 0 {
		return 0
	}
	return percent(float64(r.Settled) / float64(r.Answered))
}

// OnTimeRate is on-time / answered in percent.
func (r *ContactRow) OnTimeRate() int {
	if r.Answered == 0 {
		return 0
	}
	return percent(float64(r.OnTime) / float64(r.Answered))
}

// AdoptedTotal counts adoptions at every level.
func (r *ContactRow) AdoptedTotal() int {
	n := 0
	for _, v := range r.Adopted {
		n += v
	}
	return n
}

// ContactStats are a year's statistics.
type ContactStats struct {
	Year       int
	Total      ContactRow
	Stations   []ContactRow
	Members    []ContactRow
	Categories []ContactRow
	Months     []ContactRow
}

type rowSet struct {
	by    map[string]*ContactRow
	order []string
}

func (s *rowSet) get(key, name string) *ContactRow {
	if s.by == nil {
		s.by = map[string]*ContactRow{}
	}
	r := s.by[key]
	if r == nil {
		r = &ContactRow{Key: key, Name: name, Adopted: map[string]int{}}
		s.by[key] = r
		s.order = append(s.order, key)
	}
	return r
}

func (s *rowSet) rows() []ContactRow {
	var out []ContactRow
	for _, k := range s.order {
		out = append(out, *s.by[k])
	}
	return out
}

// ContactStatistics computes the statistics of a year.
func (s *Service) ContactStatistics(ctx context.Context, a zhengxie.Actor, year int) (*ContactStats, error) {
	if err := requireRole(a, "查看联系群众统计", zhengxie.RoleOffice, zhengxie.RoleLeader, zhengxie.RoleAdmin); err != nil {
		return nil, err
	}
	return s.contactStatistics(ctx, a.CommitteeID, year)
}

// contactStatistics computes a committee's year, for callers that checked
// the role themselves (the statistics).
func (s *Service) contactStatistics(ctx context.Context, committeeID int64, year int) (*ContactStats, error) {
	c, err := s.Store.Committee(ctx, committeeID)
	if err != nil {
		return nil, err
	}
	loc := c.Location()
	today := zhengxie.DateOf(s.now(), loc)
	if year == 0 {
		year = zhengxie.DateOf(s.now(), loc).Year
	}
	from, to := time.Date(year, 1, 1, 0, 0, 0, 0, loc), time.Date(year+1, 1, 1, 0, 0, 0, 0, loc)
	st := &ContactStats{Year: year, Total: ContactRow{Name: "合计", Adopted: map[string]int{}}}
	var stations, members, cats, months rowSet
	for m := 1; m <= 12; m++ {
		months.get(strconv.Itoa(m), fmt.Sprintf("%d月", m))
	}
	sts, err := s.Store.Stations(ctx, committeeID, "")
	if err != nil {
		return nil, err
	}
	stations.get("0", "政协机关留言箱")
	for _, x := range sts {
		stations.get(strconv.FormatInt(x.ID, 10), x.Name)
	}
	for _, x := range zhengxie.MatterCategories {
		cats.get(x, x)
	}
	ps, err := s.Store.Profiles(ctx, store.ProfileFilter{CommitteeID: committeeID})
	if err != nil {
		return nil, err
	}
	names := map[int64]string{}
	for _, p := range ps {
		names[p.User.ID] = p.User.Name
	}
	member := func(id int64) *ContactRow {
		return members.get(strconv.FormatInt(id, 10), names[id])
	}
	month := func(t time.Time) *ContactRow { return months.get(strconv.Itoa(int(t.In(loc).Month())), "") }

	rs, err := s.Store.Receptions(ctx, store.ReceptionFilter{CommitteeID: committeeID, State: zhengxie.ReceptionHeld,
		From: fmt.Sprintf("%d-01-01", year), To: fmt.Sprintf("%d-12-31", year)})
	if err != nil {
		return nil, err
	}
	for _, r := range rs {
		for _, row := range []*ContactRow{&st.Total, stations.get(strconv.FormatInt(r.StationID, 10), r.StationName), months.get(strconv.Itoa(int(r.Day.Month)), "")} {
			row.Receptions++
			row.Citizens += r.Visitors
		}
		for _, id := range r.MemberIDs {
			member(id).Receptions++
		}
	}
	ms, err := s.Store.Matters(ctx, store.MatterFilter{CommitteeID: committeeID, From: from.UnixMilli(), To: to.UnixMilli()})
	if err != nil {
		return nil, err
	}
	for i := range ms {
		m := &ms[i]
		// The same test as the overdue list of the matters (app/matter.go).
		overdue := false
		if d, err := zhengxie.ParseDate(m.Due); err == nil && m.UnitID != 0 && m.AnsweredAt.IsZero() && m.State.Open() {
			overdue = zhengxie.OverdueOn(d, today)
		}
		rows := []*ContactRow{&st.Total, stations.get(strconv.FormatInt(m.StationID, 10), m.StationName), month(m.CreatedAt)}
		cat := m.Category
		if cat == "" {
			cat = "未分类"
		}
		rows = append(rows, cats.get(cat, cat))
		if m.MemberID != 0 {
			rows = append(rows, member(m.MemberID))
		}
		for _, row := range rows {
			row.Matters++
			if m.Source == zhengxie.SourceMessage {
				row.Citizens++
			}
			if !m.AnsweredAt.IsZero() {
				row.Answered++
				if m.OnTime {
					row.OnTime++
				}
			}
			if m.State == zhengxie.MatterSettled {
				row.Settled++
			}
			if overdue {
				row.Overdue++
			}
		}
	}
	reps, err := s.Store.Reports(ctx, store.ReportFilter{CommitteeID: committeeID, From: from.UnixMilli(), To: to.UnixMilli()})
	if err != nil {
		return nil, err
	}
	byReport := map[int64]*zhengxie.Report{}
	for i := range reps {
		r := &reps[i]
		byReport[r.ID] = r
		rows := []*ContactRow{&st.Total, month(r.CreatedAt)}
		for _, id := range r.MemberIDs {
			rows = append(rows, member(id))
		}
		for _, row := range rows {
			if r.State != zhengxie.ReportMerged && r.State != zhengxie.ReportWithdrawn {
				row.Filed++
			}
			if r.IssueID != 0 {
				row.Compiled++
			}
		}
	}
	recs, err := s.Store.ReportRecords(ctx, committeeID, 0)
	if err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	for _, rec := range recs {
		r := byReport[rec.ReportID]
		if r == nil || (rec.Kind != zhengxie.RecordAdoption && rec.Kind != zhengxie.RecordInstruction) {
			continue
		}
		k := fmt.Sprint(rec.ReportID, rec.Kind, rec.Level)
		if seen[k] {
			continue // one adoption per level, one instruction, as duty counts them
		}
		seen[k] = true
		rows := []*ContactRow{&st.Total, months.get(strconv.Itoa(int(rec.On.Month)), "")}
		for _, id := range r.MemberIDs {
			rows = append(rows, member(id))
		}
		for _, row := range rows {
			if rec.Kind == zhengxie.RecordAdoption {
				row.Adopted[rec.Level]++
			} else {
				row.Instructed++
			}
		}
	}
	st.Stations, st.Categories, st.Months = stations.rows(), cats.rows(), months.rows()
	st.Members = members.rows()
	sort.SliceStable(st.Members, func(i, j int) bool {
		a, b := st.Members[i], st.Members[j]
		return a.Receptions+a.Matters+a.Filed > b.Receptions+b.Matters+b.Filed
	})
	return st, nil
}

// Chart is the ECharts option of the monthly figures, as JSON.
func (st *ContactStats) Chart() string {
	var months []string
	var matters, answered, filed, adopted []int
	for _, r := range st.Months {
		months = append(months, r.Name)
		matters, answered, filed, adopted = append(matters, r.Matters), append(answered, r.Answered), append(filed, r.Filed), append(adopted, r.AdoptedTotal())
	}
	opt := map[string]any{
		"tooltip": map[string]any{"trigger": "axis"},
		"legend":  map[string]any{"data": []string{"群众诉求", "已答复", "社情民意报送", "社情民意采用"}},
		"grid":    map[string]any{"left": 40, "right": 16, "bottom": 30, "containLabel": true},
		"xAxis":   map[string]any{"type": "category", "data": months},
		"yAxis":   map[string]any{"type": "value", "minInterval": 1},
		"series": []map[string]any{
			{"name": "群众诉求", "type": "bar", "data": matters},
			{"name": "已答复", "type": "bar", "data": answered},
			{"name": "社情民意报送", "type": "line", "data": filed},
			{"name": "社情民意采用", "type": "line", "data": adopted},
		},
	}
	b, _ := json.Marshal(opt)
	return string(b)
}

// ContactStatsXLSX writes the statistics as an Excel workbook, one sheet
// per view. No citizen's name or phone is in it.
func (s *Service) ContactStatsXLSX(ctx context.Context, a zhengxie.Actor, year int, w io.Writer) error {
	st, err := s.ContactStatistics(ctx, a, year)
	if err != nil {
		return err
	}
	f := excelize.NewFile()
	defer f.Close()
	head := []any{"名称", "接访次数", "接待群众（人次）", "诉求件数", "已答复", "按期答复", "按期答复率%", "已解决", "解决率%",
		"报送社情民意", "编发", "区级采用", "市级采用", "省级采用", "全国采用", "领导批示"}
	first := true
	for _, sh := range []struct {
		name string
		rows []ContactRow
	}{{"按联络站工作室", st.Stations}, {"按委员", st.Members}, {"按类别", st.Categories}, {"按月份", st.Months}} {
		if first {
			if err := f.SetSheetName("Sheet1", sh.name); err != nil {
				return err
			}
			first = false
		} else if _, err := f.NewSheet(sh.name); err != nil {
			return err
		}
		f.SetCellValue(sh.name, "A1", fmt.Sprintf("%d年联系群众工作统计（%s）", st.Year, sh.name))
		f.SetSheetRow(sh.name, "A2", &head)
		rows := append(append([]ContactRow{}, sh.rows...), st.Total)
		for i, r := range rows {
			line := []any{r.Name, r.Receptions, r.Citizens, r.Matters, r.Answered, r.OnTime, r.OnTimeRate(), r.Settled, r.SettledRate(),
				r.Filed, r.Compiled, r.Adopted[zhengxie.LevelDistrict], r.Adopted[zhengxie.LevelCity], r.Adopted[zhengxie.LevelProvincial],
				r.Adopted[zhengxie.LevelNational], r.Instructed}
			cell, _ := excelize.CoordinatesToCellName(1, i+3)
			if err := f.SetSheetRow(sh.name, cell, &line); err != nil {
				return err
			}
		}
		f.SetColWidth(sh.name, "A", "A", 26)
		f.SetColWidth(sh.name, "B", "P", 12)
	}
	return f.Write(w)
}
