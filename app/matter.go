package app

import (
	"context"
	"fmt"
	"strings"
	"time"

	"zhengxie"
	"zhengxie/store"
)

// Citizens' matters (接访事项 / 群众留言) from logging to settlement. A
// matter is logged by the member on duty (or the station's staff) at a
// reception, or left in the public message box (matter_public.go); the
// station answers it or forwards it to a unit, which signs for it and
// answers by a deadline (matter_scan.go reminds and escalates); the answer
// goes to the citizen by SMS and on the tracking page, and the citizen says
// whether it is settled. Every step is an event about the subject
// ("matter", id) in the committee's chain; the events carry the title, never
// the citizen's name or phone.

func init() {
	WebhookEvents = append(WebhookEvents,
		struct{ Code, Name string }{"matter.created", "群众诉求登记"},
		struct{ Code, Name string }{"matter.answered", "群众诉求答复"},
		struct{ Code, Name string }{"report.adopted", "社情民意信息采用"},
	)
}

func matterLink(id int64) string { return fmt.Sprintf("/matters/%d", id) }

// matterRelation is what the actor is to the matter.
func (s *Service) matterRelation(tx *store.Tx, a zhengxie.Actor, m *zhengxie.Matter) (zhengxie.MatterRelation, error) {
	var rel zhengxie.MatterRelation
	if a.IsAnonymous() || a.CommitteeID != m.CommitteeID {
		return rel, nil
	}
	// The office acts on every station's matters (PartyOffice) but is the
	// staff, who sees the person, only of the committee's own box.
	if m.StationID != 0 && a.Role != zhengxie.RoleOffice {
		staff, err := s.managesTx(tx, a, m.StationID)
		if err != nil {
			return rel, err
		}
		rel.Staff = staff
	} else if m.StationID == 0 && a.Role == zhengxie.RoleOffice {
		rel.Staff = true // the committee's own box is the office's
	}
	rel.DutyMember = a.Role == zhengxie.RoleMember && m.MemberID == a.UserID
	return rel, nil
}

// MatterView is a matter as one actor may see it.
type MatterView struct {
	M           *zhengxie.Matter
	SeesCitizen bool
	Allowed     []zhengxie.MatterAction
	Events      []zhengxie.Event
	Files       []store.MatterFile
}

// hidePerson removes what identifies the citizen.
func hidePerson(m *zhengxie.Matter) {
	m.CitizenName, m.CitizenPhone = "", ""
}

// Matter returns one matter for the actor, the citizen's details only to
// those who may see them.
func (s *Service) Matter(ctx context.Context, a zhengxie.Actor, id int64) (*MatterView, error) {
	if a.IsAnonymous() {
		return nil, zhengxie.Errorf(zhengxie.EUnauthorized, "请先登录")
	}
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
	v := &MatterView{M: m, SeesCitizen: zhengxie.SeesCitizen(a, m, rel)}
	if !v.SeesCitizen {
		hidePerson(m)
	}
	for _, act := range zhengxie.MatterTable.Allowed(m.State, zhengxie.MatterParties(a, m, rel)...) {
		if act == zhengxie.MatterActPublish && m.Published || act == zhengxie.MatterActUnpublish && !m.Published {
			continue
		}
		v.Allowed = append(v.Allowed, act)
	}
	if v.Events, err = s.Store.SubjectEvents(ctx, a.CommitteeID, "matter", id); err != nil {
		return nil, err
	}
	if v.Files, err = s.Store.MatterFiles(ctx, a.CommitteeID, id); err != nil {
		return nil, err
	}
	return v, nil
}

// SourceMatter is the citizen's matter a proposal draft or an opinion
// report was made from, as the link back to it: its title and page, never
// the person.
type SourceMatter struct {
	ID    int64
	Title string
	Link  string
}

// sourceMatter answers the link back to m for a, or nil when a may not see
// the matter (the proposal's or report's readers are not all the matter's).
func (s *Service) sourceMatter(ctx context.Context, a zhengxie.Actor, m *zhengxie.Matter) (*SourceMatter, error) {
	var rel zhengxie.MatterRelation
	err := s.Store.InTx(ctx, func(tx *store.Tx) error {
		var err error
		rel, err = s.matterRelation(tx, a, m)
		return err
	})
	if err != nil || !zhengxie.CanSeeMatter(a, m, rel) {
		return nil, err
	}
	return &SourceMatter{ID: m.ID, Title: m.Title, Link: matterLink(m.ID)}, nil
}

// MatterOfProposal is the matter a proposal draft was made from, for those
// who may see it; nil when there is none or a may not see it.
func (s *Service) MatterOfProposal(ctx context.Context, a zhengxie.Actor, p *zhengxie.Proposal) (*SourceMatter, error) {
	if a.IsAnonymous() || a.CommitteeID != p.CommitteeID {
		return nil, nil
	}
	ms, err := s.Store.Matters(ctx, store.MatterFilter{CommitteeID: p.CommitteeID, ProposalID: p.ID, Limit: 1})
	if err != nil || len(ms) == 0 {
		return nil, err
	}
	return s.sourceMatter(ctx, a, &ms[0])
}

// MatterOfReport is the matter an opinion report was made from (the report
// names it), for those who may see it.
func (s *Service) MatterOfReport(ctx context.Context, a zhengxie.Actor, r *zhengxie.Report) (*SourceMatter, error) {
	if r.MatterID == 0 || a.IsAnonymous() || a.CommitteeID != r.CommitteeID {
		return nil, nil
	}
	m, err := s.Store.Matter(ctx, r.CommitteeID, r.MatterID)
	if err != nil {
		return nil, nil // a matter gone is no link, not a broken report page
	}
	return s.sourceMatter(ctx, a, m)
}

// MatterQuery selects the matters of a list.
type MatterQuery struct {
	StationID int64
	State     zhengxie.MatterState
	Open      bool
	Overdue   bool // forwarded and past the deadline today
	// Forwarded keeps the open matters forwarded to a unit with a deadline:
	// the unit's tasks, as the supervision board counts them.
	Forwarded bool
	Bucket    string // a deadline bucket of the forwarded matters (BucketOverdue, BucketDays3 …)
	UnitID    int64  // the handling unit
	Limit     int
}

// Matters lists the matters the actor may see: the office, leaders and
// admins all of the committee's, station staff their stations', a unit
// those it handles, a member those they took. Citizens' details are kept
// only for those who may see them.
func (s *Service) Matters(ctx context.Context, a zhengxie.Actor, q MatterQuery) ([]zhengxie.Matter, error) {
	if a.IsAnonymous() {
		return nil, zhengxie.Errorf(zhengxie.EUnauthorized, "请先登录")
	}
	f := store.MatterFilter{CommitteeID: a.CommitteeID, State: q.State, Open: q.Open, Limit: q.Limit}
	if q.StationID != 0 {
		f.StationIDs = []int64{q.StationID}
	}
	var managed []int64
	switch {
	case zhengxie.SeesAll(a.Role):
	case a.Role == zhengxie.RoleUnit:
		if a.UnitID == 0 {
			return nil, nil
		}
		if q.UnitID != 0 && q.UnitID != a.UnitID {
			return nil, nil
		}
		f.UnitID = a.UnitID
	default:
		var err error
		if managed, err = s.ManagedStations(ctx, a); err != nil {
			return nil, err
		}
		if len(managed) == 0 {
			if a.Role != zhengxie.RoleMember {
				return nil, nil
			}
			f.MemberID = a.UserID
			break
		}
		if q.StationID != 0 {
			if !containsID(managed, q.StationID) {
				return nil, nil
			}
		} else {
			f.StationIDs = managed
		}
		f.OnlyStation = true
	}
	if q.UnitID != 0 && f.UnitID == 0 {
		f.UnitID = q.UnitID
	}
	if q.Overdue {
		q.Bucket = BucketOverdue
	}
	if q.Bucket != "" {
		q.Forwarded = true
	}
	if q.Forwarded {
		f.Open = true
	}
	ms, err := s.Store.Matters(ctx, f)
	if err != nil {
		return nil, err
	}
	if q.Forwarded {
		today := zhengxie.DateOf(s.now(), s.location(ctx, a.CommitteeID))
		kept := ms[:0]
		for _, m := range ms {
			if b := MatterBucket(&m, today); b != "" && (q.Bucket == "" || b == q.Bucket) {
				kept = append(kept, m)
			}
		}
		ms = kept
	}
	for i := range ms {
		m := &ms[i]
		rel := zhengxie.MatterRelation{Staff: containsID(managed, m.StationID) || (a.Role == zhengxie.RoleOffice && m.StationID == 0),
			DutyMember: a.Role == zhengxie.RoleMember && m.MemberID == a.UserID}
		if !zhengxie.SeesCitizen(a, m, rel) {
			hidePerson(m)
		}
	}
	return ms, nil
}

// MatterBucket is the deadline bucket of a matter waiting for its unit (to
// sign or to answer) as seen on today, the same as a proposal task's and by
// the same rule as the deadline scan; "" for a matter that waits for no unit.
func MatterBucket(m *zhengxie.Matter, today zhengxie.Date) string {
	due, err := zhengxie.ParseDate(m.Due)
	if err != nil || m.UnitID == 0 || (m.State != zhengxie.MatterForwarded && m.State != zhengxie.MatterHandling) {
		return ""
	}
	return BucketOf(due, today)
}

func containsID(ids []int64, id int64) bool {
	for _, x := range ids {
		if x == id && id != 0 {
			return true
		}
	}
	return false
}

// MatterInput is what a member or the staff logs, or a citizen leaves.
type MatterInput struct {
	Title, Body  string
	Category     string
	Urgency      string
	CitizenName  string
	CitizenPhone string
	Address      string
	StationID    int64 // the public box: the station or studio chosen (0: the committee)
	MemberID     int64 // at a reception, logged by staff: the member on duty who heard it
	Files        []Upload
}

func (in *MatterInput) normalize() error {
	in.Title, in.Body = strings.TrimSpace(in.Title), strings.TrimSpace(strings.ReplaceAll(in.Body, "\r\n", "\n"))
	in.CitizenName, in.CitizenPhone = strings.TrimSpace(in.CitizenName), strings.TrimSpace(in.CitizenPhone)
	in.Address, in.Category = strings.TrimSpace(in.Address), strings.TrimSpace(in.Category)
	if in.Urgency == "" {
		in.Urgency = zhengxie.UrgencyNormal
	}
	if in.Urgency != zhengxie.UrgencyNormal && in.Urgency != zhengxie.UrgencyUrgent {
		return zhengxie.FieldError("urgency", "紧急程度应为一般（normal）或紧急（urgent）")
	}
	if in.Category != "" && !validCategory(in.Category) {
		return zhengxie.FieldError("category", "未知的类别“%s”", in.Category)
	}
	if err := zhengxie.CheckMatterText(in.Title, in.Body); err != nil {
		return err
	}
	if err := zhengxie.CheckCitizen(in.CitizenName, in.CitizenPhone); err != nil {
		return err
	}
	if len(in.Files) > maxMatterPhotos {
		return zhengxie.FieldError("file", "最多上传%d张照片", maxMatterPhotos)
	}
	return zhengxie.CheckText("address", "地点", in.Address, 100)
}

func validCategory(c string) bool {
	for _, x := range zhengxie.MatterCategories {
		if x == c {
			return true
		}
	}
	return false
}

// newCode draws a tracking code not in use.
func (s *Service) newCode(ctx context.Context) (string, error) {
	for i := 0; i < 5; i++ {
		c := zhengxie.NewTrackingCode()
		if _, err := s.Store.MatterByCode(ctx, c); zhengxie.ErrorCode(err) == zhengxie.ENotFound {
			return c, nil
		} else if err != nil {
			return "", err
		}
	}
	return "", fmt.Errorf("no free tracking code")
}

// LogMatter records a citizen's matter raised at a reception day.
func (s *Service) LogMatter(ctx context.Context, a zhengxie.Actor, receptionID int64, in MatterInput) (*zhengxie.Matter, error) {
	if a.IsAnonymous() {
		return nil, zhengxie.Errorf(zhengxie.EUnauthorized, "请先登录")
	}
	if err := in.normalize(); err != nil {
		return nil, err
	}
	photos, err := s.storePhotos(in.Files)
	if err != nil {
		return nil, err
	}
	code, err := s.newCode(ctx)
	if err != nil {
		return nil, err
	}
	if in.Category == "" {
		// Left to the system: the suggestion when it is confident enough;
		// the staff can change it on the matter's page.
		if sg, err := s.SuggestMatterCategory(ctx, a.CommitteeID, in.Title, in.Body); err == nil && len(sg) > 0 && sg[0].Confidence >= 0.5 {
			in.Category = sg[0].Value
		}
	}
	var m *zhengxie.Matter
	err = s.Store.InTx(ctx, func(tx *store.Tx) error {
		r, err := tx.LockReception(a.CommitteeID, receptionID)
		if err != nil {
			return err
		}
		ps, err := s.receptionParties(tx, a, r)
		if err != nil {
			return err
		}
		if len(ps) == 0 {
			return zhengxie.NotFound("接访活动")
		}
		if _, err := zhengxie.ReceptionTable.Next(r.State, zhengxie.ActLogMatter, ps...); err != nil {
			return err
		}
		member := in.MemberID
		if a.Role == zhengxie.RoleMember && r.OnDuty(a.UserID) {
			member = a.UserID
		}
		if member == 0 && len(r.MemberIDs) > 0 {
			member = r.MemberIDs[0]
		}
		if !r.OnDuty(member) {
			return zhengxie.FieldError("member_id", "请选择接待该群众的值班委员")
		}
		m = &zhengxie.Matter{CommitteeID: a.CommitteeID, Code: code, Source: zhengxie.SourceReception, StationID: r.StationID,
			ReceptionID: r.ID, MemberID: member, Title: in.Title, Body: in.Body, Category: in.Category, Urgency: in.Urgency,
			CitizenName: in.CitizenName, CitizenPhone: in.CitizenPhone, Address: in.Address, State: zhengxie.MatterReceived}
		return s.afterCreate(tx, a, m, photos, r.StationName)
	})
	return m, err
}

// afterCreate inserts a new matter with its photos, its event, the
// notices to the station and the citizen's SMS with the tracking code.
func (s *Service) afterCreate(tx *store.Tx, a zhengxie.Actor, m *zhengxie.Matter, photos []*StoredFile, stationName string) error {
	if err := tx.CreateMatter(m); err != nil {
		return err
	}
	m.StationName = stationName
	for _, p := range photos {
		if err := tx.AddMatterFile(&store.MatterFile{CommitteeID: m.CommitteeID, MatterID: m.ID, Name: p.Name, MIME: p.MIME, Size: p.Size, SHA256: p.SHA256}); err != nil {
			return err
		}
	}
	m.Files = len(photos)
	if err := s.subjectEvent(tx, a, "matter", m.ID, "matter.created", "", string(m.State), m.Title,
		map[string]any{"source": m.Source, "station_id": m.StationID, "reception_id": m.ReceptionID, "category": m.Category, "photos": len(photos)}); err != nil {
		return err
	}
	title := "新的群众诉求：" + m.Title
	if err := s.notifyStation(tx, m, title, "请及时处理：直接答复或转交承办单位。"); err != nil {
		return err
	}
	if m.CitizenPhone != "" {
		where := stationName
		if where == "" {
			where = s.committeeName(tx, m.CommitteeID)
		}
		text := fmt.Sprintf("您反映的“%s”已由%s受理，查询码%s。凭查询码可在政协网站“诉求查询”查看办理进展和答复。", short(m.Title, 20), where, m.Code)
		if err := s.queueCitizenSMS(tx, m, text); err != nil {
			return err
		}
	}
	return s.emit(tx, m.CommitteeID, "matter.created", matterEventOf(m))
}

// notifyStation tells the staff of the matter's station (the office for
// the committee's own box).
func (s *Service) notifyStation(tx *store.Tx, m *zhengxie.Matter, title, body string) error {
	if m.StationID == 0 {
		return s.contactNotifyOffice(tx, m.CommitteeID, title, body, matterLink(m.ID))
	}
	ms, err := tx.OrgMembers(m.CommitteeID, zhengxie.OrgStation, m.StationID)
	if err != nil {
		return err
	}
	n := 0
	for _, om := range ms {
		if zhengxie.Manages(om.Role) {
			n++
			if err := s.contactNotify(tx, m.CommitteeID, om.UserID, title, body, matterLink(m.ID)); err != nil {
				return err
			}
		}
	}
	if n == 0 {
		return s.contactNotifyOffice(tx, m.CommitteeID, title, body, matterLink(m.ID))
	}
	return nil
}

// matterEvent is the data of matter.* webhooks: what the matter is about,
// never who raised it (the text is redacted of contact details too).
type matterEvent struct {
	MatterID   int64  `json:"matter_id"`
	Title      string `json:"title"`
	Category   string `json:"category"`
	Source     string `json:"source"`
	Station    string `json:"station,omitempty"`
	State      string `json:"state"`
	Unit       string `json:"unit,omitempty"`
	Due        string `json:"due,omitempty"`
	AnsweredAt string `json:"answered_at,omitempty"`
	OnTime     bool   `json:"on_time,omitempty"`
}

func matterEventOf(m *zhengxie.Matter) matterEvent {
	e := matterEvent{MatterID: m.ID, Title: zhengxie.Redact(m.Title), Category: m.Category, Source: m.Source, Station: m.StationName,
		State: string(m.State), Unit: m.UnitName, Due: m.Due, OnTime: m.OnTime}
	if !m.AnsweredAt.IsZero() {
		e.AnsweredAt = m.AnsweredAt.UTC().Format(time.RFC3339)
	}
	return e
}

func short(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}

// MatterActInput is what an action on a matter may carry.
type MatterActInput struct {
	Comment  string // reason of 退回 / 不予受理, the office's decision, a note
	Answer   string // 答复
	UnitID   int64  // 转办
	Due      string // 转办: a deadline earlier than the rules' (YYYY-MM-DD), optional
	Category string // 设置类别
}

// MatterAct runs one action of the staff, the member on duty, the unit or
// the office on a matter.
func (s *Service) MatterAct(ctx context.Context, a zhengxie.Actor, id int64, action zhengxie.MatterAction, in MatterActInput) (*zhengxie.Matter, error) {
	if a.IsAnonymous() {
		return nil, zhengxie.Errorf(zhengxie.EUnauthorized, "请先登录")
	}
	if action == zhengxie.MatterActToReport || action == zhengxie.MatterActToDraft {
		return s.convertMatter(ctx, a, id, action)
	}
	if err := zhengxie.CheckText("comment", "说明", in.Comment, 1000); err != nil {
		return nil, err
	}
	var out *zhengxie.Matter
	err := s.Store.InTx(ctx, func(tx *store.Tx) error {
		m, err := tx.LockMatter(a.CommitteeID, id)
		if err != nil {
			return err
		}
		rel, err := s.matterRelation(tx, a, m)
		if err != nil {
			return err
		}
		if !zhengxie.CanSeeMatter(a, m, rel) {
			return zhengxie.NotFound("群众诉求")
		}
		from := m.State
		if m.State, err = zhengxie.MatterTable.Next(m.State, action, zhengxie.MatterParties(a, m, rel)...); err != nil {
			return err
		}
		payload := map[string]any{}
		comment := in.Comment
		now := s.now()
		switch action {
		case zhengxie.MatterActCategory:
			if !validCategory(in.Category) {
				return zhengxie.FieldError("category", "请选择类别")
			}
			m.Category = in.Category
			payload["category"] = m.Category
		case zhengxie.MatterActAnswer, zhengxie.MatterActReply:
			if err := zhengxie.CheckAnswer(in.Answer); err != nil {
				return err
			}
			m.Answer, m.AnsweredAt = strings.TrimSpace(in.Answer), now
			m.OnTime = true
			if action == zhengxie.MatterActReply {
				m.AnsweredBy = m.UnitName
				if due, err := zhengxie.ParseDate(m.Due); err == nil {
					m.OnTime = !zhengxie.OverdueOn(due, zhengxie.DateOf(now, s.loc(tx, m.CommitteeID)))
				}
			} else {
				m.AnsweredBy = m.StationName
				if m.AnsweredBy == "" {
					m.AnsweredBy = s.committeeName(tx, m.CommitteeID)
				}
			}
			payload["on_time"] = m.OnTime
			if err := s.answered(tx, m); err != nil {
				return err
			}
		case zhengxie.MatterActForward:
			if err := s.forward(ctx, tx, m, in, now); err != nil {
				return err
			}
			payload["unit_id"], payload["due"] = m.UnitID, m.Due
		case zhengxie.MatterActSign:
			m.SignedAt = now
		case zhengxie.MatterActReturn:
			if err := zhengxie.CheckMatterReason(action, in.Comment); err != nil {
				return err
			}
			payload["unit_id"] = m.UnitID
			unit := m.UnitName
			m.UnitID, m.UnitName, m.Due, m.ForwardedAt, m.SignedAt = 0, "", "", time.Time{}, time.Time{}
			if err := s.notifyStation(tx, m, "承办单位退回群众诉求："+m.Title, unit+"退回理由："+in.Comment); err != nil {
				return err
			}
		case zhengxie.MatterActReject, zhengxie.MatterActDecide:
			if err := zhengxie.CheckMatterReason(action, in.Comment); err != nil {
				return err
			}
			m.Decision = strings.TrimSpace(in.Comment)
		case zhengxie.MatterActClose:
		case zhengxie.MatterActPublish, zhengxie.MatterActUnpublish:
			m.Published = action == zhengxie.MatterActPublish
		default:
			return zhengxie.Errorf(zhengxie.EIllegal, "不支持“%s”操作", action.Name())
		}
		if err := tx.UpdateMatter(m); err != nil {
			return err
		}
		if err := s.subjectEvent(tx, a, "matter", m.ID, "matter."+string(action), string(from), string(m.State), comment, payload); err != nil {
			return err
		}
		out = m
		return nil
	})
	return out, err
}

func (s *Service) loc(tx *store.Tx, committeeID int64) *time.Location {
	if c, err := tx.CommitteeTx(committeeID); err == nil {
		return c.Location()
	}
	return zhengxie.ChinaTime()
}

// forward assigns the matter to a unit with its deadline from the
// committee's rules and calendar.
func (s *Service) forward(ctx context.Context, tx *store.Tx, m *zhengxie.Matter, in MatterActInput, now time.Time) error {
	u, err := tx.Unit(m.CommitteeID, in.UnitID)
	if err != nil || in.UnitID == 0 {
		return zhengxie.FieldError("unit_id", "请选择承办单位")
	}
	loc := s.loc(tx, m.CommitteeID)
	today := zhengxie.DateOf(now, loc)
	rules, cal := s.Deadlines(ctx, m.CommitteeID)
	due := zhengxie.MatterDue(rules, cal, today, m.Urgency)
	if in.Due != "" {
		d, err := zhengxie.ParseDate(in.Due)
		if err != nil || !d.After(today) {
			return zhengxie.FieldError("due", "办理期限应为今天以后的日期，如%s", due)
		}
		if d.After(due) {
			return zhengxie.FieldError("due", "办理期限不能晚于规定期限（%s）", due)
		}
		due = d
	}
	m.UnitID, m.UnitName, m.Due, m.ForwardedAt, m.SignedAt = u.ID, u.Name, due.String(), now, time.Time{}
	return s.contactNotifyUnit(tx, m.CommitteeID, u.ID, "转办群众诉求："+m.Title, fmt.Sprintf("请签收并于%s前答复。", due.Chinese()), matterLink(m.ID))
}

// answered sends the answer to the citizen (SMS with the tracking code)
// and tells the station, the member on duty and integrations.
func (s *Service) answered(tx *store.Tx, m *zhengxie.Matter) error {
	if m.CitizenPhone != "" {
		text := fmt.Sprintf("您反映的“%s”已有答复（%s）。请凭查询码%s在政协网站“诉求查询”查看答复，并告诉我们问题是否已解决。", short(m.Title, 20), m.AnsweredBy, m.Code)
		if err := s.queueCitizenSMS(tx, m, text); err != nil {
			return err
		}
	}
	if m.MemberID != 0 {
		if err := s.contactNotify(tx, m.CommitteeID, m.MemberID, "您接待的群众诉求已答复："+m.Title, short(m.Answer, 200), matterLink(m.ID)); err != nil {
			return err
		}
	}
	if m.UnitID != 0 {
		if err := s.notifyStation(tx, m, "承办单位已答复："+m.Title, short(m.Answer, 200)); err != nil {
			return err
		}
	}
	return s.emit(tx, m.CommitteeID, "matter.answered", matterEventOf(m))
}
