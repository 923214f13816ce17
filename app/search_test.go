package app_test

import (
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"zhengxie"
	"zhengxie/app"
	"zhengxie/internal/sheet"
	"zhengxie/internal/testenv"
	"zhengxie/search"
	"zhengxie/store"
)

// engineRun is what one engine returned for the relevance set, to compare
// the engines once both have run.
type engineRun struct {
	totals map[string]int
	top    map[string][]string
}

// TestJiangsuOnEngines imports the 2019 proposals into each real engine
// (checkJiangsuImport), runs the relevance set through Service.Search as
// the search page does, then filters and similar-proposal hints
// (checkFiltersAndSimilar).
func TestJiangsuOnEngines(t *testing.T) {
	tb := jiangsuTable(t)
	var mu sync.Mutex
	runs := map[string]engineRun{}
	testenv.Engines(t, func(t *testing.T, dsn string) {
		w := newWorld(t, dsn)
		rep := w.importJiangsu(tb, nil)
		checkJiangsuImport(t, w, tb, rep)
		number := map[int64]string{}
		for i, id := range rep.IDs {
			number[id] = fmt.Sprintf("%04s", tb.Rows[i][2]) // proposal_number
		}
		run := engineRun{totals: map[string]int{}, top: map[string][]string{}}
		var p5, r10, ideal float64
		first := 0
		for _, c := range search.RelevanceSet {
			res, terms, err := w.svc.Search(w.ctx, w.office(), app.SearchQuery{Text: c.Query, Filter: store.ProposalFilter{Limit: 10}})
			w.must(err)
			var got []string
			for _, h := range res.Hits {
				got = append(got, number[h.ID])
			}
			run.totals[c.Query], run.top[c.Query] = res.Total, got
			p, r := search.PrecisionAtK(got, c.Want, 5), search.RecallAtK(got, c.Want, 10)
			p5, r10, ideal = p5+p, r10+r, ideal+search.IdealPrecisionAtK(c.Want, 5)
			if len(got) > 0 && slices.Contains(c.Want, got[0]) {
				first++
			}
			if r < 1 || len(got) == 0 || !slices.Contains(c.Want, got[0]) {
				t.Logf("  %s %v: p@5 %.2f r@10 %.2f, %d found, top %v, want %v", c.Query, terms, p, r, res.Total, got, c.Want)
			}
			// The public finds the same: everything imported is published.
			pub, _, err := w.svc.Search(w.ctx, w.public(), app.SearchQuery{Text: c.Query, Filter: store.ProposalFilter{CommitteeID: w.f.Committee.ID, Limit: 10}})
			w.must(err)
			if pub.Total != res.Total {
				t.Errorf("%s: the public finds %d, the office %d", c.Query, pub.Total, res.Total)
			}
		}
		n := float64(len(search.RelevanceSet))
		p5, r10, ideal = p5/n, r10/n, ideal/n
		t.Logf("%s, Service.Search over %d imported proposals, %d queries: precision@5 = %.3f (best possible %.3f), recall@10 = %.3f, first result relevant for %d",
			w.st.Engine(), len(rep.IDs), len(search.RelevanceSet), p5, ideal, r10, first)
		// Just under what both engines measured: SQLite 0.404 / 0.971 / 57,
		// PostgreSQL 0.407 / 0.971 / 57 (the in-memory BM25 of the search
		// package, 0.38 / 0.94 thresholds, is the reference).
		minP5, minR10, minFirst := 0.39, 0.95, len(search.RelevanceSet)-2
		if p5 < minP5 || r10 < minR10 || first < minFirst {
			t.Errorf("%s: precision@5 %.3f (want ≥ %.2f), recall@10 %.3f (want ≥ %.2f), first relevant %d (want ≥ %d)",
				w.st.Engine(), p5, minP5, r10, minR10, first, minFirst)
		}
		mu.Lock()
		runs[w.st.Engine()] = run
		mu.Unlock()
		checkFiltersAndSimilar(t, w, rep)
	})
	sq, pg := runs["sqlite"], runs["postgres"]
	if sq.totals == nil || pg.totals == nil {
		return
	}
	sameTop := 0
	for _, c := range search.RelevanceSet {
		// The same tokens in both engines: the same proposals match.
		if sq.totals[c.Query] != pg.totals[c.Query] {
			t.Errorf("%s: SQLite finds %d, PostgreSQL %d", c.Query, sq.totals[c.Query], pg.totals[c.Query])
		}
		if len(sq.top[c.Query]) > 0 && len(pg.top[c.Query]) > 0 && sq.top[c.Query][0] == pg.top[c.Query][0] {
			sameTop++
		}
	}
	t.Logf("both engines match the same proposals for all %d queries; the same first result for %d", len(search.RelevanceSet), sameTop)
}

// checkFiltersAndSimilar runs filters, facets and similar-proposal hints
// over the imported proposals.
func checkFiltersAndSimilar(t *testing.T, w *world, rep *app.ImportReport) {
	se := rep.Sessions[0].Session
	office := w.office()
	search1 := func(text string, f store.ProposalFilter) *store.SearchResult {
		t.Helper()
		res, _, err := w.svc.Search(w.ctx, office, app.SearchQuery{Text: text, Filter: f, Facets: true})
		w.must(err)
		return res
	}
	all := search1("养老", store.ProposalFilter{})
	if all.Total < 10 {
		t.Fatalf("养老 finds only %d", all.Total)
	}
	sum := 0
	for _, f := range all.Categories {
		sum += f.Count
	}
	if sum != all.Total || len(all.Sessions) != 1 || all.Sessions[0].Count != all.Total || all.States[0].Value != "archived" {
		t.Errorf("facets do not add up: total %d, categories %v, sessions %v, states %v", all.Total, all.Categories, all.Sessions, all.States)
	}
	top := all.Categories[0]
	byCat := search1("养老", store.ProposalFilter{Category: top.Value})
	if byCat.Total != top.Count {
		t.Errorf("category facet says %d, filtering gives %d", top.Count, byCat.Total)
	}
	if n := search1("养老", store.ProposalFilter{SessionID: se.ID}).Total; n != all.Total {
		t.Errorf("session filter: %d of %d", n, all.Total)
	}
	if n := search1("养老", store.ProposalFilter{SessionID: w.f.Session.ID}).Total; n != 0 {
		t.Errorf("another session: %d", n)
	}
	// Proposer: the parties' proposals (民盟江苏省委 filed 13 in 2019).
	if n := search1("", store.ProposalFilter{ProposerName: "民盟"}).Total; n != 13 {
		t.Errorf("proposer 民盟: %d, want 13", n)
	}
	// Dates: the data spans January 2019.
	loc := zhengxie.ChinaTime()
	day := func(s string) time.Time { d, _ := zhengxie.ParseDate(s); return d.In(loc) }
	early := search1("", store.ProposalFilter{Until: day("2019-01-13")}).Total
	late := search1("", store.ProposalFilter{Since: day("2019-01-13")}).Total
	if early == 0 || late == 0 || early+late != 436 {
		t.Errorf("date split: %d before 2019-01-13, %d from then", early, late)
	}
	if n := search1("", store.ProposalFilter{Since: day("2020-01-01")}).Total; n != 0 {
		t.Errorf("from 2020: %d", n)
	}
	// Only punctuation or stop words finds nothing instead of everything.
	if n := search1("的，。", store.ProposalFilter{}).Total; n != 0 {
		t.Errorf("a query of stop words finds %d", n)
	}
	// Query syntax is text, not operators.
	if n := search1(`"公厕" OR NEAR(光纤`, store.ProposalFilter{}).Total; n != 0 {
		t.Errorf("FTS syntax leaked through: %d", n)
	}

	// Similar proposals while writing: perturbed copies of real
	// proposals (title, and the first 500 characters of the body as the
	// form sends them) find their original first.
	w.svc.WarmUp(w.ctx)
	rng := rand.New(rand.NewSource(6))
	member := w.member(0)
	var lat []time.Duration
	found, tried := 0, 0
	for i := 0; i < len(rep.IDs); i += 7 {
		p := w.proposal(rep.IDs[i])
		body := []rune(perturb(p.Body, rng))
		body = body[:min(len(body), 500)]
		start := time.Now()
		hits, err := w.svc.Similar(w.ctx, member, p.Title, string(body), 0, 5)
		lat = append(lat, time.Since(start))
		w.must(err)
		tried++
		if len(hits) > 0 && hits[0].P.ID == p.ID {
			found++
		} else if len(hits) > 0 {
			t.Logf("  similar to %q: first is %q (%.2f)", p.Title, hits[0].P.Title, hits[0].Score)
		}
	}
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	p50, p95 := lat[len(lat)/2], lat[len(lat)*95/100]
	t.Logf("%s: Service.Similar found the original first for %d of %d perturbed proposals; latency p50 %v, p95 %v",
		w.st.Engine(), found, tried, p50.Round(10*time.Microsecond), p95.Round(10*time.Microsecond))
	if found < tried*9/10 {
		t.Errorf("similar found the original first for only %d of %d", found, tried)
	}
	// The latency target (p95 well under 50 ms) belongs to the benchmark
	// (zhengxie bench): a timed assertion here would flake on a busy machine.
	// A text about nothing in the collection gets no hint.
	if hits, _ := w.svc.Similar(w.ctx, member, "关于测试的建议", "这是一段与任何提案都无关的文字，只为检验提示不会乱报。", 0, 5); len(hits) != 0 {
		t.Errorf("unrelated text: %d hints, first %q %.2f", len(hits), hits[0].P.Title, hits[0].Score)
	}
}

// perturb rewrites a text as a member copying it might: a sentence dropped,
// paragraphs reordered, a few words changed.
func perturb(text string, rng *rand.Rand) string {
	sents := strings.SplitAfter(strings.ReplaceAll(text, "\n", ""), "。")
	if len(sents) > 3 {
		i := rng.Intn(len(sents))
		sents = append(sents[:i], sents[i+1:]...)
	}
	var paras []string
	for i := 0; i < len(sents); i += 3 {
		paras = append(paras, strings.Join(sents[i:min(i+3, len(sents))], ""))
	}
	rng.Shuffle(len(paras), func(i, j int) { paras[i], paras[j] = paras[j], paras[i] })
	return strings.NewReplacer("建议", "提议", "加强", "强化", "进一步", "更加", "我省", "本省").Replace(strings.Join(paras, "\n"))
}

// Saved words are findable at once by whoever may see them, and no one else.
func TestSearchVisibility(t *testing.T) {
	testenv.Engines(t, func(t *testing.T, dsn string) {
		w := newWorld(t, dsn)
		find := func(a zhengxie.Actor, text string) int {
			t.Helper()
			res, _, err := w.svc.Search(w.ctx, a, app.SearchQuery{Text: text, Filter: store.ProposalFilter{CommitteeID: w.f.Committee.ID}})
			w.must(err)
			return res.Total
		}
		d := testenv.Draft("关于规范共享充电宝押金退还的建议")
		p := w.draft(0, d)
		if n := find(w.member(0), "充电宝"); n != 1 {
			t.Errorf("the author does not find the saved draft: %d", n)
		}
		for who, a := range map[string]zhengxie.Actor{"office": w.office(), "another member": w.member(1), "public": w.public()} {
			if n := find(a, "充电宝"); n != 0 {
				t.Errorf("%s finds someone's draft: %d", who, n)
			}
		}
		_, err := w.svc.SaveDraft(w.ctx, w.member(0), p.ID, testenv.Draft("关于规范共享雨伞押金退还的建议"))
		w.must(err)
		if find(w.member(0), "充电宝") != 0 || find(w.member(0), "雨伞") != 1 {
			t.Errorf("the index does not follow the saved text")
		}
		// Published, then unpublished: the public finds it, then not.
		acc := w.accepted(1, "关于整治城区噪声扰民的建议")
		_, err = w.svc.Publish(w.ctx, w.office(), acc.ID)
		w.must(err)
		if n := find(w.public(), "噪声"); n != 1 {
			t.Errorf("the public does not find a published proposal: %d", n)
		}
		if n := find(w.member(2), "噪声"); n != 1 {
			t.Errorf("another member does not find a published proposal: %d", n)
		}
		_, err = w.svc.Unpublish(w.ctx, w.office(), acc.ID, "内容需修改")
		w.must(err)
		if n := find(w.public(), "噪声"); n != 0 {
			t.Errorf("the public still finds an unpublished proposal: %d", n)
		}
		if n := find(w.member(2), "噪声"); n != 0 {
			t.Errorf("another member still finds an unpublished proposal: %d", n)
		}
		if n := find(w.office(), "噪声"); n != 1 {
			t.Errorf("the office lost it: %d", n)
		}
		// Another committee's office sees nothing of ours.
		if n := find(w.f.Actor(w.f.Other), "噪声"); n != 0 {
			t.Errorf("another committee finds ours: %d", n)
		}
	})
}

// TestSuggestEndToEnd trains the suggestions the way they are trained in
// use: from the committee's history, imported, and then asks them for new
// proposals filed, submitted and under review, as the office sees them.
// Categories are the real ones of both data sets; the lead units of the 2019
// proposals are not in the data, so the unit test gives each category a
// unit of its own (a stand-in: it checks the plumbing from lead tasks to
// suggestions, its accuracy is the category's by construction).
func TestSuggestEndToEnd(t *testing.T) {
	tb := jiangsuTable(t)
	w := newWorld(t, testenv.SQLiteDSN(t))
	unitOf := map[string]string{}
	for i, c := range zhengxie.Categories {
		unitOf[c] = fmt.Sprintf("测试承办单位%02d", i+1)
	}
	withUnits := &sheet.Table{Header: append(append([]string(nil), tb.Header...), "主办单位"), Lines: tb.Lines}
	cat := slices.Index(tb.Header, "type")
	for _, r := range tb.Rows {
		withUnits.Rows = append(withUnits.Rows, append(append([]string(nil), r...), unitOf[r[cat]]))
	}
	test := func(i int) bool { return i%5 == 2 }
	m, err := app.ParseMapping(jiangsuMap)
	w.must(err)
	var train []int
	hist := &sheet.Table{Header: withUnits.Header}
	for i := range withUnits.Rows {
		if !test(i) {
			hist.Rows, hist.Lines = append(hist.Rows, withUnits.Rows[i]), append(hist.Lines, withUnits.Lines[i])
			train = append(train, i)
		}
	}
	_, err = w.svc.ImportProposals(w.ctx, zhengxie.SystemActor(w.f.Committee.ID), hist, app.ImportOptions{
		Session: "十二届二次会议", Mapping: m, CreateUnits: true})
	w.must(err)

	title, body := slices.Index(tb.Header, "reason"), slices.Index(tb.Header, "content")
	var top1, top3, utop1, utop3, n int
	var conf float64
	for i, r := range tb.Rows {
		if !test(i) {
			continue
		}
		truth := r[cat]
		// The member filed it under some category; the office reviews it.
		d := zhengxie.Draft{Title: r[title], Body: app.TidyText(r[body]), Category: "统战综合"}
		p := w.draft(i%5, d)
		p, err = w.svc.Submit(w.ctx, w.member(i%5), p.ID)
		w.must(err)
		sg, err := w.svc.Suggest(w.ctx, w.office(), p)
		w.must(err)
		if len(sg.Category) != 3 || len(sg.Units) != 0 {
			t.Fatalf("under review: %d category and %d unit suggestions", len(sg.Category), len(sg.Units))
		}
		n++
		conf += sg.Category[0].Confidence
		for j, s := range sg.Category {
			if s.Value == truth {
				top3++
				if j == 0 {
					top1++
				}
			}
		}
		// Suggesting changes nothing.
		if got := w.proposal(p.ID); got.Category != "统战综合" || got.State != zhengxie.StateUnderReview {
			t.Fatalf("a suggestion was applied: %s %s", got.Category, got.State)
		}
		// Accepted: now the lead unit is suggested, and no longer the category.
		p, err = w.svc.Accept(w.ctx, w.office(), p.ID, "")
		w.must(err)
		sg, err = w.svc.Suggest(w.ctx, w.office(), p)
		w.must(err)
		if len(sg.Category) != 0 || len(sg.Units) == 0 {
			t.Fatalf("accepted: %d category and %d unit suggestions", len(sg.Category), len(sg.Units))
		}
		for j, s := range sg.Units {
			if s.Label == unitOf[truth] {
				utop3++
				if j == 0 {
					utop1++
				}
			}
		}
		// Members and units are offered nothing.
		if sg, _ := w.svc.Suggest(w.ctx, w.member(i%5), p); len(sg.Units)+len(sg.Category) != 0 {
			t.Fatalf("the proposer was offered suggestions")
		}
	}
	f := float64(n)
	t.Logf("category suggestion on proposals_jiangsu_2019.csv through the app (learned from %d imported, tested on %d filed and submitted): top-1 %.3f, top-3 %.3f, mean confidence of the first %.3f",
		len(train), n, float64(top1)/f, float64(top3)/f, conf/f)
	t.Logf("lead-unit suggestion (stand-in units, one per category, learned from the imported lead tasks): top-1 %.3f, top-3 %.3f", float64(utop1)/f, float64(utop3)/f)
	// Measured 0.644 / 0.920 on this split (every fifth proposal; the search
	// package's own split gives 0.724 / 0.851): thresholds just under.
	if float64(top1)/f < 0.62 || float64(top3)/f < 0.89 {
		t.Errorf("category suggestion top-1 %.3f, top-3 %.3f: want ≥ 0.62 and ≥ 0.89", float64(top1)/f, float64(top3)/f)
	}
	if float64(utop3)/f < 0.89 {
		t.Errorf("unit suggestion top-3 %.3f", float64(utop3)/f)
	}
}

// The citizen messages (7 classes of the handling department) through the
// same path: imported as history with a mapping of their own columns.
func TestSuggestCitizenMessages(t *testing.T) {
	tb, err := sheet.Read(testenv.SharedData(t, "citizen_messages.csv"), "")
	if err != nil {
		t.Fatal(err)
	}
	w := newWorld(t, testenv.SQLiteDSN(t))
	test := func(i int) bool { return i%5 == 2 }
	hist := &sheet.Table{Header: tb.Header}
	for i := range tb.Rows {
		if !test(i) {
			hist.Rows, hist.Lines = append(hist.Rows, tb.Rows[i]), append(hist.Lines, tb.Lines[i])
		}
	}
	m, err := app.ParseMapping("案由=留言主题,正文=留言详情,类别=一级分类,提案人=留言用户,日期=留言时间")
	w.must(err)
	rep, err := w.svc.ImportProposals(w.ctx, zhengxie.SystemActor(w.f.Committee.ID), hist, app.ImportOptions{Session: "一届一次会议", Mapping: m, Year: 2020})
	w.must(err)
	if len(rep.OtherCategories) != 6 { // 城乡建设 is also a proposal category
		t.Errorf("the message classes are not proposal categories: %v", rep.OtherCategories)
	}
	col := func(name string) int { return slices.Index(tb.Header, name) }
	var top1, top3, n, skipped int
	for i, r := range tb.Rows {
		if !test(i) {
			continue
		}
		d := zhengxie.Draft{Title: r[col("留言主题")], Body: r[col("留言详情")], Category: "社会事业"}
		d.Normalize()
		if zhengxie.ValidateSubmit(d) != nil {
			skipped++ // too short to be filed as a proposal
			continue
		}
		p := w.draft(i%5, d)
		p, err := w.svc.Submit(w.ctx, w.member(i%5), p.ID)
		w.must(err)
		sg, err := w.svc.Suggest(w.ctx, w.office(), p)
		w.must(err)
		n++
		for j, s := range sg.Category {
			if s.Value == strings.TrimSpace(r[col("一级分类")]) {
				top3++
				if j == 0 {
					top1++
				}
			}
		}
	}
	t.Logf("category suggestion on citizen_messages.csv through the app (learned from %d imported, tested on %d, %d too short to file): top-1 %.3f, top-3 %.3f",
		len(rep.IDs), n, skipped, float64(top1)/float64(n), float64(top3)/float64(n))
	// Measured 0.879 / 0.980: thresholds just under.
	if n < 90 || float64(top1)/float64(n) < 0.85 || float64(top3)/float64(n) < 0.96 {
		t.Errorf("top-1 %.3f, top-3 %.3f", float64(top1)/float64(n), float64(top3)/float64(n))
	}
}

// Suggestions appear once there is something to learn from, follow the
// decisions as they accumulate, and are applied only when the office
// chooses one.
func TestSuggestRetrains(t *testing.T) {
	w := newWorld(t, testenv.SQLiteDSN(t))
	parking := []string{"关于缓解老城区停车难的建议", "关于增设社区停车位的建议", "关于规范路边停车收费的建议", "关于建设立体停车库的建议",
		"关于治理违规停车的建议", "关于推进错时共享停车的建议", "关于医院周边停车秩序的建议"}
	school := []string{"关于减轻中小学生课业负担的建议", "关于加强学校心理健康教育的建议", "关于扩大学前教育资源的建议", "关于改善乡村学校办学条件的建议",
		"关于加强教师队伍建设的建议", "关于规范校外培训机构的建议", "关于推进学校体育工作的建议"}
	draft := func(title, cat string) zhengxie.Draft {
		d := testenv.Draft(title)
		d.Category = cat
		return d
	}
	// The member filed it under 社会事业; it is about parking.
	probe, err := w.svc.Submit(w.ctx, w.member(0), w.draft(0, draft("关于解决小区停车位不足的建议", "社会事业")).ID)
	w.must(err)
	sg, err := w.svc.Suggest(w.ctx, w.office(), probe)
	w.must(err)
	if len(sg.Category) != 0 {
		t.Fatalf("suggestions from nothing: %+v", sg.Category)
	}
	for i := range parking {
		for _, x := range []struct{ title, cat string }{{parking[i], "城乡建设"}, {school[i], "教育事业"}} {
			p := w.draft(i%5, draft(x.title, x.cat))
			_, err := w.svc.Submit(w.ctx, w.member(i%5), p.ID)
			w.must(err)
			_, err = w.svc.Accept(w.ctx, w.office(), p.ID, "")
			w.must(err)
			unit := w.lead(2) // 区教育局
			if x.cat == "城乡建设" {
				unit = w.lead(0) // 区交通运输局
			}
			_, err = w.svc.Assign(w.ctx, w.office(), p.ID, []zhengxie.Assignment{unit}, "")
			w.must(err)
		}
	}
	// Within a minute the old (empty) training may still answer; after it,
	// the decisions are learned.
	w.now = w.now.Add(2 * time.Minute)
	sg, err = w.svc.Suggest(w.ctx, w.office(), probe)
	w.must(err)
	if len(sg.Category) == 0 || sg.Category[0].Value != "城乡建设" || sg.CategoryBasis != 14 {
		t.Fatalf("after 14 decisions: %+v (basis %d)", sg.Category, sg.CategoryBasis)
	}
	// The office chooses a suggestion: the category changes, and the event says so.
	if _, err := w.svc.SetCategory(w.ctx, w.member(0), probe.ID, "城乡建设", true); zhengxie.ErrorCode(err) != zhengxie.EForbidden {
		t.Errorf("a member set the category: %v", err)
	}
	if _, err := w.svc.SetCategory(w.ctx, w.office(), probe.ID, "不存在的类别", true); zhengxie.ErrorField(err) != "category" {
		t.Errorf("unknown category: %v", err)
	}
	p, err := w.svc.SetCategory(w.ctx, w.office(), probe.ID, "城乡建设", true)
	w.must(err)
	if p.Category != "城乡建设" || w.proposal(probe.ID).Category != "城乡建设" {
		t.Errorf("category not set: %s", p.Category)
	}
	es, err := w.st.ProposalEvents(w.ctx, w.f.Committee.ID, probe.ID)
	w.must(err)
	last := es[len(es)-1]
	if last.Action != string(zhengxie.ActSetCategory) || !strings.Contains(last.Payload, `"suggested":true`) || !strings.Contains(last.Comment, "城乡建设") {
		t.Errorf("event: %+v", last)
	}
	// Lead units: a new school proposal goes to 教育局 first.
	school2 := w.accepted(1, "关于加强中小学校园安全的建议")
	sg, err = w.svc.Suggest(w.ctx, w.office(), school2)
	w.must(err)
	if len(sg.Units) != 2 || sg.Units[0].Value != strconv.FormatInt(w.f.Units[2].ID, 10) || sg.Units[0].Label != "区教育局" {
		t.Fatalf("unit suggestions for a school proposal: %+v", sg.Units)
	}
	park2 := w.accepted(2, "关于规范停车场收费的建议")
	sg, err = w.svc.Suggest(w.ctx, w.office(), park2)
	w.must(err)
	if len(sg.Units) == 0 || sg.Units[0].Label != "区交通运输局" {
		t.Fatalf("unit suggestions for a parking proposal: %+v", sg.Units)
	}
	// Once a unit has the task (or returned it), it is not suggested again.
	_, err = w.svc.Assign(w.ctx, w.office(), park2.ID, []zhengxie.Assignment{w.lead(0)}, "")
	w.must(err)
	sg, err = w.svc.Suggest(w.ctx, w.office(), w.proposal(park2.ID))
	w.must(err)
	for _, s := range sg.Units {
		if s.Label == "区交通运输局" {
			t.Errorf("the unit already assigned is suggested again")
		}
	}
}

// Near-duplicates under review are grouped for the office, and one merge
// takes them out of the queue.
func TestMergeSuggestions(t *testing.T) {
	tb := jiangsuTable(t)
	testenv.Engines(t, func(t *testing.T, dsn string) {
		w := newWorld(t, dsn)
		col := func(name string) int { return slices.Index(tb.Header, name) }
		row := tb.Rows[1] // 关于加强老小区光纤化改造的建议
		body := app.TidyText(row[col("content")])
		rng := rand.New(rand.NewSource(1))
		a := w.draft(0, zhengxie.Draft{Title: row[col("reason")], Body: body, Category: "城乡建设"})
		b := w.draft(1, zhengxie.Draft{Title: "关于推进老旧小区光纤入户改造的建议", Body: perturb(body, rng), Category: "城乡建设"})
		other := tb.Rows[0]
		c := w.draft(2, zhengxie.Draft{Title: other[col("reason")], Body: app.TidyText(other[col("content")]), Category: "城乡建设"})
		for i, p := range []*zhengxie.Proposal{a, b, c} {
			_, err := w.svc.Submit(w.ctx, w.member(i), p.ID)
			w.must(err)
		}
		if gs, _ := w.svc.MergeSuggestions(w.ctx, w.member(0)); gs != nil {
			t.Errorf("a member sees merge suggestions")
		}
		gs, err := w.svc.MergeSuggestions(w.ctx, w.office())
		w.must(err)
		if len(gs) != 1 || gs[0].Into.ID != a.ID || len(gs[0].Others) != 1 || gs[0].Others[0].P.ID != b.ID {
			t.Fatalf("groups: %+v", gs)
		}
		t.Logf("%s: perturbed copy grouped with its original at %.3f", w.st.Engine(), gs[0].Score)
		_, err = w.svc.Merge(w.ctx, w.office(), b.ID, a.ID, "")
		w.must(err)
		gs, err = w.svc.MergeSuggestions(w.ctx, w.office())
		w.must(err)
		if len(gs) != 0 {
			t.Errorf("after merging, still %d groups", len(gs))
		}
		// The proposals also show their key terms.
		terms, err := w.svc.KeyTerms(w.ctx, a, 8)
		w.must(err)
		if !slices.Contains(terms, "光纤") && !slices.Contains(terms, "光纤化") {
			t.Errorf("key terms of the fibre proposal: %v", terms)
		}
	})
}

// The office sees what a session is about.
func TestTopTerms(t *testing.T) {
	tb := jiangsuTable(t)
	w := newWorld(t, testenv.SQLiteDSN(t))
	rep := w.importJiangsu(tb, nil)
	if _, err := w.svc.TopTerms(w.ctx, w.member(0), 0, 10); zhengxie.ErrorCode(err) != zhengxie.EForbidden {
		t.Errorf("a member got the session's terms: %v", err)
	}
	st, err := w.svc.TopTerms(w.ctx, w.office(), rep.Sessions[0].Session.ID, 20)
	w.must(err)
	var terms []string
	for _, x := range st.Terms {
		terms = append(terms, x.Term)
	}
	t.Logf("top terms of the 2019 session (%d proposals): %v", st.Proposals, terms)
	if st.Proposals != 436 || len(terms) != 20 {
		t.Fatalf("%d proposals, %d terms", st.Proposals, len(terms))
	}
	for _, boiler := range []string{"建议", "问题", "调研", "情况", "分析"} {
		if slices.Contains(terms, boiler) {
			t.Errorf("boilerplate %q among the top terms", boiler)
		}
	}
	subjects := 0
	for _, s := range []string{"企业", "农村", "养老", "教育", "文化", "医疗", "学校", "乡村", "老年人", "生态"} {
		if slices.Contains(terms, s) {
			subjects++
		}
	}
	if subjects < 3 {
		t.Errorf("few subject words among the top terms: %v", terms)
	}
}

// A committee brought in from an export archive has no index (the archive
// carries the records, not the words); Reindex rebuilds it.
func TestReindexAfterCommitteeImport(t *testing.T) {
	w := newWorld(t, testenv.SQLiteDSN(t))
	p := w.accepted(0, "关于整治城区噪声扰民的建议")
	_, err := w.svc.Publish(w.ctx, w.office(), p.ID)
	w.must(err)
	zipPath := filepath.Join(t.TempDir(), "hp.zip")
	f, err := os.Create(zipPath)
	w.must(err)
	_, err = w.st.ExportCommittee(w.ctx, w.f.Committee.Code, w.svc.Files, f, nil)
	w.must(err)
	w.must(f.Close())

	st2 := testenv.Open(t, testenv.SQLiteDSN(t))
	svc2 := app.New(st2, &app.Files{Dir: t.TempDir()}, nil)
	_, err = st2.ImportCommittee(w.ctx, zipPath, svc2.Files, nil)
	w.must(err)
	find := func() int {
		res, _, err := svc2.Search(w.ctx, w.office(), app.SearchQuery{Text: "噪声"})
		w.must(err)
		return res.Total
	}
	if n := find(); n != 0 {
		t.Fatalf("an imported committee is searchable before reindexing (%d): then the test proves nothing", n)
	}
	n, err := svc2.Reindex(w.ctx, w.f.Committee.ID, nil)
	w.must(err)
	if n != 1 || find() != 1 {
		t.Errorf("reindexed %d proposals; search finds %d", n, find())
	}
	if hits, err := svc2.Similar(w.ctx, w.member(1), "关于治理噪声扰民问题的建议", "", 0, 5); err != nil || len(hits) != 1 {
		t.Errorf("similar after reindex: %v %v", hits, err)
	}
}
