package store_test

import (
	"context"
	"os"
	"testing"

	"zhengxie"
	"zhengxie/store"
)

// BenchmarkSearch searches a corpus made by `zhengxie bench -generate-only`
// (ZHENGXIE_BENCH_DB: its SQLite file or PostgreSQL DSN) as the office of
// its first committee: one common word, two, and one with a category.
func BenchmarkSearch(b *testing.B) {
	dsn := os.Getenv("ZHENGXIE_BENCH_DB")
	if dsn == "" {
		b.Skip("ZHENGXIE_BENCH_DB names no benchmark corpus")
	}
	ctx := context.Background()
	st, err := store.Open(ctx, dsn)
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	cs, err := st.Committees(ctx)
	if err != nil || len(cs) == 0 {
		b.Fatal(err, "no committee")
	}
	office := zhengxie.Actor{UserID: 1, CommitteeID: cs[0].ID, Role: zhengxie.RoleOffice}
	se, err := st.CurrentSession(ctx, cs[0].ID)
	if err != nil {
		b.Fatal(err)
	}
	for _, c := range []struct {
		name     string
		terms    []string
		category string
		session  int64
	}{
		{"one", []string{"养老"}, "", 0},
		{"two", []string{"养老", "服务"}, "", 0},
		{"category", []string{"教育"}, "城乡建设", 0},
		{"category+session", []string{"教育"}, "城乡建设", se.ID},
	} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			f := store.ProposalFilter{Viewer: office, Category: c.category, SessionID: c.session}
			for b.Loop() {
				if _, err := st.Search(ctx, f, c.terms, store.SearchOptions{Facets: true}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
