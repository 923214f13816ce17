package search

import (
	"reflect"
	"strings"
	"testing"
)

var hostile = []string{
	`公厕`,
	`a" OR "b`,
	`NEAR(光纤 改造)`,
	`title:光纤`,
	`光纤*`,
	`^开头`,
	`'; DROP TABLE proposals; --`,
	`a\'b`,
	`x\\y`,
	`!a | b <-> c:*`,
	"nul\x00byte",
	`""""`,
	`''''`,
	"  spaced  ",
}

// unquote parses a sequence of quoted strings joined by sep, where a quote
// inside a string is doubled (and, for tsquery, a backslash escapes). It
// fails on anything else, which is what proves nothing can be injected.
func unquote(t *testing.T, s, sep string, q byte, backslash bool) []string {
	t.Helper()
	var out []string
	for i := 0; i < len(s); {
		if len(out) > 0 {
			if !strings.HasPrefix(s[i:], sep) {
				t.Fatalf("%q: expected %q at %d", s, sep, i)
			}
			i += len(sep)
		}
		if s[i] != q {
			t.Fatalf("%q: unquoted text at %d", s, i)
		}
		i++
		var b strings.Builder
		for {
			if i >= len(s) {
				t.Fatalf("%q: unterminated string", s)
			}
			c := s[i]
			if backslash && c == '\\' {
				if i+1 >= len(s) {
					t.Fatalf("%q: dangling backslash", s)
				}
				b.WriteByte(s[i+1])
				i += 2
				continue
			}
			if c == q {
				if i+1 < len(s) && s[i+1] == q {
					b.WriteByte(q)
					i += 2
					continue
				}
				i++
				break
			}
			b.WriteByte(c)
			i++
		}
		out = append(out, b.String())
	}
	return out
}

func TestFTS5Match(t *testing.T) {
	if got := FTS5Match([]string{"民营企业", "融资"}); got != `"民营企业" AND "融资"` {
		t.Errorf("FTS5Match = %s", got)
	}
	if got := FTS5Match(nil); got != "" {
		t.Errorf("no terms: %q", got)
	}
	if got := FTS5Match([]string{"", " ", "\x00"}); got != "" {
		t.Errorf("only empty terms: %q", got)
	}
	got := FTS5Match(hostile)
	terms := unquote(t, got, " AND ", '"', false)
	var want []string
	for _, h := range hostile {
		want = append(want, clean(h))
	}
	if !reflect.DeepEqual(terms, want) {
		t.Errorf("round trip: %q\n got %q\nwant %q", got, terms, want)
	}
	if strings.ContainsRune(got, 0) {
		t.Error("NUL byte in MATCH expression")
	}
}

func TestTSQuery(t *testing.T) {
	if got := TSQuery([]string{"民营企业", "融资"}); got != `'民营企业' & '融资'` {
		t.Errorf("TSQuery = %s", got)
	}
	if got := TSQuery(nil); got != "" {
		t.Errorf("no terms: %q", got)
	}
	got := TSQuery(hostile)
	terms := unquote(t, got, " & ", '\'', true)
	var want []string
	for _, h := range hostile {
		want = append(want, clean(h))
	}
	if !reflect.DeepEqual(terms, want) {
		t.Errorf("round trip: %q\n got %q\nwant %q", got, terms, want)
	}
}

func TestQueryTermsAreSafeTokens(t *testing.T) {
	// What the search box produces never needs escaping in the first place.
	for _, h := range hostile {
		for _, term := range QueryTerms(h) {
			if strings.ContainsAny(term, "\"'\\*^:()!|&<>- \x00") {
				t.Errorf("QueryTerms(%q) gave %q", h, term)
			}
		}
	}
}

func TestJoinTokens(t *testing.T) {
	toks := Tokens("关于改善民营企业融资环境的建议")
	j := JoinTokens(toks)
	if !reflect.DeepEqual(strings.Split(j, " "), toks) {
		t.Errorf("JoinTokens does not split back: %q", j)
	}
	if JoinTokens(nil) != "" {
		t.Error("JoinTokens(nil) not empty")
	}
}
