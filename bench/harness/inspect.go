package harness

import (
	"context"
	"fmt"
	"strings"

	"zhengxie"
	"zhengxie/store"
)

// Info is what the scenarios need to know about a generated corpus. The
// HTTP scenarios work in its first committee, as one committee's office
// and members would, whatever else the deployment hosts.
type Info struct {
	Scale        Scale
	Committee    zhengxie.Committee
	Proposals    int   // filed proposals of that committee
	Year         int   // the year of its current session
	SessionID    int64 // and its id
	Units        []zhengxie.Unit
	DetailIDs    []int64 // filed proposals, spread over the committee
	PublishedIDs []int64
	SuggestIDs   []int64 // one under review and one accepted, if any
	Office       string  // usernames, with Password
	Member       string
	OfficeActor  zhengxie.Actor
	// The duty year of the committee (activities and attendance rows of
	// Year); 0 for a corpus generated before the duty module, whose duty
	// scenarios are then left out.
	DutyActivities, DutyAttendance int
}

// Inspect finds a corpus generated at scale sc in st, or fails when there is
// none (so that -reuse never measures the wrong database).
func Inspect(ctx context.Context, st *store.Store, sc Scale) (*Info, error) {
	c, err := st.CommitteeByCode(ctx, sc.Code(0))
	if err != nil {
		return nil, fmt.Errorf("数据库中没有 %s 规模的基准语料（委员会 %s）：%w", sc.Name, sc.Code(0), err)
	}
	info := &Info{Scale: sc, Committee: *c, Office: Username(0, "office"), Member: Username(0, "member0001")}
	se, err := st.CurrentSession(ctx, c.ID)
	if err != nil {
		return nil, err
	}
	info.Year, info.SessionID = se.Year, se.ID
	if info.Units, err = st.Units(ctx, c.ID); err != nil {
		return nil, err
	}
	if info.DetailIDs, err = st.SampleProposalIDs(ctx, c.ID, false, 2000); err != nil {
		return nil, err
	}
	if info.PublishedIDs, err = st.SampleProposalIDs(ctx, c.ID, true, 2000); err != nil {
		return nil, err
	}
	office, err := st.CredentialsByUsername(ctx, info.Office)
	if err != nil {
		return nil, err
	}
	info.OfficeActor = zhengxie.ActorOf(office.User)
	if _, info.Proposals, err = st.Proposals(ctx, store.ProposalFilter{Viewer: info.OfficeActor, Limit: 1}); err != nil {
		return nil, err
	}
	q := `SELECT (SELECT COUNT(*) FROM activities WHERE committee_id = $1 AND year = $2),
		(SELECT COUNT(*) FROM attendance t JOIN activities a ON a.id = t.activity_id WHERE a.committee_id = $1 AND a.year = $2)`
	args := []any{c.ID, info.Year}
	if st.Engine() == "sqlite" {
		q = strings.NewReplacer("$1", "?1", "$2", "?2").Replace(q)
	}
	if err := st.DB().QueryRowContext(ctx, q, args...).Scan(&info.DutyActivities, &info.DutyAttendance); err != nil {
		return nil, err
	}
	// Proposals whose page offers the office suggestions (category under
	// review, lead unit once accepted): the first such page trains them.
	for _, state := range []zhengxie.State{zhengxie.StateUnderReview, zhengxie.StateAccepted} {
		ps, _, err := st.Proposals(ctx, store.ProposalFilter{Viewer: info.OfficeActor, States: []zhengxie.State{state}, Limit: 1})
		if err != nil {
			return nil, err
		}
		for _, p := range ps {
			info.SuggestIDs = append(info.SuggestIDs, p.ID)
		}
	}
	return info, nil
}
