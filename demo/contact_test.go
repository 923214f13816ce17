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

// TestDemoContact: the demo committee has reception days, matters in every
// state, public messages with a published answer, reports adopted at
// several levels and an issue.
func TestDemoContact(t *testing.T) {
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
	ms, err := st.Matters(ctx, store.MatterFilter{CommitteeID: c.ID})
	if err != nil {
		t.Fatal(err)
	}
	states := map[zhengxie.MatterState]int{}
	messages, published := 0, 0
	for _, m := range ms {
		states[m.State]++
		if m.Source == zhengxie.SourceMessage {
			messages++
		}
		if m.Published {
			published++
		}
	}
	for _, s := range zhengxie.MatterStates {
		if states[s] == 0 {
			t.Errorf("no demo matter is %s", s.Name())
		}
	}
	if messages < 3 || published < 2 {
		t.Errorf("%d messages, %d published", messages, published)
	}
	rs, err := st.Receptions(ctx, store.ReceptionFilter{CommitteeID: c.ID})
	if err != nil {
		t.Fatal(err)
	}
	held := 0
	for _, r := range rs {
		if r.State == zhengxie.ReceptionHeld {
			held++
		}
	}
	if held < 3 || len(rs) < 6 {
		t.Errorf("%d reception days, %d held", len(rs), held)
	}
	recs, err := st.ReportRecords(ctx, c.ID, 0)
	if err != nil {
		t.Fatal(err)
	}
	levels := map[string]bool{}
	for _, r := range recs {
		if r.Kind == zhengxie.RecordAdoption {
			levels[r.Level] = true
		}
	}
	if len(levels) < 3 {
		t.Errorf("adoptions at %d levels", len(levels))
	}
	is, err := st.Issues(ctx, c.ID)
	if err != nil || len(is) != 1 || is[0].SentAt.IsZero() {
		t.Errorf("issues %+v %v", is, err)
	}
	res, err := st.VerifyEvents(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range res {
		if v.Break != nil {
			t.Errorf("chain broken: %+v", v.Break)
		}
	}
}
