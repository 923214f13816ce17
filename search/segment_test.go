package search

import (
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
)

func has(toks []string, want ...string) bool {
	for _, w := range want {
		if !slices.Contains(toks, w) {
			return false
		}
	}
	return true
}

func TestLoad(t *testing.T) {
	heap := func() uint64 {
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		return m.HeapAlloc
	}
	first := global == nil // only when this test runs first can it weigh the load
	before := heap()
	info := Load()
	t.Logf("dictionary: %d words (%d custom), %d stop words, loaded in %v", info.Words, info.Custom, info.Stop, info.Duration)
	if first {
		t.Logf("heap held by the loaded segmenter: %.0f MiB", float64(heap()-before)/(1<<20))
	}
	if info.Words < 300000 {
		t.Errorf("dictionary has %d words; the embedded simplified-Chinese dictionary has over 350,000", info.Words)
	}
	if info.Custom < 30 {
		t.Errorf("custom dictionary: %d words, want the few dozen of dict/custom.txt", info.Custom)
	}
	if info.Stop < 500 {
		t.Errorf("%d stop words", info.Stop)
	}
}

func TestTokensSubWords(t *testing.T) {
	cases := []struct {
		text string
		want []string
	}{
		{"光纤改造", []string{"光纤", "改造"}},
		{"关于加强老小区光纤化改造的建议", []string{"光纤", "改造", "小区"}},
		{"关于完善城市环卫公厕指引系统的建议", []string{"公厕", "环卫"}},
		{"青少年近视防控", []string{"青少年", "少年", "近视", "防控"}},
	}
	for _, c := range cases {
		if got := Tokens(c.text); !has(got, c.want...) {
			t.Errorf("Tokens(%q) = %v, want it to contain %v", c.text, got, c.want)
		}
	}
	got := Tokens("民营企业融资")
	if !has(got, "融资") || !(has(got, "民营企业") || has(got, "民营", "企业")) {
		t.Errorf("Tokens(民营企业融资) = %v, want 民营企业 (or 民营 + 企业) and 融资", got)
	}
	// The query keeps the whole word; the index holds the word and its parts.
	if q := QueryTerms("民营企业融资"); !reflect.DeepEqual(q, []string{"民营企业", "融资"}) {
		t.Errorf("QueryTerms(民营企业融资) = %v", q)
	}
}

func TestCustomWordsStayWhole(t *testing.T) {
	text := "黄埔区政协委员就生物岛碳达峰工作提出提案，承办单位答复了界别委员反映的社情民意，危化品运输和公厕建设列入计划。"
	words := Segment(text)
	for _, w := range []string{"黄埔区", "政协委员", "生物岛", "碳达峰", "提案", "承办单位", "界别委员", "社情民意", "危化品", "公厕"} {
		if !slices.Contains(words, w) {
			t.Errorf("%s was split: %v", w, words)
		}
	}
	for _, w := range []string{"承办单位", "碳达峰", "生物岛", "社情民意"} {
		if q := QueryTerms(w); !reflect.DeepEqual(q, []string{w}) {
			t.Errorf("QueryTerms(%s) = %v, want the word whole", w, q)
		}
	}
	// And the parts are still findable.
	if !has(Tokens(text), "政协", "委员", "黄埔", "承办", "单位") {
		t.Errorf("sub-words of custom words missing: %v", Tokens(text))
	}
}

func TestTokensFiltering(t *testing.T) {
	got := Tokens("关于2019年ＶＯＣｓ的检测，我们认为：PM2.5、水、电和“的”都很重要！")
	for _, bad := range []string{"关于", "的", "，", "：", "、", "！", "我们", "年", " ", "“"} {
		if slices.Contains(got, bad) {
			t.Errorf("Tokens kept %q: %v", bad, got)
		}
	}
	if !has(got, "2019", "vocs", "检测", "水", "电", "pm2", "5") {
		t.Errorf("Tokens lost content: %v", got)
	}
	for _, tok := range got {
		if strings.ContainsAny(tok, " \t\n\"'") || tok != strings.ToLower(tok) {
			t.Errorf("token %q has white space, a quote or capitals", tok)
		}
	}
}

func TestLineBreaksInsideWords(t *testing.T) {
	// The proposals were copied from PDFs: 效率 broken over two lines.
	if got := Tokens("提高社会资源利用效\n率"); !has(got, "效率") {
		t.Errorf("效\\n率 not joined: %v", got)
	}
	// Between Latin words a line break still separates.
	if got := Tokens("open\nsource"); !has(got, "open", "source") {
		t.Errorf("Latin words joined: %v", got)
	}
}

func TestUnknownRunsBecomeBigrams(t *testing.T) {
	// A name the dictionary lacks is indexed as bigrams, the same in the
	// text and in the query, so the query still finds it.
	doc := Tokens("建议将南京市青云巷小学更名为南京市吴贻芳小学。")
	q := QueryTerms("吴贻芳")
	if len(q) == 0 {
		t.Fatal("no query terms for 吴贻芳")
	}
	if !has(doc, q...) {
		t.Errorf("query terms %v not all in the text's tokens %v", q, doc)
	}
}

func TestQueryTerms(t *testing.T) {
	if q := QueryTerms("公厕 公厕，公厕"); !reflect.DeepEqual(q, []string{"公厕"}) {
		t.Errorf("duplicates kept: %v", q)
	}
	if q := QueryTerms("的了吗，。！"); len(q) != 0 {
		t.Errorf("stop words and punctuation gave terms: %v", q)
	}
	long := strings.Repeat("养老服务 医疗卫生 教育公平 交通拥堵 ", 20) + strings.Repeat("文化遗产 乡村振兴 ", 20)
	if q := QueryTerms(long); len(q) > 32 {
		t.Errorf("%d terms for a long query, want at most 32", len(q))
	}
}

// A word that occurs in a text should be findable in it wherever it
// occurs, even where the text's own segmentation cut differently (企业发展
// inside 中小企业发展 is 中小企业 + 发展). The sub-words in the index cover
// the case where the word lies inside a longer one; across a word boundary
// it is lost. Measured with the words of all titles against all bodies.
func TestWordsFoundWhereTheyOccur(t *testing.T) {
	props := loadProposals(t)
	words := map[string]bool{}
	for _, p := range props {
		for _, w := range QueryTerms(p.Title) {
			if len([]rune(w)) >= 2 && isHan([]rune(w)[0]) {
				words[w] = true
			}
		}
	}
	occurrences, found := 0, 0
	missed := map[string]int{}
	for _, p := range props {
		body := normalize(p.Body)
		toks := map[string]bool{}
		for _, tok := range p.BodyTokens {
			toks[tok] = true
		}
		for w := range words {
			if !strings.Contains(body, w) {
				continue
			}
			occurrences++
			if toks[w] {
				found++
			} else {
				missed[w]++
			}
		}
	}
	var worst []string
	for w, n := range missed {
		if n >= 5 {
			worst = append(worst, w)
		}
	}
	slices.Sort(worst)
	rate := float64(found) / float64(occurrences)
	t.Logf("%d title words: found in %d of the %d bodies that contain them literally (%.1f%%); missed in 5 or more: %v",
		len(words), found, occurrences, 100*rate, worst)
	if rate < 0.97 {
		t.Errorf("only %.1f%% of literal occurrences are findable", 100*rate)
	}
}

func TestTokensDeterministicAndConcurrent(t *testing.T) {
	props := loadProposals(t)
	want := make([][]string, 40)
	for i := range want {
		want[i] = Tokens(props[i].Body)
	}
	var wg sync.WaitGroup
	errs := make(chan string, 8)
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := range want {
				j := (i + g) % len(want)
				if got := Tokens(props[j].Body); !reflect.DeepEqual(got, want[j]) {
					errs <- props[j].Number
					return
				}
			}
		}(g)
	}
	wg.Wait()
	close(errs)
	for n := range errs {
		t.Errorf("proposal %s segmented differently when run concurrently", n)
	}
}

func TestLoadUserDict(t *testing.T) {
	// A made-up place name: before, it is split into known words.
	const word = "鹭洲湾区"
	text := "鹭洲湾区的交通规划"
	if slices.Contains(Segment(text), word) {
		t.Fatalf("%s already a word", word)
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "user.txt")
	if err := os.WriteFile(path, []byte("# 测试词典\n"+word+" 5000 ns\n\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	// Searches keep running while the administrator loads a dictionary.
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			select {
			case <-stop:
				return
			default:
				Tokens("黄埔区生物岛的交通规划和鹭洲公园")
			}
		}
	}()
	n, err := LoadUserDict(path)
	close(stop)
	wg.Wait()
	if err != nil || n != 1 {
		t.Fatalf("LoadUserDict = %d, %v", n, err)
	}
	if !slices.Contains(Segment(text), word) {
		t.Errorf("%s still split after LoadUserDict: %v", word, Segment(text))
	}
	if q := QueryTerms(word); !reflect.DeepEqual(q, []string{word}) {
		t.Errorf("QueryTerms(%s) = %v", word, q)
	}

	bad := filepath.Join(dir, "bad.txt")
	os.WriteFile(bad, []byte("好词 100\n坏词 -3\n"), 0o644)
	if _, err := LoadUserDict(bad); err == nil || !strings.Contains(err.Error(), "第2行") {
		t.Errorf("bad frequency: err = %v, want the line number", err)
	}
	if _, err := LoadUserDict(filepath.Join(dir, "missing.txt")); err == nil {
		t.Error("missing file: no error")
	}
}
