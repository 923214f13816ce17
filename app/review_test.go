package app_test

import (
	"strings"
	"testing"

	"zhengxie"
	"zhengxie/internal/testenv"
	"zhengxie/store"
)

// TestReviewOutcomes: every decision of the office on a proposal under
// review, and what the proposer is told.
func TestReviewOutcomes(t *testing.T) {
	testenv.Engines(t, func(t *testing.T, dsn string) {
		w := newWorld(t, dsn)
		s, office := w.svc, w.office()
		m := w.f.Members

		// 立案: numbered, and the proposer is told the number.
		target := w.underReview(0, "关于完善生物岛交通体系的建议")
		got, err := s.Accept(w.ctx, office, target.ID, "")
		w.must(err)
		if got.State != zhengxie.StateAccepted || got.Number != 1 {
			t.Fatalf("accepted: %s number %d", got.State, got.Number)
		}
		if n := w.notice(m[0], "提案已立案"); !strings.Contains(n.Body, "第0001号") {
			t.Errorf("acceptance notice %q does not give the number", n.Body)
		}

		// 不予立案: a reason is required, kept, and shown to the proposer.
		p := w.underReview(1, "关于增设夜间集市的建议")
		for _, reason := range []string{"", "  \n"} {
			_, err := s.Reject(w.ctx, office, p.ID, reason)
			wantField(t, "reject without a reason", err, "reason")
		}
		if q := w.proposal(p.ID); q.State != zhengxie.StateUnderReview {
			t.Fatalf("a refused rejection changed the state to %s", q.State)
		}
		reason := "所提事项属于企业经营行为，不属于提案受理范围，建议通过社情民意信息渠道反映。"
		got, err = s.Reject(w.ctx, office, p.ID, reason)
		w.must(err)
		if got.State != zhengxie.StateRejected || got.Reason != reason || got.Number != 0 {
			t.Errorf("rejected: %s reason %q number %d", got.State, got.Reason, got.Number)
		}
		n := w.notice(m[1], "提案不予立案")
		if !strings.Contains(n.Body, reason) || !strings.Contains(n.Title, "关于增设夜间集市的建议") {
			t.Errorf("the proposer is not told why: %q / %q", n.Title, n.Body)
		}
		v, err := s.Proposal(w.ctx, w.member(1), p.ID)
		w.must(err)
		if v.P.Reason != reason || v.Events[len(v.Events)-1].Comment != reason {
			t.Errorf("the proposer's page does not show the reason: %q", v.P.Reason)
		}
		_, err = s.Accept(w.ctx, office, p.ID, "")
		wantCode(t, "accept after rejection", err, zhengxie.EIllegal)

		// 并案: the proposer is told into which proposal.
		dup := w.underReview(2, "关于优化生物岛公交线路的建议")
		for _, bad := range []struct {
			name string
			into int64
		}{
			{"itself", dup.ID},
			{"a proposal that does not exist", 99999999},
			{"a rejected proposal", p.ID},
			{"another member's draft", w.draft(3, testenv.Draft("关于草稿的建议")).ID},
		} {
			_, err := s.Merge(w.ctx, office, dup.ID, bad.into, "")
			wantField(t, "merge into "+bad.name, err, "into")
		}
		got, err = s.Merge(w.ctx, office, dup.ID, target.ID, "内容相近")
		w.must(err)
		if got.State != zhengxie.StateMerged || got.MergedInto != target.ID {
			t.Fatalf("merged: %s into %d", got.State, got.MergedInto)
		}
		for _, text := range []string{got.Reason, w.notice(m[2], "提案已并案").Body} {
			if !strings.Contains(text, "关于完善生物岛交通体系的建议") || !strings.Contains(text, "第0001号") || !strings.Contains(text, "内容相近") {
				t.Errorf("the proposer is not told which proposal: %q", text)
			}
		}
		v, err = s.Proposal(w.ctx, w.member(2), dup.ID)
		w.must(err)
		if v.MergedInto == nil || v.MergedInto.ID != target.ID {
			t.Errorf("the merged proposal's page does not link its target: %+v", v.MergedInto)
		}

		// 转为意见建议.
		c := w.underReview(3, "关于加强社区垃圾分类宣传的建议")
		_, err = s.Convert(w.ctx, office, c.ID, "")
		wantField(t, "convert without a reason", err, "reason")
		got, err = s.Convert(w.ctx, office, c.ID, "建议转为社情民意信息报送")
		w.must(err)
		if got.State != zhengxie.StateConverted {
			t.Errorf("converted: %s", got.State)
		}
		if n := w.notice(m[3], "提案转为意见建议"); !strings.Contains(n.Body, "社情民意") {
			t.Errorf("convert notice: %q", n.Body)
		}

		// The numbers went to accepted proposals only.
		q := w.accepted(4, "关于推进碳达峰行动的建议")
		if q.Number != 2 {
			t.Errorf("the second acceptance got %d; rejections, merges or conversions must not use numbers", q.Number)
		}
	})
}

// TestReviewIsTheOfficesJob: nobody else decides, and what they are told
// says who may.
func TestReviewIsTheOfficesJob(t *testing.T) {
	testenv.Engines(t, func(t *testing.T, dsn string) {
		w := newWorld(t, dsn)
		p := w.underReview(0, "关于加强社区安全治理的建议")
		_, err := w.svc.Accept(w.ctx, w.member(0), p.ID, "")
		wantCode(t, "the proposer accepting", err, zhengxie.EForbidden)
		if !strings.Contains(zhengxie.ErrorMessage(err), "提案委员会") {
			t.Errorf("message %q should say who may", zhengxie.ErrorMessage(err))
		}
		_, err = w.svc.Reject(w.ctx, w.f.Actor(w.f.Leader), p.ID, "理由")
		wantCode(t, "a leader rejecting", err, zhengxie.EForbidden)
		_, err = w.svc.Accept(w.ctx, w.unit(0), p.ID, "")
		wantCode(t, "a unit accepting a proposal it cannot see", err, zhengxie.ENotFound)
		_, err = w.svc.Accept(w.ctx, w.member(1), p.ID, "")
		wantCode(t, "another member accepting", err, zhengxie.ENotFound)
		_, err = w.svc.Accept(w.ctx, w.f.Actor(w.f.Other), p.ID, "")
		wantCode(t, "another committee's office accepting", err, zhengxie.ENotFound)
		if q := w.proposal(p.ID); q.State != zhengxie.StateUnderReview || q.Number != 0 {
			t.Errorf("refused attempts changed the proposal: %s %d", q.State, q.Number)
		}
	})
}

// TestWithdraw: the proposer may take a proposal back until it is accepted.
func TestWithdraw(t *testing.T) {
	testenv.Engines(t, func(t *testing.T, dsn string) {
		w := newWorld(t, dsn)
		s := w.svc

		d := w.draft(0, testenv.Draft("关于建设横沙书香街的建议"))
		got, err := s.Withdraw(w.ctx, w.member(0), d.ID, "")
		w.must(err)
		if got.State != zhengxie.StateWithdrawn {
			t.Errorf("withdrawn draft: %s", got.State)
		}
		_, err = s.Submit(w.ctx, w.member(0), d.ID)
		wantCode(t, "submit after withdrawal", err, zhengxie.EIllegal)

		// Waiting for co-signers: only the proposer withdraws.
		j := w.draft(0, testenv.Draft("关于培育生物医药产业生态的建议", w.f.Members[1].ID))
		_, err = s.Submit(w.ctx, w.member(0), j.ID)
		w.must(err)
		_, err = s.Withdraw(w.ctx, w.member(1), j.ID, "")
		wantCode(t, "a co-signer withdrawing", err, zhengxie.EForbidden)
		if !strings.Contains(zhengxie.ErrorMessage(err), "提案人") {
			t.Errorf("message %q should say the proposer may", zhengxie.ErrorMessage(err))
		}
		_, err = s.Withdraw(w.ctx, w.member(0), j.ID, "")
		w.must(err)
		_, err = s.Cosign(w.ctx, w.member(1), j.ID, true)
		wantCode(t, "co-signing a withdrawn proposal", err, zhengxie.EIllegal)

		u := w.underReview(2, "关于规范第三方医学检验检测的建议")
		_, err = s.Withdraw(w.ctx, w.member(3), u.ID, "")
		wantCode(t, "another member withdrawing", err, zhengxie.ENotFound)
		_, err = s.Withdraw(w.ctx, w.office(), u.ID, "")
		wantCode(t, "the office withdrawing for the member", err, zhengxie.EForbidden)
		got, err = s.Withdraw(w.ctx, w.member(2), u.ID, "调研尚不充分，明年再提")
		w.must(err)
		if got.State != zhengxie.StateWithdrawn {
			t.Errorf("withdrawn under review: %s", got.State)
		}
		v, err := s.Proposal(w.ctx, w.office(), u.ID)
		w.must(err)
		if last := v.Events[len(v.Events)-1]; last.Action != "withdraw" || last.Comment != "调研尚不充分，明年再提" {
			t.Errorf("the timeline's last step: %+v", last)
		}

		a := w.accepted(3, "关于优化民营科技园营商环境的建议")
		_, err = s.Withdraw(w.ctx, w.member(3), a.ID, "")
		wantCode(t, "withdraw after acceptance", err, zhengxie.EIllegal)
		if msg := zhengxie.ErrorMessage(err); !strings.Contains(msg, "已立案") || !strings.Contains(msg, "撤回") {
			t.Errorf("message %q should say the proposal is accepted and cannot be withdrawn", msg)
		}
		if q := w.proposal(a.ID); q.State != zhengxie.StateAccepted {
			t.Errorf("state after a refused withdrawal: %s", q.State)
		}
	})
}

// TestDraftAndSubmit: what a member writes is never lost to a refused
// submission, and only members of the committee can be invited.
func TestDraftAndSubmit(t *testing.T) {
	testenv.Engines(t, func(t *testing.T, dsn string) {
		w := newWorld(t, dsn)
		s := w.svc
		me := w.member(0)

		// Saved with a body too short to submit.
		d := testenv.Draft("关于完善生物岛交通体系的建议")
		d.Body = "建议增开接驳专线。"
		p, err := s.CreateDraft(w.ctx, me, d)
		w.must(err)
		_, err = s.Submit(w.ctx, me, p.ID)
		wantField(t, "submitting a short body", err, "body")
		if q := w.proposal(p.ID); q.State != zhengxie.StateDraft || q.Body != d.Body || q.Title != d.Title {
			t.Errorf("the refused submission changed the draft: %s %q", q.State, q.Body)
		}
		// Fixed and submitted; from then on the text is fixed too.
		d = testenv.Draft("关于完善生物岛交通体系的建议")
		_, err = s.SaveDraft(w.ctx, me, p.ID, d)
		w.must(err)
		_, err = s.Submit(w.ctx, me, p.ID)
		w.must(err)
		_, err = s.SaveDraft(w.ctx, me, p.ID, testenv.Draft("关于改写案由的建议"))
		wantCode(t, "editing after submission", err, zhengxie.EIllegal)

		// Co-signers are members of this committee.
		for name, id := range map[string]int64{
			"another committee's user": w.f.Other.ID,
			"the office":               w.f.Office.ID,
			"a unit's staff":           w.f.UnitUsers[0].ID,
			"nobody":                   99999999,
		} {
			_, err := s.CreateDraft(w.ctx, me, testenv.Draft("关于加强社区安全治理的建议", id))
			wantField(t, "inviting "+name, err, "cosigners")
		}
		ps, total, err := w.st.Proposals(w.ctx, store.ProposalFilter{Viewer: me, Mine: true})
		w.must(err)
		if total != 1 || len(ps) != 1 {
			t.Errorf("refused drafts were stored: %d proposals", total)
		}

		// A body's proposal carries the body's name as proposer.
		bd := testenv.Draft("关于培育生物医药产业生态的建议")
		bd.Kind, bd.BodyName = zhengxie.KindBody, "民盟黄埔区基层委员会"
		bp, err := s.CreateDraft(w.ctx, me, bd)
		w.must(err)
		if bp.ProposerName != "民盟黄埔区基层委员会" || bp.Kind != zhengxie.KindBody {
			t.Errorf("body proposal: %q %s", bp.ProposerName, bp.Kind)
		}
		// Units and leaders do not write proposals.
		_, err = s.CreateDraft(w.ctx, w.unit(0), testenv.Draft("关于单位提案的建议"))
		wantCode(t, "a unit writing a proposal", err, zhengxie.EForbidden)
	})
}
