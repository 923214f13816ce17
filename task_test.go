package zhengxie_test

import (
	"slices"
	"strings"
	"testing"

	"zhengxie"
)

var allTaskStates = []zhengxie.TaskState{zhengxie.TaskPending, zhengxie.TaskAccepted, zhengxie.TaskReturned,
	zhengxie.TaskContacted, zhengxie.TaskReplied, zhengxie.TaskCancelled, zhengxie.TaskClosed}

var allTaskActions = []zhengxie.TaskAction{zhengxie.TaskActAccept, zhengxie.TaskActReturn, zhengxie.TaskActContact,
	zhengxie.TaskActReply, zhengxie.TaskActFeedback, zhengxie.TaskActCancel, zhengxie.TaskActRehandle, zhengxie.TaskActClose,
	zhengxie.TaskActRelease}

func taskMayDo(s zhengxie.TaskState, a zhengxie.TaskAction) []zhengxie.Party {
	var out []zhengxie.Party
	for _, tr := range zhengxie.TaskLifecycle.Rows {
		if tr.From == s && tr.Action == a && !slices.Contains(out, tr.Party) {
			out = append(out, tr.Party)
		}
	}
	return out
}

func TestTaskNames(t *testing.T) {
	for _, s := range allTaskStates {
		if n := s.Name(); n == "" || n == string(s) {
			t.Errorf("task state %s has no Chinese name", s)
		}
	}
	for _, a := range allTaskActions {
		if n := a.Name(); n == "" || n == string(a) {
			t.Errorf("task action %s has no Chinese name", a)
		}
	}
	for k, want := range map[string]string{zhengxie.TaskLead: "主办", zhengxie.TaskCo: "会办", zhengxie.TaskSeparate: "分办"} {
		if got := zhengxie.TaskKindName(k); got != want {
			t.Errorf("TaskKindName(%s) = %s", k, got)
		}
	}
	if got := zhengxie.ResultClassName("B"); got != "B 正在解决或列入计划" {
		t.Errorf("ResultClassName(B) = %q", got)
	}
	for v, want := range map[string]string{zhengxie.FeedbackSatisfied: "满意", zhengxie.FeedbackBasically: "基本满意", zhengxie.FeedbackUnsatisfied: "不满意"} {
		if got := zhengxie.FeedbackName(v); got != want {
			t.Errorf("FeedbackName(%s) = %s", v, got)
		}
	}
}

// TestTaskLifecycleRows walks every row of the task table for a lead task:
// allowed for its party, forbidden for all others with a message naming who may.
func TestTaskLifecycleRows(t *testing.T) {
	for _, tr := range zhengxie.TaskLifecycle.Rows {
		task := &zhengxie.Task{Kind: zhengxie.TaskLead, State: tr.From}
		got, err := zhengxie.NextTask(task, tr.Action, tr.Party)
		if err != nil || got != tr.To {
			t.Errorf("%s --%s/%s--> got (%s, %v), want %s", tr.From, tr.Action, tr.Party, got, err, tr.To)
		}
		may := taskMayDo(tr.From, tr.Action)
		for _, p := range append(allParties, "") {
			if slices.Contains(may, p) {
				continue
			}
			var ps []zhengxie.Party
			if p != "" {
				ps = []zhengxie.Party{p}
			}
			got, err := zhengxie.NextTask(task, tr.Action, ps...)
			if zhengxie.ErrorCode(err) != zhengxie.EForbidden || got != tr.From {
				t.Errorf("%s --%s by %v: got (%s, %v), want forbidden", tr.From, tr.Action, ps, got, err)
				continue
			}
			msg := zhengxie.ErrorMessage(err)
			if !strings.Contains(msg, tr.Action.Name()) {
				t.Errorf("message %q does not name the action %s", msg, tr.Action.Name())
			}
			for _, m := range may {
				if m == zhengxie.PartySystem {
					if !strings.Contains(msg, "系统自动完成") {
						t.Errorf("%s --%s by %v: message %q should say the system does this", tr.From, tr.Action, ps, msg)
					}
					continue
				}
				if !strings.Contains(msg, "只有") || !strings.Contains(msg, partyName[m]) {
					t.Errorf("%s --%s by %v: message %q does not say that %s may", tr.From, tr.Action, ps, msg, partyName[m])
				}
			}
		}
	}
}

// TestTaskWhoBeforeWhat walks the task table in the order of answers.
func TestTaskWhoBeforeWhat(t *testing.T) {
	if n := checkOrder(t, zhengxie.TaskLifecycle, allTaskStates, allTaskActions, append([][]zhengxie.Party{nil}, partySingles()...)); n < 300 {
		t.Fatalf("only %d combinations tried", n)
	}
	// Nothing leaves a task closed by 办结, for anyone.
	for _, a := range allTaskActions {
		if _, err := zhengxie.NextTask(&zhengxie.Task{Kind: zhengxie.TaskCo, State: zhengxie.TaskClosed}, a, allParties...); err == nil {
			t.Errorf("%s on a closed task is allowed", a)
		}
	}
}

// TestTaskCloseAndRehandleRows: 办结 closes every open task and no other;
// re-handling is the system's row from replied back to handling.
func TestTaskCloseAndRehandleRows(t *testing.T) {
	for _, s := range allTaskStates {
		got, err := zhengxie.NextTask(&zhengxie.Task{Kind: zhengxie.TaskCo, State: s}, zhengxie.TaskActClose, zhengxie.PartySystem)
		if s.Open() != (err == nil) {
			t.Errorf("close %s: (%s, %v)", s, got, err)
		}
		if err == nil && got != zhengxie.TaskClosed {
			t.Errorf("close %s lands in %s", s, got)
		}
	}
	if got, err := zhengxie.NextTask(&zhengxie.Task{Kind: zhengxie.TaskLead, State: zhengxie.TaskReplied}, zhengxie.TaskActRehandle, zhengxie.PartySystem); err != nil || got != zhengxie.TaskAccepted {
		t.Errorf("rehandle: (%s, %v)", got, err)
	}
	if _, err := zhengxie.NextTask(&zhengxie.Task{Kind: zhengxie.TaskLead, State: zhengxie.TaskReplied}, zhengxie.TaskActRehandle, zhengxie.PartyProposer); zhengxie.ErrorCode(err) != zhengxie.EForbidden {
		t.Errorf("proposer rehandling by hand: %v", err)
	}
}

// TestCoHandlingIsNotRated: a co-handling unit's opinion goes to the lead
// unit and is never rated by the proposer.
func TestCoHandlingIsNotRated(t *testing.T) {
	co := &zhengxie.Task{Kind: zhengxie.TaskCo, State: zhengxie.TaskReplied}
	_, err := zhengxie.NextTask(co, zhengxie.TaskActFeedback, zhengxie.PartyProposer)
	if zhengxie.ErrorCode(err) != zhengxie.EIllegal || !strings.Contains(zhengxie.ErrorMessage(err), "会办") {
		t.Errorf("rating a co-handling opinion: %v", err)
	}
	if acts := zhengxie.AllowedTask(co, zhengxie.PartyProposer); len(acts) != 0 {
		t.Errorf("proposer may do %v on a co-handling task", acts)
	}
	for _, kind := range []string{zhengxie.TaskLead, zhengxie.TaskSeparate} {
		tk := &zhengxie.Task{Kind: kind, State: zhengxie.TaskReplied}
		if acts := zhengxie.AllowedTask(tk, zhengxie.PartyProposer); !slices.Equal(acts, []zhengxie.TaskAction{zhengxie.TaskActFeedback}) {
			t.Errorf("%s task: proposer may do %v, want feedback", kind, acts)
		}
	}
}

func TestAllowedTask(t *testing.T) {
	for _, s := range allTaskStates {
		for _, p := range allParties {
			var want []zhengxie.TaskAction
			for _, a := range allTaskActions {
				if p != zhengxie.PartySystem && slices.Contains(taskMayDo(s, a), p) {
					want = append(want, a)
				}
			}
			got := zhengxie.AllowedTask(&zhengxie.Task{Kind: zhengxie.TaskLead, State: s}, p)
			slices.Sort(got)
			slices.Sort(want)
			if !slices.Equal(got, want) {
				t.Errorf("AllowedTask(%s, %s) = %v, want %v", s, p, got, want)
			}
		}
	}
}

func TestCheckAssignments(t *testing.T) {
	lead := func(u int64) zhengxie.Assignment { return zhengxie.Assignment{UnitID: u, Kind: zhengxie.TaskLead} }
	co := func(u int64) zhengxie.Assignment { return zhengxie.Assignment{UnitID: u, Kind: zhengxie.TaskCo} }
	sep := func(u int64) zhengxie.Assignment { return zhengxie.Assignment{UnitID: u, Kind: zhengxie.TaskSeparate} }
	task := func(u int64, kind string, s zhengxie.TaskState) zhengxie.Task {
		return zhengxie.Task{UnitID: u, Kind: kind, State: s}
	}
	cases := []struct {
		name     string
		as       []zhengxie.Assignment
		existing []zhengxie.Task
		field    string // "" means valid
		says     string
	}{
		{"lead alone", []zhengxie.Assignment{lead(1)}, nil, "", ""},
		{"lead and co", []zhengxie.Assignment{lead(1), co(2), co(3)}, nil, "", ""},
		{"separate units", []zhengxie.Assignment{sep(1), sep(2)}, nil, "", ""},
		{"no unit", nil, nil, "assignments", "至少选择一个"},
		{"unit id missing", []zhengxie.Assignment{{Kind: zhengxie.TaskLead}}, nil, "assignments", "请选择承办单位"},
		{"two leads", []zhengxie.Assignment{lead(1), lead(2)}, nil, "assignments", "主办单位只能有一个"},
		{"lead and separate", []zhengxie.Assignment{lead(1), sep(2)}, nil, "assignments", "主办与分办不能同时使用"},
		{"co without lead", []zhengxie.Assignment{co(1)}, nil, "assignments", ""},
		{"co beside separate", []zhengxie.Assignment{sep(1), co(2)}, nil, "assignments", "有会办单位时必须指定主办单位"},
		{"same unit twice", []zhengxie.Assignment{lead(1), co(1)}, nil, "assignments", "不能重复交办"},
		{"unknown kind", []zhengxie.Assignment{{UnitID: 1, Kind: "main"}}, nil, "assignments", "主办、会办或分办"},
		{"bad date", []zhengxie.Assignment{{UnitID: 1, Kind: zhengxie.TaskLead, Due: "2026-02-30"}}, nil, "due", "2026-02-30"},
		{"date in another format", []zhengxie.Assignment{{UnitID: 1, Kind: zhengxie.TaskLead, Due: "2026/06/30"}}, nil, "due", ""},
		{"good date", []zhengxie.Assignment{{UnitID: 1, Kind: zhengxie.TaskLead, Due: "2026-06-30"}}, nil, "", ""},
		// 改办: the existing tasks count.
		{"second lead beside a live one", []zhengxie.Assignment{lead(2)}, []zhengxie.Task{task(1, zhengxie.TaskLead, zhengxie.TaskAccepted)}, "assignments", "主办单位只能有一个"},
		{"replacing a returned lead", []zhengxie.Assignment{lead(2)}, []zhengxie.Task{task(1, zhengxie.TaskLead, zhengxie.TaskReturned)}, "", ""},
		{"replacing a cancelled lead", []zhengxie.Assignment{lead(2)}, []zhengxie.Task{task(1, zhengxie.TaskLead, zhengxie.TaskCancelled)}, "", ""},
		{"adding a co to a live lead", []zhengxie.Assignment{co(2)}, []zhengxie.Task{task(1, zhengxie.TaskLead, zhengxie.TaskPending)}, "", ""},
		{"unit that already has a live task", []zhengxie.Assignment{co(1)}, []zhengxie.Task{task(1, zhengxie.TaskLead, zhengxie.TaskAccepted)}, "assignments", "不能重复交办"},
		{"separate beside a live lead", []zhengxie.Assignment{sep(2)}, []zhengxie.Task{task(1, zhengxie.TaskLead, zhengxie.TaskAccepted)}, "assignments", "主办与分办"},
	}
	for _, c := range cases {
		err := zhengxie.CheckAssignments(c.as, c.existing)
		if c.field == "" {
			if err != nil {
				t.Errorf("%s: unexpected %v", c.name, err)
			}
			continue
		}
		if zhengxie.ErrorCode(err) != zhengxie.EInvalid || zhengxie.ErrorField(err) != c.field {
			t.Errorf("%s: got %v, want invalid on %q", c.name, err, c.field)
			continue
		}
		if c.says != "" && !strings.Contains(zhengxie.ErrorMessage(err), c.says) {
			t.Errorf("%s: message %q should contain %q", c.name, zhengxie.ErrorMessage(err), c.says)
		}
	}
}

func TestCheckReply(t *testing.T) {
	lead := &zhengxie.Task{Kind: zhengxie.TaskLead}
	co := &zhengxie.Task{Kind: zhengxie.TaskCo}
	text := "经研究，我局已将生物岛接驳专线纳入2026年公交线网优化计划。"
	cases := []struct {
		name  string
		t     *zhengxie.Task
		r     zhengxie.Reply
		field string
	}{
		{"lead with class A", lead, zhengxie.Reply{ResultClass: "A", Text: text}, ""},
		{"lead with class C", lead, zhengxie.Reply{ResultClass: "C", Text: text}, ""},
		{"lead without class", lead, zhengxie.Reply{Text: text}, "result_class"},
		{"lead with class D", lead, zhengxie.Reply{ResultClass: "D", Text: text}, "result_class"},
		{"lead with lower-case a", lead, zhengxie.Reply{ResultClass: "a", Text: text}, "result_class"},
		{"empty text", lead, zhengxie.Reply{ResultClass: "A", Text: "  \n "}, "text"},
		{"too long", lead, zhengxie.Reply{ResultClass: "A", Text: strings.Repeat("答", zhengxie.MaxBodyRunes+1)}, "text"},
		{"co opinion without class", co, zhengxie.Reply{Text: "同意主办单位意见。"}, ""},
		{"co opinion empty", co, zhengxie.Reply{}, "text"},
	}
	for _, c := range cases {
		err := zhengxie.CheckReply(c.t, c.r)
		if c.field == "" && err != nil || c.field != "" && zhengxie.ErrorField(err) != c.field {
			t.Errorf("%s: got %v, want field %q", c.name, err, c.field)
		}
	}
	if err := zhengxie.CheckReply(co, zhengxie.Reply{}); !strings.Contains(zhengxie.ErrorMessage(err), "会办意见") {
		t.Errorf("a co unit is asked for its opinion, not a reply: %q", zhengxie.ErrorMessage(err))
	}
}

func TestCheckFeedback(t *testing.T) {
	cases := []struct {
		value, note string
		field       string
	}{
		{zhengxie.FeedbackSatisfied, "", ""},
		{zhengxie.FeedbackBasically, "答复及时", ""},
		{zhengxie.FeedbackUnsatisfied, "没有具体时间表", ""},
		{zhengxie.FeedbackUnsatisfied, "   ", "note"},
		{zhengxie.FeedbackUnsatisfied, "", "note"},
		{"", "", "feedback"},
		{"very_satisfied", "", "feedback"},
		{zhengxie.FeedbackSatisfied, strings.Repeat("意", 2001), "note"},
	}
	for _, c := range cases {
		err := zhengxie.CheckFeedback(c.value, c.note)
		if c.field == "" && err != nil || c.field != "" && zhengxie.ErrorField(err) != c.field {
			t.Errorf("CheckFeedback(%q, %d runes): got %v, want field %q", c.value, len([]rune(c.note)), err, c.field)
		}
	}
}

func TestFeedbackRehandlesOnce(t *testing.T) {
	tk := &zhengxie.Task{Kind: zhengxie.TaskLead, State: zhengxie.TaskReplied}
	if !zhengxie.FeedbackRehandles(tk, zhengxie.FeedbackUnsatisfied) {
		t.Error("first 不满意 must send the task back")
	}
	if zhengxie.FeedbackRehandles(tk, zhengxie.FeedbackBasically) {
		t.Error("基本满意 must not send the task back")
	}
	tk.Rehandled = true
	if zhengxie.FeedbackRehandles(tk, zhengxie.FeedbackUnsatisfied) {
		t.Error("re-handling happens once")
	}
}

func TestCheckReturn(t *testing.T) {
	const by = "2026-03-12"
	cases := []struct {
		reason, today string
		code          string
	}{
		{"该事项属区住建局职责，建议改由其主办。", "2026-03-02", ""},
		{"该事项属区住建局职责，建议改由其主办。", by, ""}, // the last day is still in time
		{"该事项属区住建局职责，建议改由其主办。", "2026-03-13", zhengxie.EIllegal},
		{"该事项属区住建局职责，建议改由其主办。", "2027-01-01", zhengxie.EIllegal},
		{"", "2026-03-02", zhengxie.EInvalid},
		{" \t", "2026-03-02", zhengxie.EInvalid},
	}
	for _, c := range cases {
		err := zhengxie.CheckReturn(c.reason, c.today, by)
		if zhengxie.ErrorCode(err) != c.code {
			t.Errorf("return %q on %s: got %v, want %q", c.reason, c.today, err, c.code)
		}
	}
	err := zhengxie.CheckReturn("理由", "2026-03-13", by)
	if !strings.Contains(zhengxie.ErrorMessage(err), by) || !strings.Contains(zhengxie.ErrorMessage(err), "退回期限") {
		t.Errorf("the message should give the deadline: %q", zhengxie.ErrorMessage(err))
	}
	if err := zhengxie.CheckReturn("", "2026-03-02", by); zhengxie.ErrorField(err) != "reason" {
		t.Errorf("a missing reason belongs to the reason field: %v", err)
	}
}

func TestAllRepliedAndConclude(t *testing.T) {
	tk := func(kind string, s zhengxie.TaskState, fb string) zhengxie.Task {
		return zhengxie.Task{Kind: kind, State: s, Feedback: fb}
	}
	cases := []struct {
		name       string
		ts         []zhengxie.Task
		allReplied bool
		conclude   bool
	}{
		{"no task", nil, false, false},
		{"lead replied and rated, co pending", []zhengxie.Task{tk(zhengxie.TaskLead, zhengxie.TaskReplied, "satisfied"), tk(zhengxie.TaskCo, zhengxie.TaskAccepted, "")}, true, true},
		{"lead replied, not rated", []zhengxie.Task{tk(zhengxie.TaskLead, zhengxie.TaskReplied, "")}, true, false},
		{"one separate still working", []zhengxie.Task{tk(zhengxie.TaskSeparate, zhengxie.TaskReplied, "satisfied"), tk(zhengxie.TaskSeparate, zhengxie.TaskContacted, "")}, false, false},
		{"cancelled lead does not count", []zhengxie.Task{tk(zhengxie.TaskLead, zhengxie.TaskCancelled, ""), tk(zhengxie.TaskLead, zhengxie.TaskReplied, "basically")}, true, true},
		{"only co tasks", []zhengxie.Task{tk(zhengxie.TaskCo, zhengxie.TaskReplied, "")}, false, false},
	}
	for _, c := range cases {
		if got := zhengxie.AllReplied(c.ts); got != c.allReplied {
			t.Errorf("%s: AllReplied = %v", c.name, got)
		}
		err := zhengxie.CheckConclude(c.ts)
		if c.conclude != (err == nil) {
			t.Errorf("%s: CheckConclude = %v", c.name, err)
		}
		if err != nil && zhengxie.ErrorCode(err) != zhengxie.EIllegal {
			t.Errorf("%s: code %s", c.name, zhengxie.ErrorCode(err))
		}
	}
}
