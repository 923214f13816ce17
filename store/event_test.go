package store_test

import (
	"strings"
	"sync"
	"testing"
	"time"

	"zhengxie"
	"zhengxie/internal/testenv"
	"zhengxie/store"
)

// TestEventChain: after concurrent work the chain of each committee
// verifies; then an insider edits the events table directly and
// VerifyEvents names the first broken link.
func TestEventChain(t *testing.T) {
	testenv.Engines(t, func(t *testing.T, dsn string) {
		w := newWorld(t, dsn)
		cid := w.f.Committee.ID

		// Concurrent work of every kind: members drafting and submitting,
		// the office accepting, a second committee writing its own chain.
		// On PostgreSQL this once deadlocked: inserting a proposal takes a
		// KEY SHARE lock on its committee row (the foreign key), and the
		// event append then asked for FOR UPDATE on the same row.
		var wg sync.WaitGroup
		errs := make(chan error, 64)
		for i, m := range w.f.Members {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for j := range 3 {
					a := w.f.Actor(m)
					p, err := w.f.Svc.CreateDraft(w.ctx, a, testenv.Draft("关于加强社区安全治理的建议"))
					if err == nil {
						_, err = w.f.Svc.Submit(w.ctx, a, p.ID)
					}
					if err == nil && (i+j)%2 == 0 {
						_, err = w.f.Svc.Accept(w.ctx, w.office(), p.ID, "同意立案")
					}
					if err != nil {
						errs <- err
					}
				}
			}()
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 5 {
				if err := w.f.Svc.Audit(w.ctx, w.f.Actor(w.f.Other), w.f.Other.CommitteeID, "export", "导出统计", nil); err != nil {
					errs <- err
				}
			}
		}()
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Errorf("concurrent work: %v", err)
		}

		res, err := w.st.VerifyEvents(w.ctx)
		w.must(err)
		if len(res) != 2 {
			t.Fatalf("verified %d committees, want 2", len(res))
		}
		for _, r := range res {
			want := w.scalar(`SELECT COUNT(*) FROM events WHERE committee_id = ?`, r.CommitteeID)
			if r.Break != nil || r.Events != want || want == 0 {
				t.Fatalf("committee %d: %d of %d events verified, break %+v", r.CommitteeID, r.Events, want, r.Break)
			}
		}
		total := w.scalar(`SELECT COUNT(*) FROM events WHERE committee_id = ?`, cid)
		if total < 30 {
			t.Fatalf("only %d events written", total)
		}

		// Rewrite a comment, the name shown as who did it, and a decision's
		// outcome, one at a time: each is reported at its event, and putting
		// the value back makes the chain verify again, so the break was that edit.
		k := total / 2
		tamper := func(column, value string, seq int64) {
			t.Helper()
			var old string
			w.must(w.st.DB().QueryRowContext(w.ctx, w.rebind(`SELECT `+column+` FROM events WHERE committee_id = ? AND seq = ?`), cid, seq).Scan(&old))
			if w.exec(`UPDATE events SET `+column+` = ? WHERE committee_id = ? AND seq = ?`, value, cid, seq) != 1 {
				t.Fatal("tampering changed no row")
			}
			expectBreak(t, w, cid, seq, "被修改")
			if r := w.verify(w.f.Other.CommitteeID); r.Break != nil {
				t.Errorf("the other committee's chain is intact, got %+v", r.Break)
			}
			w.exec(`UPDATE events SET `+column+` = ? WHERE committee_id = ? AND seq = ?`, old, cid, seq)
			if r := w.verify(cid); r.Break != nil {
				t.Fatalf("after restoring %s: %+v", column, r.Break)
			}
		}
		tamper("comment", "经研究，同意立案。", k)
		tamper("actor_name", "李副主席", k+1)
		tamper("to_state", "rejected", k+2)
		tamper("payload", `{"into":1}`, 1)

		// Remove the last event: the committee's counter still knows it.
		w.exec(`DELETE FROM events WHERE committee_id = ? AND seq = ?`, cid, total)
		expectBreak(t, w, cid, total, "")
	})
}

// TestEventChainDeletedMiddle removes an event from the middle of the log.
func TestEventChainDeletedMiddle(t *testing.T) {
	testenv.Engines(t, func(t *testing.T, dsn string) {
		w := newWorld(t, dsn)
		cid := w.f.Committee.ID
		p := w.accepted(w.f.Members[0], "关于规范危化物流管理的建议")
		_, err := w.f.Svc.Reject(w.ctx, w.office(), w.submitted(w.f.Members[1], testenv.Draft("关于增设夜间集市的建议")).ID, "不属于提案受理范围")
		w.must(err)
		// Remove the acceptance of p, as someone hiding a decision would.
		seq := w.scalar(`SELECT seq FROM events WHERE committee_id = ? AND proposal_id = ? AND action = 'accept'`, cid, p.ID)
		w.exec(`DELETE FROM events WHERE committee_id = ? AND seq = ?`, cid, seq)
		expectBreak(t, w, cid, seq, "不连续")
	})
}

// TestVerifyEventsChecksTheAnchor: an insider who rewrites an event and
// re-seals every event after it produces a chain that is consistent in
// itself. The committee row keeps the hash of the last event written by
// the application; verification must compare against it, or the rewrite
// goes unnoticed.
func TestVerifyEventsChecksTheAnchor(t *testing.T) {
	testenv.Engines(t, func(t *testing.T, dsn string) {
		w := newWorld(t, dsn)
		cid := w.f.Committee.ID
		p := w.submitted(w.f.Members[0], testenv.Draft("关于完善生物岛交通体系的建议"))
		_, err := w.f.Svc.Reject(w.ctx, w.office(), p.ID, "与往年提案重复")
		w.must(err)
		w.submitted(w.f.Members[1], testenv.Draft("关于优化民营科技园营商环境的建议"))

		rows, err := w.st.DB().QueryContext(w.ctx, w.rebind(`SELECT seq, proposal_id, task_id, actor_id, actor_name, action, from_state, to_state, comment, payload, created_at, prev_hash, hash FROM events WHERE committee_id = ? ORDER BY seq`), cid)
		w.must(err)
		var es []zhengxie.Event
		for rows.Next() {
			e := zhengxie.Event{CommitteeID: cid}
			var at int64
			w.must(rows.Scan(&e.Seq, &e.ProposalID, &e.TaskID, &e.ActorID, &e.ActorName, &e.Action, &e.FromState, &e.ToState, &e.Comment, &e.Payload, &at, &e.PrevHash, &e.Hash))
			e.CreatedAt = time.UnixMilli(at)
			es = append(es, e)
		}
		w.must(rows.Err())
		rows.Close()

		// Rewrite the rejection's reason and re-seal from there on.
		from := -1
		for i, e := range es {
			if e.Action == "reject" {
				from = i
			}
		}
		if from < 0 {
			t.Fatal("no rejection event")
		}
		es[from].Comment = "经研究，同意立案"
		for i := from; i < len(es); i++ {
			if i > from {
				es[i].PrevHash = es[i-1].Hash
			}
			es[i].Hash = es[i].ComputeHash()
			w.exec(`UPDATE events SET comment = ?, prev_hash = ?, hash = ? WHERE committee_id = ? AND seq = ?`, es[i].Comment, es[i].PrevHash, es[i].Hash, cid, es[i].Seq)
		}
		r := w.verify(cid)
		if r.Break == nil {
			t.Fatalf("a rewritten and re-sealed log verifies (%d events); the committee's last_hash is not compared", r.Events)
		}
	})
}

func expectBreak(t *testing.T, w *world, committeeID, seq int64, because string) {
	t.Helper()
	r := w.verify(committeeID)
	if r.Break == nil {
		t.Fatalf("tampering at seq %d not detected", seq)
	}
	if r.Break.Seq != seq {
		t.Errorf("break reported at seq %d, want %d (%s)", r.Break.Seq, seq, r.Break.Reason)
	}
	if !strings.Contains(r.Break.Reason, because) {
		t.Errorf("reason %q should say %q", r.Break.Reason, because)
	}
	if r.Events != seq-1 {
		t.Errorf("%d events counted good before the break at %d", r.Events, seq)
	}
}

// TestSubjectEvents: events of a module's subject join the committee's
// chain and come back by subject, and the chain still verifies.
func TestSubjectEvents(t *testing.T) {
	testenv.Engines(t, func(t *testing.T, dsn string) {
		w := newWorld(t, dsn)
		cid := w.f.Committee.ID
		w.accepted(w.f.Members[0], "关于完善社区养老服务的建议")
		for i, id := range []int64{5, 6, 5} {
			w.must(w.f.Svc.Store.InTx(w.ctx, func(tx *store.Tx) error {
				return tx.AppendEvent(&zhengxie.Event{CommitteeID: cid, SubjectKind: "activity", SubjectID: id, ActorID: w.f.Office.ID,
					ActorName: w.f.Office.Name, Action: "activity_step", Comment: strings.Repeat("记", i+1)})
			}))
		}
		evs, err := w.f.Svc.Store.SubjectEvents(w.ctx, cid, "activity", 5)
		w.must(err)
		if len(evs) != 2 || evs[0].Comment != "记" || evs[1].Comment != "记记记" || evs[0].SubjectID != 5 {
			t.Fatalf("events of activity 5: %+v", evs)
		}
		if other, _ := w.f.Svc.Store.SubjectEvents(w.ctx, w.f.Other.CommitteeID, "activity", 5); len(other) != 0 {
			t.Errorf("another committee sees %d events of this committee's activity", len(other))
		}
		if res := w.verify(cid); res.Break != nil {
			t.Errorf("chain with subject events broken: %+v", res.Break)
		}
		// Moving an event to another subject is tampering.
		w.exec(`UPDATE events SET subject_id = 6 WHERE committee_id = ? AND subject_kind = 'activity' AND comment = '记'`, cid)
		if res := w.verify(cid); res.Break == nil {
			t.Error("an event moved to another subject was not detected")
		}
	})
}
