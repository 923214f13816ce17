package store_test

import (
	"context"
	"testing"

	"zhengxie"
	"zhengxie/store"
)

func officeOf(t *testing.T, st *store.Store) zhengxie.Actor {
	t.Helper()
	c, err := st.CommitteeByCode(context.Background(), "demo")
	if err != nil {
		t.Fatal(err)
	}
	us, err := st.Users(context.Background(), store.UserFilter{CommitteeID: c.ID, Role: zhengxie.RoleOffice})
	if err != nil || len(us) == 0 {
		t.Fatal("no office user", err)
	}
	return zhengxie.ActorOf(&us[0])
}

func underReview(t *testing.T, st *store.Store) int64 {
	t.Helper()
	a := officeOf(t, st)
	ps, _, err := st.Proposals(context.Background(), store.ProposalFilter{Viewer: a, States: []zhengxie.State{zhengxie.StateUnderReview}})
	if err != nil || len(ps) == 0 {
		t.Fatal("no proposal under review", err)
	}
	return ps[0].ID
}
