package store_test

import (
	"fmt"
	"slices"
	"testing"

	"zhengxie"
	"zhengxie/internal/testenv"
	"zhengxie/store"
)

// listIDs lists every proposal f lets its viewer see, across pages.
func listIDs(t *testing.T, w *world, f store.ProposalFilter) []int64 {
	t.Helper()
	f.Limit = 200
	ps, total, err := w.st.Proposals(w.ctx, f)
	w.must(err)
	if total != len(ps) {
		t.Errorf("total %d but %d rows returned", total, len(ps))
	}
	var ids []int64
	for _, p := range ps {
		ids = append(ids, p.ID)
	}
	slices.Sort(ids)
	return ids
}

func ids(ps ...*zhengxie.Proposal) []int64 {
	var out []int64
	for _, p := range ps {
		out = append(out, p.ID)
	}
	slices.Sort(out)
	return out
}

// TestProposalVisibility builds proposals in every kind of state and checks
// exactly which ones each viewer's list shows.
func TestProposalVisibility(t *testing.T) {
	testenv.Engines(t, func(t *testing.T, dsn string) {
		w := newWorld(t, dsn)
		m := w.f.Members
		u := w.f.Units
		svc := w.f.Svc

		ownDraft := w.draft(m[0], testenv.Draft("关于完善生物岛交通体系的建议"))
		// m[1] is invited to a draft that was never submitted: not theirs to see yet.
		invitedDraft := w.draft(m[0], testenv.Draft("关于建设横沙书香街的建议", m[1].ID))
		jointSubmitted := w.draft(m[0], testenv.Draft("关于培育生物医药产业生态的建议", m[1].ID))
		_, err := svc.Submit(w.ctx, w.f.Actor(m[0]), jointSubmitted.ID)
		w.must(err)
		underReview := w.submitted(m[2], testenv.Draft("关于加强社区安全治理的建议"))
		withUnit1 := w.assigned(m[2], "关于规范第三方医学检验检测的建议", lead(u[0]), co(u[1]))
		withUnit3 := w.assigned(m[3], "关于优化民营科技园营商环境的建议", lead(u[2]))
		published := w.assigned(m[3], "关于推进碳达峰行动的建议", lead(u[2]))
		_, err = svc.Publish(w.ctx, w.office(), published.ID)
		w.must(err)
		otherDraft := w.draft(m[4], testenv.Draft("关于规范危化物流管理的建议"))
		rejected := w.submitted(m[4], testenv.Draft("关于增设夜间集市的建议"))
		_, err = svc.Reject(w.ctx, w.office(), rejected.ID, "不属于提案受理范围")
		w.must(err)

		// A published proposal of the other committee must never appear in ours.
		oa := w.f.Actor(w.f.Other)
		od := testenv.Draft("关于加强老城区消防通道管理的建议")
		od.Kind, od.BodyName = zhengxie.KindBody, "民进另一区委员会"
		op, err := svc.CreateDraft(w.ctx, oa, od)
		w.must(err)
		_, err = svc.Submit(w.ctx, oa, op.ID)
		w.must(err)
		_, err = svc.Accept(w.ctx, oa, op.ID, "")
		w.must(err)
		_, err = svc.Publish(w.ctx, oa, op.ID)
		w.must(err)

		cid := w.f.Committee.ID
		allSubmitted := ids(jointSubmitted, underReview, withUnit1, withUnit3, published, rejected)
		cases := []struct {
			name   string
			filter store.ProposalFilter
			want   []int64
		}{
			{"public", store.ProposalFilter{CommitteeID: cid}, ids(published)},
			{"public without a committee", store.ProposalFilter{}, nil},
			{"proposer", store.ProposalFilter{Viewer: w.f.Actor(m[0])}, ids(ownDraft, invitedDraft, jointSubmitted, published)},
			{"co-signer", store.ProposalFilter{Viewer: w.f.Actor(m[1])}, ids(jointSubmitted, published)},
			{"co-signer, mine only", store.ProposalFilter{Viewer: w.f.Actor(m[1]), Mine: true}, ids(jointSubmitted)},
			{"member with proposals in review and handling", store.ProposalFilter{Viewer: w.f.Actor(m[2])}, ids(underReview, withUnit1, published)},
			{"member with a draft and a rejection", store.ProposalFilter{Viewer: w.f.Actor(m[4])}, ids(otherDraft, rejected, published)},
			{"lead unit", store.ProposalFilter{Viewer: w.f.Actor(w.f.UnitUsers[0])}, ids(withUnit1, published)},
			{"co-handling unit", store.ProposalFilter{Viewer: w.f.Actor(w.f.UnitUsers[1])}, ids(withUnit1, published)},
			{"unit with two tasks", store.ProposalFilter{Viewer: w.f.Actor(w.f.UnitUsers[2])}, ids(withUnit3, published)},
			{"office", store.ProposalFilter{Viewer: w.office()}, allSubmitted},
			{"leader", store.ProposalFilter{Viewer: w.f.Actor(w.f.Leader)}, allSubmitted},
			{"admin", store.ProposalFilter{Viewer: w.f.Actor(w.f.Admin)}, allSubmitted},
			{"other committee's office looking at ours", store.ProposalFilter{Viewer: oa, CommitteeID: cid}, ids(published)},
			{"other committee's office at home", store.ProposalFilter{Viewer: oa}, ids(op)},
			{"office, published only", store.ProposalFilter{Viewer: w.office(), Published: true}, ids(published)},
			{"office, under review", store.ProposalFilter{Viewer: w.office(), States: []zhengxie.State{zhengxie.StateUnderReview}}, ids(underReview)},
			{"office, by unit", store.ProposalFilter{Viewer: w.office(), UnitID: u[1].ID}, ids(withUnit1)},
			{"office, by proposer", store.ProposalFilter{Viewer: w.office(), ProposerID: m[3].ID}, ids(withUnit3, published)},
			{"member asking for another unit's list", store.ProposalFilter{Viewer: w.f.Actor(m[4]), UnitID: u[0].ID}, nil},
			{"unit asking for another unit's list", store.ProposalFilter{Viewer: w.f.Actor(w.f.UnitUsers[2]), UnitID: u[0].ID}, nil},
			{"public asking for drafts", store.ProposalFilter{CommitteeID: cid, States: []zhengxie.State{zhengxie.StateDraft}}, nil},
			{"public asking for a proposer", store.ProposalFilter{CommitteeID: cid, ProposerID: m[0].ID}, nil},
		}
		for _, c := range cases {
			if got := listIDs(t, w, c.filter); !slices.Equal(got, c.want) {
				t.Errorf("%s: sees %v, want %v", c.name, got, c.want)
			}
		}

		// The list agrees with the page: whatever a viewer's list shows,
		// the viewer may open, and nothing else of the committee.
		all := append(allSubmitted, ownDraft.ID, invitedDraft.ID, otherDraft.ID)
		for _, c := range cases {
			if c.filter.Mine || c.filter.Published || len(c.filter.States) > 0 || c.filter.UnitID != 0 || c.filter.ProposerID != 0 || c.filter.CommitteeID == 0 && c.filter.Viewer.IsAnonymous() {
				continue
			}
			if c.filter.Viewer.CommitteeID != 0 && c.filter.CommitteeID != 0 && c.filter.Viewer.CommitteeID != c.filter.CommitteeID {
				continue
			}
			for _, id := range all {
				_, err := svc.Proposal(w.ctx, c.filter.Viewer, id)
				listed := slices.Contains(c.want, id)
				if listed != (err == nil) {
					t.Errorf("%s: proposal %d listed=%v but opening it gives %v", c.name, id, listed, err)
				}
			}
		}
	})
}

// TestProposalPagination: pages cover the list once, newest first, and the
// total counts everything the viewer may see, not just the page.
func TestProposalPagination(t *testing.T) {
	testenv.Engines(t, func(t *testing.T, dsn string) {
		w := newWorld(t, dsn)
		var made []int64
		for i := range 23 {
			p := w.submitted(w.f.Members[i%len(w.f.Members)], testenv.Draft(fmt.Sprintf("关于加强第%d片区社区安全治理的建议", i+1)))
			made = append(made, p.ID)
		}
		// Drafts are not the office's to see and must not count.
		w.draft(w.f.Members[0], testenv.Draft("关于草稿的建议"))

		var seen []int64
		for page := 0; ; page++ {
			ps, total, err := w.st.Proposals(w.ctx, store.ProposalFilter{Viewer: w.office(), Limit: 10, Offset: page * 10})
			w.must(err)
			if total != 23 {
				t.Fatalf("page %d: total %d, want 23", page, total)
			}
			if want := min(10, 23-page*10); len(ps) != max(want, 0) {
				t.Fatalf("page %d: %d rows, want %d", page, len(ps), want)
			}
			if len(ps) == 0 {
				break
			}
			for _, p := range ps {
				seen = append(seen, p.ID)
			}
		}
		want := slices.Clone(made)
		slices.Reverse(want)
		if !slices.Equal(seen, want) {
			t.Errorf("pages give %v, want newest first %v", seen, want)
		}

		// Filters narrow the total too.
		_, total, err := w.st.Proposals(w.ctx, store.ProposalFilter{Viewer: w.office(), ProposerID: w.f.Members[0].ID, Limit: 2})
		w.must(err)
		if total != 5 {
			t.Errorf("total of one proposer: %d, want 5", total)
		}
		// A silly limit falls back to a page, not to everything.
		ps, _, err := w.st.Proposals(w.ctx, store.ProposalFilter{Viewer: w.office(), Limit: -1})
		w.must(err)
		if len(ps) == 0 || len(ps) > 23 {
			t.Errorf("limit -1 gave %d rows", len(ps))
		}
	})
}

// TestProposalFilterInjection sends hostile text where users type: nothing
// leaks past visibility, nothing is executed, and a real quote in a title
// is found as text.
func TestProposalFilterInjection(t *testing.T) {
	testenv.Engines(t, func(t *testing.T, dsn string) {
		w := newWorld(t, dsn)
		cid := w.f.Committee.ID
		quoted := w.accepted(w.f.Members[0], "关于规范'网红'打卡点管理的建议")
		_, err := w.f.Svc.Publish(w.ctx, w.office(), quoted.ID)
		w.must(err)
		hidden := w.submitted(w.f.Members[1], testenv.Draft("关于加强社区安全治理的建议"))
		w.draft(w.f.Members[2], testenv.Draft("关于草稿'的建议"))

		payloads := []string{
			`' OR '1'='1`,
			`' OR 1=1 --`,
			`%' OR p.published = 0 OR '%'='`,
			`'; DROP TABLE proposals; --`,
			`') UNION SELECT * FROM users --`,
			`\`, `%`, `_`, `%%`, `[`, `"`, `?`, `$1`,
			"社区\x00安全",
		}
		for _, s := range payloads {
			for _, f := range []store.ProposalFilter{
				{CommitteeID: cid, TitleLike: s},
				{CommitteeID: cid, Category: s},
				{Viewer: w.f.Actor(w.f.Members[3]), TitleLike: s},
			} {
				ps, total, err := w.st.Proposals(w.ctx, f)
				if err != nil {
					// A refusal is harmless; a leak is not.
					continue
				}
				for _, p := range ps {
					if !p.Published {
						t.Errorf("payload %q in %+v leaked unpublished proposal %d", s, f, p.ID)
					}
				}
				if total > 1 {
					t.Errorf("payload %q: total %d, only one proposal is public", s, total)
				}
			}
		}
		// The office still sees its proposals: the table survived.
		got := listIDs(t, w, store.ProposalFilter{Viewer: w.office()})
		if !slices.Equal(got, ids(quoted, hidden)) {
			t.Fatalf("after the payloads the office sees %v", got)
		}
		// A quote is text.
		got = listIDs(t, w, store.ProposalFilter{CommitteeID: cid, TitleLike: "'网红'"})
		if !slices.Equal(got, ids(quoted)) {
			t.Errorf("searching for a quoted word: %v", got)
		}
		got = listIDs(t, w, store.ProposalFilter{Viewer: w.office(), TitleLike: "社区安全"})
		if !slices.Equal(got, ids(hidden)) {
			t.Errorf("searching the office's list: %v", got)
		}
	})
}
