package store_test

import (
	"context"
	"encoding/csv"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"zhengxie"
	"zhengxie/internal/testenv"
	"zhengxie/store"
)

// world is a seeded committee plus the short-hands the store tests need to
// put proposals into a given state through the real services.
type world struct {
	t   *testing.T
	ctx context.Context
	f   *testenv.Fixture
	st  *store.Store
}

func newWorld(t *testing.T, dsn string) *world {
	st := testenv.Open(t, dsn)
	return &world{t: t, ctx: context.Background(), f: testenv.Seed(t, st), st: st}
}

func (w *world) office() zhengxie.Actor { return w.f.Actor(w.f.Office) }

func (w *world) must(err error) {
	w.t.Helper()
	if err != nil {
		w.t.Fatal(err)
	}
}

// draft creates a draft of member m.
func (w *world) draft(m *zhengxie.User, d zhengxie.Draft) *zhengxie.Proposal {
	w.t.Helper()
	p, err := w.f.Svc.CreateDraft(w.ctx, w.f.Actor(m), d)
	w.must(err)
	return p
}

// submitted creates and submits a proposal of m; with no co-signers it is
// under review at once.
func (w *world) submitted(m *zhengxie.User, d zhengxie.Draft) *zhengxie.Proposal {
	w.t.Helper()
	p := w.draft(m, d)
	p, err := w.f.Svc.Submit(w.ctx, w.f.Actor(m), p.ID)
	w.must(err)
	return p
}

// accepted creates a proposal of m and accepts it.
func (w *world) accepted(m *zhengxie.User, title string) *zhengxie.Proposal {
	w.t.Helper()
	p := w.submitted(m, testenv.Draft(title))
	p, err := w.f.Svc.Accept(w.ctx, w.office(), p.ID, "")
	w.must(err)
	return p
}

// assigned creates an accepted proposal of m and assigns it to units.
func (w *world) assigned(m *zhengxie.User, title string, as ...zhengxie.Assignment) *zhengxie.Proposal {
	w.t.Helper()
	p := w.accepted(m, title)
	p, err := w.f.Svc.Assign(w.ctx, w.office(), p.ID, as, "")
	w.must(err)
	return p
}

func lead(u *zhengxie.Unit) zhengxie.Assignment {
	return zhengxie.Assignment{UnitID: u.ID, Kind: zhengxie.TaskLead}
}

func co(u *zhengxie.Unit) zhengxie.Assignment {
	return zhengxie.Assignment{UnitID: u.ID, Kind: zhengxie.TaskCo}
}

// verifyAll returns the verification result of one committee.
func (w *world) verify(committeeID int64) store.VerifyResult {
	w.t.Helper()
	res, err := w.st.VerifyEvents(w.ctx)
	w.must(err)
	for _, r := range res {
		if r.CommitteeID == committeeID {
			return r
		}
	}
	w.t.Fatalf("committee %d not verified", committeeID)
	return store.VerifyResult{}
}

// rebind rewrites ? placeholders for PostgreSQL, for the raw SQL below.
func (w *world) rebind(q string) string {
	if w.st.Engine() != "postgres" {
		return q
	}
	n := 0
	var b strings.Builder
	for _, r := range q {
		if r == '?' {
			n++
			b.WriteString("$" + strconv.Itoa(n))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// exec runs raw SQL the way an insider with database access would, and
// returns the number of rows it changed.
func (w *world) exec(q string, args ...any) int64 {
	w.t.Helper()
	res, err := w.st.DB().ExecContext(w.ctx, w.rebind(q), args...)
	w.must(err)
	n, err := res.RowsAffected()
	w.must(err)
	return n
}

// scalar reads one integer with raw SQL.
func (w *world) scalar(q string, args ...any) int64 {
	w.t.Helper()
	var n int64
	w.must(w.st.DB().QueryRowContext(w.ctx, w.rebind(q), args...).Scan(&n))
	return n
}

// drafts returns n proposals to file: real texts of a provincial session
// when ../shared/data is present (titles, bodies and categories as filed),
// otherwise drafts of our own, so that the concurrency tests never skip.
func drafts(t *testing.T, n int) []zhengxie.Draft {
	var out []zhengxie.Draft
	if recs := jiangsu(t); recs != nil {
		for _, r := range recs {
			d := zhengxie.Draft{Title: r["reason"], Body: r["content"], Category: r["type"]}
			d.Normalize()
			if zhengxie.ValidateSubmit(d) != nil {
				continue
			}
			out = append(out, d)
			if len(out) == n {
				return out
			}
		}
	}
	topics := []string{"生物岛交通体系", "社区安全治理", "生物医药产业生态", "第三方医学检验检测", "民营科技园", "横沙书香街", "碳达峰", "危化物流"}
	for i := len(out); i < n; i++ {
		out = append(out, testenv.Draft("关于推进"+topics[i%len(topics)]+"建设的建议（"+string(rune('一'+i%10))+"）"))
	}
	return out
}

// jiangsu reads the real proposals as maps by column, or nil when the data
// folder is absent.
func jiangsu(t *testing.T) []map[string]string {
	_, file, _, _ := runtime.Caller(0)
	path := filepath.Join(filepath.Dir(file), "..", "..", "shared", "data", "proposals_jiangsu_2019.csv")
	f, err := os.Open(path)
	if err != nil {
		t.Logf("real proposals not found (%v); using our own drafts", err)
		return nil
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.LazyQuotes = true
	r.FieldsPerRecord = -1
	recs, err := r.ReadAll()
	if err != nil || len(recs) < 2 {
		t.Fatalf("%s: %v", path, err)
	}
	var out []map[string]string
	for _, rec := range recs[1:] {
		m := map[string]string{}
		for i, h := range recs[0] {
			if i < len(rec) {
				m[strings.TrimSpace(h)] = strings.TrimSpace(rec[i])
			}
		}
		if utf8.ValidString(m["content"]) {
			out = append(out, m)
		}
	}
	return out
}
