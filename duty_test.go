package zhengxie

import (
	"strings"
	"testing"
	"time"
)

func items(kind DutyKind, sub string, n int) []DutyItem {
	var out []DutyItem
	base := time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC)
	for i := 0; i < n; i++ {
		out = append(out, DutyItem{UserID: 1, Kind: kind, Sub: sub, Ref: "x:" + string(rune('a'+i)), At: base.AddDate(0, 0, i)})
	}
	return out
}

func cat(xs ...[]DutyItem) []DutyItem {
	var out []DutyItem
	for _, x := range xs {
		out = append(out, x...)
	}
	return out
}

func TestScore(t *testing.T) {
	rules := DefaultDutyRules(2026)
	changed := DefaultDutyRules(2026)
	for i := range changed.Points {
		if changed.Points[i].Kind == DutyAttendActivity {
			changed.Points[i] = PointRule{DutyAttendActivity, 3, 0} // more per activity, no cap
		}
	}
	cases := []struct {
		name   string
		rules  *DutyRules
		items  []DutyItem
		total  int
		capped DutyKind
	}{
		{"nothing", &rules, nil, 0, ""},
		{"one plenary", &rules, items(DutyAttendPlenary, "plenary", 1), 5, ""},
		{"activities under the cap", &rules, items(DutyAttendActivity, "inspection", 10), 20, ""},
		{"activities over the cap", &rules, items(DutyAttendActivity, "inspection", 20), 30, DutyAttendActivity},
		{"cap cuts the last item part-way", &rules, cat(items(DutyAttendActivity, "study", 16)), 30, DutyAttendActivity},
		{"deduction", &rules, items(DutyAbsent, "", 2), -6, ""},
		{"deduction capped", &rules, items(DutyAbsent, "", 9), -15, DutyAbsent},
		{"leave costs nothing", &rules, items(DutyLeave, "", 4), 0, ""},
		{"mixed", &rules, cat(items(DutyProposalFiled, "", 2), items(DutyReportCity, "city", 1), items(DutyDeed, "", 1), items(DutyAbsent, "", 1)), 10 + 5 + 5 - 3, ""},
		{"unknown kind earns nothing", &rules, items(DutyKind("made_up"), "", 3), 0, ""},
		{"rule change: same items, new points", &changed, items(DutyAttendActivity, "inspection", 20), 60, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := Score(c.rules, c.items)
			if s.Total != c.total {
				t.Errorf("total %d, want %d (%+v)", s.Total, c.total, s.Lines)
			}
			sum := 0
			for _, p := range s.ItemPoints {
				sum += p
			}
			if sum != s.Total {
				t.Errorf("item points add up to %d, total %d", sum, s.Total)
			}
			for _, l := range s.Lines {
				if l.Capped != (l.Kind == c.capped) {
					t.Errorf("line %s capped=%v", l.Kind, l.Capped)
				}
			}
		})
	}
	// The cap cuts the latest items, whatever order they come in.
	its := items(DutyAttendActivity, "study", 16)
	its[0], its[15] = its[15], its[0]
	s := Score(&rules, its)
	if s.ItemPoints[0] != 0 || s.ItemPoints[15] != 2 {
		t.Errorf("the latest item should earn nothing: %v", s.ItemPoints)
	}
}

func TestChecklist(t *testing.T) {
	rules := DefaultDutyRules(2026)
	got := Checklist(&rules, cat(items(DutyDeed, "", 1), items(DutyAttendActivity, "consultation", 1), items(DutyAttendActivity, "community", 1),
		items(DutyAttendActivity, "inspection", 0), items(DutyProposalCosigned, "", 1), items(DutyAttendActivity, "study", 1)))
	want := map[string]bool{"deed": true, "proposal": true, "report": false, "plenary": false, "consultation": true, "inspection": false, "study": true,
		"speech": false, "research": false, "reception": false}
	if len(got) != 10 {
		t.Fatalf("%d duties, want the 10件作业", len(got))
	}
	for _, p := range got {
		if p.Done != want[p.Task.Code] {
			t.Errorf("%s (%s): done=%v count=%d", p.Task.Code, p.Task.Name, p.Done, p.Count)
		}
	}
	// A rule change: two deeds now.
	rules.Tasks[0].Min = 2
	if Checklist(&rules, items(DutyDeed, "", 1))[0].Done {
		t.Error("one deed meets a minimum of two")
	}
}

func TestRulesCheck(t *testing.T) {
	for _, c := range []struct {
		name  string
		edit  func(r *DutyRules)
		field string
	}{
		{"default", func(*DutyRules) {}, ""},
		{"unknown kind", func(r *DutyRules) { r.Points = append(r.Points, PointRule{Kind: "x", Points: 1}) }, "points"},
		{"duplicate", func(r *DutyRules) { r.Points = append(r.Points, r.Points[0]) }, "points"},
		{"negative cap", func(r *DutyRules) { r.Points[0].Cap = -1 }, "points"},
		{"bad date", func(r *DutyRules) { r.ReminderDates = []string{"7月1日"} }, "reminder_dates"},
		{"task min", func(r *DutyRules) { r.Tasks[0].Min = 0 }, "tasks"},
		{"task kind", func(r *DutyRules) { r.Tasks[0].Kinds = []string{"attend_activity:party"} }, "tasks"},
		{"low attendance", func(r *DutyRules) { r.LowAttendance = 120 }, "low_attendance"},
	} {
		r := DefaultDutyRules(2026)
		c.edit(&r)
		err := r.Check()
		if ErrorField(err) != c.field || (c.field == "") != (err == nil) {
			t.Errorf("%s: %v", c.name, err)
		}
	}
}

func TestActivityTables(t *testing.T) {
	if _, err := ActivityTable.Next(ActivityDraft, ActPublishActivity, PartyInvitee); ErrorCode(err) != EForbidden {
		t.Errorf("a member publishes: %v", err)
	}
	if _, err := ActivityTable.Next(ActivityClosed, ActCancelActivity, PartyOrganiser); ErrorCode(err) != EIllegal {
		t.Errorf("cancel a closed activity: %v", err)
	}
	if to, err := ActivityTable.Next(ActivityPublished, ActHoldActivity, PartyOrganiser); err != nil || to != ActivityHeld {
		t.Errorf("hold: %v %v", to, err)
	}
	// Once signed in, a member cannot sign in again, nor excuse themselves.
	_, err := AttendanceTable.Next(AttendSignedIn, ActSignIn, PartyInvitee)
	if ErrorCode(err) != EIllegal || !strings.Contains(err.Error(), "已签到") {
		t.Errorf("second sign-in: %v", err)
	}
	if _, err := AttendanceTable.Next(AttendInvited, ActMarkAbsent, PartyInvitee); ErrorCode(err) != EForbidden {
		t.Errorf("a member marks attendance: %v", err)
	}
	if to, err := AttendanceTable.Next(AttendAbsent, ActMarkPresent, PartyOrganiser); err != nil || to != AttendSignedIn {
		t.Errorf("organiser corrects an absence: %v %v", to, err)
	}
}

func TestSignInWindow(t *testing.T) {
	loc := ChinaTime()
	start := time.Date(2026, 5, 12, 9, 0, 0, 0, loc)
	a := &Activity{State: ActivityPublished, StartsAt: start, EndsAt: start.Add(3 * time.Hour)}
	for _, c := range []struct {
		at   time.Time
		ok   bool
		text string
	}{
		{start.Add(-2 * time.Hour), false, "签到尚未开始"},
		{start.Add(-30 * time.Minute), true, ""},
		{start.Add(4 * time.Hour), true, ""},
		{start.Add(5 * time.Hour), false, "签到已经结束"},
	} {
		err := a.CheckSignIn(c.at, loc)
		if (err == nil) != c.ok || (err != nil && !strings.Contains(err.Error(), c.text)) {
			t.Errorf("%s: %v", c.at.Format(time.Kitchen), err)
		}
	}
	a.State = ActivityCancelled
	if err := a.CheckSignIn(start, loc); err == nil {
		t.Error("sign in at a cancelled activity")
	}
}

func TestItemsFromEvent(t *testing.T) {
	at := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	got := ItemsFromEvent(&Event{ID: 9, Action: EventReportAdopted, SubjectKind: "report", SubjectID: 4, ActorID: 2, Payload: `{"level":"city","member_ids":[5,6]}`, CreatedAt: at})
	if len(got) != 2 || got[0].Kind != DutyReportCity || got[0].UserID != 5 || got[0].Ref != "report:4" {
		t.Errorf("adoption: %+v", got)
	}
	got = ItemsFromEvent(&Event{ID: 10, Action: EventReportFiled, SubjectKind: "report", SubjectID: 4, ActorID: 2})
	if len(got) != 1 || got[0].UserID != 2 || got[0].Kind != DutyReportFiled {
		t.Errorf("filed: %+v", got)
	}
	got = ItemsFromEvent(&Event{ID: 11, Action: EventStudyAccepted, SubjectKind: "topic_order", SubjectID: 7, ActorID: 9, Payload: `{"member_ids":[5,6],"title":"养老服务"}`})
	if len(got) != 2 || got[1].UserID != 6 || got[0].Kind != DutyJointStudy || got[0].Ref != "topic_order:7" || got[0].Title != "养老服务" {
		t.Errorf("joint study: %+v", got)
	}
	rules := DefaultDutyRules(2026)
	if r := rules.Rule(DutyJointStudy); r.Points != 3 || r.Cap != 9 {
		t.Errorf("joint study rule: %+v", r)
	}
	if len(ItemsFromEvent(&Event{Action: "task.replied"})) != 0 || len(ItemsFromEvent(&Event{Action: EventReportAdopted, Payload: `{"level":"moon"}`, ActorID: 1})) != 0 {
		t.Error("events that count nothing counted")
	}
	twice := append(ItemsFromEvent(&Event{Action: EventReportAdopted, SubjectKind: "report", SubjectID: 4, ActorID: 2, Payload: `{"level":"city"}`}),
		ItemsFromEvent(&Event{Action: EventReportAdopted, SubjectKind: "report", SubjectID: 4, ActorID: 2, Payload: `{"level":"city"}`})...)
	if len(DedupeItems(twice)) != 1 {
		t.Error("one report adopted twice at one level counts twice")
	}
}

func TestAttendanceSummary(t *testing.T) {
	rules := DefaultDutyRules(2026) // line at 60%
	for _, c := range []struct {
		name         string
		items        []DutyItem
		invited      int
		rate         int
		low          bool
		leaves, abse int
	}{
		{"never invited", nil, 0, 100, false, 0, 0},
		{"two of two", cat(items(DutyAttendActivity, "study", 1), items(DutyAttendPlenary, "plenary", 1)), 2, 100, false, 0, 0},
		{"one of two is too few invitations to flag", items(DutyAttendActivity, "study", 1), 2, 50, false, 0, 0},
		{"two of five", cat(items(DutyAttendActivity, "study", 2), items(DutyLeave, "", 2), items(DutyAbsent, "", 1)), 5, 40, true, 2, 1},
		{"three of five is on the line", items(DutyAttendActivity, "study", 3), 5, 60, false, 0, 0},
	} {
		s := SummariseAttendance(c.items, c.invited)
		if s.Rate() != c.rate || s.Low(&rules) != c.low || s.Leaves != c.leaves || s.Absences != c.abse {
			t.Errorf("%s: %+v rate %d low %v", c.name, s, s.Rate(), s.Low(&rules))
		}
	}
}

func TestAttendanceItem(t *testing.T) {
	act := &Activity{ID: 3, Kind: ActivityPlenary, Title: "全会", State: ActivityPublished}
	if _, ok := AttendanceItem(act, &Attendance{State: AttendSignedIn}); ok {
		t.Error("an activity not yet held counts")
	}
	act.State = ActivityHeld
	for state, want := range map[AttendanceState]DutyKind{AttendSignedIn: DutyAttendPlenary, AttendLeave: DutyLeave, AttendInvited: DutyAbsent, AttendAttend: DutyAbsent, AttendAbsent: DutyAbsent} {
		it, ok := AttendanceItem(act, &Attendance{UserID: 1, State: state})
		if !ok || it.Kind != want || it.Ref != "activity:3" {
			t.Errorf("%s: %+v", state, it)
		}
	}
	act.Kind = ActivityStudy
	if it, _ := AttendanceItem(act, &Attendance{State: AttendSignedIn}); it.Kind != DutyAttendActivity || it.Sub != "study" {
		t.Errorf("study: %+v", it)
	}
}
