package app

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"zhengxie"
	"zhengxie/search"
	"zhengxie/store"
)

// Opinion reports (社情民意信息): filed by members (for themselves, or for
// a sector or station they belong to), edited by the office with every
// version kept, merged, rejected with a reason or compiled into a numbered
// issue of 《社情民意》; then adoption by a level, leaders' instructions and
// the departments' feedback are recorded. The events "report.filed",
// "report.adopted" (with the level) and "report.instructed" name the
// credited members: the duty module turns them into points.

func reportLink(id int64) string { return fmt.Sprintf("/reports/%d", id) }

// reportParties returns the actor's parties for a report.
func reportParties(a zhengxie.Actor, r *zhengxie.Report) []zhengxie.Party {
	if a.CommitteeID != r.CommitteeID {
		return nil
	}
	var ps []zhengxie.Party
	switch a.Role {
	case zhengxie.RoleOffice:
		ps = append(ps, zhengxie.PartyOffice)
	case zhengxie.RoleLeader:
		ps = append(ps, zhengxie.PartyLeader)
	}
	if r.ReporterID == a.UserID && a.UserID != 0 {
		ps = append(ps, zhengxie.PartyReporter)
	}
	return ps
}

func canSeeReport(a zhengxie.Actor, r *zhengxie.Report) bool {
	if a.IsAnonymous() || a.CommitteeID != r.CommitteeID {
		return false
	}
	return zhengxie.SeesAll(a.Role) || r.Credits(a.UserID)
}

// ReportInput is what a member files.
type ReportInput struct {
	Title, Body, Sources string
	OnBehalf             string
	MatterID             int64
}

// FileReport files a report for the actor (a member, or a station's staff
// for the station).
// MayFileReport refuses those who may not file opinion reports: members
// and stations may; the form is shown to no one else.
func MayFileReport(a zhengxie.Actor) error {
	return requireRole(a, "报送社情民意信息", zhengxie.RoleMember, zhengxie.RoleStation)
}

func (s *Service) FileReport(ctx context.Context, a zhengxie.Actor, in ReportInput) (*zhengxie.Report, error) {
	if err := MayFileReport(a); err != nil {
		return nil, err
	}
	var r *zhengxie.Report
	err := s.Store.InTx(ctx, func(tx *store.Tx) error {
		var err error
		r, err = s.fileReport(tx, a, in)
		return err
	})
	return r, err
}

func (s *Service) fileReport(tx *store.Tx, a zhengxie.Actor, in ReportInput) (*zhengxie.Report, error) {
	in.Title, in.Body, in.Sources, in.OnBehalf = strings.TrimSpace(in.Title), strings.TrimSpace(strings.ReplaceAll(in.Body, "\r\n", "\n")),
		strings.TrimSpace(in.Sources), strings.TrimSpace(in.OnBehalf)
	if err := zhengxie.CheckReport(in.Title, in.Body, in.Sources); err != nil {
		return nil, err
	}
	if in.OnBehalf != "" {
		p, err := tx.Profile(a.CommitteeID, a.UserID)
		if err != nil {
			return nil, err
		}
		ok := false
		for _, m := range p.Memberships {
			ok = ok || m.OrgName == in.OnBehalf
		}
		if se, err := tx.Sector(a.CommitteeID, p.User.SectorID); err == nil && se.Name == in.OnBehalf {
			ok = true
		}
		if !ok {
			return nil, zhengxie.FieldError("on_behalf", "只能以您所在的界别、专门委员会或联络站的名义报送")
		}
	}
	r := &zhengxie.Report{CommitteeID: a.CommitteeID, Title: in.Title, Body: in.Body, Sources: in.Sources, ReporterID: a.UserID,
		OnBehalf: in.OnBehalf, MatterID: in.MatterID, State: zhengxie.ReportSubmitted}
	if a.Role == zhengxie.RoleMember {
		r.MemberIDs = []int64{a.UserID}
	}
	if err := tx.CreateReport(r, a.Name); err != nil {
		return nil, err
	}
	r.ReporterName = a.Name
	if err := s.contactNotifyOffice(tx, a.CommitteeID, "新报送的社情民意信息："+r.Title, a.Name+"报送。", reportLink(r.ID)); err != nil {
		return nil, err
	}
	// Only a member's filing is a duty item: the duty module credits the
	// actor of a "report.filed" without member_ids, which a station is not.
	action := zhengxie.EventReportFiled
	if a.Role != zhengxie.RoleMember {
		action = "report.submitted"
	}
	return r, s.subjectEvent(tx, a, "report", r.ID, action, "", string(r.State), r.Title,
		map[string]any{"member_ids": r.MemberIDs, "title": r.Title, "matter_id": r.MatterID})
}

// ReportView is a report with what happened to it, for whoever may see it.
type ReportView struct {
	R        *zhengxie.Report
	Versions []zhengxie.ReportVersion
	Records  []zhengxie.ReportRecord
	Events   []zhengxie.Event
	Allowed  []zhengxie.ReportAction
	Issue    *zhengxie.Issue
	Matter   *SourceMatter // the matter it was made from, for those who may see it
}

// Report returns one report: to the office, leaders and admins any of the
// committee's, to a member those they are credited with.
func (s *Service) Report(ctx context.Context, a zhengxie.Actor, id int64) (*ReportView, error) {
	if a.IsAnonymous() {
		return nil, zhengxie.Errorf(zhengxie.EUnauthorized, "请先登录")
	}
	r, err := s.Store.Report(ctx, a.CommitteeID, id)
	if err != nil {
		return nil, err
	}
	if !canSeeReport(a, r) {
		return nil, zhengxie.NotFound("社情民意信息")
	}
	v := &ReportView{R: r, Allowed: zhengxie.ReportTable.Allowed(r.State, reportParties(a, r)...)}
	if v.Versions, err = s.Store.ReportVersions(ctx, a.CommitteeID, id); err != nil {
		return nil, err
	}
	if v.Records, err = s.Store.ReportRecords(ctx, a.CommitteeID, id); err != nil {
		return nil, err
	}
	if v.Events, err = s.Store.SubjectEvents(ctx, a.CommitteeID, "report", id); err != nil {
		return nil, err
	}
	if r.IssueID != 0 {
		if v.Issue, err = s.Store.Issue(ctx, a.CommitteeID, r.IssueID); err != nil {
			return nil, err
		}
	}
	if v.Matter, err = s.MatterOfReport(ctx, a, r); err != nil {
		return nil, err
	}
	return v, nil
}

// Reports lists the reports the actor may see.
func (s *Service) Reports(ctx context.Context, a zhengxie.Actor, state zhengxie.ReportState) ([]zhengxie.Report, error) {
	if a.IsAnonymous() {
		return nil, zhengxie.Errorf(zhengxie.EUnauthorized, "请先登录")
	}
	rs, err := s.Store.Reports(ctx, store.ReportFilter{CommitteeID: a.CommitteeID, State: state})
	if err != nil {
		return nil, err
	}
	if zhengxie.SeesAll(a.Role) {
		return rs, nil
	}
	out := rs[:0]
	for _, r := range rs {
		if r.Credits(a.UserID) {
			out = append(out, r)
		}
	}
	return out, nil
}

// ReportActInput is what an action on a report may carry.
type ReportActInput struct {
	Title, Body string // edit
	Note        string // edit: what was changed; reject: the reason
	Into        int64  // merge: the report that absorbs this one
	Record      zhengxie.ReportRecord
}

// ReportAct runs an action on a report.
func (s *Service) ReportAct(ctx context.Context, a zhengxie.Actor, id int64, action zhengxie.ReportAction, in ReportActInput) (*zhengxie.Report, error) {
	if a.IsAnonymous() {
		return nil, zhengxie.Errorf(zhengxie.EUnauthorized, "请先登录")
	}
	if action == zhengxie.ReportActCompile {
		return nil, zhengxie.Errorf(zhengxie.EIllegal, "编入期刊请在“《社情民意》期刊”中选择本篇后编发")
	}
	if err := zhengxie.CheckText("note", "说明", in.Note, 1000); err != nil {
		return nil, err
	}
	var out *zhengxie.Report
	err := s.Store.InTx(ctx, func(tx *store.Tx) error {
		r, err := tx.LockReport(a.CommitteeID, id)
		if err != nil {
			return err
		}
		if !canSeeReport(a, r) {
			return zhengxie.NotFound("社情民意信息")
		}
		from := r.State
		if r.State, err = zhengxie.ReportTable.Next(r.State, action, reportParties(a, r)...); err != nil {
			return err
		}
		ev := "report." + string(action)
		payload := map[string]any{}
		comment := in.Note
		switch action {
		case zhengxie.ReportActEdit:
			title, body := strings.TrimSpace(in.Title), strings.TrimSpace(strings.ReplaceAll(in.Body, "\r\n", "\n"))
			if err := zhengxie.CheckReport(title, body, r.Sources); err != nil {
				return err
			}
			if title == r.Title && body == r.Body {
				return zhengxie.FieldError("body", "内容没有改动")
			}
			r.Title, r.Body = title, body
			r.Version++
			if err := tx.AddReportVersion(&zhengxie.ReportVersion{ReportID: r.ID, N: r.Version, Title: title, Body: body, Editor: a.Name, Note: in.Note}, r.CommitteeID); err != nil {
				return err
			}
			payload["version"] = r.Version
		case zhengxie.ReportActReject:
			if strings.TrimSpace(in.Note) == "" {
				return zhengxie.FieldError("note", "请填写不予采用的理由，将告知报送委员")
			}
			r.Reason = strings.TrimSpace(in.Note)
			if err := s.contactNotify(tx, r.CommitteeID, r.ReporterID, "社情民意信息未采用："+r.Title, "理由："+r.Reason, reportLink(r.ID)); err != nil {
				return err
			}
		case zhengxie.ReportActMerge:
			if in.Into == r.ID || in.Into == 0 {
				return zhengxie.FieldError("into", "请选择合并到的另一篇社情民意信息")
			}
			into, err := tx.LockReport(a.CommitteeID, in.Into)
			if err != nil {
				return zhengxie.FieldError("into", "合并目标不存在")
			}
			if into.State != zhengxie.ReportSubmitted {
				return zhengxie.FieldError("into", "只能合并到尚未编发的社情民意信息")
			}
			for _, m := range append([]int64{}, r.MemberIDs...) {
				if !slices.Contains(into.MemberIDs, m) {
					into.MemberIDs = append(into.MemberIDs, m)
				}
			}
			if err := tx.UpdateReport(into); err != nil {
				return err
			}
			r.MergedInto = into.ID
			payload["into"] = into.ID
			if err := s.subjectEvent(tx, a, "report", into.ID, "report.absorbed", string(into.State), string(into.State), r.Title,
				map[string]any{"from": r.ID, "member_ids": into.MemberIDs}); err != nil {
				return err
			}
			if err := s.contactNotify(tx, r.CommitteeID, r.ReporterID, "社情民意信息已合并："+r.Title, "已与“"+into.Title+"”合并编辑，您仍为报送人之一。", reportLink(into.ID)); err != nil {
				return err
			}
		case zhengxie.ReportActAdopt, zhengxie.ReportActInstruct, zhengxie.ReportActFeedback:
			rec := in.Record
			rec.CommitteeID, rec.ReportID, rec.By = r.CommitteeID, r.ID, a.Name
			rec.Kind = map[zhengxie.ReportAction]string{zhengxie.ReportActAdopt: zhengxie.RecordAdoption,
				zhengxie.ReportActInstruct: zhengxie.RecordInstruction, zhengxie.ReportActFeedback: zhengxie.RecordFeedback}[action]
			if rec.On.IsZero() {
				rec.On = zhengxie.DateOf(s.now(), s.loc(tx, r.CommitteeID))
			}
			if action == zhengxie.ReportActInstruct && a.Role == zhengxie.RoleLeader && rec.Person == "" {
				rec.Person = a.Name
			}
			if err := zhengxie.CheckReportRecord(&rec); err != nil {
				return err
			}
			if err := tx.AddReportRecord(&rec); err != nil {
				return err
			}
			payload = map[string]any{"member_ids": r.MemberIDs, "title": r.Title, "record_id": rec.ID}
			var what string
			switch action {
			case zhengxie.ReportActAdopt:
				ev = zhengxie.EventReportAdopted
				payload["level"], payload["place"] = rec.Level, rec.Place
				comment = zhengxie.LevelName(rec.Level) + "采用：" + rec.Place
				what = "被" + rec.Place + "采用（" + zhengxie.LevelName(rec.Level) + "）"
				if err := s.emit(tx, r.CommitteeID, "report.adopted", reportEvent{ReportID: r.ID, Title: r.Title, Level: rec.Level, Place: rec.Place, On: rec.On.String()}); err != nil {
					return err
				}
			case zhengxie.ReportActInstruct:
				ev = zhengxie.EventReportInstructed
				payload["person"] = rec.Person
				comment = rec.Person + "批示：" + rec.Text
				what = "获" + rec.Person + "批示"
			default:
				comment = rec.Place + "反馈：" + rec.Text
				what = "收到" + rec.Place + "的办理反馈"
			}
			for _, uid := range r.MemberIDs {
				if err := s.contactNotify(tx, r.CommitteeID, uid, "您的社情民意信息"+what, r.Title, reportLink(r.ID)); err != nil {
					return err
				}
			}
		case zhengxie.ReportActWithdraw:
		default:
			return zhengxie.Errorf(zhengxie.EIllegal, "不支持此操作")
		}
		if err := tx.UpdateReport(r); err != nil {
			return err
		}
		out = r
		return s.subjectEvent(tx, a, "report", r.ID, ev, string(from), string(r.State), comment, payload)
	})
	return out, err
}

// reportEvent is the data of the report.adopted webhook.
type reportEvent struct {
	ReportID int64  `json:"report_id"`
	Title    string `json:"title"`
	Level    string `json:"level"`
	Place    string `json:"place"`
	On       string `json:"on"`
}

// CompileIssue numbers a new issue of 《社情民意》 from submitted reports.
func (s *Service) CompileIssue(ctx context.Context, a zhengxie.Actor, i *zhengxie.Issue) error {
	if err := requireRole(a, "编发《社情民意》", zhengxie.RoleOffice); err != nil {
		return err
	}
	i.ReportIDs = slices.Compact(i.ReportIDs)
	if err := zhengxie.CheckIssue(i); err != nil {
		return err
	}
	i.CommitteeID, i.CreatedBy = a.CommitteeID, a.Name
	return s.Store.InTx(ctx, func(tx *store.Tx) error {
		i.Year = zhengxie.DateOf(s.now(), s.loc(tx, a.CommitteeID)).Year
		var rs []*zhengxie.Report
		for _, id := range i.ReportIDs {
			r, err := tx.LockReport(a.CommitteeID, id)
			if err != nil {
				return zhengxie.FieldError("report_ids", "所选的社情民意信息不存在")
			}
			if _, err := zhengxie.ReportTable.Next(r.State, zhengxie.ReportActCompile, zhengxie.PartyOffice); err != nil {
				return zhengxie.FieldError("report_ids", "“%s”当前状态为“%s”，不能编入期刊", r.Title, r.State.Name())
			}
			rs = append(rs, r)
		}
		if err := tx.CreateIssue(i); err != nil {
			return err
		}
		if i.Title == "" {
			i.Title = rs[0].Title
		}
		for _, r := range rs {
			from := r.State
			r.State, r.IssueID = zhengxie.ReportCompiled, i.ID
			if err := tx.UpdateReport(r); err != nil {
				return err
			}
			if err := s.subjectEvent(tx, a, "report", r.ID, "report.compiled", string(from), string(r.State), i.Label(),
				map[string]any{"issue_id": i.ID, "member_ids": r.MemberIDs}); err != nil {
				return err
			}
			for _, uid := range r.MemberIDs {
				if err := s.contactNotify(tx, a.CommitteeID, uid, "您的社情民意信息已编入《社情民意》"+i.Label(), r.Title, reportLink(r.ID)); err != nil {
					return err
				}
			}
		}
		return s.subjectEvent(tx, a, "issue", i.ID, "issue.compiled", "", "compiled", i.Label(), map[string]any{"report_ids": i.ReportIDs, "recipients": i.Recipients})
	})
}

// SendIssue records that an issue went to its recipients.
func (s *Service) SendIssue(ctx context.Context, a zhengxie.Actor, id int64) (*zhengxie.Issue, error) {
	if err := requireRole(a, "报送《社情民意》", zhengxie.RoleOffice); err != nil {
		return nil, err
	}
	i, err := s.Store.Issue(ctx, a.CommitteeID, id)
	if err != nil {
		return nil, err
	}
	if !i.SentAt.IsZero() {
		return nil, zhengxie.Errorf(zhengxie.EIllegal, "%s已于%s报送", i.Label(), i.SentAt.In(zhengxie.ChinaTime()).Format("2006-01-02"))
	}
	err = s.Store.InTx(ctx, func(tx *store.Tx) error {
		if err := tx.MarkIssueSent(a.CommitteeID, id); err != nil {
			return err
		}
		return s.subjectEvent(tx, a, "issue", id, "issue.sent", "compiled", "sent", strings.Join(i.Recipients, "、"), nil)
	})
	if err != nil {
		return nil, err
	}
	return s.Store.Issue(ctx, a.CommitteeID, id)
}

// IssueView is an issue with its reports, for the printable page.
type IssueView struct {
	I       *zhengxie.Issue
	Reports []zhengxie.Report
}

// Issue returns an issue with its reports in order: to the office, leaders
// and admins; to a member whose report is in it.
func (s *Service) Issue(ctx context.Context, a zhengxie.Actor, id int64) (*IssueView, error) {
	if a.IsAnonymous() {
		return nil, zhengxie.Errorf(zhengxie.EUnauthorized, "请先登录")
	}
	i, err := s.Store.Issue(ctx, a.CommitteeID, id)
	if err != nil {
		return nil, err
	}
	rs, err := s.Store.Reports(ctx, store.ReportFilter{CommitteeID: a.CommitteeID, IssueID: id})
	if err != nil {
		return nil, err
	}
	byID := map[int64]zhengxie.Report{}
	mine := false
	for _, r := range rs {
		byID[r.ID] = r
		mine = mine || r.Credits(a.UserID)
	}
	if !zhengxie.SeesAll(a.Role) && !mine {
		return nil, zhengxie.NotFound("期刊")
	}
	v := &IssueView{I: i}
	for _, id := range i.ReportIDs {
		if r, ok := byID[id]; ok {
			v.Reports = append(v.Reports, r)
		}
	}
	return v, nil
}

// SimilarReport is a report like another, for merging.
type SimilarReport struct {
	R     zhengxie.Report
	Score float64
}

// Percent is the similarity in whole percent.
func (x SimilarReport) Percent() int { return percent(x.Score) }

// SimilarReports finds submitted reports similar to one (TF-IDF cosine over
// the committee's reports of this and last year), for the office.
func (s *Service) SimilarReports(ctx context.Context, a zhengxie.Actor, id int64) ([]SimilarReport, error) {
	if err := requireRole(a, "查看相似的社情民意信息", zhengxie.RoleOffice, zhengxie.RoleLeader); err != nil {
		return nil, err
	}
	rs, err := s.Store.Reports(ctx, store.ReportFilter{CommitteeID: a.CommitteeID, From: s.now().AddDate(-1, 0, 0).UnixMilli()})
	if err != nil {
		return nil, err
	}
	idx := search.NewIndex(0)
	byID := map[int64]zhengxie.Report{}
	var docs []search.Doc
	for _, r := range rs {
		if r.State == zhengxie.ReportMerged || r.State == zhengxie.ReportWithdrawn {
			continue
		}
		byID[r.ID] = r
		docs = append(docs, search.Doc{ID: r.ID, Tokens: append(search.Tokens(r.Title), search.Tokens(r.Body)...)})
	}
	idx.AddBatch(docs)
	if _, ok := byID[id]; !ok {
		return nil, zhengxie.NotFound("社情民意信息")
	}
	var out []SimilarReport
	for _, m := range idx.SimilarTo(id, 5, func(other int64) bool { return byID[other].State == zhengxie.ReportSubmitted }) {
		if m.Score >= 0.2 {
			out = append(out, SimilarReport{R: byID[m.ID], Score: m.Score})
		}
	}
	return out, nil
}

// convertMatter turns a matter into an opinion report or a proposal draft
// of the member on duty, keeping the link both ways: the matter names the
// report or proposal, the report names the matter, and the proposal's
// events name the matter.
func (s *Service) convertMatter(ctx context.Context, a zhengxie.Actor, id int64, action zhengxie.MatterAction) (*zhengxie.Matter, error) {
	m, err := s.Store.Matter(ctx, a.CommitteeID, id)
	if err != nil {
		return nil, err
	}
	var rel zhengxie.MatterRelation
	if err := s.Store.InTx(ctx, func(tx *store.Tx) error {
		rel, err = s.matterRelation(tx, a, m)
		return err
	}); err != nil {
		return nil, err
	}
	if !zhengxie.CanSeeMatter(a, m, rel) {
		return nil, zhengxie.NotFound("群众诉求")
	}
	if _, err := zhengxie.MatterTable.Next(m.State, action, zhengxie.MatterParties(a, m, rel)...); err != nil {
		return nil, err
	}
	text := zhengxie.Redact(m.Body)
	var proposalID int64
	if action == zhengxie.MatterActToDraft {
		d := zhengxie.Draft{Title: short("关于"+strings.TrimSuffix(m.Title, "。")+"的建议", 48), Category: "",
			Body: "调研情况：群众在接访中反映：" + text + "\n问题分析：\n具体建议："}
		p, err := s.CreateDraft(ctx, a, d)
		if err != nil {
			return nil, err
		}
		proposalID = p.ID
	}
	var out *zhengxie.Matter
	err = s.Store.InTx(ctx, func(tx *store.Tx) error {
		m, err := tx.LockMatter(a.CommitteeID, id)
		if err != nil {
			return err
		}
		from := m.State
		if m.State, err = zhengxie.MatterTable.Next(m.State, action, zhengxie.MatterParties(a, m, rel)...); err != nil {
			return err
		}
		payload := map[string]any{}
		if action == zhengxie.MatterActToReport {
			body := "群众在" + m.StationName + "接访中反映：" + text
			if len([]rune(body)) < 60 {
				body += "。建议有关部门深入调查，研究解决。"
			}
			if len([]rune(body)) > zhengxie.MaxReportChars {
				body = string([]rune(body)[:zhengxie.MaxReportChars])
			}
			r, err := s.fileReport(tx, a, ReportInput{Title: short("关于"+m.Title+"的情况反映", 58), Body: body, Sources: m.StationName + "接访", MatterID: m.ID})
			if err != nil {
				return err
			}
			m.ReportID = r.ID
			payload["report_id"] = r.ID
		} else {
			m.ProposalID = proposalID
			payload["proposal_id"] = proposalID
			if err := s.event(tx, a, a.CommitteeID, proposalID, 0, "from_matter", "", "", m.Title, map[string]any{"matter_id": m.ID}); err != nil {
				return err
			}
		}
		if err := tx.UpdateMatter(m); err != nil {
			return err
		}
		out = m
		return s.subjectEvent(tx, a, "matter", m.ID, "matter."+string(action), string(from), string(m.State), "", payload)
	})
	return out, err
}
