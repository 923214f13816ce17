package app_test

import (
	"strings"
	"testing"
	"time"

	"zhengxie"
	"zhengxie/internal/testenv"
)

// TestCosignDeadline: co-signers have until the deadline to confirm; when
// it passes, the job closes co-signing, whoever did not confirm is not a
// co-signer, and the proposal goes to review.
func TestCosignDeadline(t *testing.T) {
	testenv.Engines(t, func(t *testing.T, dsn string) {
		w := newWorld(t, dsn)
		s := w.svc
		m := w.f.Members
		lead := w.member(0)

		p := w.draft(0, testenv.Draft("关于完善生物岛交通体系的建议", m[1].ID, m[2].ID, m[3].ID))
		p, err := s.Submit(w.ctx, lead, p.ID)
		w.must(err)
		if p.State != zhengxie.StateSubmitted {
			t.Fatalf("a joint proposal waits for its co-signers, got %s", p.State)
		}
		if want := t0.AddDate(0, 0, 7); !p.CosignDue.Equal(want) {
			t.Errorf("co-sign deadline %v, want %v", p.CosignDue, want)
		}
		for _, c := range m[1:4] {
			if n := w.notice(c, "附议邀请"); !strings.Contains(n.Body, "2026年3月9日") {
				t.Errorf("%s's invitation does not give the deadline: %q", c.Name, n.Body)
			}
		}
		// A later proposal whose deadline has not passed when the first one's has.
		w.now = t0.Add(72 * time.Hour)
		later := w.draft(4, testenv.Draft("关于推进碳达峰行动的建议", m[0].ID))
		_, err = s.Submit(w.ctx, w.member(4), later.ID)
		w.must(err)

		w.now = t0.Add(24 * time.Hour)
		_, err = s.Cosign(w.ctx, w.member(1), p.ID, true)
		w.must(err)
		_, err = s.Cosign(w.ctx, w.member(2), p.ID, false)
		w.must(err)
		_, err = s.Cosign(w.ctx, w.member(4), p.ID, true)
		wantCode(t, "a member who was not invited co-signing", err, zhengxie.ENotFound)
		if q := w.proposal(p.ID); q.State != zhengxie.StateSubmitted {
			t.Fatalf("one co-signer has not answered, yet the state is %s", q.State)
		}

		w.now = t0.Add(7*24*time.Hour - time.Minute)
		n, err := s.CloseDueCosigns(w.ctx)
		w.must(err)
		if n != 0 || w.proposal(p.ID).State != zhengxie.StateSubmitted {
			t.Fatalf("a minute before the deadline: %d closed, state %s", n, w.proposal(p.ID).State)
		}

		w.now = t0.Add(7*24*time.Hour + time.Minute)
		n, err = s.CloseDueCosigns(w.ctx)
		w.must(err)
		if n != 1 {
			t.Errorf("after the deadline %d proposals closed, want 1", n)
		}
		q := w.proposal(p.ID)
		if q.State != zhengxie.StateUnderReview {
			t.Fatalf("after the deadline the proposal is %s", q.State)
		}
		cs, err := w.st.Cosigners(w.ctx, p.ID)
		w.must(err)
		want := map[int64]string{m[1].ID: zhengxie.CosignConfirmed, m[2].ID: zhengxie.CosignDeclined, m[3].ID: zhengxie.CosignDeclined}
		for _, c := range cs {
			if c.Status != want[c.UserID] {
				t.Errorf("co-signer %s: %s, want %s", c.Name, c.Status, want[c.UserID])
			}
		}
		if len(cs) != 3 {
			t.Errorf("%d co-signers", len(cs))
		}
		if w.proposal(later.ID).State != zhengxie.StateSubmitted {
			t.Errorf("a proposal whose deadline has not passed was closed")
		}
		// Closed by the system, and it shows in the timeline.
		v, err := s.Proposal(w.ctx, lead, p.ID)
		w.must(err)
		last := v.Events[len(v.Events)-1]
		if last.Action != string(zhengxie.ActCloseCosign) || last.ActorID != 0 || last.ToState != string(zhengxie.StateUnderReview) {
			t.Errorf("the closing event: %+v", last)
		}
		// Too late to confirm.
		_, err = s.Cosign(w.ctx, w.member(3), p.ID, true)
		wantCode(t, "confirming after the deadline", err, zhengxie.EIllegal)
		// Running the job again changes nothing.
		n, err = s.CloseDueCosigns(w.ctx)
		w.must(err)
		if n != 0 {
			t.Errorf("the job closed %d proposals on its second run", n)
		}

		// When every co-signer answers in time the proposal goes to review
		// at once, and there is nothing left to close.
		all := w.draft(1, testenv.Draft("关于加强社区安全治理的建议", m[2].ID, m[3].ID))
		_, err = s.Submit(w.ctx, w.member(1), all.ID)
		w.must(err)
		_, err = s.Cosign(w.ctx, w.member(2), all.ID, true)
		w.must(err)
		got, err := s.Cosign(w.ctx, w.member(3), all.ID, true)
		w.must(err)
		if got.State != zhengxie.StateUnderReview {
			t.Errorf("all confirmed: %s", got.State)
		}
		_, err = s.CloseCosign(w.ctx, w.office(), all.ID)
		wantCode(t, "closing co-signing twice", err, zhengxie.EIllegal)
	})
}
