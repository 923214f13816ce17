package search

import "strings"

// JoinTokens is the content of the index column in both engines: tokens
// separated by single spaces. Tokens never contain white space, so SQLite's
// unicode61 tokenizer and PostgreSQL's array_to_tsvector(string_to_array(…,
// ' ')) or to_tsvector('simple', …) get exactly these tokens back.
func JoinTokens(tokens []string) string {
	return strings.Join(tokens, " ")
}

// FTS5Match builds an FTS5 MATCH expression requiring every term. Each term
// is a double-quoted FTS5 string with embedded quotes doubled, so no input
// can inject FTS5 syntax (NEAR, column filters, *, ^). Empty when there are
// no usable terms: the caller must then not run a MATCH at all.
func FTS5Match(terms []string) string {
	var b strings.Builder
	for _, t := range terms {
		t = clean(t)
		if t == "" {
			continue
		}
		if b.Len() > 0 {
			b.WriteString(" AND ")
		}
		b.WriteByte('"')
		b.WriteString(strings.ReplaceAll(t, `"`, `""`))
		b.WriteByte('"')
	}
	return b.String()
}

// TSQuery builds a PostgreSQL tsquery requiring every term, each a quoted
// lexeme with quotes and backslashes doubled, so no input can inject
// operators (!, |, <->, :*). The text is valid both as to_tsquery('simple',
// $1) input and as a tsquery literal ($1::tsquery); the literal skips
// PostgreSQL's parser, which is what keeps matching independent of the
// database's locale when the column is built with array_to_tsvector. Empty
// when there are no usable terms.
func TSQuery(terms []string) string {
	var b strings.Builder
	for _, t := range terms {
		t = clean(t)
		if t == "" {
			continue
		}
		if b.Len() > 0 {
			b.WriteString(" & ")
		}
		b.WriteByte('\'')
		t = strings.ReplaceAll(t, `\`, `\\`)
		b.WriteString(strings.ReplaceAll(t, `'`, `''`))
		b.WriteByte('\'')
	}
	return b.String()
}

// clean drops what neither engine can take inside a quoted term: NUL bytes,
// and surrounding white space that would only turn a term into a phrase.
func clean(t string) string {
	return strings.TrimSpace(strings.ReplaceAll(t, "\x00", ""))
}
