package demo_test

import (
	"context"
	"path/filepath"
	"testing"

	"zhengxie"
	"zhengxie/app"
	"zhengxie/demo"
	"zhengxie/internal/testenv"
	"zhengxie/store"
)

// TestDemoTopicOrders: the demo committee has a dozen orders in the states
// of the flow, one adopted through its accepted proposal led by the unit
// that ordered it.
func TestDemoTopicOrders(t *testing.T) {
	ctx := context.Background()
	st := testenv.Open(t, testenv.SQLiteDSN(t))
	svc := app.New(st, &app.Files{Dir: filepath.Join(t.TempDir(), "files")}, nil)
	if _, err := demo.Seed(ctx, svc); err != nil {
		t.Fatal(err)
	}
	c, err := st.CommitteeByCode(ctx, "demo")
	if err != nil {
		t.Fatal(err)
	}
	os, err := st.Topics(ctx, store.TopicFilter{CommitteeID: c.ID})
	if err != nil {
		t.Fatal(err)
	}
	states := map[zhengxie.TopicState]int{}
	for _, o := range os {
		states[o.State]++
	}
	if len(os) != 12 {
		t.Errorf("%d orders", len(os))
	}
	for _, s := range []zhengxie.TopicState{zhengxie.TopicDraft, zhengxie.TopicPending, zhengxie.TopicReturned, zhengxie.TopicPublished, zhengxie.TopicClaimed,
		zhengxie.TopicAdopted, zhengxie.TopicWithdrawn, zhengxie.TopicClosed} {
		if states[s] == 0 {
			t.Errorf("no order %s: %v", s.Name(), states)
		}
	}
	for _, o := range os {
		if o.State != zhengxie.TopicAdopted {
			continue
		}
		ps, err := st.TopicProposals(ctx, c.ID, o.ID)
		if err != nil || len(ps) != 1 {
			t.Fatalf("adopted order's proposals: %v %v", ps, err)
		}
		ts, err := st.Tasks(ctx, ps[0].ID)
		if err != nil || len(ts) != 1 || ts[0].UnitID != o.UnitID || ts[0].Kind != zhengxie.TaskLead || ts[0].ResultClass != "A" {
			t.Errorf("the adopted order's proposal is led by %+v (%v), want the ordering unit %d", ts, err, o.UnitID)
		}
	}
}
