package app_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"zhengxie"
	"zhengxie/app"
	"zhengxie/internal/testenv"
	"zhengxie/store"
)

// world is a seeded committee on one engine, with a clock the test moves.
type world struct {
	t   *testing.T
	ctx context.Context
	f   *testenv.Fixture
	svc *app.Service
	st  *store.Store
	now time.Time
}

// t0 is a Monday morning in the committee's time zone; the fixed clock
// makes deadlines exact.
var t0 = time.Date(2026, 3, 2, 10, 0, 0, 0, zhengxie.ChinaTime())

func newWorld(t *testing.T, dsn string) *world {
	st := testenv.Open(t, dsn)
	f := testenv.Seed(t, st)
	w := &world{t: t, ctx: context.Background(), f: f, svc: f.Svc, st: st, now: t0}
	f.Svc.Clock = func() time.Time { return w.now }
	return w
}

func (w *world) must(err error) {
	w.t.Helper()
	if err != nil {
		w.t.Fatal(err)
	}
}

func (w *world) office() zhengxie.Actor      { return w.f.Actor(w.f.Office) }
func (w *world) member(i int) zhengxie.Actor { return w.f.Actor(w.f.Members[i]) }
func (w *world) unit(i int) zhengxie.Actor   { return w.f.Actor(w.f.UnitUsers[i]) }
func (w *world) public() zhengxie.Actor      { return zhengxie.Actor{} }
func (w *world) today() string               { return zhengxie.DateOf(w.now, zhengxie.ChinaTime()).String() }

// draft creates a draft of member i.
func (w *world) draft(i int, d zhengxie.Draft) *zhengxie.Proposal {
	w.t.Helper()
	p, err := w.svc.CreateDraft(w.ctx, w.member(i), d)
	w.must(err)
	return p
}

// underReview creates a proposal of member i with nobody invited and submits it.
func (w *world) underReview(i int, title string) *zhengxie.Proposal {
	w.t.Helper()
	p := w.draft(i, testenv.Draft(title))
	p, err := w.svc.Submit(w.ctx, w.member(i), p.ID)
	w.must(err)
	if p.State != zhengxie.StateUnderReview {
		w.t.Fatalf("submitted proposal is %s", p.State)
	}
	return p
}

func (w *world) accepted(i int, title string) *zhengxie.Proposal {
	w.t.Helper()
	p, err := w.svc.Accept(w.ctx, w.office(), w.underReview(i, title).ID, "")
	w.must(err)
	return p
}

// handling creates a proposal of member i assigned to units; it returns the
// tasks in the order of the assignments.
func (w *world) handling(i int, title string, as ...zhengxie.Assignment) (*zhengxie.Proposal, []zhengxie.Task) {
	w.t.Helper()
	p, err := w.svc.Assign(w.ctx, w.office(), w.accepted(i, title).ID, as, "")
	w.must(err)
	return p, w.tasks(p.ID)
}

func (w *world) tasks(proposalID int64) []zhengxie.Task {
	w.t.Helper()
	ts, err := w.st.Tasks(w.ctx, proposalID)
	w.must(err)
	return ts
}

func (w *world) proposal(id int64) *zhengxie.Proposal {
	w.t.Helper()
	p, err := w.st.Proposal(w.ctx, w.f.Committee.ID, id)
	w.must(err)
	return p
}

func (w *world) lead(i int) zhengxie.Assignment {
	return zhengxie.Assignment{UnitID: w.f.Units[i].ID, Kind: zhengxie.TaskLead}
}

func (w *world) co(i int) zhengxie.Assignment {
	return zhengxie.Assignment{UnitID: w.f.Units[i].ID, Kind: zhengxie.TaskCo}
}

// notice returns the newest notification of user whose title starts with
// prefix, failing when there is none.
func (w *world) notice(u *zhengxie.User, prefix string) store.Notification {
	w.t.Helper()
	ns, err := w.st.Notifications(w.ctx, u.ID, 50)
	w.must(err)
	for _, n := range ns {
		if strings.HasPrefix(n.Title, prefix) {
			return n
		}
	}
	w.t.Fatalf("%s got no notification titled %q…", u.Name, prefix)
	return store.Notification{}
}

// events counts the events of a proposal.
func (w *world) events(id int64) int {
	w.t.Helper()
	es, err := w.st.ProposalEvents(w.ctx, w.f.Committee.ID, id)
	w.must(err)
	return len(es)
}

// wantCode fails unless err has the given code.
func wantCode(t *testing.T, what string, err error, code string) {
	t.Helper()
	if got := zhengxie.ErrorCode(err); got != code {
		t.Errorf("%s: got %v, want %s", what, err, code)
	}
}

// wantField fails unless err is invalid input on field.
func wantField(t *testing.T, what string, err error, field string) {
	t.Helper()
	if zhengxie.ErrorCode(err) != zhengxie.EInvalid || zhengxie.ErrorField(err) != field {
		t.Errorf("%s: got %v, want invalid on field %q", what, err, field)
	}
}
