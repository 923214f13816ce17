package search

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestHighlight(t *testing.T) {
	cases := []struct {
		text  string
		terms []string
		want  string
	}{
		{"关于加强老小区光纤化改造的建议", []string{"光纤", "改造"},
			"关于加强老小区<mark>光纤</mark>化<mark>改造</mark>的建议"},
		// Adjacent terms make one mark.
		{"光纤改造", []string{"光纤", "改造"}, "<mark>光纤改造</mark>"},
		// Everything is escaped, inside marks too.
		{`<script>alert("公厕")</script> & 公厕`, []string{"公厕"},
			`&lt;script&gt;alert(&#34;<mark>公厕</mark>&#34;)&lt;/script&gt; &amp; <mark>公厕</mark>`},
		{"<b>x</b>", nil, "&lt;b&gt;x&lt;/b&gt;"},
		// Case and width are ignored like in the index.
		{"检测ＶＯＣｓ和VOCs", []string{"vocs"}, "检测<mark>ＶＯＣｓ</mark>和<mark>VOCs</mark>"},
		// Numbers and Latin words match whole.
		{"2019年第2次", []string{"2"}, "2019年第<mark>2</mark>次"},
		// A word broken over two lines is still one word.
		{"提高利用效\n率", []string{"效率"}, "提高利用<mark>效\n率</mark>"},
		// The longest term wins where they overlap.
		{"民营企业融资", []string{"民营", "民营企业"}, "<mark>民营企业</mark>融资"},
	}
	for _, c := range cases {
		if got := string(Highlight(c.text, c.terms)); got != c.want {
			t.Errorf("Highlight(%q, %v)\n got %s\nwant %s", c.text, c.terms, got, c.want)
		}
	}
}

func TestSnippet(t *testing.T) {
	text := strings.Repeat("这是与主题无关的一段文字。", 30) +
		"老旧小区的光纤\n改造需要加快推进。" +
		strings.Repeat("其他内容继续写下去。", 30)
	s := string(Snippet(text, []string{"光纤", "改造"}, 40))
	if !strings.Contains(s, "<mark>光纤改造</mark>") {
		t.Errorf("snippet misses the match: %s", s)
	}
	if !strings.HasPrefix(s, "…") || !strings.HasSuffix(s, "…") {
		t.Errorf("snippet cut on both sides should show …: %s", s)
	}
	plain := strings.NewReplacer("<mark>", "", "</mark>", "", "…", "").Replace(s)
	if n := utf8.RuneCountInString(plain); n > 40 {
		t.Errorf("snippet has %d characters, want at most 40: %s", n, s)
	}
	// It opens at the sentence that holds the match.
	if !strings.HasPrefix(plain, "老旧小区") {
		t.Errorf("snippet should start at the sentence: %s", s)
	}

	// No match: the start of the text, tidied.
	s = string(Snippet("第一段\n  第二段 text\n\nmore", []string{"无关"}, 120))
	if s != "第一段第二段 text more" {
		t.Errorf("no-match snippet = %q", s)
	}
	// Prefers the window with more distinct terms.
	text = "公厕" + strings.Repeat("。无关文字", 40) + "。公厕指引系统要完善" + strings.Repeat("。无关文字", 40)
	s = string(Snippet(text, []string{"公厕", "指引"}, 30))
	if !strings.Contains(s, "<mark>公厕</mark><mark>指引</mark>") && !strings.Contains(s, "<mark>公厕指引</mark>") {
		t.Errorf("snippet did not pick the window with both terms: %s", s)
	}
	if s := Snippet("", []string{"x"}, 10); s != "" {
		t.Errorf("empty text: %q", s)
	}
}

func TestSnippetRealData(t *testing.T) {
	props := loadProposals(t)
	byNumber := map[string]proposal{}
	for _, p := range props {
		byNumber[p.Number] = p
	}
	for _, c := range []struct {
		number, query string
		marks         []string
	}{
		{"0001", "公厕", []string{"<mark>公厕</mark>"}},
		{"0002", "光纤改造", []string{"<mark>光纤</mark>"}},
		{"0183", "民营企业融资", []string{"<mark>民营企业</mark>", "<mark>融资</mark>"}},
	} {
		p := byNumber[c.number]
		terms := QueryTerms(c.query)
		s := string(Snippet(p.Body, terms, 120))
		for _, m := range c.marks {
			if !strings.Contains(s, m) {
				t.Errorf("%s snippet for %s lacks %s: %s", c.number, c.query, m, s)
			}
		}
		if strings.Contains(s, "\n") {
			t.Errorf("%s snippet keeps line breaks: %q", c.number, s)
		}
		if h := string(Highlight(p.Title, terms)); !strings.Contains(h, "<mark>") {
			t.Errorf("%s title not highlighted for %s: %s", c.number, c.query, h)
		}
	}
}
