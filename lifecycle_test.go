package zhengxie_test

import (
	"slices"
	"strings"
	"testing"

	"zhengxie"
)

// allParties are every party of the transition tables; a party missing here
// would let a forbidden transition go untested.
var allParties = []zhengxie.Party{zhengxie.PartyProposer, zhengxie.PartyCosigner, zhengxie.PartyOffice,
	zhengxie.PartyUnit, zhengxie.PartyLeader, zhengxie.PartySystem}

// partyName is what a user reads for each party in "只有…可以…". It is written
// out here, not taken from the package, so that a changed wording shows up.
var partyName = map[zhengxie.Party]string{zhengxie.PartyProposer: "提案人", zhengxie.PartyCosigner: "附议人",
	zhengxie.PartyOffice: "提案委员会", zhengxie.PartyUnit: "承办单位", zhengxie.PartyLeader: "领导"}

// allActions are every proposal action, including those outside the table.
var allActions = []zhengxie.Action{zhengxie.ActCreate, zhengxie.ActSave, zhengxie.ActSubmit, zhengxie.ActCosign,
	zhengxie.ActDeclineCosig, zhengxie.ActCloseCosign, zhengxie.ActWithdraw, zhengxie.ActAccept, zhengxie.ActReject,
	zhengxie.ActMerge, zhengxie.ActConvert, zhengxie.ActAssign, zhengxie.ActAllReplied, zhengxie.ActRehandle,
	zhengxie.ActConclude, zhengxie.ActPublish, zhengxie.ActUnpublish, zhengxie.ActArchive, zhengxie.ActMarkKey, zhengxie.ActUnmarkKey, zhengxie.ActSetCategory}

// Publication and key marking are rules beside the table: publishing is for
// accepted proposals still alive, marking key for those still in work.
var (
	publishableStates = []zhengxie.State{zhengxie.StateAccepted, zhengxie.StateHandling, zhengxie.StateReplied, zhengxie.StateConcluded}
	markableStates    = []zhengxie.State{zhengxie.StateAccepted, zhengxie.StateHandling, zhengxie.StateReplied}
)

// mayDo returns the parties that may take action in state s, from the table
// and the rules beside it.
func mayDo(s zhengxie.State, a zhengxie.Action) []zhengxie.Party {
	switch a {
	case zhengxie.ActPublish, zhengxie.ActUnpublish:
		if slices.Contains(publishableStates, s) {
			return []zhengxie.Party{zhengxie.PartyOffice}
		}
		return nil
	case zhengxie.ActMarkKey, zhengxie.ActUnmarkKey:
		if slices.Contains(markableStates, s) {
			return []zhengxie.Party{zhengxie.PartyOffice, zhengxie.PartyLeader}
		}
		return nil
	}
	var out []zhengxie.Party
	for _, tr := range zhengxie.Lifecycle.Rows {
		if tr.From == s && tr.Action == a && !slices.Contains(out, tr.Party) {
			out = append(out, tr.Party)
		}
	}
	return out
}

func TestEveryStateHasAChineseName(t *testing.T) {
	for _, s := range zhengxie.States {
		if n := s.Name(); n == string(s) || n == "" {
			t.Errorf("state %s has no Chinese name", s)
		}
	}
	for _, a := range allActions {
		if n := a.Name(); n == string(a) || n == "" {
			t.Errorf("action %s has no Chinese name", a)
		}
	}
	for _, tr := range zhengxie.Lifecycle.Rows {
		if !slices.Contains(zhengxie.States, tr.From) || !slices.Contains(zhengxie.States, tr.To) {
			t.Errorf("row %+v uses a state missing from States", tr)
		}
		if !slices.Contains(allParties, tr.Party) {
			t.Errorf("row %+v uses an unknown party", tr)
		}
	}
}

// TestLifecycleRows walks every row of the table: its party may take it and
// lands in its target state; every other party is refused with a message
// that names who may.
func TestLifecycleRows(t *testing.T) {
	for _, tr := range zhengxie.Lifecycle.Rows {
		got, err := zhengxie.Next(tr.From, tr.Action, tr.Party)
		if err != nil || got != tr.To {
			t.Errorf("%s --%s/%s--> got (%s, %v), want %s", tr.From, tr.Action, tr.Party, got, err, tr.To)
		}
		// A party that holds several roles at once (the office filing a
		// body's proposal is also its proposer) keeps its rights.
		if got, err := zhengxie.Next(tr.From, tr.Action, zhengxie.PartyCosigner, tr.Party); err != nil || got != tr.To {
			t.Errorf("%s --%s/%s+cosigner--> got (%s, %v), want %s", tr.From, tr.Action, tr.Party, got, err, tr.To)
		}
		checkForbiddenToOthers(t, tr.From, tr.Action)
	}
}

// checkForbiddenToOthers tries action in s for every party that may not do
// it, and for the public (no party at all).
func checkForbiddenToOthers(t *testing.T, s zhengxie.State, a zhengxie.Action) {
	t.Helper()
	may := mayDo(s, a)
	tries := [][]zhengxie.Party{nil}
	for _, p := range allParties {
		if !slices.Contains(may, p) {
			tries = append(tries, []zhengxie.Party{p})
		}
	}
	for _, ps := range tries {
		got, err := zhengxie.Next(s, a, ps...)
		if code := zhengxie.ErrorCode(err); code != zhengxie.EForbidden {
			t.Errorf("%s --%s by %v: got (%s, %v), want forbidden", s, a, ps, got, err)
			continue
		}
		if got != s {
			t.Errorf("%s --%s by %v: a refused action must leave the state, got %s", s, a, ps, got)
		}
		msg := zhengxie.ErrorMessage(err)
		if !strings.Contains(msg, a.Name()) {
			t.Errorf("%s --%s by %v: message %q does not name the action %q", s, a, ps, msg, a.Name())
		}
		humans := 0
		for _, p := range may {
			if p == zhengxie.PartySystem {
				continue
			}
			humans++
			if !strings.Contains(msg, partyName[p]) {
				t.Errorf("%s --%s by %v: message %q does not say that %s may", s, a, ps, msg, partyName[p])
			}
		}
		if humans == 0 && !strings.Contains(msg, "系统自动完成") {
			t.Errorf("%s --%s by %v: message %q should say the system does this", s, a, ps, msg)
		}
		for p, name := range partyName {
			if !slices.Contains(may, p) && strings.Contains(msg, "只有"+name) {
				t.Errorf("%s --%s by %v: message %q names %s, who may not", s, a, ps, msg, name)
			}
		}
	}
}

// TestPublishAndMarkKey checks the rules kept beside the table.
func TestPublishAndMarkKey(t *testing.T) {
	for _, s := range zhengxie.States {
		for _, a := range []zhengxie.Action{zhengxie.ActPublish, zhengxie.ActUnpublish, zhengxie.ActMarkKey} {
			may := mayDo(s, a)
			if len(may) == 0 {
				continue
			}
			for _, p := range may {
				got, err := zhengxie.Next(s, a, p)
				if err != nil || got != s {
					t.Errorf("%s --%s by %s: got (%s, %v), want allowed without a state change", s, a, p, got, err)
				}
			}
			checkForbiddenToOthers(t, s, a)
		}
	}
	// Archived is frozen even for the office.
	if _, err := zhengxie.Next(zhengxie.StateArchived, zhengxie.ActUnpublish, zhengxie.PartyOffice); zhengxie.ErrorCode(err) != zhengxie.EIllegal {
		t.Errorf("unpublish an archived proposal: %v", err)
	}
}

// TestWhoBeforeWhat tries every action in every state for every party: the
// answer is forbidden when these parties may never take the action, else
// illegal_state listing only what they may do now, else the row's target.
func TestWhoBeforeWhat(t *testing.T) {
	n := checkOrder(t, zhengxie.Lifecycle, zhengxie.States, allActions, append([][]zhengxie.Party{nil}, partySingles()...))
	if n < 1000 {
		t.Fatalf("only %d combinations tried", n)
	}
	// The defect of issue 9: a member calling 立案 on a concluded proposal
	// was told about 公开/归档/撤销公开, which only the office may do.
	_, err := zhengxie.Next(zhengxie.StateConcluded, zhengxie.ActAccept, zhengxie.PartyProposer)
	if zhengxie.ErrorCode(err) != zhengxie.EForbidden || strings.Contains(zhengxie.ErrorMessage(err), "归档") {
		t.Errorf("proposer accepting a concluded proposal: %v", err)
	}
	_, err = zhengxie.Next(zhengxie.StateConcluded, zhengxie.ActSubmit, zhengxie.PartyProposer)
	if zhengxie.ErrorCode(err) != zhengxie.EIllegal || strings.Contains(zhengxie.ErrorMessage(err), "归档") ||
		!strings.Contains(zhengxie.ErrorMessage(err), "不能对它进行任何操作") {
		t.Errorf("proposer submitting a concluded proposal: %v", err)
	}
}

// checkOrder walks states × actions × parties on one table and returns how
// many combinations it tried.
func checkOrder[S, A ~string](t *testing.T, tbl *zhengxie.Table[S, A], states []S, actions []A, parties [][]zhengxie.Party) int {
	t.Helper()
	n := 0
	for _, s := range states {
		for _, a := range actions {
			for _, ps := range parties {
				n++
				got, err := tbl.Next(s, a, ps...)
				var row *zhengxie.Row[S, A]
				known := false
				for i := range tbl.Rows {
					r := &tbl.Rows[i]
					known = known || r.Action == a
					if row == nil && r.From == s && r.Action == a && slices.Contains(ps, r.Party) {
						row = r
					}
				}
				msg := zhengxie.ErrorMessage(err)
				switch {
				case row != nil:
					if err != nil || got != row.To {
						t.Errorf("%s --%s by %v: got (%s, %v), want %s", s, a, ps, got, err, row.To)
					}
				case !known:
					if zhengxie.ErrorCode(err) != zhengxie.EIllegal || got != s {
						t.Errorf("%s --%s (no row at all) by %v: got (%s, %v)", s, a, ps, got, err)
					}
				case !tbl.May(a, ps...):
					if zhengxie.ErrorCode(err) != zhengxie.EForbidden || got != s {
						t.Errorf("%s --%s by %v: got (%s, %v), want forbidden", s, a, ps, got, err)
					}
					if !strings.Contains(msg, tbl.ActionName(a)) {
						t.Errorf("%s --%s by %v: %q does not name the action", s, a, ps, msg)
					}
				default:
					if zhengxie.ErrorCode(err) != zhengxie.EIllegal || got != s {
						t.Errorf("%s --%s by %v: got (%s, %v), want illegal_state", s, a, ps, got, err)
						continue
					}
					if !strings.Contains(msg, "“"+tbl.StateName(s)+"”") {
						t.Errorf("%s --%s by %v: %q does not name the state", s, a, ps, msg)
					}
					var want []string
					for _, x := range tbl.Allowed(s, ps...) {
						want = append(want, "“"+tbl.ActionName(x)+"”")
					}
					var listed []string
					if _, rest, ok := strings.Cut(msg, "您现在可以进行的操作："); ok {
						listed = strings.Split(strings.TrimSuffix(rest, "。"), "、")
					}
					slices.Sort(want)
					slices.Sort(listed)
					if !slices.Equal(want, listed) {
						t.Errorf("%s --%s by %v: %q lists %v, want only the caller's %v", s, a, ps, msg, listed, want)
					}
				}
			}
		}
	}
	return n
}

func partySingles() [][]zhengxie.Party {
	var out [][]zhengxie.Party
	for _, p := range allParties {
		out = append(out, []zhengxie.Party{p})
	}
	return out
}

// TestAllowed checks that the buttons shown are exactly what the table
// permits the viewer, never what only the system does.
func TestAllowed(t *testing.T) {
	for _, s := range zhengxie.States {
		for _, p := range allParties {
			var want []zhengxie.Action
			for _, a := range allActions {
				if p != zhengxie.PartySystem && slices.Contains(mayDo(s, a), p) {
					want = append(want, a)
				}
			}
			got := zhengxie.Allowed(s, p)
			if !sameActions(got, want) {
				t.Errorf("Allowed(%s, %s) = %v, want %v", s, p, got, want)
			}
		}
		if got := zhengxie.Allowed(s); len(got) != 0 {
			t.Errorf("Allowed(%s) for the public = %v, want nothing", s, got)
		}
	}
	// Spot checks a reader can verify against the design page.
	if got := zhengxie.Allowed(zhengxie.StateUnderReview, zhengxie.PartyOffice); !sameActions(got, []zhengxie.Action{
		zhengxie.ActSetCategory, zhengxie.ActAccept, zhengxie.ActReject, zhengxie.ActMerge, zhengxie.ActConvert}) {
		t.Errorf("office reviewing: %v", got)
	}
	if got := zhengxie.Allowed(zhengxie.StateDraft, zhengxie.PartyProposer); !sameActions(got, []zhengxie.Action{
		zhengxie.ActSave, zhengxie.ActSubmit, zhengxie.ActWithdraw}) {
		t.Errorf("proposer of a draft: %v", got)
	}
	if got := zhengxie.Allowed(zhengxie.StateArchived, allParties...); len(got) != 0 {
		t.Errorf("archived must offer nothing, got %v", got)
	}
}

func sameActions(a, b []zhengxie.Action) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}

func TestSubmitTarget(t *testing.T) {
	if got := zhengxie.SubmitTarget(0); got != zhengxie.StateUnderReview {
		t.Errorf("nobody invited: %s", got)
	}
	if got := zhengxie.SubmitTarget(2); got != zhengxie.StateSubmitted {
		t.Errorf("two invited: %s", got)
	}
}

func TestCheckReason(t *testing.T) {
	for _, reason := range []string{"", "   ", "\n\t"} {
		err := zhengxie.CheckReason(zhengxie.ActReject, reason)
		if zhengxie.ErrorCode(err) != zhengxie.EInvalid || zhengxie.ErrorField(err) != "reason" {
			t.Errorf("reason %q: %v", reason, err)
		}
		if !strings.Contains(zhengxie.ErrorMessage(err), "不予立案") {
			t.Errorf("message %q should name the action", zhengxie.ErrorMessage(err))
		}
	}
	if err := zhengxie.CheckReason(zhengxie.ActReject, strings.Repeat("理", 2000)); err != nil {
		t.Errorf("2000 characters: %v", err)
	}
	if err := zhengxie.CheckReason(zhengxie.ActReject, strings.Repeat("理", 2001)); zhengxie.ErrorCode(err) != zhengxie.EInvalid {
		t.Errorf("2001 characters: %v", err)
	}
	if err := zhengxie.CheckReason(zhengxie.ActReject, "不属于提案受理范围，建议通过社情民意渠道反映。"); err != nil {
		t.Error(err)
	}
}

func TestCheckMerge(t *testing.T) {
	p := &zhengxie.Proposal{ID: 1, CommitteeID: 1, SessionID: 1, State: zhengxie.StateUnderReview}
	target := func(mod func(*zhengxie.Proposal)) *zhengxie.Proposal {
		x := &zhengxie.Proposal{ID: 2, CommitteeID: 1, SessionID: 1, State: zhengxie.StateAccepted}
		mod(x)
		return x
	}
	cases := []struct {
		name string
		into *zhengxie.Proposal
		ok   bool
	}{
		{"nil", nil, false},
		{"itself", p, false},
		{"accepted", target(func(*zhengxie.Proposal) {}), true},
		{"under review", target(func(x *zhengxie.Proposal) { x.State = zhengxie.StateUnderReview }), true},
		{"handling", target(func(x *zhengxie.Proposal) { x.State = zhengxie.StateHandling }), true},
		{"other committee", target(func(x *zhengxie.Proposal) { x.CommitteeID = 9 }), false},
		{"other session", target(func(x *zhengxie.Proposal) { x.SessionID = 9 }), false},
		{"rejected", target(func(x *zhengxie.Proposal) { x.State = zhengxie.StateRejected }), false},
		{"draft", target(func(x *zhengxie.Proposal) { x.State = zhengxie.StateDraft }), false},
		{"archived", target(func(x *zhengxie.Proposal) { x.State = zhengxie.StateArchived }), false},
	}
	for _, c := range cases {
		err := zhengxie.CheckMerge(p, c.into)
		if c.ok != (err == nil) {
			t.Errorf("%s: %v", c.name, err)
		}
		if err != nil && zhengxie.ErrorField(err) != "into" {
			t.Errorf("%s: field %q", c.name, zhengxie.ErrorField(err))
		}
	}
	err := zhengxie.CheckMerge(p, target(func(x *zhengxie.Proposal) { x.State = zhengxie.StateConcluded }))
	if !strings.Contains(zhengxie.ErrorMessage(err), "已办结") {
		t.Errorf("message should name the target's state: %q", zhengxie.ErrorMessage(err))
	}
}

func TestCosignComplete(t *testing.T) {
	cs := []zhengxie.Cosigner{{Status: zhengxie.CosignConfirmed}, {Status: zhengxie.CosignDeclined}}
	if !zhengxie.CosignComplete(cs) || !zhengxie.CosignComplete(nil) {
		t.Error("everyone answered")
	}
	if zhengxie.CosignComplete(append(cs, zhengxie.Cosigner{Status: zhengxie.CosignInvited})) {
		t.Error("one still invited")
	}
}

func TestFormatNumber(t *testing.T) {
	for n, want := range map[int]string{0: "", -1: "", 1: "第0001号", 42: "第0042号", 9999: "第9999号", 12345: "第12345号"} {
		if got := zhengxie.FormatNumber(n); got != want {
			t.Errorf("FormatNumber(%d) = %q, want %q", n, got, want)
		}
	}
}

const body = "调研情况：黄埔区生物岛现有公交线路两条，高峰时段候车时间超过二十分钟。\n问题分析：接驳不足。\n具体建议：增开接驳专线。"

func validDraft() zhengxie.Draft {
	return zhengxie.Draft{Title: "关于完善生物岛交通体系的建议", Body: body, Category: "城乡建设", Kind: zhengxie.KindIndividual}
}

// TestValidateDraft covers what may be saved and what may be submitted.
func TestValidateDraft(t *testing.T) {
	cases := []struct {
		name        string
		mod         func(*zhengxie.Draft)
		saveField   string // "" means saving succeeds
		submitField string // "" means submitting succeeds
	}{
		{"valid", func(*zhengxie.Draft) {}, "", ""},
		{"title of 50 characters", func(d *zhengxie.Draft) { d.Title = strings.Repeat("案", 50) }, "", ""},
		{"title of 51 characters", func(d *zhengxie.Draft) { d.Title = strings.Repeat("案", 51) }, "title", "title"},
		{"no title", func(d *zhengxie.Draft) { d.Title = "" }, "title", "title"},
		{"invalid UTF-8 in body", func(d *zhengxie.Draft) { d.Body = "正文\xff\xfe乱码" + body }, "body", "body"},
		{"body proposal without a body name", func(d *zhengxie.Draft) { d.Kind = zhengxie.KindBody }, "body_name", "body_name"},
		{"body proposal with a body name", func(d *zhengxie.Draft) { d.Kind, d.BodyName = zhengxie.KindBody, "民革黄埔区基层委员会" }, "", ""},
		{"joint without co-signers", func(d *zhengxie.Draft) { d.Kind = zhengxie.KindJoint }, "cosigners", "cosigners"},
		{"joint with a co-signer", func(d *zhengxie.Draft) { d.Kind, d.Cosigners = zhengxie.KindJoint, []int64{7} }, "", ""},
		{"too many co-signers", func(d *zhengxie.Draft) {
			d.Kind = zhengxie.KindJoint
			for i := range zhengxie.MaxCosigners + 1 {
				d.Cosigners = append(d.Cosigners, int64(i+1))
			}
		}, "cosigners", "cosigners"},
		{"unknown kind", func(d *zhengxie.Draft) { d.Kind = "anonymous" }, "kind", "kind"},
		{"unknown category", func(d *zhengxie.Draft) { d.Category = "娱乐八卦" }, "", "category"},
		{"no category", func(d *zhengxie.Draft) { d.Category = "" }, "", "category"},
		{"body too short", func(d *zhengxie.Draft) { d.Body = "建议增开公交。" }, "", "body"},
		{"empty body", func(d *zhengxie.Draft) { d.Body = "" }, "", "body"},
		{"body too long", func(d *zhengxie.Draft) { d.Body = strings.Repeat("字", zhengxie.MaxBodyRunes+1) }, "body", "body"},
	}
	for _, c := range cases {
		d := validDraft()
		c.mod(&d)
		for _, step := range []struct {
			name  string
			fn    func(zhengxie.Draft) error
			field string
		}{{"save", zhengxie.ValidateSave, c.saveField}, {"submit", zhengxie.ValidateSubmit, c.submitField}} {
			err := step.fn(d)
			if step.field == "" {
				if err != nil {
					t.Errorf("%s: %s: unexpected %v", c.name, step.name, err)
				}
				continue
			}
			if zhengxie.ErrorCode(err) != zhengxie.EInvalid || zhengxie.ErrorField(err) != step.field {
				t.Errorf("%s: %s: got %v, want invalid on field %q", c.name, step.name, err, step.field)
				continue
			}
			if !hasHan(zhengxie.ErrorMessage(err)) {
				t.Errorf("%s: message %q is not Chinese", c.name, zhengxie.ErrorMessage(err))
			}
		}
	}
	err := zhengxie.ValidateSave(zhengxie.Draft{Title: strings.Repeat("案", 51), Kind: zhengxie.KindIndividual})
	if msg := zhengxie.ErrorMessage(err); !strings.Contains(msg, "50") || !strings.Contains(msg, "51") {
		t.Errorf("the message should give the limit and the count: %q", msg)
	}
	for _, c := range zhengxie.Categories {
		d := validDraft()
		d.Category = c
		if err := zhengxie.ValidateSubmit(d); err != nil {
			t.Errorf("category %s: %v", c, err)
		}
	}
}

// TestValidateInvalidTitleField: a broken title must be reported next to
// the title, where the user can fix it.
func TestValidateInvalidTitleField(t *testing.T) {
	d := validDraft()
	d.Title = "关于\xff\xfe的建议"
	err := zhengxie.ValidateSave(d)
	if zhengxie.ErrorCode(err) != zhengxie.EInvalid {
		t.Fatalf("invalid UTF-8 title: %v", err)
	}
	if f := zhengxie.ErrorField(err); f != "title" {
		t.Errorf("invalid UTF-8 in the title is reported on field %q, want \"title\"", f)
	}
}

func TestNormalize(t *testing.T) {
	d := zhengxie.Draft{Title: "  关于横沙书香街建设的建议 \n", Body: " 第一段\r\n第二段 ", Category: " 文化宣传 "}
	d.Normalize()
	if d.Title != "关于横沙书香街建设的建议" || d.Body != "第一段\n第二段" || d.Category != "文化宣传" || d.Kind != zhengxie.KindIndividual {
		t.Errorf("normalized: %+v", d)
	}
	j := zhengxie.Draft{Title: "x", Cosigners: []int64{3}}
	j.Normalize()
	if j.Kind != zhengxie.KindJoint {
		t.Errorf("a draft with co-signers is joint, got %s", j.Kind)
	}
}

func hasHan(s string) bool {
	for _, r := range s {
		if r >= 0x4e00 && r <= 0x9fff {
			return true
		}
	}
	return false
}
