package app_test

import (
	"strings"
	"testing"
	"time"

	"zhengxie"
	"zhengxie/app"
	"zhengxie/internal/testenv"
	"zhengxie/store"
)

// TestReturnAndReassign: a unit returns a wrong assignment within ten days
// (counted in the committee's time zone), not after; the office reassigns
// it (改办) and the returned task is cancelled.
func TestReturnAndReassign(t *testing.T) {
	testenv.Engines(t, func(t *testing.T, dsn string) {
		w := newWorld(t, dsn)
		s := w.svc
		u1, u2 := w.unit(0), w.unit(1)
		// Assigned on 2 March (Shanghai): the last day to return is 12 March.
		p, ts := w.handling(0, "关于完善生物岛交通体系的建议", w.lead(0))
		late, lateTs := w.handling(1, "关于规范危化物流管理的建议", w.lead(0))
		if ts[0].State != zhengxie.TaskPending || ts[0].Due.String() != "2026-06-02" {
			t.Fatalf("new task: %s due %s", ts[0].State, ts[0].Due)
		}

		_, err := s.ReturnTask(w.ctx, u1, ts[0].ID, " ")
		wantField(t, "return without a reason", err, "reason")

		w.now = time.Date(2026, 3, 12, 23, 30, 0, 0, zhengxie.ChinaTime())
		_, err = s.AcceptTask(w.ctx, u1, ts[0].ID)
		w.must(err)
		reason := "该路段公交线网规划由区住房城乡建设局负责，建议改由其主办。"
		got, err := s.ReturnTask(w.ctx, u1, ts[0].ID, reason)
		w.must(err)
		if got.State != zhengxie.TaskReturned || got.ReturnReason != reason {
			t.Fatalf("returned on the last day: %s %q", got.State, got.ReturnReason)
		}
		if n := w.notice(w.f.Office, "交办退回"); !strings.Contains(n.Body, reason) {
			t.Errorf("the office is not told why: %q", n.Body)
		}

		// Half an hour after midnight in Shanghai it is the 13th, although
		// it is still the 12th in UTC.
		w.now = time.Date(2026, 3, 13, 0, 30, 0, 0, zhengxie.ChinaTime())
		_, err = s.ReturnTask(w.ctx, u1, lateTs[0].ID, reason)
		wantCode(t, "return on the 11th day", err, zhengxie.EIllegal)
		if msg := zhengxie.ErrorMessage(err); !strings.Contains(msg, "2026-03-12") {
			t.Errorf("the message should give the deadline: %q", msg)
		}
		if st := w.tasks(late.ID)[0].State; st != zhengxie.TaskPending {
			t.Errorf("a refused return changed the task to %s", st)
		}

		// 改办: the returned task's unit may not be given the same proposal
		// beside a live lead, and the office reassigns to another unit.
		_, err = s.Assign(w.ctx, w.office(), p.ID, []zhengxie.Assignment{w.lead(1), w.lead(2)}, "")
		wantField(t, "reassigning to two leads", err, "assignments")
		got2, err := s.Assign(w.ctx, w.office(), p.ID, []zhengxie.Assignment{w.lead(1)}, "改由区卫生健康局主办")
		w.must(err)
		if got2.State != zhengxie.StateHandling {
			t.Errorf("after reassignment the proposal is %s", got2.State)
		}
		ts = w.tasks(p.ID)
		if len(ts) != 2 || ts[0].State != zhengxie.TaskCancelled || ts[1].State != zhengxie.TaskPending || ts[1].UnitID != w.f.Units[1].ID {
			t.Fatalf("tasks after reassignment: %+v", ts)
		}
		if ts[1].Due.String() != "2026-06-13" {
			t.Errorf("the new unit's deadline counts from the reassignment: %s", ts[1].Due)
		}
		w.notice(w.f.UnitUsers[1], "新的交办任务")

		// The unit that returned it has no task left: it neither sees the
		// proposal nor acts on its old task.
		_, err = s.Proposal(w.ctx, u1, p.ID)
		wantCode(t, "the returning unit opening the proposal", err, zhengxie.ENotFound)
		_, err = s.AcceptTask(w.ctx, u1, ts[0].ID)
		wantCode(t, "acting on a cancelled task", err, zhengxie.ENotFound)

		// The new unit replies; the cancelled task does not hold the proposal back.
		_, err = s.AcceptTask(w.ctx, u2, ts[1].ID)
		w.must(err)
		_, err = s.Reply(w.ctx, u2, ts[1].ID, zhengxie.Reply{ResultClass: "B", Text: "已将接驳专线列入2026年公交线网优化计划。"}, nil)
		w.must(err)
		if st := w.proposal(p.ID).State; st != zhengxie.StateReplied {
			t.Errorf("after the new unit's reply the proposal is %s", st)
		}
	})
}

// TestUnitIsolation: a unit sees and acts on its own tasks only; guessing
// another unit's task id gives the same answer as a missing id.
func TestUnitIsolation(t *testing.T) {
	testenv.Engines(t, func(t *testing.T, dsn string) {
		w := newWorld(t, dsn)
		s := w.svc
		p, ts := w.handling(0, "关于规范第三方医学检验检测的建议", w.lead(0), w.co(1))
		leadTask, coTask := ts[0], ts[1]
		u1, u2, u3 := w.unit(0), w.unit(1), w.unit(2)
		reply := zhengxie.Reply{ResultClass: "A", Text: "已采纳。"}

		// A unit with no task on the proposal: as if it did not exist.
		_, err := s.Proposal(w.ctx, u3, p.ID)
		wantCode(t, "a unit without a task opening the proposal", err, zhengxie.ENotFound)
		for name, fn := range map[string]func(id int64) error{
			"accept": func(id int64) error { _, err := s.AcceptTask(w.ctx, u3, id); return err },
			"return": func(id int64) error { _, err := s.ReturnTask(w.ctx, u3, id, "不属本单位职责"); return err },
			"contact": func(id int64) error {
				_, err := s.RecordContact(w.ctx, u3, id, "面商", w.today(), "已沟通")
				return err
			},
			"reply": func(id int64) error { _, err := s.Reply(w.ctx, u3, id, reply, nil); return err },
		} {
			err := fn(leadTask.ID)
			wantCode(t, "a stranger unit's "+name, err, zhengxie.ENotFound)
			missing := fn(99999999)
			if zhengxie.ErrorMessage(err) != zhengxie.ErrorMessage(missing) {
				t.Errorf("%s: another unit's task (%q) and a missing one (%q) must look alike", name, zhengxie.ErrorMessage(err), zhengxie.ErrorMessage(missing))
			}
		}
		_, err = s.AcceptTask(w.ctx, w.f.Actor(w.f.Other), leadTask.ID)
		wantCode(t, "another committee acting on the task", err, zhengxie.ENotFound)

		// Units belong to their committee: assigning to another committee's
		// unit fails as a whole, leaving no task behind.
		foreign := &zhengxie.Unit{CommitteeID: w.f.Other.CommitteeID, Name: "他区交通运输局"}
		w.must(w.st.InTx(w.ctx, func(tx *store.Tx) error { return tx.CreateUnit(foreign) }))
		q := w.accepted(1, "关于规范危化物流管理的建议")
		_, err = s.Assign(w.ctx, w.office(), q.ID, []zhengxie.Assignment{w.lead(0), {UnitID: foreign.ID, Kind: zhengxie.TaskCo}}, "")
		wantField(t, "assigning to another committee's unit", err, "assignments")
		if got := w.tasks(q.ID); len(got) != 0 || w.proposal(q.ID).State != zhengxie.StateAccepted {
			t.Errorf("a refused assignment left %d tasks, state %s", len(got), w.proposal(q.ID).State)
		}

		// The co-handling unit sees the proposal but not the lead's task:
		// another unit's task is not found, whatever its state.
		v, err := s.Proposal(w.ctx, u2, p.ID)
		w.must(err)
		if len(v.TaskActions[leadTask.ID]) != 0 || len(v.TaskActions[coTask.ID]) == 0 {
			t.Errorf("buttons offered to the co-handling unit: %v", v.TaskActions)
		}
		_, err = s.AcceptTask(w.ctx, u2, leadTask.ID)
		wantCode(t, "the co unit accepting the lead task", err, zhengxie.ENotFound)
		_, err = s.ReturnTask(w.ctx, u2, leadTask.ID, "理由")
		wantCode(t, "the co unit returning the lead task", err, zhengxie.ENotFound)
		_, err = s.AcceptTask(w.ctx, u1, leadTask.ID)
		w.must(err)
		_, err = s.Reply(w.ctx, u2, leadTask.ID, reply, nil)
		wantCode(t, "the co unit replying in the lead's name", err, zhengxie.ENotFound)
		_, err = s.RecordContact(w.ctx, u2, leadTask.ID, "面商", w.today(), "冒名记录")
		wantCode(t, "the co unit recording the lead's contact", err, zhengxie.ENotFound)
		// Nor can the office or the proposer do a unit's work.
		_, err = s.Reply(w.ctx, w.office(), leadTask.ID, reply, nil)
		wantCode(t, "the office replying for a unit", err, zhengxie.EForbidden)
		_, err = s.Reply(w.ctx, w.member(0), leadTask.ID, reply, nil)
		wantCode(t, "the proposer replying to themself", err, zhengxie.EForbidden)
		if got := w.tasks(p.ID)[0]; got.State != zhengxie.TaskAccepted || got.ReplyText != "" {
			t.Errorf("the lead task after refused attempts: %s %q", got.State, got.ReplyText)
		}

		// Once published, the stranger unit may read it, still not act.
		_, err = s.Publish(w.ctx, w.office(), p.ID)
		w.must(err)
		if _, err := s.Proposal(w.ctx, u3, p.ID); err != nil {
			t.Errorf("a published proposal: %v", err)
		}
		_, err = s.Reply(w.ctx, u3, leadTask.ID, reply, nil)
		wantCode(t, "a stranger unit replying to a published proposal", err, zhengxie.ENotFound)
	})
}

// TestMemberCannotActOnOthers: a member acts on their own proposals only.
func TestMemberCannotActOnOthers(t *testing.T) {
	testenv.Engines(t, func(t *testing.T, dsn string) {
		w := newWorld(t, dsn)
		s := w.svc
		m2 := w.member(1)

		d := w.draft(0, testenv.Draft("关于建设横沙书香街的建议"))
		attempts := map[string]func(id int64) error{
			"open": func(id int64) error { _, err := s.Proposal(w.ctx, m2, id); return err },
			"save": func(id int64) error {
				_, err := s.SaveDraft(w.ctx, m2, id, testenv.Draft("改写的案由"))
				return err
			},
			"submit": func(id int64) error { _, err := s.Submit(w.ctx, m2, id); return err },
			"attach": func(id int64) error {
				_, err := s.AddAttachment(w.ctx, m2, id, &app.Upload{Name: "a.txt", Data: []byte("附件内容")})
				return err
			},
			"withdraw": func(id int64) error { _, err := s.Withdraw(w.ctx, m2, id, ""); return err },
		}
		for name, fn := range attempts {
			err := fn(d.ID)
			wantCode(t, "another member's "+name+" on a draft", err, zhengxie.ENotFound)
			if zhengxie.ErrorMessage(err) != zhengxie.ErrorMessage(fn(99999999)) {
				t.Errorf("%s: another member's draft and a missing one must look alike", name)
			}
		}
		if q := w.proposal(d.ID); q.Title != "关于建设横沙书香街的建议" || q.State != zhengxie.StateDraft {
			t.Errorf("the draft was changed: %q %s", q.Title, q.State)
		}
		// A draft is private even to the office.
		_, err := s.Accept(w.ctx, w.office(), d.ID, "")
		wantCode(t, "the office touching a draft", err, zhengxie.ENotFound)

		// A co-signer is not the proposer.
		j := w.draft(0, testenv.Draft("关于培育生物医药产业生态的建议", w.f.Members[1].ID))
		_, err = s.Submit(w.ctx, w.member(0), j.ID)
		w.must(err)
		_, err = s.Submit(w.ctx, m2, j.ID)
		wantCode(t, "a co-signer submitting", err, zhengxie.EForbidden)
		_, err = s.Cosign(w.ctx, w.member(2), j.ID, true)
		wantCode(t, "an uninvited member co-signing", err, zhengxie.ENotFound)

		// Rating someone else's reply.
		p, ts := w.handling(0, "关于加强社区安全治理的建议", w.lead(0))
		_, err = s.AcceptTask(w.ctx, w.unit(0), ts[0].ID)
		w.must(err)
		_, err = s.Reply(w.ctx, w.unit(0), ts[0].ID, zhengxie.Reply{ResultClass: "A", Text: "已在全区推广网格化管理。"}, nil)
		w.must(err)
		_, err = s.Feedback(w.ctx, m2, ts[0].ID, zhengxie.FeedbackUnsatisfied, "不满意")
		wantCode(t, "another member rating a reply", err, zhengxie.ENotFound)
		_, err = s.Publish(w.ctx, w.office(), p.ID)
		w.must(err)
		_, err = s.Feedback(w.ctx, m2, ts[0].ID, zhengxie.FeedbackUnsatisfied, "不满意")
		wantCode(t, "another member rating a published reply", err, zhengxie.EForbidden)
		if got := w.tasks(p.ID)[0]; got.Feedback != "" || got.State != zhengxie.TaskReplied {
			t.Errorf("someone else's rating was recorded: %+v", got)
		}
		// The proposer rates it once.
		_, err = s.Feedback(w.ctx, w.member(0), ts[0].ID, zhengxie.FeedbackSatisfied, "")
		w.must(err)
		_, err = s.Feedback(w.ctx, w.member(0), ts[0].ID, zhengxie.FeedbackBasically, "")
		wantCode(t, "rating twice", err, zhengxie.EIllegal)
	})
}

// TestArchivedIsFrozen: once archived, every action of every role fails
// with illegal_state and nothing changes.
func TestArchivedIsFrozen(t *testing.T) {
	testenv.Engines(t, func(t *testing.T, dsn string) {
		w := newWorld(t, dsn)
		s := w.svc
		p, ts := w.handling(0, "关于推进碳达峰行动的建议", w.lead(0))
		tk := ts[0].ID
		u1, office, proposer := w.unit(0), w.office(), w.member(0)
		_, err := s.AcceptTask(w.ctx, u1, tk)
		w.must(err)
		_, err = s.Reply(w.ctx, u1, tk, zhengxie.Reply{ResultClass: "B", Text: "已列入区碳达峰实施方案。"}, nil)
		w.must(err)
		_, err = s.Feedback(w.ctx, proposer, tk, zhengxie.FeedbackSatisfied, "")
		w.must(err)
		_, err = s.Conclude(w.ctx, office, p.ID, "")
		w.must(err)
		_, err = s.Publish(w.ctx, office, p.ID)
		w.must(err)
		_, err = s.Archive(w.ctx, office, p.ID)
		w.must(err)
		other := w.accepted(1, "关于规范危化物流管理的建议")

		before := *w.proposal(p.ID)
		nEvents := w.events(p.ID)
		beforeTask := w.tasks(p.ID)[0]
		leader := w.f.Actor(w.f.Leader)
		system := zhengxie.SystemActor(w.f.Committee.ID)
		pdf := &app.Upload{Name: "补充材料.pdf", Data: tinyPDF}
		attempts := map[string]func() error{
			"save":     func() error { _, err := s.SaveDraft(w.ctx, proposer, p.ID, testenv.Draft("改写")); return err },
			"submit":   func() error { _, err := s.Submit(w.ctx, proposer, p.ID); return err },
			"withdraw": func() error { _, err := s.Withdraw(w.ctx, proposer, p.ID, ""); return err },
			"attach":   func() error { _, err := s.AddAttachment(w.ctx, proposer, p.ID, pdf); return err },
			"feedback": func() error {
				_, err := s.Feedback(w.ctx, proposer, tk, zhengxie.FeedbackUnsatisfied, "重新评价")
				return err
			},
			"close cosign": func() error { _, err := s.CloseCosign(w.ctx, system, p.ID); return err },
			"accept":       func() error { _, err := s.Accept(w.ctx, office, p.ID, ""); return err },
			"reject":       func() error { _, err := s.Reject(w.ctx, office, p.ID, "理由"); return err },
			"merge":        func() error { _, err := s.Merge(w.ctx, office, p.ID, other.ID, ""); return err },
			"convert":      func() error { _, err := s.Convert(w.ctx, office, p.ID, "理由"); return err },
			"assign": func() error {
				_, err := s.Assign(w.ctx, office, p.ID, []zhengxie.Assignment{w.lead(1)}, "")
				return err
			},
			"publish":     func() error { _, err := s.Publish(w.ctx, office, p.ID); return err },
			"unpublish":   func() error { _, err := s.Unpublish(w.ctx, office, p.ID, ""); return err },
			"conclude":    func() error { _, err := s.Conclude(w.ctx, office, p.ID, ""); return err },
			"archive":     func() error { _, err := s.Archive(w.ctx, office, p.ID); return err },
			"propose key": func() error { _, err := s.ProposeKey(w.ctx, office, p.ID, 0, "列为重点"); return err },
			"leader key": func() error {
				_, err := s.ProposeKey(w.ctx, office, p.ID, w.f.Leader.ID, "列为重点")
				if err == nil {
					_, err = s.DecideKeys(w.ctx, leader, nil, true, "")
				}
				return err
			},
			"accept task": func() error { _, err := s.AcceptTask(w.ctx, u1, tk); return err },
			"return task": func() error { _, err := s.ReturnTask(w.ctx, u1, tk, "理由"); return err },
			"contact":     func() error { _, err := s.RecordContact(w.ctx, u1, tk, "面商", w.today(), "补记"); return err },
			"reply": func() error {
				_, err := s.Reply(w.ctx, u1, tk, zhengxie.Reply{ResultClass: "A", Text: "补充答复"}, nil)
				return err
			},
			"reply letter": func() error {
				_, err := s.Reply(w.ctx, u1, tk, zhengxie.Reply{ResultClass: "A", Text: "补充答复"}, pdf)
				return err
			},
		}
		for name, fn := range attempts {
			err := fn()
			wantCode(t, name+" on an archived proposal", err, zhengxie.EIllegal)
			if err != nil && !strings.Contains(zhengxie.ErrorMessage(err), "已归档") {
				t.Errorf("%s: message %q should say the proposal is archived", name, zhengxie.ErrorMessage(err))
			}
		}
		after := *w.proposal(p.ID)
		if after != before {
			t.Errorf("the archived proposal changed:\nbefore %+v\nafter  %+v", before, after)
		}
		if got := w.tasks(p.ID)[0]; got != beforeTask {
			t.Errorf("the archived proposal's task changed:\nbefore %+v\nafter  %+v", beforeTask, got)
		}
		if n := w.events(p.ID); n != nEvents {
			t.Errorf("%d events were written on a frozen proposal", n-nEvents)
		}
		atts, err := w.st.Attachments(w.ctx, w.f.Committee.ID, p.ID)
		w.must(err)
		if len(atts) != 0 {
			t.Errorf("attachments were added to an archived proposal: %+v", atts)
		}
		// Reading still works, for the proposer and the public.
		if _, err := s.Proposal(w.ctx, proposer, p.ID); err != nil {
			t.Error(err)
		}
		v, err := s.Proposal(w.ctx, w.public(), p.ID)
		w.must(err)
		if !v.Public || len(v.Actions) != 0 {
			t.Errorf("public view of an archived proposal: public=%v actions=%v", v.Public, v.Actions)
		}
	})
}
