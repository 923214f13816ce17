package store_test

import (
	"context"
	"os"
	"strings"
	"sync"
	"testing"

	"zhengxie"
	"zhengxie/internal/testenv"
	"zhengxie/store"
)

// TestMigrationsIdempotent opens the same database again and again, as a
// server restart does: nothing is applied twice and no data is lost.
func TestMigrationsIdempotent(t *testing.T) {
	testenv.Engines(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		first, err := store.Open(ctx, dsn)
		if err != nil {
			t.Fatal(err)
		}
		c := &zhengxie.Committee{Code: "hp", Name: "政协广州市黄埔区委员会"}
		if err := first.InTx(ctx, func(tx *store.Tx) error { return tx.CreateCommittee(c) }); err != nil {
			t.Fatal(err)
		}
		if err := first.Close(); err != nil {
			t.Fatal(err)
		}
		second := testenv.Open(t, dsn)
		third := testenv.Open(t, dsn) // while the second is still open
		got, err := third.CommitteeByCode(ctx, "hp")
		if err != nil || got.ID != c.ID || got.Name != c.Name {
			t.Fatalf("committee after reopening: %+v, %v", got, err)
		}
		files, err := os.ReadDir("migrations/" + second.Engine())
		if err != nil {
			t.Fatal(err)
		}
		want := 0
		for _, f := range files {
			if strings.HasSuffix(f.Name(), ".sql") {
				want++
			}
		}
		var n, distinct int
		if err := second.DB().QueryRowContext(ctx, `SELECT COUNT(*), COUNT(DISTINCT version) FROM schema_migrations`).Scan(&n, &distinct); err != nil {
			t.Fatal(err)
		}
		if want == 0 || n != want || distinct != want {
			t.Errorf("schema_migrations has %d rows (%d distinct) for %d migration files", n, distinct, want)
		}
	})
}

// TestMigrationsConcurrentStart: two server processes started at once on an
// empty database (a rolling deploy, or a supervisor restarting two
// instances) must both come up.
func TestMigrationsConcurrentStart(t *testing.T) {
	testenv.Engines(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		var wg sync.WaitGroup
		errs := make([]error, 2)
		for i := range errs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				st, err := store.Open(ctx, dsn)
				if err == nil {
					st.Close()
				}
				errs[i] = err
			}()
		}
		wg.Wait()
		for i, err := range errs {
			if err != nil {
				t.Errorf("instance %d failed to start: %v", i+1, err)
			}
		}
	})
}
