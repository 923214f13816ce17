package store_test

import (
	"testing"

	"zhengxie"
	"zhengxie/internal/testenv"
	"zhengxie/store"
)

// TestTopicStore: orders, claims with their members, joint studies and the
// proposal link as the store keeps them, on both engines.
func TestTopicStore(t *testing.T) {
	testenv.Engines(t, func(t *testing.T, dsn string) {
		w := newWorld(t, dsn)
		cid := w.f.Committee.ID
		unit := w.f.Units[1]
		o := &zhengxie.TopicOrder{CommitteeID: cid, UnitID: unit.ID, PostedBy: w.f.UnitUsers[1].ID, Title: "社区嵌入式养老服务如何覆盖老旧小区",
			Background: "老旧小区老年人口比例高。", Needs: "可复制的运营模式。", Deadline: "2026-06-30", ContactName: "赵科长",
			ContactPhone: "010-6666 1234", State: zhengxie.TopicDraft}
		w.must(w.st.InTx(w.ctx, func(tx *store.Tx) error { return tx.CreateTopic(o) }))
		other := &zhengxie.TopicOrder{CommitteeID: cid, UnitID: w.f.Units[0].ID, PostedBy: w.f.UnitUsers[0].ID, Title: "公交线网优化",
			State: zhengxie.TopicPublished}
		w.must(w.st.InTx(w.ctx, func(tx *store.Tx) error { return tx.CreateTopic(other) }))
		w.must(w.st.InTx(w.ctx, func(tx *store.Tx) error {
			x, err := tx.LockTopic(cid, o.ID)
			if err != nil {
				return err
			}
			x.State, x.PublishedAt = zhengxie.TopicPublished, w.st.Now()
			return tx.UpdateTopic(x)
		}))
		got, err := w.st.Topic(w.ctx, cid, o.ID)
		w.must(err)
		if got.UnitName != unit.Name || got.State != zhengxie.TopicPublished || got.ContactPhone != "010-6666 1234" || got.PublishedAt.IsZero() {
			t.Errorf("order %+v", got)
		}
		if _, err := w.st.Topic(w.ctx, cid+1000, o.ID); zhengxie.ErrorCode(err) != zhengxie.ENotFound {
			t.Errorf("another committee reads the order: %v", err)
		}
		if os, err := w.st.Topics(w.ctx, store.TopicFilter{CommitteeID: cid, Query: "养老"}); err != nil || len(os) != 1 || os[0].ID != o.ID {
			t.Errorf("search by title: %d %v", len(os), err)
		}
		if os, _ := w.st.Topics(w.ctx, store.TopicFilter{CommitteeID: cid, UnitID: w.f.Units[0].ID}); len(os) != 1 || os[0].ID != other.ID {
			t.Errorf("by unit: %d", len(os))
		}
		if os, _ := w.st.Topics(w.ctx, store.TopicFilter{CommitteeID: cid, States: []zhengxie.TopicState{zhengxie.TopicDraft}}); len(os) != 0 {
			t.Errorf("drafts: %d", len(os))
		}

		// A joint claim names its members in order; a second claim by another member.
		c := &zhengxie.TopicClaim{CommitteeID: cid, OrderID: o.ID, ClaimantID: w.f.Members[0].ID, Kind: zhengxie.ClaimJoint,
			MemberIDs: []int64{w.f.Members[0].ID, w.f.Members[2].ID}, State: zhengxie.ClaimActive}
		c2 := &zhengxie.TopicClaim{CommitteeID: cid, OrderID: o.ID, ClaimantID: w.f.Members[1].ID, Kind: zhengxie.ClaimIndividual,
			MemberIDs: []int64{w.f.Members[1].ID}, State: zhengxie.ClaimActive}
		w.must(w.st.InTx(w.ctx, func(tx *store.Tx) error {
			if err := tx.CreateTopicClaim(c); err != nil {
				return err
			}
			return tx.CreateTopicClaim(c2)
		}))
		cs, err := w.st.TopicClaims(w.ctx, cid, o.ID)
		w.must(err)
		if len(cs) != 2 || len(cs[0].MemberIDs) != 2 || cs[0].MemberNames[1] != w.f.Members[2].Name || cs[0].Claimant != w.f.Members[0].Name {
			t.Fatalf("claims %+v", cs)
		}
		var mine []zhengxie.TopicClaim
		w.must(w.st.InTx(w.ctx, func(tx *store.Tx) (err error) { mine, err = tx.TopicClaims(cid, 0, w.f.Members[2].ID); return }))
		if len(mine) != 1 || mine[0].ID != c.ID || len(mine[0].MemberIDs) != 2 {
			t.Errorf("claims naming member 3: %+v", mine)
		}
		c2.State = zhengxie.ClaimWithdrawn
		w.must(w.st.InTx(w.ctx, func(tx *store.Tx) error { return tx.UpdateTopicClaim(c2) }))

		// A joint study asked and answered.
		st := &zhengxie.TopicStudy{CommitteeID: cid, OrderID: o.ID, ClaimID: c.ID, RequestedBy: w.f.Members[0].ID, Note: "希望一同走访三个街道。", State: zhengxie.StudyRequested}
		w.must(w.st.InTx(w.ctx, func(tx *store.Tx) error { return tx.CreateTopicStudy(st) }))
		w.must(w.st.InTx(w.ctx, func(tx *store.Tx) error {
			x, err := tx.TopicStudy(cid, o.ID, st.ID)
			if err != nil {
				return err
			}
			x.State, x.Date, x.Answer, x.AnsweredBy, x.AnsweredAt = zhengxie.StudyAccepted, "2026-04-10", "同意", w.f.UnitUsers[1].ID, w.st.Now()
			return tx.UpdateTopicStudy(x)
		}))
		ss, err := w.st.TopicStudies(w.ctx, cid, o.ID)
		w.must(err)
		if len(ss) != 1 || ss[0].State != zhengxie.StudyAccepted || ss[0].Date != "2026-04-10" || ss[0].Requester != w.f.Members[0].Name {
			t.Errorf("studies %+v", ss)
		}

		// The proposal link: one order per proposal; counted once submitted.
		p := w.draft(w.f.Members[0], testenv.Draft("关于社区嵌入式养老服务覆盖老旧小区的建议"))
		w.must(w.st.InTx(w.ctx, func(tx *store.Tx) error {
			return tx.LinkProposalTopic(cid, store.TopicLink{ProposalID: p.ID, OrderID: o.ID, ClaimID: c.ID})
		}))
		if err := w.st.InTx(w.ctx, func(tx *store.Tx) error {
			return tx.LinkProposalTopic(cid, store.TopicLink{ProposalID: p.ID, OrderID: other.ID})
		}); zhengxie.ErrorCode(err) != zhengxie.EConflict {
			t.Errorf("a second order for the proposal: %v", err)
		}
		if l, ok, err := w.st.ProposalTopic(w.ctx, cid, p.ID); err != nil || !ok || l.OrderID != o.ID || l.ClaimID != c.ID {
			t.Errorf("link %+v %v %v", l, ok, err)
		}
		if _, ok, _ := w.st.ProposalTopic(w.ctx, cid+1000, p.ID); ok {
			t.Error("another committee sees the link")
		}
		got, _ = w.st.Topic(w.ctx, cid, o.ID)
		if got.Claims != 1 || got.Proposals != 0 {
			t.Errorf("counts with a draft: claims %d proposals %d", got.Claims, got.Proposals)
		}
		_, err = w.f.Svc.Submit(w.ctx, w.f.Actor(w.f.Members[0]), p.ID)
		w.must(err)
		got, _ = w.st.Topic(w.ctx, cid, o.ID)
		if got.Proposals != 1 {
			t.Errorf("proposals after submit: %d", got.Proposals)
		}
		if tp, err := w.st.TopicProposals(w.ctx, cid, o.ID); err != nil || len(tp) != 1 || tp[0].ID != p.ID || tp[0].ClaimID != c.ID {
			t.Errorf("order's proposals %+v %v", tp, err)
		}
	})
}
