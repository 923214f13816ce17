package store_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"zhengxie/app"
	"zhengxie/demo"
	"zhengxie/internal/testenv"
	"zhengxie/store"
)

// snapshot reads every committee table of every committee.
func snapshot(t *testing.T, st *store.Store) map[string][][]any {
	t.Helper()
	ctx := context.Background()
	cs, err := st.Committees(ctx)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][][]any{}
	for _, c := range cs {
		for _, table := range store.CommitteeTables() {
			_, rows, err := st.TableRows(ctx, table, c.ID)
			if err != nil {
				t.Fatal(err)
			}
			out[fmt.Sprintf("%s/%s", c.Code, table)] = rows
		}
	}
	return out
}

func sameSnapshots(t *testing.T, what string, a, b map[string][][]any) {
	t.Helper()
	if len(a) != len(b) {
		t.Fatalf("%s: %d tables vs %d", what, len(a), len(b))
	}
	for k, ra := range a {
		rb := b[k]
		if len(ra) != len(rb) {
			t.Fatalf("%s: %s has %d rows vs %d", what, k, len(ra), len(rb))
		}
		for i := range ra {
			if !reflect.DeepEqual(ra[i], rb[i]) {
				t.Fatalf("%s: %s row %d differs:\n%v\n%v", what, k, i, ra[i], rb[i])
			}
		}
	}
}

func verified(t *testing.T, st *store.Store) {
	t.Helper()
	res, err := st.VerifyEvents(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range res {
		if r.Break != nil {
			t.Fatalf("committee %d: chain broken at %d: %s", r.CommitteeID, r.Break.Seq, r.Break.Reason)
		}
	}
}

// TestExportImportAcrossEngines moves the demo committee SQLite → PostgreSQL
// → SQLite and checks that every table and every attachment is identical.
func TestExportImportAcrossEngines(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	src := testenv.Open(t, testenv.SQLiteDSN(t))
	svc := app.New(src, &app.Files{Dir: filepath.Join(dir, "files-a")}, nil)
	if _, err := demo.Seed(ctx, svc); err != nil {
		t.Fatal(err)
	}
	// One attachment so that files travel too.
	v, _, err := src.Proposals(ctx, store.ProposalFilter{Viewer: officeOf(t, src)})
	if err != nil || len(v) == 0 {
		t.Fatalf("demo proposals: %v", err)
	}
	pdf := []byte("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
	stored, err := svc.Files.Put(&app.Upload{Name: "答复函.pdf", Data: pdf})
	if err != nil {
		t.Fatal(err)
	}
	err = src.InTx(ctx, func(tx *store.Tx) error {
		return tx.AddAttachment(&store.Attachment{CommitteeID: v[0].CommitteeID, ProposalID: v[0].ID, Name: stored.Name, MIME: stored.MIME, Size: stored.Size, SHA256: stored.SHA256})
	})
	if err != nil {
		t.Fatal(err)
	}
	before := snapshot(t, src)

	export := func(st *store.Store, files store.FileSource, name string) string {
		p := filepath.Join(dir, name)
		f, err := os.Create(p)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := st.ExportCommittee(ctx, "demo", files, f, nil); err != nil {
			t.Fatal(err)
		}
		f.Close()
		return p
	}
	zip1 := export(src, svc.Files, "a.zip")

	pg := testenv.Open(t, testenv.PostgresDSN(t))
	pgFiles := &app.Files{Dir: filepath.Join(dir, "files-b")}
	if _, err := pg.ImportCommittee(ctx, zip1, pgFiles, nil); err != nil {
		t.Fatal(err)
	}
	sameSnapshots(t, "SQLite → PostgreSQL", before, snapshot(t, pg))
	verified(t, pg)
	if _, err := pg.ImportCommittee(ctx, zip1, pgFiles, nil); err == nil {
		t.Fatal("importing the same committee twice must fail")
	}
	sameSnapshots(t, "after refused second import", before, snapshot(t, pg))

	zip2 := export(pg, pgFiles, "b.zip")
	back := testenv.Open(t, testenv.SQLiteDSN(t))
	backFiles := &app.Files{Dir: filepath.Join(dir, "files-c")}
	if _, err := back.ImportCommittee(ctx, zip2, backFiles, nil); err != nil {
		t.Fatal(err)
	}
	sameSnapshots(t, "PostgreSQL → SQLite", before, snapshot(t, back))
	verified(t, back)
	f, err := backFiles.Open(stored.SHA256)
	if err != nil {
		t.Fatal("attachment did not travel:", err)
	}
	got, _ := io.ReadAll(f)
	f.Close()
	if !bytes.Equal(got, pdf) {
		t.Fatal("attachment bytes differ after the round trip")
	}
	// The moved database keeps working: new ids do not collide with imported ones.
	bsvc := app.New(back, backFiles, nil)
	if _, err := bsvc.Accept(ctx, officeOf(t, back), underReview(t, back), ""); err != nil {
		t.Fatal("accept after import:", err)
	}
	psvc := app.New(pg, pgFiles, nil)
	if _, err := psvc.Accept(ctx, officeOf(t, pg), underReview(t, pg), ""); err != nil {
		t.Fatal("accept after import on PostgreSQL:", err)
	}
	verified(t, pg)
}

// TestBackupRoundTrip backs up a live SQLite database and compares the copy.
func TestBackupRoundTrip(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	src := testenv.Open(t, filepath.Join(dir, "live.db"))
	svc := app.New(src, &app.Files{Dir: filepath.Join(dir, "files")}, nil)
	if _, err := demo.Seed(ctx, svc); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "backup.db")
	if err := src.Backup(ctx, path); err != nil {
		t.Fatal(err)
	}
	if err := src.Backup(ctx, path); err == nil {
		t.Fatal("a backup must not overwrite an existing file")
	}
	copied := testenv.Open(t, path)
	sameSnapshots(t, "backup", snapshot(t, src), snapshot(t, copied))
	verified(t, copied)
}
