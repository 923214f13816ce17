package app_test

import (
	"os"
	"strings"
	"testing"

	"zhengxie"
	"zhengxie/app"
	"zhengxie/internal/testenv"
	"zhengxie/search"
	"zhengxie/store"
)

// TestDictionaryWordsRebuildTheIndex: a word the admin adds is one term of
// the search from then on, which texts indexed before do not hold; the
// rebuild job (queued with the words, run by the workers) re-segments the
// committee's proposals, writes its progress, and the search finds them.
func TestDictionaryWordsRebuildTheIndex(t *testing.T) {
	testenv.Engines(t, func(t *testing.T, dsn string) {
		w := newWorld(t, dsn)
		ctx, s := w.ctx, w.svc
		// Different words per engine: the segmenter is one per process.
		word := map[bool]string{true: "鹿鸣翠湾", false: "鹤汀凫渚"}[strings.HasSuffix(t.Name(), "sqlite")]
		p := w.underReview(0, "关于"+word+"片区停车改造的建议")
		w.underReview(1, "关于加强社区安全治理的建议")
		admin := w.f.Actor(w.f.Admin)
		find := func() int {
			t.Helper()
			res, _, err := s.Search(ctx, w.office(), app.SearchQuery{Text: word, Filter: store.ProposalFilter{Limit: 10}})
			w.must(err)
			return res.Total
		}

		// Who may, and what is refused, all at once.
		if _, _, err := s.AddDictWords(ctx, w.office(), []string{word}); zhengxie.ErrorCode(err) != zhengxie.EForbidden {
			t.Fatalf("the office adding words: %v", err)
		}
		_, _, err := s.AddDictWords(ctx, admin, []string{"好\n" + "ab,c d"})
		if zhengxie.ErrorCode(err) != zhengxie.EInvalid || !strings.Contains(zhengxie.ErrorMessage(err), "“好”") || !strings.Contains(zhengxie.ErrorMessage(err), "“c”") {
			t.Fatalf("bad words: %v", err)
		}

		added, rb, err := s.AddDictWords(ctx, admin, []string{word + "、" + word})
		w.must(err)
		if len(added) != 1 || added[0] != word || rb == nil || rb.State != store.RebuildPending {
			t.Fatalf("added %v, rebuild %+v", added, rb)
		}
		if !search.Known(word) {
			t.Fatal("the word is not in the segmenter after the commit")
		}
		if terms := searchTerms(word); len(terms) != 1 || terms[0] != word {
			t.Fatalf("query terms %v", terms)
		}
		// The index still holds the old tokens: the new term finds nothing yet.
		if n := find(); n != 0 {
			t.Fatalf("found %d before the rebuild", n)
		}
		// Adding again adds nothing and queues no second rebuild.
		again, rb2, err := s.AddDictWords(ctx, admin, []string{word})
		w.must(err)
		if len(again) != 0 || rb2.ID != rb.ID {
			t.Fatalf("second add: %v, rebuild %+v", again, rb2)
		}

		if _, err := s.Jobs().RunDue(ctx); err != nil {
			t.Fatal(err)
		}
		st, err := s.RebuildStatus(ctx, admin)
		w.must(err)
		if st.ID != rb.ID || st.State != store.RebuildDone || st.Total != 2 || st.Done != 2 || st.StartedAt.IsZero() || st.FinishedAt.IsZero() {
			t.Fatalf("rebuild after the job: %+v", st)
		}
		if n := find(); n != 1 {
			t.Fatalf("found %d after the rebuild, want proposal %d", n, p.ID)
		}
		v, err := s.Dictionary(ctx, admin)
		w.must(err)
		if len(v.Words) != 1 || v.Words[0].Word != word {
			t.Fatalf("dictionary: %+v", v.Words)
		}
		// A new service (a restart, or another server) loads the stored words.
		if n, err := app.New(w.st, &app.Files{Dir: t.TempDir()}, nil).LoadDictionary(ctx); err != nil || n != 1 {
			t.Fatalf("LoadDictionary: %d %v", n, err)
		}
	})
}

func searchTerms(q string) []string { return search.QueryTerms(q) }

// TestDictionaryFile: the -dict file's words are loaded, and the index of
// every committee is rebuilt once per content of the file; a bad line
// stops with its number.
func TestDictionaryFile(t *testing.T) {
	w := newWorld(t, testenv.SQLiteDSN(t))
	ctx, s := w.ctx, w.svc
	w.underReview(0, "关于推进凤栖梧桐岭步道建设的建议")
	path := t.TempDir() + "/words.txt"
	write := func(text string) {
		w.must(os.WriteFile(path, []byte(text), 0o600))
	}
	write("# 本区地名\n凤栖梧桐岭 5000\n")
	n, err := s.LoadDictionaryFile(ctx, path)
	if err != nil || n != 1 || !search.Known("凤栖梧桐岭") {
		t.Fatalf("load: %d %v", n, err)
	}
	if _, err := s.LoadDictionaryFile(ctx, path); err != nil {
		t.Fatal(err)
	}
	jobs, _, err := w.st.Jobs(ctx, store.JobFilter{Kind: app.JobReindex, Limit: 10})
	w.must(err)
	if len(jobs) != 1 {
		t.Fatalf("%d rebuild jobs for one content of the file", len(jobs))
	}
	if _, err := s.Jobs().RunDue(ctx); err != nil {
		t.Fatal(err)
	}
	res, _, err := s.Search(ctx, w.office(), app.SearchQuery{Text: "凤栖梧桐岭", Filter: store.ProposalFilter{Limit: 10}})
	w.must(err)
	if res.Total != 1 {
		t.Fatalf("after the rebuild of every committee: %d hits", res.Total)
	}
	write("凤栖梧桐岭\nx\n")
	if _, err := s.LoadDictionaryFile(ctx, path); err == nil || !strings.Contains(err.Error(), "第2行") {
		t.Fatalf("bad file: %v", err)
	}
}
