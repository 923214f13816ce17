package search

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzQuery feeds arbitrary user queries through the query parser and the
// two engines' query builders: no panic, terms stay free of white space,
// and every quote in the output is escaped so no input becomes syntax.
func FuzzQuery(f *testing.F) {
	for _, s := range []string{"公厕", "光纤改造", "民营企业融资", `"NEAR(a b)" OR *`, "a'b\\c", "'; DROP TABLE proposals; --", "\x00\xff\xfe", "  ", "政协 委员 提案"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, q string) {
		terms := QueryTerms(q)
		for _, term := range terms {
			if strings.ContainsAny(term, " \t\n") || term == "" {
				t.Fatalf("term %q from %q", term, q)
			}
			if !utf8.ValidString(term) {
				t.Fatalf("invalid UTF-8 term from %q", q)
			}
		}
		m := FTS5Match(terms)
		// Outside the quoted terms only " AND " may appear.
		for i, part := range splitQuoted(m, '"') {
			if i%2 == 0 && strings.Trim(part, " AND") != "" {
				t.Fatalf("FTS5 expression %q has syntax outside quotes: %q", m, part)
			}
		}
		ts := TSQuery(terms)
		for i, part := range splitQuoted(ts, '\'') {
			if i%2 == 0 && strings.Trim(part, " &") != "" {
				t.Fatalf("tsquery %q has syntax outside quotes: %q", ts, part)
			}
		}
	})
}

// splitQuoted splits s at quote characters, treating a doubled quote inside
// a quoted part as an escaped one: even parts are outside quotes.
func splitQuoted(s string, quote byte) []string {
	var parts []string
	var cur strings.Builder
	in := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == quote {
			if in && i+1 < len(s) && s[i+1] == quote {
				cur.WriteByte(c)
				i++
				continue
			}
			parts = append(parts, cur.String())
			cur.Reset()
			in = !in
			continue
		}
		cur.WriteByte(c)
	}
	return append(parts, cur.String())
}
