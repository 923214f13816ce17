package app_test

import (
	"strings"
	"testing"
	"time"

	"zhengxie"
	"zhengxie/app"
	"zhengxie/internal/testenv"
)

// pdfLetter is a minimal PDF, enough for the content check.
var pdfLetter = []byte("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")

// TestCoHandlingHoldsTheLeadReply: the lead unit's reply waits for the
// co-handling opinions, sees them while it waits, and the office may let
// it through with a reason that goes into the timeline.
func TestCoHandlingHoldsTheLeadReply(t *testing.T) {
	testenv.Engines(t, func(t *testing.T, dsn string) {
		w := newWorld(t, dsn)
		s := w.svc
		p, ts := w.handling(0, "关于推进老旧小区加装电梯的建议", w.lead(0), w.co(1), w.co(2))
		lead, co1 := ts[0], ts[1]
		_, err := s.AcceptTask(w.ctx, w.unit(0), lead.ID)
		w.must(err)
		reply := zhengxie.Reply{ResultClass: "B", Text: "已列入明年加装电梯计划。"}
		_, err = s.Reply(w.ctx, w.unit(0), lead.ID, reply, nil)
		wantCode(t, "lead reply before any opinion", err, zhengxie.EIllegal)
		if msg := zhengxie.ErrorMessage(err); !strings.Contains(msg, w.f.Units[1].Name) || !strings.Contains(msg, w.f.Units[2].Name) {
			t.Errorf("the refusal must name the units waited for: %q", msg)
		}
		// The lead unit sees the opinions it waits for.
		v, err := s.Proposal(w.ctx, w.unit(0), p.ID)
		w.must(err)
		if len(v.CoOpinions) != 2 || v.CoOpinions[0].Text != "" || !strings.Contains(v.NextStep, "会办意见") {
			t.Fatalf("lead unit's view: %+v, next step %q", v.CoOpinions, v.NextStep)
		}
		_, err = s.AcceptTask(w.ctx, w.unit(1), co1.ID)
		w.must(err)
		_, err = s.Reply(w.ctx, w.unit(1), co1.ID, zhengxie.Reply{Text: "会办意见：住建部门负责审批提速。"}, nil)
		w.must(err)
		v, err = s.Proposal(w.ctx, w.unit(0), p.ID)
		w.must(err)
		if v.CoOpinions[0].Text != "会办意见：住建部门负责审批提速。" {
			t.Errorf("the lead unit does not see the opinion: %+v", v.CoOpinions)
		}
		// The proposer does not get the co-handling letters as opinions.
		if pv, _ := s.Proposal(w.ctx, w.member(0), p.ID); len(pv.CoOpinions) != 0 {
			t.Errorf("the proposer sees co-handling opinions: %+v", pv.CoOpinions)
		}
		_, err = s.Reply(w.ctx, w.unit(0), lead.ID, reply, nil)
		wantCode(t, "lead reply with one opinion missing", err, zhengxie.EIllegal)
		if w.proposal(p.ID).State != zhengxie.StateHandling {
			t.Fatal("the proposal moved on")
		}
		// Only the office releases, with a reason, on the lead task only.
		_, err = s.ReleaseLead(w.ctx, w.unit(0), lead.ID, "着急")
		wantCode(t, "the lead unit releasing itself", err, zhengxie.EForbidden)
		_, err = s.ReleaseLead(w.ctx, w.office(), lead.ID, " ")
		wantField(t, "release without a reason", err, "reason")
		_, err = s.ReleaseLead(w.ctx, w.office(), co1.ID, "理由")
		wantCode(t, "release on a co task", err, zhengxie.EIllegal)
		_, err = s.ReleaseLead(w.ctx, w.office(), lead.ID, "区财政局会办意见已电话确认，书面意见随后补交。")
		w.must(err)
		// The lead unit hears of it through the outbox, in the template's words.
		if n := w.notice(w.f.UnitUsers[0], "可先行答复："); !strings.Contains(n.Body, "理由：区财政局会办意见已电话确认，书面意见随后补交。") || strings.Contains(n.Body, "。。") {
			t.Errorf("release notice: %q", n.Body)
		}
		_, err = s.Reply(w.ctx, w.unit(0), lead.ID, reply, nil)
		w.must(err)
		if w.proposal(p.ID).State != zhengxie.StateReplied {
			t.Fatal("the released lead reply did not complete the proposal")
		}
		es, err := w.st.ProposalEvents(w.ctx, w.f.Committee.ID, p.ID)
		w.must(err)
		found := false
		for _, e := range es {
			found = found || (e.Action == string(zhengxie.TaskActRelease) && strings.Contains(e.Comment, "电话确认"))
		}
		if !found {
			t.Error("the release and its reason are not in the timeline")
		}
	})
}

// TestConcludeClosesOpenTasks: 办结 closes a co-handling task still
// waiting, with its event; no reminder follows for the concluded proposal.
func TestConcludeClosesOpenTasks(t *testing.T) {
	testenv.Engines(t, func(t *testing.T, dsn string) {
		w := newWorld(t, dsn)
		s := w.svc
		p, ts := w.handling(0, "关于优化公交线网的建议", w.lead(0), w.co(1))
		lead, co := ts[0], ts[1]
		_, err := s.ReleaseLead(w.ctx, w.office(), lead.ID, "会办单位长期未签收，经协调由主办单位先行答复。")
		w.must(err)
		_, err = s.AcceptTask(w.ctx, w.unit(0), lead.ID)
		w.must(err)
		_, err = s.Reply(w.ctx, w.unit(0), lead.ID, zhengxie.Reply{ResultClass: "A", Text: "已调整三条线路。"}, nil)
		w.must(err)
		_, err = s.Feedback(w.ctx, w.member(0), lead.ID, zhengxie.FeedbackSatisfied, "")
		w.must(err)
		_, err = s.Conclude(w.ctx, w.office(), p.ID, "")
		w.must(err)
		got := w.tasks(p.ID)
		if got[1].State != zhengxie.TaskClosed || got[0].State != zhengxie.TaskReplied {
			t.Fatalf("after 办结: lead %s, co %s", got[0].State, got[1].State)
		}
		es, err := w.st.ProposalEvents(w.ctx, w.f.Committee.ID, p.ID)
		w.must(err)
		last2 := es[len(es)-2:]
		if last2[0].Action != string(zhengxie.ActConclude) || last2[1].Action != string(zhengxie.TaskActClose) || last2[1].TaskID != co.ID {
			t.Errorf("events after 办结: %s, %s", last2[0].Action, last2[1].Action)
		}
		w.notice(w.f.UnitUsers[1], "办理任务已关闭")
		// The co unit's desk is empty and it cannot act any more.
		if _, err := s.AcceptTask(w.ctx, w.unit(1), co.ID); zhengxie.ErrorCode(err) != zhengxie.EIllegal ||
			!strings.Contains(zhengxie.ErrorMessage(err), "已办结") || strings.Contains(zhengxie.ErrorMessage(err), "已已") {
			t.Errorf("signing a closed task: %v", err)
		}
		// Months later, past every deadline: no reminder, no overdue notice.
		w.now = w.now.AddDate(0, 5, 0)
		rep, err := s.ScanDeadlines(w.ctx)
		w.must(err)
		if rep.Reminders+rep.Overdues+rep.Escalations != 0 {
			t.Errorf("alerts for a concluded proposal: %+v", rep)
		}
		ns, err := w.st.Notifications(w.ctx, w.f.UnitUsers[1].ID, 100)
		w.must(err)
		for _, n := range ns {
			if strings.HasPrefix(n.Title, "办理期限提醒") || strings.HasPrefix(n.Title, "已超期") {
				t.Errorf("the co unit was reminded: %s", n.Title)
			}
		}
	})
}

// TestReplyVersionsAfterRehandling: both replies stay in the case file,
// numbered; the public sees the final reply and its letter only; the
// timeline's 测评 says which rating was given.
func TestReplyVersionsAfterRehandling(t *testing.T) {
	testenv.Engines(t, func(t *testing.T, dsn string) {
		w := newWorld(t, dsn)
		s := w.svc
		p, ts := w.handling(0, "关于加快建设口袋公园的建议", w.lead(0))
		lead := ts[0]
		_, err := s.AcceptTask(w.ctx, w.unit(0), lead.ID)
		w.must(err)
		_, err = s.Reply(w.ctx, w.unit(0), lead.ID, zhengxie.Reply{ResultClass: "C", Text: "第一次：用地紧张，暂缓建设。"},
			&app.Upload{Name: "第一次答复函.pdf", Data: pdfLetter})
		w.must(err)
		_, err = s.Feedback(w.ctx, w.member(0), lead.ID, zhengxie.FeedbackUnsatisfied, "未说明替代方案")
		w.must(err)
		w.now = w.now.Add(24 * time.Hour)
		_, err = s.Reply(w.ctx, w.unit(0), lead.ID, zhengxie.Reply{ResultClass: "B", Text: "重新办理：利用边角地建设三处口袋公园。"},
			&app.Upload{Name: "重新办理答复函.pdf", Data: append([]byte(nil), append(pdfLetter, '\n')...)})
		w.must(err)
		_, err = s.Feedback(w.ctx, w.member(0), lead.ID, zhengxie.FeedbackBasically, "")
		w.must(err)

		v, err := s.Proposal(w.ctx, w.office(), p.ID)
		w.must(err)
		if len(v.Replies) != 2 || v.Replies[0].Label != "第一次答复" || v.Replies[1].Label != "重新办理后答复" ||
			!strings.Contains(v.Replies[0].Text, "第一次") || v.Replies[0].Feedback != zhengxie.FeedbackUnsatisfied ||
			!v.Replies[1].Current || v.Replies[0].Current || v.Replies[1].Feedback != zhengxie.FeedbackBasically {
			t.Fatalf("reply versions: %+v", v.Replies)
		}
		var ratings []string
		for _, e := range v.Events {
			if e.Action == string(zhengxie.TaskActFeedback) {
				ratings = append(ratings, e.Detail())
			}
		}
		if strings.Join(ratings, "|") != "测评结果：不满意|测评结果：基本满意" {
			t.Errorf("timeline ratings: %q", ratings)
		}

		_, err = s.Conclude(w.ctx, w.office(), p.ID, "")
		w.must(err)
		_, err = s.Publish(w.ctx, w.office(), p.ID)
		w.must(err)
		pub, err := s.Proposal(w.ctx, w.public(), p.ID)
		w.must(err)
		if len(pub.Replies) != 0 || len(pub.Tasks) != 1 || !strings.Contains(pub.Tasks[0].ReplyText, "重新办理") {
			t.Errorf("public replies: %+v / %+v", pub.Replies, pub.Tasks)
		}
		var names []string
		for _, a := range pub.Attachments {
			names = append(names, a.Name)
		}
		if strings.Join(names, ",") != "重新办理答复函.pdf" {
			t.Errorf("public letters: %v", names)
		}
		if !strings.Contains(pub.NextStep, "已公开") || strings.Contains(pub.NextStep, "点击“公开”") {
			t.Errorf("next step after publishing: %q", pub.NextStep)
		}
		ov, err := s.Proposal(w.ctx, w.office(), p.ID)
		w.must(err)
		if strings.Contains(ov.NextStep, "“公开”") || !strings.Contains(ov.NextStep, "归档") {
			t.Errorf("office's next step after publishing: %q", ov.NextStep)
		}
	})
}

// TestNextStepAfterRating: once the proposer rated every reply, nobody is
// told to wait for the rating any more.
func TestNextStepAfterRating(t *testing.T) {
	testenv.Engines(t, func(t *testing.T, dsn string) {
		w := newWorld(t, dsn)
		s := w.svc
		p, ts := w.handling(0, "关于规范共享单车停放的建议", w.lead(0))
		_, err := s.AcceptTask(w.ctx, w.unit(0), ts[0].ID)
		w.must(err)
		_, err = s.Reply(w.ctx, w.unit(0), ts[0].ID, zhengxie.Reply{ResultClass: "A", Text: "已划定停放区。"}, nil)
		w.must(err)
		v, _ := s.Proposal(w.ctx, w.member(0), p.ID)
		if !strings.Contains(v.NextStep, "满意度测评") {
			t.Errorf("before rating, the proposer: %q", v.NextStep)
		}
		_, err = s.Feedback(w.ctx, w.member(0), ts[0].ID, zhengxie.FeedbackSatisfied, "")
		w.must(err)
		for name, a := range map[string]zhengxie.Actor{"proposer": w.member(0), "office": w.office(), "unit": w.unit(0), "leader": w.f.Actor(w.f.Leader)} {
			v, err := s.Proposal(w.ctx, a, p.ID)
			w.must(err)
			if strings.Contains(v.NextStep, "等待") && strings.Contains(v.NextStep, "测评") && !strings.Contains(v.NextStep, "已完成") {
				t.Errorf("%s after rating: %q", name, v.NextStep)
			}
		}
		ov, _ := s.Proposal(w.ctx, w.office(), p.ID)
		if !strings.Contains(ov.NextStep, "办结") {
			t.Errorf("office after rating: %q", ov.NextStep)
		}
	})
}

// TestDecideKeysAsksTheLifecycle: a proposal concluded after the office
// proposed it and before the chairs decide does not become key.
func TestDecideKeysAsksTheLifecycle(t *testing.T) {
	testenv.Engines(t, func(t *testing.T, dsn string) {
		w := newWorld(t, dsn)
		s := w.svc
		leader := w.f.Actor(w.f.Leader)
		p, ts := w.handling(0, "关于建设智慧停车系统的建议", w.lead(0))
		k, err := s.ProposeKey(w.ctx, w.office(), p.ID, 0, "群众关注度高")
		w.must(err)
		_, err = s.AcceptTask(w.ctx, w.unit(0), ts[0].ID)
		w.must(err)
		_, err = s.Reply(w.ctx, w.unit(0), ts[0].ID, zhengxie.Reply{ResultClass: "A", Text: "已建成试点。"}, nil)
		w.must(err)
		_, err = s.Feedback(w.ctx, w.member(0), ts[0].ID, zhengxie.FeedbackSatisfied, "")
		w.must(err)
		_, err = s.Conclude(w.ctx, w.office(), p.ID, "")
		w.must(err)
		_, err = s.DecideKeys(w.ctx, leader, []int64{k.ID}, true, "同意")
		wantCode(t, "approving a concluded proposal as key", err, zhengxie.EIllegal)
		if w.proposal(p.ID).Key {
			t.Error("a concluded proposal became key")
		}
		// Refusing it is still possible, and proposing a concluded one is refused.
		_, err = s.DecideKeys(w.ctx, leader, []int64{k.ID}, false, "已办结")
		w.must(err)
		_, err = s.DecideKeys(w.ctx, leader, []int64{k.ID}, false, "再次")
		wantCode(t, "deciding twice", err, zhengxie.EIllegal)
		_, err = s.DecideKeys(w.ctx, w.office(), []int64{k.ID}, true, "")
		wantCode(t, "the office deciding", err, zhengxie.EForbidden)
	})
}
