package app

import (
	"context"
	"net/url"
	"strconv"
	"sync"

	"zhengxie"
	"zhengxie/store"
)

// Statistics: each module contributes a section through RegisterStatsSection,
// so that duty, contact and linkage add theirs when they land without
// touching this file. The proposals and supervision sections are below.

// StatsLinks builds the links from a figure to the list behind it: the
// office's lists (/proposals, /tasks) for the full statistics, the public
// list for the public subset. The scope's session and dates are carried.
type StatsLinks struct {
	Public    bool
	Committee string // code, for the public list
	Scope     zhengxie.StatsScope
}

func (l StatsLinks) base() url.Values {
	v := url.Values{}
	if l.Public {
		v.Set("c", l.Committee)
		return v
	}
	sc := l.Scope
	if sc.SessionID != 0 {
		v.Set("session", strconv.FormatInt(sc.SessionID, 10))
	}
	if sc.Year != 0 {
		v.Set("year", strconv.Itoa(sc.Year))
	}
	if !sc.Since.IsZero() {
		v.Set("from", zhengxie.DateOf(sc.Since, zhengxie.ChinaTime()).String())
	}
	if !sc.Until.IsZero() {
		v.Set("to", zhengxie.DateOf(sc.Until.AddDate(0, 0, -1), zhengxie.ChinaTime()).String())
	}
	return v
}

// Proposals links to the proposal list filtered by kv (name, value pairs).
// The public list filters by category only: other figures of the public
// subset link nowhere rather than to a list that shows something else.
func (l StatsLinks) Proposals(kv ...string) string {
	v := l.base()
	for i := 0; i+1 < len(kv); i += 2 {
		if l.Public && kv[i] != "category" {
			return ""
		}
		v.Set(kv[i], kv[i+1])
	}
	if l.Public {
		return "/public?" + v.Encode()
	}
	return "/proposals?" + v.Encode()
}

// Tasks links to the office's task list of a unit.
func (l StatsLinks) Tasks(kv ...string) string {
	if l.Public {
		return ""
	}
	v := url.Values{}
	for i := 0; i+1 < len(kv); i += 2 {
		v.Set(kv[i], kv[i+1])
	}
	return "/tasks?" + v.Encode()
}

// StatsInput is what a section is computed from.
type StatsInput struct {
	Scope, Prev zhengxie.StatsScope
	Compare     bool // Prev means something
	Links       StatsLinks
	Today       string
}

// StatsSectionFunc computes one module's section.
type StatsSectionFunc func(ctx context.Context, s *Service, in *StatsInput) (*zhengxie.StatsSection, error)

var statsRegistry struct {
	sync.Mutex
	fns map[string]StatsSectionFunc
}

// RegisterStatsSection adds a module's section to the statistics; module is
// a key of zhengxie.StatsModules. Call it from an init function.
func RegisterStatsSection(module string, fn StatsSectionFunc) {
	statsRegistry.Lock()
	defer statsRegistry.Unlock()
	if statsRegistry.fns == nil {
		statsRegistry.fns = map[string]StatsSectionFunc{}
	}
	statsRegistry.fns[module] = fn
}

func init() {
	RegisterStatsSection("proposals", proposalStatsSection)
	RegisterStatsSection("supervision", supervisionStatsSection)
}

// Stats is the statistics of a scope.
type Stats struct {
	Scope    zhengxie.StatsScope
	Compare  bool
	Public   bool
	Summary  []zhengxie.StatsFigure
	Sections []zhengxie.StatsSection
	// Pending are the modules whose figures are not in this build yet.
	Pending []zhengxie.StatsModule
}

// CanSeeAllStats reports whether the actor sees the full statistics of its
// committee; everyone else sees the public subset.
func CanSeeAllStats(a zhengxie.Actor, committeeID int64) bool {
	return !a.IsAnonymous() && a.CommitteeID == committeeID && zhengxie.SeesAll(a.Role)
}

// Stats computes the statistics of sc for a. Whoever may not see the full
// statistics of the committee gets the public subset: published proposals
// only, and only the tables meant for the public.
func (s *Service) Stats(ctx context.Context, a zhengxie.Actor, sc zhengxie.StatsScope, committeeCode string) (*Stats, error) {
	sc.Public = sc.Public || !CanSeeAllStats(a, sc.CommitteeID)
	in := &StatsInput{Scope: sc, Compare: sc.Comparable(), Links: StatsLinks{Public: sc.Public, Committee: committeeCode, Scope: sc},
		Today: zhengxie.DateOf(s.now(), zhengxie.ChinaTime()).String()}
	if in.Compare {
		year := 0
		if sc.SessionID != 0 {
			y, err := s.Store.SessionYear(ctx, sc.CommitteeID, sc.SessionID)
			if err != nil {
				return nil, err
			}
			year = y
		}
		in.Prev = sc.Previous(year)
	}
	out := &Stats{Scope: sc, Compare: in.Compare, Public: sc.Public}
	statsRegistry.Lock()
	fns := map[string]StatsSectionFunc{}
	for k, v := range statsRegistry.fns {
		fns[k] = v
	}
	statsRegistry.Unlock()
	for _, m := range zhengxie.StatsModules {
		fn := fns[m.Key]
		if fn == nil {
			out.Pending = append(out.Pending, m)
			continue
		}
		sec, err := fn(ctx, s, in)
		if err != nil {
			return nil, err
		}
		if sec == nil {
			continue
		}
		if sc.Public {
			var keep []zhengxie.StatsTable
			for _, t := range sec.Tables {
				if t.Public {
					keep = append(keep, t)
				}
			}
			sec.Tables = keep
		}
		if len(sec.Tables) > 0 {
			out.Sections = append(out.Sections, *sec)
		}
	}
	if err := s.statsSummary(ctx, in, out); err != nil {
		return nil, err
	}
	return out, nil
}

func count(v int, link string) zhengxie.StatsCell {
	return zhengxie.StatsCell{Value: float64(v), Link: link}
}

func rate(v float64, link string) zhengxie.StatsCell {
	return zhengxie.StatsCell{Value: v, Percent: true, Link: link}
}

func (s *Service) statsSummary(ctx context.Context, in *StatsInput, out *Stats) error {
	cur, err := s.statsTotals(ctx, in.Scope, in.Today)
	if err != nil {
		return err
	}
	var prev *statsTotals
	if in.Compare {
		if prev, err = s.statsTotals(ctx, in.Prev, in.Today); err != nil {
			return err
		}
	}
	l := in.Links
	fig := func(key, label string, v func(*statsTotals) float64, pct bool, link string) {
		f := zhengxie.StatsFigure{Key: key, Label: label, Value: v(cur), Percent: pct, Link: link}
		if prev != nil {
			f.Prev, f.HasPrev = v(prev), true
		}
		out.Summary = append(out.Summary, f)
	}
	if in.Scope.Public {
		fig("received", "公开提案", func(t *statsTotals) float64 { return float64(t.Received) }, false, l.Proposals())
		fig("replied", "已答复（主办、分办）", func(t *statsTotals) float64 { return float64(t.Tasks.Replied) }, false, "")
		fig("on_time_rate", "按时答复率", func(t *statsTotals) float64 { return t.Tasks.OnTimeRate() }, true, "")
		return nil
	}
	fig("received", "收到提案", func(t *statsTotals) float64 { return float64(t.Received) }, false, l.Proposals())
	fig("accepted", "立案", func(t *statsTotals) float64 { return float64(t.Accepted) }, false, "")
	fig("accept_rate", "立案率", func(t *statsTotals) float64 { return zhengxie.Rate(t.Accepted, t.Received) }, true, "")
	fig("replied", "已答复（主办、分办）", func(t *statsTotals) float64 { return float64(t.Tasks.Replied) }, false, "")
	fig("on_time_rate", "按时答复率", func(t *statsTotals) float64 { return t.Tasks.OnTimeRate() }, true, "")
	fig("satisfaction", "满意率（满意和基本满意）", func(t *statsTotals) float64 { return t.Tasks.SatisfactionRate() }, true, "")
	fig("rehandled", "重新办理", func(t *statsTotals) float64 { return float64(t.Tasks.Rehandled) }, false, l.Proposals("rehandled", "1"))
	fig("overdue", "逾期未答复", func(t *statsTotals) float64 { return float64(t.Tasks.Overdue) }, false, "/tasks?overdue=1")
	fig("key", "重点提案", func(t *statsTotals) float64 { return float64(t.Key) }, false, l.Proposals("key", "1"))
	return nil
}

type statsTotals struct {
	Received, Accepted, Key int
	Tasks                   store.TaskStat
}

func (s *Service) statsTotals(ctx context.Context, sc zhengxie.StatsScope, today string) (*statsTotals, error) {
	t := &statsTotals{}
	ks, err := s.Store.ProposalCounts(ctx, sc, "key")
	if err != nil {
		return nil, err
	}
	for _, k := range ks {
		t.Received += k.Received
		t.Accepted += k.Accepted
		if k.Key == "1" {
			t.Key = k.Received
		}
	}
	ts, err := s.Store.TaskStats(ctx, sc, "all", today)
	if err != nil {
		return nil, err
	}
	if len(ts) > 0 {
		t.Tasks = ts[0]
	}
	return t, nil
}

// countTable makes a table of proposal counts with last year's numbers
// beside them where the scope compares.
func (s *Service) countTable(ctx context.Context, in *StatsInput, dim, key, title, chart string, public bool,
	label func(c store.StatCount) string, link func(c store.StatCount) string) (zhengxie.StatsTable, error) {
	t := zhengxie.StatsTable{Key: key, Title: title, Columns: []string{"提交", "立案"}, Chart: chart, Public: public}
	cur, err := s.Store.ProposalCounts(ctx, in.Scope, dim)
	if err != nil {
		return t, err
	}
	var prev map[string]int
	if in.Compare && dim != "session" {
		ps, err := s.Store.ProposalCounts(ctx, in.Prev, dim)
		if err != nil {
			return t, err
		}
		prev = map[string]int{}
		for _, p := range ps {
			prev[p.Key] = p.Received
		}
		t.Columns = append(t.Columns, "上年提交")
	}
	for _, c := range cur {
		lk := link(c)
		row := zhengxie.StatsRow{Label: label(c), Cells: []zhengxie.StatsCell{count(c.Received, lk), count(c.Accepted, "")}}
		if prev != nil {
			row.Cells = append(row.Cells, count(prev[c.Key], ""))
		}
		t.Rows = append(t.Rows, row)
	}
	return t, nil
}

func proposalStatsSection(ctx context.Context, s *Service, in *StatsInput) (*zhengxie.StatsSection, error) {
	l := in.Links
	sec := &zhengxie.StatsSection{Key: "proposals", Title: "提案提出与审查"}
	add := func(t zhengxie.StatsTable, err error) error {
		if err == nil {
			sec.Tables = append(sec.Tables, t)
		}
		return err
	}
	same := func(c store.StatCount) string { return c.Label }
	if err := add(s.countTable(ctx, in, "session", "by_session", "按会议", "bar", true, same,
		func(c store.StatCount) string { return l.Proposals("session", c.Key) })); err != nil {
		return nil, err
	}
	// The trend over the years, whatever the year filter: a line chart.
	years := *in
	years.Scope = zhengxie.StatsScope{CommitteeID: in.Scope.CommitteeID, Public: in.Scope.Public}
	years.Compare = false
	years.Links = StatsLinks{Public: l.Public, Committee: l.Committee, Scope: years.Scope}
	if err := add(s.countTable(ctx, &years, "year", "by_year", "历年提案", "line", true,
		func(c store.StatCount) string { return c.Key + "年" },
		func(c store.StatCount) string { return years.Links.Proposals("year", c.Key) })); err != nil {
		return nil, err
	}
	if err := add(s.countTable(ctx, in, "category", "by_category", "按类别", "bar", true,
		func(c store.StatCount) string {
			if c.Label == "" {
				return "未分类"
			}
			return c.Label
		},
		func(c store.StatCount) string { return l.Proposals("category", c.Key) })); err != nil {
		return nil, err
	}
	if err := add(s.countTable(ctx, in, "kind", "by_kind", "按提案者类型", "pie", false,
		func(c store.StatCount) string { return zhengxie.KindName(c.Key) },
		func(c store.StatCount) string { return l.Proposals("kind", c.Key) })); err != nil {
		return nil, err
	}
	if err := add(s.countTable(ctx, in, "sector", "by_sector", "按界别（提案人所在界别）", "bar", false,
		func(c store.StatCount) string {
			if c.Key == "0" {
				return "未登记界别（含集体提案）"
			}
			return c.Label
		},
		func(c store.StatCount) string {
			if c.Key == "0" {
				return ""
			}
			return l.Proposals("sector", c.Key)
		})); err != nil {
		return nil, err
	}
	if err := add(s.countTable(ctx, in, "state", "by_state", "按办理状态", "pie", true,
		func(c store.StatCount) string { return zhengxie.State(c.Key).Name() },
		func(c store.StatCount) string { return l.Proposals("state", c.Key) })); err != nil {
		return nil, err
	}
	return sec, nil
}

func supervisionStatsSection(ctx context.Context, s *Service, in *StatsInput) (*zhengxie.StatsSection, error) {
	l := in.Links
	sec := &zhengxie.StatsSection{Key: "supervision", Title: "交办、办理与督办"}
	units, err := s.Store.TaskStats(ctx, in.Scope, "unit", in.Today)
	if err != nil {
		return nil, err
	}
	ut := zhengxie.StatsTable{Key: "by_unit", Title: "按承办单位", Chart: "bar",
		Columns: []string{"主办（分办）", "会办", "已答复", "按时答复", "按时答复率", "逾期未答复", "已测评", "满意率", "重新办理", "答复前沟通"}}
	for _, u := range units {
		ut.Rows = append(ut.Rows, zhengxie.StatsRow{Label: u.Label, Cells: []zhengxie.StatsCell{
			count(u.Lead, l.Proposals("unit", u.Key)), count(u.Co, ""), count(u.Replied, l.Tasks("unit", u.Key, "state", "replied")),
			count(u.OnTime, ""), rate(u.OnTimeRate(), ""), count(u.Overdue, l.Tasks("unit", u.Key, "overdue", "1")),
			count(u.Rated(), ""), rate(u.SatisfactionRate(), ""), count(u.Rehandled, ""), count(u.Contacted, "")}})
	}
	sec.Tables = append(sec.Tables, ut)

	all, err := s.Store.TaskStats(ctx, in.Scope, "all", in.Today)
	if err != nil {
		return nil, err
	}
	var tot store.TaskStat
	if len(all) > 0 {
		tot = all[0]
	}
	withResult := tot.ResultA + tot.ResultB + tot.ResultC
	rt := zhengxie.StatsTable{Key: "by_result", Title: "答复结果分类", Chart: "pie", Public: true, Columns: []string{"答复件数", "占比"}}
	for _, r := range []struct {
		code string
		n    int
	}{{"A", tot.ResultA}, {"B", tot.ResultB}, {"C", tot.ResultC}} {
		rt.Rows = append(rt.Rows, zhengxie.StatsRow{Label: zhengxie.ResultClassName(r.code),
			Cells: []zhengxie.StatsCell{count(r.n, l.Proposals("result", r.code)), rate(zhengxie.Rate(r.n, withResult), "")}})
	}
	sec.Tables = append(sec.Tables, rt)

	ft := zhengxie.StatsTable{Key: "satisfaction", Title: "满意度测评", Chart: "pie", Public: true, Columns: []string{"测评件数", "占比"}}
	for _, f := range []struct {
		code string
		n    int
	}{{zhengxie.FeedbackSatisfied, tot.Satisfied}, {zhengxie.FeedbackBasically, tot.Basically}, {zhengxie.FeedbackUnsatisfied, tot.Unsatisfied}} {
		ft.Rows = append(ft.Rows, zhengxie.StatsRow{Label: zhengxie.FeedbackName(f.code),
			Cells: []zhengxie.StatsCell{count(f.n, l.Proposals("feedback", f.code)), rate(zhengxie.Rate(f.n, tot.Rated()), "")}})
	}
	ft.Rows = append(ft.Rows, zhengxie.StatsRow{Label: "其中：重新办理",
		Cells: []zhengxie.StatsCell{count(tot.Rehandled, l.Proposals("rehandled", "1")), rate(zhengxie.Rate(tot.Rehandled, tot.RatedOrReplied), "")}})
	sec.Tables = append(sec.Tables, ft)

	ot := zhengxie.StatsTable{Key: "timeliness", Title: "答复时效", Columns: []string{"件数", "占交办任务"}}
	ot.Rows = []zhengxie.StatsRow{
		{Label: "交办任务（主办、分办）", Cells: []zhengxie.StatsCell{count(tot.Lead, l.Tasks()), rate(1, "")}},
		{Label: "已答复", Cells: []zhengxie.StatsCell{count(tot.Replied, l.Tasks("state", "replied")), rate(zhengxie.Rate(tot.Replied, tot.Lead), "")}},
		{Label: "按时答复", Cells: []zhengxie.StatsCell{count(tot.OnTime, ""), rate(tot.OnTimeRate(), "")}},
		{Label: "逾期未答复", Cells: []zhengxie.StatsCell{count(tot.Overdue, l.Tasks("overdue", "1")), rate(zhengxie.Rate(tot.Overdue, tot.Lead), "")}},
	}
	sec.Tables = append(sec.Tables, ot)

	keys, n, err := s.Store.KeyProposalStats(ctx, in.Scope, 20)
	if err != nil {
		return nil, err
	}
	kt := zhengxie.StatsTable{Key: "key_proposals", Title: "重点提案（共" + strconv.Itoa(n) + "件）", Columns: []string{"编号", "附议人数"}}
	for _, k := range keys {
		kt.Rows = append(kt.Rows, zhengxie.StatsRow{Label: k.Title + "（" + k.Proposer + "）", Cells: []zhengxie.StatsCell{
			count(k.Number, "/proposals/"+strconv.FormatInt(k.ID, 10)), count(k.Cosigners, "")}})
	}
	sec.Tables = append(sec.Tables, kt)
	return sec, nil
}
