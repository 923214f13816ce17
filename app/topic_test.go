package app_test

import (
	"fmt"
	"testing"

	"zhengxie"
	"zhengxie/app"
	"zhengxie/internal/testenv"
)

// postedTopic is an order of unit 1 (区卫生健康局) submitted for review.
func (w *world) postedTopic(title string) *zhengxie.TopicOrder {
	w.t.Helper()
	o, err := w.svc.PostTopic(w.ctx, w.unit(1), app.TopicInput{Title: title, Background: "辖区60岁以上老人占比超过两成，社区养老服务站点覆盖不足。",
		Needs: "希望委员就老旧小区嵌入式养老服务的选址、运营和补贴提出可操作的建议。", Deadline: "2026-06-30", ContactName: "赵科长", ContactPhone: "010-66661234"})
	w.must(err)
	o, err = w.svc.TopicAct(w.ctx, w.unit(1), o.ID, zhengxie.TopicActSubmit, app.TopicActInput{})
	w.must(err)
	return o
}

// TestTopicFlow: post → publish → claim → joint study → file → accept with
// the ordering unit as default lead → reply A → adopted.
func TestTopicFlow(t *testing.T) {
	testenv.Engines(t, func(t *testing.T, dsn string) {
		w := newWorld(t, dsn)
		poster, office := w.unit(1), w.office()

		// A draft needs a title only; submitting needs everything.
		d, err := w.svc.PostTopic(w.ctx, poster, app.TopicInput{Title: "社区养老服务"})
		w.must(err)
		_, err = w.svc.TopicAct(w.ctx, poster, d.ID, zhengxie.TopicActSubmit, app.TopicActInput{})
		wantField(t, "submit an incomplete order", err, "background")
		_, err = w.svc.PostTopic(w.ctx, w.member(0), app.TopicInput{Title: "委员不能发布订单"})
		wantCode(t, "a member posts", err, zhengxie.EForbidden)
		_, err = w.svc.PostTopic(w.ctx, office, app.TopicInput{Title: "机关代发须选单位"})
		wantField(t, "the office posts without a unit", err, "unit_id")

		o := w.postedTopic("老旧小区嵌入式养老服务如何落地")
		if o.State != zhengxie.TopicPending || o.UnitID != w.f.Units[1].ID {
			t.Fatalf("submitted: %+v", o)
		}
		_, err = w.svc.Topic(w.ctx, w.member(0), o.ID)
		wantCode(t, "a member reads a pending order", err, zhengxie.ENotFound)
		_, err = w.svc.TopicAct(w.ctx, poster, o.ID, zhengxie.TopicActPublish, app.TopicActInput{})
		wantCode(t, "the poster publishes", err, zhengxie.EForbidden)
		_, err = w.svc.TopicAct(w.ctx, office, o.ID, zhengxie.TopicActReturn, app.TopicActInput{})
		wantField(t, "return without a reason", err, "reason")
		o, err = w.svc.TopicAct(w.ctx, office, o.ID, zhengxie.TopicActReturn, app.TopicActInput{Reason: "请补充希望委员回答的具体问题"})
		w.must(err)
		if n := w.notice(w.f.UnitUsers[1], "订单退回修改"); n.Link != fmt.Sprintf("/topics/%d", o.ID) {
			t.Errorf("returned notice %+v", n)
		}
		_, err = w.svc.SaveTopic(w.ctx, poster, o.ID, app.TopicInput{Title: o.Title, Background: o.Background, Needs: o.Needs + "重点是运营补贴。",
			Deadline: o.Deadline, ContactName: o.ContactName, ContactPhone: "010-66661234"})
		w.must(err)
		_, err = w.svc.TopicAct(w.ctx, poster, o.ID, zhengxie.TopicActSubmit, app.TopicActInput{})
		w.must(err)
		o, err = w.svc.TopicAct(w.ctx, office, o.ID, zhengxie.TopicActPublish, app.TopicActInput{})
		w.must(err)
		if o.State != zhengxie.TopicPublished || o.PublishedAt.IsZero() {
			t.Fatalf("published: %+v", o)
		}
		w.notice(w.f.UnitUsers[1], "订单已发布")
		w.notice(w.f.Members[3], "新的订单式提案：区卫生健康局")

		// Members see it without the phone; another committee does not.
		v, err := w.svc.Topic(w.ctx, w.member(0), o.ID)
		w.must(err)
		if v.O.ContactPhone != "" || !v.CanClaim {
			t.Errorf("member's view before claiming: phone %q claim %v", v.O.ContactPhone, v.CanClaim)
		}
		_, err = w.svc.Topic(w.ctx, w.f.Actor(w.f.Other), o.ID)
		wantCode(t, "another committee's office", err, zhengxie.ENotFound)
		if list, err := w.svc.Topics(w.ctx, w.member(0), app.TopicQuery{Query: "养老"}); err != nil || len(list) != 1 {
			t.Errorf("member's list: %d %v", len(list), err)
		}

		// Two claims: a joint one and one alone; the poster unit hears of each.
		c, err := w.svc.ClaimTopic(w.ctx, w.member(0), o.ID, app.ClaimInput{Kind: zhengxie.ClaimJoint, MemberIDs: []int64{w.f.Members[2].ID}})
		w.must(err)
		if len(c.MemberIDs) != 2 {
			t.Fatalf("joint claim %+v", c)
		}
		w.notice(w.f.UnitUsers[1], "订单已被认领")
		_, err = w.svc.ClaimTopic(w.ctx, w.member(2), o.ID, app.ClaimInput{})
		wantCode(t, "a member named in a claim claims again", err, zhengxie.EConflict)
		_, err = w.svc.ClaimTopic(w.ctx, w.member(1), o.ID, app.ClaimInput{Kind: zhengxie.ClaimJoint})
		wantField(t, "a joint claim with nobody else", err, "member_ids")
		_, err = w.svc.ClaimTopic(w.ctx, w.member(1), o.ID, app.ClaimInput{})
		w.must(err)
		_, err = w.svc.ClaimTopic(w.ctx, poster, o.ID, app.ClaimInput{})
		wantCode(t, "the unit claims", err, zhengxie.EForbidden)
		v, err = w.svc.Topic(w.ctx, w.member(2), o.ID)
		w.must(err)
		if v.O.ContactPhone != "010-66661234" || v.O.State != zhengxie.TopicClaimed || len(v.Claims) != 2 {
			t.Errorf("claimant's view: phone %q state %s claims %d", v.O.ContactPhone, v.O.State, len(v.Claims))
		}
		// Member 1 withdraws; the order stays claimed by the other claim.
		_, err = w.svc.UnclaimTopic(w.ctx, w.member(3), o.ID, "")
		wantCode(t, "a member without a claim withdraws", err, zhengxie.EForbidden)
		o, err = w.svc.UnclaimTopic(w.ctx, w.member(1), o.ID, "工作调整，无法按期完成")
		w.must(err)
		if o.State != zhengxie.TopicClaimed {
			t.Errorf("after one of two claims withdrawn: %s", o.State)
		}

		// A joint study: asked by a claimant, accepted by the unit, an event the duty module counts.
		st, err := w.svc.RequestStudy(w.ctx, w.member(2), o.ID, "希望4月上旬一同走访三个社区养老服务站。")
		w.must(err)
		w.notice(w.f.UnitUsers[1], "联合调研申请")
		_, err = w.svc.AnswerStudy(w.ctx, w.unit(0), o.ID, st.ID, app.StudyAnswer{Accept: true, Date: "2026-04-08"})
		wantCode(t, "another unit answers", err, zhengxie.EForbidden)
		_, err = w.svc.AnswerStudy(w.ctx, poster, o.ID, st.ID, app.StudyAnswer{Accept: true, Date: "4月8日"})
		wantField(t, "a bad date", err, "date")
		_, err = w.svc.AnswerStudy(w.ctx, poster, o.ID, st.ID, app.StudyAnswer{Accept: true, Date: "2026-04-08", Note: "请到局老龄健康科集合。"})
		w.must(err)
		w.notice(w.f.Members[0], "联合调研申请已答复")
		es, err := w.st.SubjectEvents(w.ctx, w.f.Committee.ID, app.SubjectTopic, o.ID)
		w.must(err)
		var items []zhengxie.DutyItem
		for i := range es {
			items = append(items, zhengxie.ItemsFromEvent(&es[i])...)
		}
		if len(items) != 2 || items[0].Kind != zhengxie.DutyJointStudy {
			t.Errorf("duty items from the order's events: %+v", items)
		}

		// File from the order: only a claimant; the draft carries the order.
		_, err = w.svc.CreateDraftFromTopic(w.ctx, w.member(3), o.ID, testenv.Draft("关于推进老旧小区嵌入式养老服务的建议"))
		wantField(t, "a member who did not claim drafts from the order", err, "order_id")
		p, err := w.svc.CreateDraftFromTopic(w.ctx, w.member(0), o.ID, testenv.Draft("关于推进老旧小区嵌入式养老服务的建议"))
		w.must(err)
		if p.Kind != zhengxie.KindJoint {
			t.Errorf("a joint claim's proposal is %s", p.Kind)
		}
		_, err = w.svc.CreateDraftFromTopic(w.ctx, w.member(0), o.ID, testenv.Draft("第二件"))
		wantField(t, "a second draft from one claim", err, "order_id")
		po, err := w.svc.OrderOfProposal(w.ctx, p)
		w.must(err)
		if po == nil || po.ID != o.ID || po.UnitID != w.f.Units[1].ID {
			t.Fatalf("proposal's order %+v", po)
		}
		_, err = w.svc.Submit(w.ctx, w.member(0), p.ID)
		w.must(err)
		_, err = w.svc.Cosign(w.ctx, w.member(2), p.ID, true)
		w.must(err)
		o, _ = w.st.Topic(w.ctx, w.f.Committee.ID, o.ID)
		if o.State != zhengxie.TopicFiled || o.Proposals != 1 {
			t.Errorf("after submit: %s, %d proposals", o.State, o.Proposals)
		}
		_, err = w.svc.UnclaimTopic(w.ctx, w.member(0), o.ID, "")
		wantCode(t, "withdraw a filed claim", err, zhengxie.EIllegal)

		// Accept, then assign with no assignment: the ordering unit leads.
		_, err = w.svc.Accept(w.ctx, office, p.ID, "")
		w.must(err)
		o, _ = w.st.Topic(w.ctx, w.f.Committee.ID, o.ID)
		if o.State != zhengxie.TopicAccepted {
			t.Errorf("after accept: %s", o.State)
		}
		_, err = w.svc.Assign(w.ctx, office, p.ID, nil, "")
		w.must(err)
		ts := w.tasks(p.ID)
		if len(ts) != 1 || ts[0].UnitID != w.f.Units[1].ID || ts[0].Kind != zhengxie.TaskLead {
			t.Fatalf("default assignment %+v", ts)
		}
		_, err = w.svc.AcceptTask(w.ctx, poster, ts[0].ID)
		w.must(err)
		_, err = w.svc.RecordContact(w.ctx, poster, ts[0].ID, "面商", w.today(), "电话沟通办理思路")
		w.must(err)
		_, err = w.svc.Reply(w.ctx, poster, ts[0].ID, zhengxie.Reply{ResultClass: "A", Text: "经研究，已将三处社区嵌入式养老服务站纳入今年民生实事项目。"}, nil)
		w.must(err)
		o, _ = w.st.Topic(w.ctx, w.f.Committee.ID, o.ID)
		if o.State != zhengxie.TopicAdopted {
			t.Errorf("after a class A reply: %s", o.State)
		}
		es, _ = w.st.SubjectEvents(w.ctx, w.f.Committee.ID, app.SubjectTopic, o.ID)
		var steps []string
		for _, e := range es {
			steps = append(steps, e.Action)
		}
		want := []string{"order.posted", "order.submit", "order.return", "order.save", "order.submit", "order.publish", "order.claim", "order.claim",
			"order.unclaim", "order.study", zhengxie.EventStudyAccepted, "order.file", "order.accepted", "order.adopted"}
		if len(steps) != len(want) {
			t.Fatalf("events %v, want %v", steps, want)
		}
		for i := range want {
			if steps[i] != want[i] {
				t.Errorf("event %d: %s, want %s", i, steps[i], want[i])
			}
		}
	})
}

// TestTopicAssignmentUnchanged: a proposal with no order still needs an
// assignment, and an explicit one wins over the order's unit.
func TestTopicAssignmentUnchanged(t *testing.T) {
	testenv.Engines(t, func(t *testing.T, dsn string) {
		w := newWorld(t, dsn)
		p := w.accepted(0, "关于优化公交线网的建议")
		_, err := w.svc.Assign(w.ctx, w.office(), p.ID, nil, "")
		if zhengxie.ErrorCode(err) != zhengxie.EInvalid {
			t.Errorf("assign nothing to a proposal without an order: %v", err)
		}
		o := w.postedTopic("托育服务")
		_, err = w.svc.TopicAct(w.ctx, w.office(), o.ID, zhengxie.TopicActPublish, app.TopicActInput{})
		w.must(err)
		_, err = w.svc.ClaimTopic(w.ctx, w.member(1), o.ID, app.ClaimInput{})
		w.must(err)
		q, err := w.svc.CreateDraftFromTopic(w.ctx, w.member(1), o.ID, testenv.Draft("关于发展普惠托育服务的建议"))
		w.must(err)
		_, err = w.svc.Submit(w.ctx, w.member(1), q.ID)
		w.must(err)
		_, err = w.svc.Accept(w.ctx, w.office(), q.ID, "")
		w.must(err)
		_, err = w.svc.Assign(w.ctx, w.office(), q.ID, []zhengxie.Assignment{w.lead(2)}, "")
		w.must(err)
		if ts := w.tasks(q.ID); len(ts) != 1 || ts[0].UnitID != w.f.Units[2].ID {
			t.Errorf("explicit assignment %+v", ts)
		}
	})
}
