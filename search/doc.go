// Package search turns Chinese text into the tokens that both full-text
// engines index, and builds the "intelligent" features on the same tokens:
// query strings for SQLite FTS5 and PostgreSQL tsquery, highlighted titles and
// snippets, TF-IDF similarity for duplicate hints and merge suggestions,
// category / handling-unit suggestions and key terms.
//
// The package is pure Go and does no I/O except reading an optional
// administrator dictionary: the store calls Tokens once per write, keeps
// JoinTokens(tokens) in its index column, and asks QueryTerms plus
// FTS5Match or TSQuery for a user's query. Segmentation uses the gse
// dictionary embedded in the binary, so a server with no module cache and no
// network starts the same way as a developer's machine.
package search
