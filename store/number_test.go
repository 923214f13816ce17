package store_test

import (
	"errors"
	"slices"
	"strings"
	"sync"
	"testing"

	"zhengxie"
	"zhengxie/internal/testenv"
	"zhengxie/store"
)

// TestConcurrentAccepts: the office accepts 40 proposals from 8 goroutines
// at once; the official numbers are exactly 1..40, no gap, no duplicate.
func TestConcurrentAccepts(t *testing.T) {
	const n, workers = 40, 8
	testenv.Engines(t, func(t *testing.T, dsn string) {
		w := newWorld(t, dsn)
		var ids []int64
		for i, d := range drafts(t, n) {
			p := w.submitted(w.f.Members[i%len(w.f.Members)], d)
			if p.State != zhengxie.StateUnderReview {
				t.Fatalf("proposal %d: state %s", p.ID, p.State)
			}
			ids = append(ids, p.ID)
		}
		// Two offices deciding at once: a second office user.
		office2 := &zhengxie.User{Username: "office2", Name: "提案科李干事", Role: zhengxie.RoleOffice}
		w.must(w.f.Svc.CreateUser(w.ctx, zhengxie.SystemActor(w.f.Committee.ID), office2, testenv.Password))
		actors := []zhengxie.Actor{w.office(), w.f.Actor(office2)}

		work := make(chan int64)
		var mu sync.Mutex
		numbers := map[int64]int{}
		var errs []error
		var wg sync.WaitGroup
		start := make(chan struct{})
		for g := range workers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				for id := range work {
					p, err := w.f.Svc.Accept(w.ctx, actors[g%2], id, "")
					mu.Lock()
					if err != nil {
						errs = append(errs, err)
					} else {
						numbers[id] = p.Number
					}
					mu.Unlock()
				}
			}()
		}
		close(start)
		for _, id := range ids {
			work <- id
		}
		close(work)
		wg.Wait()
		for _, err := range errs {
			t.Errorf("accept failed: %v", err)
		}
		checkNumbers(t, "returned", numbers, ids, n)

		// What is stored agrees with what was returned.
		stored := map[int64]int{}
		for _, id := range ids {
			p, err := w.st.Proposal(w.ctx, w.f.Committee.ID, id)
			w.must(err)
			if p.State != zhengxie.StateAccepted || p.AcceptedAt.IsZero() {
				t.Errorf("proposal %d: state %s accepted at %v", id, p.State, p.AcceptedAt)
			}
			stored[id] = p.Number
			if numbers[id] != p.Number {
				t.Errorf("proposal %d: returned number %d, stored %d", id, numbers[id], p.Number)
			}
		}
		checkNumbers(t, "stored", stored, ids, n)

		// Every proposer was told the number.
		for _, m := range w.f.Members {
			ns, err := w.st.Notifications(w.ctx, m.ID, 100)
			w.must(err)
			told := 0
			for _, x := range ns {
				if strings.HasPrefix(x.Title, "提案已立案") {
					told++
				}
			}
			if told != n/len(w.f.Members) {
				t.Errorf("member %s got %d acceptance notices, want %d", m.Name, told, n/len(w.f.Members))
			}
		}
		if r := w.verify(w.f.Committee.ID); r.Break != nil {
			t.Errorf("event chain broken after concurrent accepts: %+v", r.Break)
		}
	})
}

func checkNumbers(t *testing.T, what string, numbers map[int64]int, ids []int64, n int) {
	t.Helper()
	var got []int
	for _, id := range ids {
		got = append(got, numbers[id])
	}
	slices.Sort(got)
	want := make([]int, n)
	for i := range want {
		want[i] = i + 1
	}
	if !slices.Equal(got, want) {
		t.Errorf("%s numbers are not exactly 1..%d: %v", what, n, got)
	}
}

// TestDoubleAccept: two offices accept the same proposal at the same moment
// (a double click, or two staff): one wins, the other is told it is no
// longer under review, and only one number is used.
func TestDoubleAccept(t *testing.T) {
	testenv.Engines(t, func(t *testing.T, dsn string) {
		w := newWorld(t, dsn)
		for round := range 5 {
			p := w.submitted(w.f.Members[0], testenv.Draft("关于加强社区安全治理的建议"))
			var wg sync.WaitGroup
			results := make([]error, 4)
			nums := make([]int, 4)
			for i := range results {
				wg.Add(1)
				go func() {
					defer wg.Done()
					q, err := w.f.Svc.Accept(w.ctx, w.office(), p.ID, "")
					results[i] = err
					if err == nil {
						nums[i] = q.Number
					}
				}()
			}
			wg.Wait()
			ok := 0
			for i, err := range results {
				switch {
				case err == nil:
					ok++
					if nums[i] != round+1 {
						t.Errorf("round %d: number %d, want %d", round, nums[i], round+1)
					}
				case zhengxie.ErrorCode(err) != zhengxie.EIllegal:
					t.Errorf("round %d: the losing accept got %v, want illegal_state", round, err)
				}
			}
			if ok != 1 {
				t.Errorf("round %d: %d accepts succeeded, want exactly 1", round, ok)
			}
		}
	})
}

// TestFailedAcceptKeepsNumber: an accept whose transaction fails after the
// number was drawn gives the number back.
func TestFailedAcceptKeepsNumber(t *testing.T) {
	testenv.Engines(t, func(t *testing.T, dsn string) {
		w := newWorld(t, dsn)
		cid, sid := w.f.Committee.ID, w.f.Session.ID
		p1 := w.submitted(w.f.Members[0], testenv.Draft("关于完善生物岛交通体系的建议"))
		p2 := w.submitted(w.f.Members[1], testenv.Draft("关于培育生物医药产业生态的建议"))
		p3 := w.submitted(w.f.Members[2], testenv.Draft("关于规范第三方医学检验检测的建议"))
		a, err := w.f.Svc.Accept(w.ctx, w.office(), p1.ID, "")
		w.must(err)
		if a.Number != 1 {
			t.Fatalf("first number %d", a.Number)
		}

		// A transaction that draws a number and then fails.
		boom := errors.New("boom")
		var drawn int
		err = w.st.InTx(w.ctx, func(tx *store.Tx) error {
			n, err := tx.NextNumber(cid, sid)
			drawn = n
			if err != nil {
				return err
			}
			return boom
		})
		if !errors.Is(err, boom) || drawn != 2 {
			t.Fatalf("rolled back draw: number %d, err %v", drawn, err)
		}

		// An accept through the service that fails at its last write: a
		// stray event row takes the sequence number the accept will need,
		// so appending the accept's event violates the unique key.
		seq := w.scalar(`SELECT event_seq FROM committees WHERE id = ?`, cid)
		w.exec(`INSERT INTO events (committee_id, seq, action, created_at, prev_hash, hash) VALUES (?, ?, 'stray', 0, '', '')`, cid, seq+1)
		_, err = w.f.Svc.Accept(w.ctx, w.office(), p2.ID, "")
		if err == nil {
			t.Fatal("accept succeeded although its event could not be written")
		}
		got, err := w.st.Proposal(w.ctx, cid, p2.ID)
		w.must(err)
		if got.State != zhengxie.StateUnderReview || got.Number != 0 {
			t.Fatalf("after the failed accept: state %s number %d", got.State, got.Number)
		}
		w.exec(`DELETE FROM events WHERE committee_id = ? AND action = 'stray'`, cid)

		for i, p := range []*zhengxie.Proposal{p2, p3} {
			a, err := w.f.Svc.Accept(w.ctx, w.office(), p.ID, "")
			w.must(err)
			if a.Number != i+2 {
				t.Errorf("after the failures, proposal %d got number %d, want %d", p.ID, a.Number, i+2)
			}
		}
		if r := w.verify(cid); r.Break != nil {
			t.Errorf("chain after the failed accept: %+v", r.Break)
		}
	})
}

// TestNumbersPerCommitteeAndSession: each committee and each session counts
// from 1, independently.
func TestNumbersPerCommitteeAndSession(t *testing.T) {
	testenv.Engines(t, func(t *testing.T, dsn string) {
		w := newWorld(t, dsn)
		w.accepted(w.f.Members[0], "关于推进碳达峰行动的建议")
		w.accepted(w.f.Members[1], "关于规范危化物流管理的建议")

		// The other committee's office files a body's proposal there.
		other := w.f.Actor(w.f.Other)
		d := testenv.Draft("关于加强老城区消防通道管理的建议")
		d.Kind, d.BodyName = zhengxie.KindBody, "民进另一区委员会"
		p, err := w.f.Svc.CreateDraft(w.ctx, other, d)
		w.must(err)
		_, err = w.f.Svc.Submit(w.ctx, other, p.ID)
		w.must(err)
		p, err = w.f.Svc.Accept(w.ctx, other, p.ID, "")
		w.must(err)
		if p.Number != 1 {
			t.Errorf("first proposal of another committee: number %d, want 1", p.Number)
		}

		// A new session starts again at 1; the old one keeps counting.
		old := w.submitted(w.f.Members[2], testenv.Draft("关于建设横沙书香街的建议"))
		next := &zhengxie.Session{CommitteeID: w.f.Committee.ID, Term: 2, Number: 4, Name: "二届四次会议", Year: 2027, Current: true}
		w.must(w.st.InTx(w.ctx, func(tx *store.Tx) error { return tx.CreateSession(next) }))
		q := w.accepted(w.f.Members[3], "关于优化民营科技园营商环境的建议")
		if q.SessionID != next.ID || q.Number != 1 {
			t.Errorf("first proposal of the new session: session %d number %d", q.SessionID, q.Number)
		}
		o, err := w.f.Svc.Accept(w.ctx, w.office(), old.ID, "")
		w.must(err)
		if o.SessionID != w.f.Session.ID || o.Number != 3 {
			t.Errorf("late accept in the old session: session %d number %d, want 3", o.SessionID, o.Number)
		}
	})
}
