package app

import (
	"context"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"sync"

	"zhengxie"
	"zhengxie/internal/docx"
	"zhengxie/store"
)

// The annual work report (提案工作情况报告): a draft written from the year's
// figures, chapter by chapter, that the office edits. The text refers to
// its figures as 【名称】 and they are filled in each time the report is
// shown, so the words are the office's and the numbers always the data's.

// ReportFigure is one figure the report's text may cite.
type ReportFigure struct {
	Name  string
	Text  string  // as it appears in the report
	Value float64 // the number behind it (counts and rates); 0 for text
	Kind  string  // "count", "rate" or "text"
}

// ReportChapter is one chapter: the text as kept (with 【名称】) and as shown.
type ReportChapter struct {
	Key, Title string
	Source     string // with figure names
	Draft      string // the system's draft of the chapter, for comparison and reset
	Text       string // figures filled in
	Edited     bool   // the office's text, not the draft
}

// AnnualReport is a year's report.
type AnnualReport struct {
	Committee *zhengxie.Committee
	Year      int
	Title     string
	Today     zhengxie.Date
	Figures   []ReportFigure
	Chapters  []ReportChapter
	Edited    *store.ReportText // nil: the draft as generated
}

// FigureMap is the report's figures by name, as shown.
func (r *AnnualReport) FigureMap() map[string]string {
	m := make(map[string]string, len(r.Figures))
	for _, f := range r.Figures {
		m[f.Name] = f.Text
	}
	return m
}

// ReportChapterFunc lets a module (linkage: 订单式提案与四级联动) write an
// optional chapter: its draft text and the figures the text cites; "" when
// the module has nothing to report for the year.
type ReportChapterFunc func(ctx context.Context, s *Service, committeeID int64, year int) (string, []ReportFigure, error)

var reportRegistry struct {
	sync.Mutex
	fns map[string]ReportChapterFunc
}

// RegisterReportChapter adds the writer of an optional chapter (a key of
// zhengxie.ReportSections with Optional set).
func RegisterReportChapter(key string, fn ReportChapterFunc) {
	reportRegistry.Lock()
	defer reportRegistry.Unlock()
	if reportRegistry.fns == nil {
		reportRegistry.fns = map[string]ReportChapterFunc{}
	}
	reportRegistry.fns[key] = fn
}

// reportDrafts are the chapters' draft texts.
var reportDrafts = map[string]string{
	"overview": "【年度】年，本会提案工作坚持围绕中心、服务大局，坚持提案质量与办理实效并重。全年共收到委员和各参加单位提案【收到提案】件，【收到提案比上年】；经审查立案【立案】件，立案率【立案率】。截至【统计截止日】，承办单位已答复【已答复】项（主办、分办任务，下同），按时答复率【按时答复率】，提案者满意率【满意率】。",
	"filing": "从提案者看，个人提案【个人提案】件，联名提案【联名提案】件，集体提案【集体提案】件。从内容看，提案主要集中在【主要类别】等方面。\n" +
		"提案委员会严格按照立案标准逐件审查，立案【立案】件；不予立案【不予立案】件，均已向提案者说明理由；并案处理【并案】件，转为意见建议【转意见建议】件。",
	"handling": "立案提案共交由【承办单位数】个承办单位办理，其中主办（分办）任务【主办任务】项、会办任务【会办任务】项。各承办单位建立领导负责、专人承办的工作机制，答复前与提案者沟通【答复前沟通】项。\n" +
		"截至【统计截止日】，已答复【已答复】项，其中按时答复【按时答复】项，按时答复率【按时答复率】；逾期未答复【逾期未答复】项。按时答复率最高的承办单位是【按时答复率最高的单位】，最低的是【按时答复率最低的单位】。",
	"supervision": "主席会议确定重点提案【重点提案数】件，由主席、副主席领衔督办，通过实地调研、协商座谈、跟踪问效等方式推动办理落实。受到委员广泛关注的重点提案有：【重点提案】。",
	"results": "从答复结果看，所提问题已解决或采纳的（A类）【A类答复】项，占【A类占比】；正在解决或列入计划的（B类）【B类答复】项，占【B类占比】；因条件限制留作参考的（C类）【C类答复】项，占【C类占比】。\n" +
		"提案者对办理情况共测评【已测评】项，其中满意【满意】项、基本满意【基本满意】项、不满意【不满意】项，满意率【满意率】{{rehandle}}。全年办结提案【已办结】件，向社会公开【已公开】件。",
	"problems": "一是提案质量有待进一步提高，部分提案调研不够深入、建议的针对性和可操作性不强。{{overdue}}{{unsatisfied}}",
	"next":     "一是坚持质量导向，引导委员深入调研、精准建言，提高提案质量。二是健全交办、督办、考评机制，把按时答复率和满意率作为承办单位考评的重要内容。三是加强重点提案督办，推动提案成果转化为政策措施。四是推进提案工作数字化，让提案提出、审查、交办、办理、测评全过程可查询、可追溯、可评价。",
}

// draftClauses are the sentences of the drafts that depend on the year:
// a report does not speak of "0项逾期" as a problem.
func draftClauses(v map[string]float64) map[string]string {
	c := map[string]string{"rehandle": "", "overdue": "二是办理工作还不够平衡，个别单位重答复、轻落实，办理质量有待提高。",
		"unsatisfied": "三是跟踪问效有待加强，部分已答复提案的落实情况缺少持续跟踪。"}
	if v["重新办理"] > 0 {
		c["rehandle"] = "；对提案者不满意的答复，已要求承办单位重新办理，共重新办理【重新办理】项"
	}
	if v["逾期未答复"] > 0 {
		c["overdue"] = "二是办理工作还不够平衡，仍有【逾期未答复】项任务逾期未答复，个别单位重答复、轻落实。"
	}
	switch {
	case v["不满意"] > 0:
		c["unsatisfied"] = "三是跟踪问效有待加强，仍有【不满意】项答复未获提案者满意。"
	case v["重新办理"] > 0:
		c["unsatisfied"] = "三是跟踪问效有待加强，有【重新办理】项答复经提案者测评不满意后重新办理。"
	}
	return c
}

// draftText is a chapter's draft for the year's figures.
func draftText(key string, v map[string]float64) string {
	t := reportDrafts[key]
	for k, clause := range draftClauses(v) {
		t = strings.ReplaceAll(t, "{{"+k+"}}", clause)
	}
	return t
}

// Draft returns the draft text of a chapter (with figure names) for this
// report's figures: what "恢复为系统草稿" puts back.
func (r *AnnualReport) Draft(key string) string {
	for _, ch := range r.Chapters {
		if ch.Key == key {
			return ch.Draft
		}
	}
	return ""
}

// CanEditReport reports whether the actor may edit the committee's report.
func CanEditReport(a zhengxie.Actor, committeeID int64) bool {
	return !a.IsAnonymous() && a.CommitteeID == committeeID && a.Role == zhengxie.RoleOffice
}

// AnnualReport composes the year's report for a: the office, leaders and
// admins of the committee.
func (s *Service) AnnualReport(ctx context.Context, a zhengxie.Actor, committeeID int64, year int) (*AnnualReport, error) {
	if !CanSeeAllStats(a, committeeID) {
		if a.IsAnonymous() {
			return nil, zhengxie.Errorf(zhengxie.EUnauthorized, "请先登录")
		}
		return nil, zhengxie.Errorf(zhengxie.EForbidden, "年度提案工作报告只有提案委员会、领导和管理员可以查看")
	}
	if year < 1990 || year > 2200 {
		return nil, zhengxie.FieldError("year", "年度无效，请填写四位年份（如 2026）")
	}
	c, err := s.Store.Committee(ctx, committeeID)
	if err != nil {
		return nil, err
	}
	r := &AnnualReport{Committee: c, Year: year, Today: zhengxie.DateOf(s.now(), zhengxie.ChinaTime())}
	r.Title = fmt.Sprintf("%s关于%d年度提案工作情况的报告", c.Name, year)
	if r.Figures, err = s.reportFigures(ctx, committeeID, year, r.Today); err != nil {
		return nil, err
	}
	if r.Edited, err = s.Store.ReportText(ctx, committeeID, year); err != nil {
		return nil, err
	}
	reportRegistry.Lock()
	extra := map[string]ReportChapterFunc{}
	for k, v := range reportRegistry.fns {
		extra[k] = v
	}
	reportRegistry.Unlock()
	figs := r.FigureMap()
	values := map[string]float64{}
	for _, f := range r.Figures {
		values[f.Name] = f.Value
	}
	for _, sec := range zhengxie.ReportSections {
		src := draftText(sec.Key, values)
		if sec.Optional {
			fn := extra[sec.Key]
			if fn == nil {
				continue
			}
			text, more, err := fn(ctx, s, committeeID, year)
			if err != nil {
				return nil, err
			}
			if strings.TrimSpace(text) == "" {
				continue
			}
			src = text
			for _, f := range more {
				r.Figures = append(r.Figures, f)
				figs[f.Name] = f.Text
			}
		}
		ch := ReportChapter{Key: sec.Key, Title: sec.Title, Source: src, Draft: src}
		if r.Edited != nil {
			if t, ok := r.Edited.Sections[sec.Key]; ok {
				ch.Source, ch.Edited = t, true
			}
		}
		if ch.Text, err = zhengxie.FillFigures(ch.Source, figs); err != nil {
			// A figure a module no longer offers: show the name rather than fail the page.
			ch.Text = ch.Source
		}
		r.Chapters = append(r.Chapters, ch)
	}
	return r, nil
}

// SaveAnnualReport keeps the office's text of the chapters; figure names
// must be ones the report knows. A chapter left as the draft is not kept,
// so that it follows later improvements of the draft.
func (s *Service) SaveAnnualReport(ctx context.Context, a zhengxie.Actor, committeeID int64, year int, chapters map[string]string) (*AnnualReport, error) {
	if !CanEditReport(a, committeeID) {
		if a.IsAnonymous() {
			return nil, zhengxie.Errorf(zhengxie.EUnauthorized, "请先登录")
		}
		return nil, zhengxie.Errorf(zhengxie.EForbidden, "只有提案委员会可以修改年度提案工作报告")
	}
	r, err := s.AnnualReport(ctx, a, committeeID, year)
	if err != nil {
		return nil, err
	}
	known := map[string]bool{}
	for _, ch := range r.Chapters {
		known[ch.Key] = true
	}
	figs := r.FigureMap()
	keep := map[string]string{}
	for key, text := range chapters {
		if !known[key] {
			return nil, zhengxie.FieldError("chapters", "报告没有“%s”这一章", key)
		}
		text = strings.TrimSpace(strings.ReplaceAll(text, "\r\n", "\n"))
		if n := len([]rune(text)); n > 20000 {
			return nil, zhengxie.FieldError(key, "每章不能超过20000字（现为%d字）", n)
		}
		if _, err := zhengxie.FillFigures(text, figs); err != nil {
			return nil, zhengxie.FieldError(key, "%s", zhengxie.ErrorMessage(err))
		}
		if text == r.Draft(key) {
			continue
		}
		keep[key] = text
	}
	if r.Edited != nil {
		for k, v := range r.Edited.Sections {
			if _, ok := chapters[k]; !ok {
				keep[k] = v
			}
		}
	}
	err = s.Store.InTx(ctx, func(tx *store.Tx) error {
		if len(keep) == 0 {
			return tx.DeleteReportText(committeeID, year)
		}
		return tx.SaveReportText(&store.ReportText{CommitteeID: committeeID, Year: year, Sections: keep, UpdatedBy: a.UserID, UpdatedByName: a.Name})
	})
	if err != nil {
		return nil, err
	}
	return s.AnnualReport(ctx, a, committeeID, year)
}

// reportFigures computes every figure the draft cites, from the year's
// proposals (AnnualStats for the totals and units, the statistics queries
// for the rest, with the same definitions).
func (s *Service) reportFigures(ctx context.Context, committeeID int64, year int, today zhengxie.Date) ([]ReportFigure, error) {
	an, err := s.Store.AnnualStats(ctx, committeeID, year)
	if err != nil {
		return nil, err
	}
	prev, err := s.Store.AnnualStats(ctx, committeeID, year-1)
	if err != nil {
		return nil, err
	}
	sc := zhengxie.StatsScope{CommitteeID: committeeID, Year: year}
	kinds, err := s.Store.ProposalCounts(ctx, sc, "kind")
	if err != nil {
		return nil, err
	}
	states, err := s.Store.ProposalCounts(ctx, sc, "state")
	if err != nil {
		return nil, err
	}
	all, err := s.Store.TaskStats(ctx, sc, "all", today.String())
	if err != nil {
		return nil, err
	}
	var t store.TaskStat
	if len(all) > 0 {
		t = all[0]
	}
	keys, nKeys, err := s.Store.KeyProposalStats(ctx, sc, 5)
	if err != nil {
		return nil, err
	}
	published, err := s.Store.ProposalCounts(ctx, zhengxie.StatsScope{CommitteeID: committeeID, Year: year, Public: true}, "key")
	if err != nil {
		return nil, err
	}
	by := func(cs []store.StatCount, keys ...string) int {
		n := 0
		for _, c := range cs {
			for _, k := range keys {
				if c.Key == k {
					n += c.Received
				}
			}
		}
		return n
	}
	var out []ReportFigure
	num := func(name string, v int) {
		out = append(out, ReportFigure{Name: name, Text: strconv.Itoa(v), Value: float64(v), Kind: "count"})
	}
	pct := func(name string, v float64) {
		out = append(out, ReportFigure{Name: name, Text: zhengxie.FormatRate(v), Value: v, Kind: "rate"})
	}
	text := func(name, v string) { out = append(out, ReportFigure{Name: name, Text: v, Kind: "text"}) }

	text("年度", strconv.Itoa(year))
	text("统计截止日", today.Chinese())
	num("收到提案", an.Received)
	num("上年收到提案", prev.Received)
	text("收到提案比上年", zhengxie.CountChangeText(an.Received, prev.Received))
	num("立案", an.Accepted)
	pct("立案率", zhengxie.Rate(an.Accepted, an.Received))
	num("个人提案", by(kinds, zhengxie.KindIndividual))
	num("联名提案", by(kinds, zhengxie.KindJoint))
	num("集体提案", by(kinds, zhengxie.KindBody))
	num("不予立案", by(states, string(zhengxie.StateRejected)))
	num("并案", by(states, string(zhengxie.StateMerged)))
	num("转意见建议", by(states, string(zhengxie.StateConverted)))
	num("已办结", by(states, string(zhengxie.StateConcluded), string(zhengxie.StateArchived)))
	pubN := 0
	for _, c := range published {
		pubN += c.Received
	}
	num("已公开", pubN)
	cats := append([]store.CategoryStats(nil), an.ByCategory...)
	sort.SliceStable(cats, func(i, j int) bool { return cats[i].Received > cats[j].Received })
	var top []string
	for _, c := range cats {
		if len(top) == 3 {
			break
		}
		name := c.Category
		if name == "" {
			name = "未分类"
		}
		top = append(top, fmt.Sprintf("%s（%d件）", name, c.Received))
	}
	if len(top) == 0 {
		top = []string{"（暂无提案）"}
	}
	text("主要类别", strings.Join(top, "、"))

	units := 0
	var rates []zhengxie.UnitRate
	for _, u := range an.ByUnit {
		if u.Lead+u.Co > 0 {
			units++
		}
		rates = append(rates, zhengxie.UnitRate{Unit: u.Unit, Replied: u.Replied, OnTime: u.OnTime})
	}
	num("承办单位数", units)
	num("主办任务", t.Lead)
	num("会办任务", t.Co)
	num("答复前沟通", t.Contacted)
	num("已答复", an.Replied)
	num("按时答复", an.OnTime)
	pct("按时答复率", an.OnTimeRate())
	num("逾期未答复", t.Overdue)
	ranked := zhengxie.RankUnits(rates, 1)
	best, worst := "（暂无答复）", "（暂无答复）"
	if len(ranked) > 0 {
		b := ranked[0]
		best = fmt.Sprintf("%s（%s）", b.Unit, zhengxie.FormatRate(zhengxie.Rate(b.OnTime, b.Replied)))
	}
	if len(ranked) > 1 {
		w := ranked[len(ranked)-1]
		worst = fmt.Sprintf("%s（%s）", w.Unit, zhengxie.FormatRate(zhengxie.Rate(w.OnTime, w.Replied)))
	} else if len(ranked) == 1 {
		worst = "（仅一个单位有答复）"
	}
	text("按时答复率最高的单位", best)
	text("按时答复率最低的单位", worst)

	num("重点提案数", nKeys)
	var titles []string
	for _, k := range keys {
		titles = append(titles, "《"+k.Title+"》")
	}
	if len(titles) == 0 {
		titles = []string{"（本年度尚未确定重点提案）"}
	}
	text("重点提案", strings.Join(titles, "、"))

	withResult := t.ResultA + t.ResultB + t.ResultC
	num("A类答复", t.ResultA)
	num("B类答复", t.ResultB)
	num("C类答复", t.ResultC)
	pct("A类占比", zhengxie.Rate(t.ResultA, withResult))
	pct("B类占比", zhengxie.Rate(t.ResultB, withResult))
	pct("C类占比", zhengxie.Rate(t.ResultC, withResult))
	num("已测评", an.Satisfied+an.Basically+an.Unsatisfied)
	num("满意", an.Satisfied)
	num("基本满意", an.Basically)
	num("不满意", an.Unsatisfied)
	pct("满意率", an.SatisfactionRate())
	num("重新办理", t.Rehandled)
	return out, nil
}

// WriteDOCX writes the report as a Word document: the title, the date, and
// each chapter under its numbered heading, on A4.
func (r *AnnualReport) WriteDOCX(w io.Writer) error {
	d := &docx.Document{Title: r.Title, Author: r.Committee.Name, Created: r.Today.In(zhengxie.ChinaTime())}
	d.AddTitle(r.Title)
	d.AddSubtitle("（" + r.Today.Chinese() + "，草稿）")
	for i, ch := range r.Chapters {
		d.AddHeading(zhengxie.ChineseOrdinal(i+1) + "、" + ch.Title)
		d.AddParagraph(ch.Text)
	}
	_, err := d.WriteTo(w)
	return err
}
