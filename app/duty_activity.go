package app

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strings"

	"zhengxie"
	ntf "zhengxie/notify"
	"zhengxie/store"
)

// Activities (协商活动 / 视察调研 / 会议 …): the office, a special
// committee or a station organises one, invites members, publishes it
// (invitations go out), confirms it was held and records its outcome.
// Every step goes through zhengxie.ActivityTable and is an event about the
// subject ("activity", id) in the committee's chain.

func init() {
	// The webhook events of the duty module join the list integrations
	// subscribe to; kept here so that the module stays in its own files.
	WebhookEvents = append(WebhookEvents,
		struct{ Code, Name string }{"activity.created", "履职活动发布"},
		struct{ Code, Name string }{"attendance.recorded", "活动签到和出席记录"},
	)
}

// SubjectActivity is the event subject of activities.
const SubjectActivity = "activity"

// Organiser kinds besides the organisations.
const OrganizerOffice = "office"

// Invitation says whom an activity invites: everyone of some sectors,
// special committees or stations, and members by name.
type Invitation struct {
	All                bool
	SectorIDs          []int64
	SpecialCommitteeID []int64
	StationIDs         []int64
	UserIDs            []int64
}

// ActivityParties returns the parties the actor is in for an activity.
func (s *Service) activityParties(tx *store.Tx, a zhengxie.Actor, act *zhengxie.Activity) ([]zhengxie.Party, bool, error) {
	if a.CommitteeID != act.CommitteeID || a.IsAnonymous() {
		return nil, false, nil
	}
	var ps []zhengxie.Party
	organiser, err := s.isOrganiser(tx.Profile, a, act)
	if err != nil {
		return nil, false, err
	}
	if organiser {
		ps = append(ps, zhengxie.PartyOrganiser)
	}
	invited := false
	if a.Role == zhengxie.RoleMember {
		at, err := tx.LockAttendance(a.CommitteeID, act.ID, a.UserID)
		if err == nil && at != nil {
			invited = true
			ps = append(ps, zhengxie.PartyInvitee)
		} else if err != nil && zhengxie.ErrorCode(err) != zhengxie.ENotFound {
			return nil, false, err
		}
	}
	sees := organiser || invited || zhengxie.SeesAll(a.Role)
	return ps, sees, nil
}

// isOrganiser: the office and the admin organise every activity; the
// managers (召集人, 主任, 工作人员 …) of the organising station or special
// committee organise its activities; and whoever created it.
func (s *Service) isOrganiser(profile func(int64, int64) (*zhengxie.MemberProfile, error), a zhengxie.Actor, act *zhengxie.Activity) (bool, error) {
	if a.CommitteeID != act.CommitteeID || a.IsAnonymous() {
		return false, nil
	}
	if a.Role == zhengxie.RoleOffice || a.Role == zhengxie.RoleAdmin || a.Role == zhengxie.RoleSystem || act.CreatedBy == a.UserID {
		return true, nil
	}
	if act.OrganizerKind == OrganizerOffice {
		return false, nil
	}
	p, err := profile(a.CommitteeID, a.UserID)
	if err != nil {
		return false, err
	}
	m, ok := p.In(act.OrganizerKind, act.OrganizerID)
	return ok && zhengxie.Manages(m.Role), nil
}

// IsOrganiser reports whether the actor organises an activity (for pages).
func (s *Service) IsOrganiser(ctx context.Context, a zhengxie.Actor, act *zhengxie.Activity) bool {
	ok, _ := s.isOrganiser(func(c, u int64) (*zhengxie.MemberProfile, error) { return s.Store.Profile(ctx, c, u) }, a, act)
	return ok
}

// ManagedOrgs lists the organisations the actor may organise activities
// for ("station:3", "special_committee:2"); office and admin get Office.
func (s *Service) ManagedOrgs(ctx context.Context, a zhengxie.Actor) (orgs []string, office bool, err error) {
	if a.Role == zhengxie.RoleOffice || a.Role == zhengxie.RoleAdmin {
		office = true
	}
	if a.IsAnonymous() {
		return nil, false, nil
	}
	p, err := s.Store.Profile(ctx, a.CommitteeID, a.UserID)
	if err != nil {
		return nil, office, err
	}
	for _, m := range p.Memberships {
		if zhengxie.Manages(m.Role) {
			orgs = append(orgs, fmt.Sprintf("%s:%d", m.OrgKind, m.OrgID))
		}
	}
	return orgs, office, nil
}

// ActivityView is an activity with what the caller may see and do.
type ActivityView struct {
	Activity   *zhengxie.Activity
	Organiser  bool
	Mine       *zhengxie.Attendance // the caller's own row, if invited
	Attendance []zhengxie.Attendance
	Links      []store.ActivityLink
	Files      []store.ActivityFile
	Events     []zhengxie.Event
	Actions    []zhengxie.ActivityAction
	MyActions  []zhengxie.AttendanceAction
	Counts     map[string]int
}

// Activity returns an activity for the actor: organisers see the whole
// attendance, an invited member their own row, the office and leaders
// everything; anyone else gets not-found.
func (s *Service) Activity(ctx context.Context, a zhengxie.Actor, id int64) (*ActivityView, error) {
	if a.IsAnonymous() {
		return nil, zhengxie.Errorf(zhengxie.EUnauthorized, "请先登录")
	}
	act, err := s.Store.Activity(ctx, a.CommitteeID, id)
	if err != nil {
		return nil, err
	}
	v := &ActivityView{Activity: act, Organiser: s.IsOrganiser(ctx, a, act), Counts: map[string]int{}}
	if v.Mine, err = s.Store.MyAttendance(ctx, a.CommitteeID, id, a.UserID); err != nil {
		return nil, err
	}
	if !v.Organiser && v.Mine == nil && !zhengxie.SeesAll(a.Role) {
		return nil, zhengxie.NotFound("活动")
	}
	all, err := s.Store.Attendance(ctx, a.CommitteeID, id)
	if err != nil {
		return nil, err
	}
	for _, at := range all {
		v.Counts[string(at.State)]++
	}
	if v.Organiser || zhengxie.SeesAll(a.Role) {
		v.Attendance = all
		if v.Events, err = s.Store.SubjectEvents(ctx, a.CommitteeID, SubjectActivity, id); err != nil {
			return nil, err
		}
	}
	if v.Links, err = s.Store.ActivityLinks(ctx, a.CommitteeID, id); err != nil {
		return nil, err
	}
	if v.Files, err = s.Store.ActivityFiles(ctx, a.CommitteeID, id); err != nil {
		return nil, err
	}
	if v.Organiser {
		v.Actions = zhengxie.ActivityTable.Allowed(act.State, zhengxie.PartyOrganiser)
	}
	if v.Mine != nil && act.State == zhengxie.ActivityPublished {
		v.MyActions = zhengxie.AttendanceTable.Allowed(v.Mine.State, zhengxie.PartyInvitee)
	}
	return v, nil
}

// resolveInvitees turns an invitation into the members' ids.
func resolveInvitees(tx *store.Tx, committeeID int64, inv Invitation) ([]int64, error) {
	members, err := tx.Profiles(store.ProfileFilter{CommitteeID: committeeID})
	if err != nil {
		return nil, err
	}
	var out []int64
	known := map[int64]bool{}
	for _, m := range members {
		if m.User.Disabled {
			continue
		}
		known[m.User.ID] = true
		in := inv.All || slices.Contains(inv.SectorIDs, m.User.SectorID) || slices.Contains(inv.UserIDs, m.User.ID)
		for _, id := range m.OrgIDs(zhengxie.OrgSpecialCommittee) {
			in = in || slices.Contains(inv.SpecialCommitteeID, id)
		}
		for _, id := range m.OrgIDs(zhengxie.OrgStation) {
			in = in || slices.Contains(inv.StationIDs, id)
		}
		if in {
			out = append(out, m.User.ID)
		}
	}
	for _, id := range inv.UserIDs {
		if !known[id] {
			return nil, zhengxie.FieldError("user_ids", "受邀委员（序号%d）不存在或已停用", id)
		}
	}
	return out, nil
}

// CreateActivity creates an activity (a draft) and invites members. The
// office and admin organise for the office or any organisation; a
// station's or special committee's managers for their own.
func (s *Service) CreateActivity(ctx context.Context, a zhengxie.Actor, act *zhengxie.Activity, inv Invitation) error {
	if a.IsAnonymous() {
		return zhengxie.Errorf(zhengxie.EUnauthorized, "请先登录")
	}
	orgs, office, err := s.ManagedOrgs(ctx, a)
	if err != nil {
		return err
	}
	if act.OrganizerKind == "" {
		act.OrganizerKind = OrganizerOffice
	}
	if act.OrganizerKind == OrganizerOffice {
		act.OrganizerID = 0
	}
	if !office && (act.OrganizerKind == OrganizerOffice || !slices.Contains(orgs, fmt.Sprintf("%s:%d", act.OrganizerKind, act.OrganizerID))) {
		return zhengxie.Errorf(zhengxie.EForbidden, "只有政协机关，或所组织联络站、专门委员会的负责人和工作人员可以发起活动。")
	}
	if err := zhengxie.CheckActivity(act); err != nil {
		return err
	}
	c, err := s.Store.Committee(ctx, a.CommitteeID)
	if err != nil {
		return err
	}
	act.CommitteeID, act.CreatedBy, act.State = a.CommitteeID, a.UserID, zhengxie.ActivityDraft
	act.Year = act.StartsAt.In(c.Location()).Year()
	return s.Store.InTx(ctx, func(tx *store.Tx) error {
		switch act.OrganizerKind {
		case OrganizerOffice:
		case zhengxie.OrgStation:
			if _, err := tx.Station(a.CommitteeID, act.OrganizerID); err != nil {
				return zhengxie.FieldError("organizer_id", "组织的联络站不存在")
			}
		case zhengxie.OrgSpecialCommittee:
			scs, err := tx.SpecialCommittees(a.CommitteeID)
			if err != nil {
				return err
			}
			if !slices.ContainsFunc(scs, func(sc zhengxie.SpecialCommittee) bool { return sc.ID == act.OrganizerID }) {
				return zhengxie.FieldError("organizer_id", "组织的专门委员会不存在")
			}
		default:
			return zhengxie.FieldError("organizer_kind", "组织方应为政协机关（office）、专门委员会（special_committee）或联络站（station）")
		}
		ids, err := resolveInvitees(tx, a.CommitteeID, inv)
		if err != nil {
			return err
		}
		if len(ids) == 0 {
			return zhengxie.FieldError("invite", "请选择受邀委员（按界别、专门委员会、联络站或姓名）")
		}
		if err := tx.CreateActivity(act); err != nil {
			return err
		}
		if _, err := tx.Invite(a.CommitteeID, act.ID, ids); err != nil {
			return err
		}
		return s.subjectEvent(tx, a, SubjectActivity, act.ID, "activity.created", "", string(act.State), act.Title,
			map[string]any{"kind": act.Kind, "invited": len(ids), "organizer_kind": act.OrganizerKind, "organizer_id": act.OrganizerID})
	})
}

// ActivityInput is what an action on an activity may carry.
type ActivityInput struct {
	Comment     string
	Minutes     *string
	Suggestions *string
	Invite      *Invitation // more invitees (publish, edit)
	Links       []store.ActivityLink
	Edit        *zhengxie.Activity // new fields (edit)
}

// ActOnActivity runs an action of the activity table.
func (s *Service) ActOnActivity(ctx context.Context, a zhengxie.Actor, id int64, action zhengxie.ActivityAction, in ActivityInput) (*zhengxie.Activity, error) {
	if a.IsAnonymous() {
		return nil, zhengxie.Errorf(zhengxie.EUnauthorized, "请先登录")
	}
	if err := zhengxie.CheckText("comment", "说明", in.Comment, 2000); err != nil {
		return nil, err
	}
	var out *zhengxie.Activity
	err := s.Store.InTx(ctx, func(tx *store.Tx) error {
		act, err := tx.LockActivity(a.CommitteeID, id)
		if err != nil {
			return err
		}
		parties, sees, err := s.activityParties(tx, a, act)
		if err != nil {
			return err
		}
		if !sees {
			return zhengxie.NotFound("活动")
		}
		to, err := zhengxie.ActivityTable.Next(act.State, action, parties...)
		if err != nil {
			return err
		}
		from := act.State
		act.State = to
		if e := in.Edit; e != nil && action == zhengxie.ActEditActivity {
			act.Kind, act.Title, act.Place, act.Description = e.Kind, e.Title, e.Place, e.Description
			act.StartsAt, act.EndsAt, act.RegisterBy = e.StartsAt, e.EndsAt, e.RegisterBy
			c, err := tx.CommitteeTx(a.CommitteeID)
			if err != nil {
				return err
			}
			act.Year = act.StartsAt.In(c.Location()).Year()
		}
		if in.Minutes != nil {
			act.Minutes = *in.Minutes
		}
		if in.Suggestions != nil {
			act.Suggestions = *in.Suggestions
		}
		if action == zhengxie.ActCloseActivity && strings.TrimSpace(act.Minutes) == "" {
			return zhengxie.FieldError("minutes", "请填写活动纪要（活动的主要内容和成果）")
		}
		if err := zhengxie.CheckActivity(act); err != nil {
			return err
		}
		if err := tx.UpdateActivity(act); err != nil {
			return err
		}
		var added []int64
		if in.Invite != nil {
			ids, err := resolveInvitees(tx, a.CommitteeID, *in.Invite)
			if err != nil {
				return err
			}
			if added, err = tx.Invite(a.CommitteeID, act.ID, ids); err != nil {
				return err
			}
		}
		for _, l := range in.Links {
			if l.RefKind != "proposal" && l.RefKind != "report" {
				return zhengxie.FieldError("links", "关联对象应为提案（proposal）或社情民意（report）")
			}
			if l.RefKind == "proposal" {
				if _, err := tx.LockProposal(a.CommitteeID, l.RefID); err != nil {
					return zhengxie.FieldError("links", "关联的提案（序号%d）不存在", l.RefID)
				}
			}
			if err := tx.LinkActivity(a.CommitteeID, act.ID, l); err != nil {
				return err
			}
		}
		if err := s.subjectEvent(tx, a, SubjectActivity, act.ID, "activity."+string(action), string(from), string(to), in.Comment, nil); err != nil {
			return err
		}
		switch {
		case action == zhengxie.ActPublishActivity:
			if err := s.sendInvitations(tx, act, nil); err != nil {
				return err
			}
			if err := s.emit(tx, a.CommitteeID, "activity.created", activityHook(act)); err != nil {
				return err
			}
		case to == zhengxie.ActivityPublished && len(added) > 0:
			if err := s.sendInvitations(tx, act, added); err != nil {
				return err
			}
		case action == zhengxie.ActHoldActivity, action == zhengxie.ActCancelActivity:
			// Attendance of a held activity counts now; of a cancelled one no longer.
			if err := s.rescoreActivity(tx, act); err != nil {
				return err
			}
		}
		out = act
		return nil
	})
	return out, err
}

// activityHook is an activity in a webhook's data.
func activityHook(act *zhengxie.Activity) map[string]any {
	return map[string]any{"id": act.ID, "kind": act.Kind, "kind_name": act.Kind.Name(), "title": act.Title, "state": act.State,
		"starts_at": act.StartsAt.UTC(), "ends_at": act.EndsAt.UTC(), "place": act.Place, "organizer": act.OrganizerName}
}

// sendInvitations notifies the invited members who have not answered
// (only the ones in only, when given): in-app, and by e-mail or SMS as each has chosen.
func (s *Service) sendInvitations(tx *store.Tx, act *zhengxie.Activity, only []int64) error {
	c, err := tx.CommitteeTx(act.CommitteeID)
	if err != nil {
		return err
	}
	rows, err := tx.Attendance(act.CommitteeID, act.ID)
	if err != nil {
		return err
	}
	when := act.StartsAt.In(c.Location()).Format("1月2日 15:04")
	var note string
	if !act.RegisterBy.IsZero() {
		note = "请于" + act.RegisterBy.In(c.Location()).Format("1月2日 15:04") + "前回复。"
	}
	for _, at := range rows {
		if at.State != zhengxie.AttendInvited || (only != nil && !slices.Contains(only, at.UserID)) {
			continue
		}
		u, err := tx.User(at.UserID)
		if err != nil {
			return err
		}
		if _, err := s.notice(tx, Notice{CommitteeID: act.CommitteeID, Template: ntf.ActivityInvited, To: toUsers(u.ID),
			Dedupe: fmt.Sprintf("activity-invite:%d:%d", act.ID, u.ID), Link: fmt.Sprintf("/activities/%d", act.ID),
			Data: ntf.Data{Committee: c.Name, Title: act.Title, Time: when, Place: act.Place, Reason: note}}); err != nil {
			return err
		}
	}
	return nil
}

// AddActivityFile attaches a photo or document to an activity's outcome (the organiser).
func (s *Service) AddActivityFile(ctx context.Context, a zhengxie.Actor, activityID int64, u *Upload) (*store.ActivityFile, error) {
	v, err := s.Activity(ctx, a, activityID)
	if err != nil {
		return nil, err
	}
	if !v.Organiser {
		return nil, zhengxie.Errorf(zhengxie.EForbidden, "只有活动组织方可以上传活动照片和材料。")
	}
	sf, err := s.Files.Put(u)
	if err != nil {
		return nil, err
	}
	f := &store.ActivityFile{CommitteeID: a.CommitteeID, ActivityID: activityID, Name: sf.Name, MIME: sf.MIME, Size: sf.Size, SHA256: sf.SHA256, CreatedBy: a.UserID}
	err = s.Store.InTx(ctx, func(tx *store.Tx) error {
		if err := tx.AddActivityFile(f); err != nil {
			return err
		}
		return s.subjectEvent(tx, a, SubjectActivity, activityID, "activity.file_added", "", "", f.Name, map[string]any{"file_id": f.ID, "size": f.Size})
	})
	return f, err
}

// OpenActivityFile opens a file of an activity the actor may see.
func (s *Service) OpenActivityFile(ctx context.Context, a zhengxie.Actor, fileID int64) (*store.ActivityFile, io.ReadSeekCloser, error) {
	f, err := s.Store.ActivityFile(ctx, a.CommitteeID, fileID)
	if err != nil {
		return nil, nil, err
	}
	if _, err := s.Activity(ctx, a, f.ActivityID); err != nil {
		return nil, nil, zhengxie.NotFound("附件")
	}
	rd, err := s.Files.Open(f.SHA256)
	if err != nil {
		return nil, nil, zhengxie.NotFound("附件")
	}
	return f, rd, nil
}
