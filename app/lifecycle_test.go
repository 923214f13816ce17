package app_test

import (
	"context"
	"strings"
	"testing"

	"zhengxie"
	"zhengxie/internal/testenv"
)

// TestProposalWalk walks one joint proposal from draft to archive on both engines.
func TestProposalWalk(t *testing.T) {
	testenv.Engines(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		f := testenv.Seed(t, testenv.Open(t, dsn))
		s := f.Svc
		lead, co := f.Actor(f.Members[0]), f.Actor(f.Members[1])
		office := f.Actor(f.Office)
		must := func(err error) {
			t.Helper()
			if err != nil {
				t.Fatal(err)
			}
		}
		p, err := s.CreateDraft(ctx, lead, testenv.Draft("关于完善生物岛交通体系的建议", f.Members[1].ID))
		must(err)
		_, err = s.Submit(ctx, lead, p.ID)
		must(err)
		_, err = s.Accept(ctx, office, p.ID, "")
		if zhengxie.ErrorCode(err) != zhengxie.EIllegal {
			t.Fatalf("accept before co-signing: got %v, want illegal_state", err)
		}
		p, err = s.Cosign(ctx, co, p.ID, true)
		must(err)
		if p.State != zhengxie.StateUnderReview {
			t.Fatalf("after co-sign: state %s", p.State)
		}
		p, err = s.Accept(ctx, office, p.ID, "")
		must(err)
		if p.Number != 1 || p.NumberText() != "第0001号" {
			t.Fatalf("number %d", p.Number)
		}
		p, err = s.Assign(ctx, office, p.ID, []zhengxie.Assignment{{UnitID: f.Units[0].ID, Kind: zhengxie.TaskLead}, {UnitID: f.Units[1].ID, Kind: zhengxie.TaskCo}}, "")
		must(err)
		v, err := s.Proposal(ctx, office, p.ID)
		must(err)
		if len(v.Tasks) != 2 {
			t.Fatalf("tasks %d", len(v.Tasks))
		}
		leadTask, coTask := v.Tasks[0], v.Tasks[1]
		u1, u2 := f.Actor(f.UnitUsers[0]), f.Actor(f.UnitUsers[1])
		if _, err := s.AcceptTask(ctx, u2, leadTask.ID); zhengxie.ErrorCode(err) != zhengxie.ENotFound {
			t.Fatalf("other unit accepting the lead task: %v", err)
		}
		_, err = s.AcceptTask(ctx, u1, leadTask.ID)
		must(err)
		_, err = s.AcceptTask(ctx, u2, coTask.ID)
		must(err)
		_, err = s.Reply(ctx, u2, coTask.ID, zhengxie.Reply{Text: "会办意见：同意主办单位方案。"}, nil)
		must(err)
		_, err = s.RecordContact(ctx, u1, leadTask.ID, "面商", zhengxie.DateOf(s.Clock(), zhengxie.ChinaTime()).String(), "与提案人当面沟通")
		must(err)
		_, err = s.Reply(ctx, u1, leadTask.ID, zhengxie.Reply{ResultClass: "A", Text: "答复：已采纳，联系电话13912345678。"}, nil)
		must(err)
		v, err = s.Proposal(ctx, lead, p.ID)
		must(err)
		if v.P.State != zhengxie.StateReplied {
			t.Fatalf("after reply: %s", v.P.State)
		}
		_, err = s.Feedback(ctx, lead, leadTask.ID, zhengxie.FeedbackUnsatisfied, "没有具体时间表")
		must(err)
		v, _ = s.Proposal(ctx, lead, p.ID)
		if v.P.State != zhengxie.StateHandling {
			t.Fatalf("after 不满意: %s", v.P.State)
		}
		_, err = s.Reply(ctx, u1, leadTask.ID, zhengxie.Reply{ResultClass: "B", Text: "重新答复：列入明年计划。"}, nil)
		must(err)
		_, err = s.Feedback(ctx, lead, leadTask.ID, zhengxie.FeedbackUnsatisfied, "仍不满意")
		must(err)
		v, _ = s.Proposal(ctx, lead, p.ID)
		if v.P.State != zhengxie.StateReplied {
			t.Fatalf("second 不满意 must not re-handle again: %s", v.P.State)
		}
		_, err = s.Conclude(ctx, office, p.ID, "")
		must(err)
		_, err = s.Publish(ctx, office, p.ID)
		must(err)
		_, err = s.Archive(ctx, office, p.ID)
		must(err)
		if _, err := s.Unpublish(ctx, office, p.ID, ""); zhengxie.ErrorCode(err) != zhengxie.EIllegal {
			t.Fatalf("changing an archived proposal: %v", err)
		}
		pub, err := s.Proposal(ctx, zhengxie.Actor{}, p.ID)
		must(err)
		if !pub.Public || len(pub.Events) != 0 {
			t.Fatalf("public view must be redacted: public=%v events=%d", pub.Public, len(pub.Events))
		}
		for _, tk := range pub.Tasks {
			if tk.Kind == zhengxie.TaskLead && tk.ReplyText == "" {
				t.Fatal("public must see the reply")
			}
			if strings.Contains(tk.ReplyText, "13912345678") {
				t.Fatalf("phone number leaked to the public: %q", tk.ReplyText)
			}
		}
		if _, err := s.Proposal(ctx, f.Actor(f.Other), p.ID); zhengxie.ErrorCode(err) != zhengxie.ENotFound {
			t.Fatalf("another committee's office: %v", err)
		}
		res, err := s.Store.VerifyEvents(ctx)
		must(err)
		for _, r := range res {
			if r.Break != nil {
				t.Fatalf("chain broken: %+v", r.Break)
			}
		}
	})
}
