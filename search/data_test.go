package search

import (
	"encoding/csv"
	"os"
	"strings"
	"sync"
	"testing"

	"zhengxie/internal/testenv/shared"
)

// The real texts live beside the repository, never in it (see
// ../shared/data/README.md); package shared finds them, and fails instead of
// skipping under CI.
func dataDir(t testing.TB) string {
	t.Helper()
	return shared.Dir(t, "proposals_jiangsu_2019.csv")
}

// readCSV returns the rows of a data file as maps from header to trimmed
// cell.
func readCSV(t testing.TB, name string) []map[string]string {
	t.Helper()
	f, err := os.Open(shared.Path(t, name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.LazyQuotes = true
	r.FieldsPerRecord = -1
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	if len(recs) < 2 {
		t.Fatalf("%s: no rows", name)
	}
	head := recs[0]
	for i := range head {
		head[i] = strings.TrimSpace(strings.TrimPrefix(head[i], "\ufeff"))
	}
	rows := make([]map[string]string, 0, len(recs)-1)
	for _, rec := range recs[1:] {
		row := make(map[string]string, len(head))
		for i, h := range head {
			if i < len(rec) {
				row[h] = strings.TrimSpace(rec[i])
			}
		}
		rows = append(rows, row)
	}
	return rows
}

type proposal struct {
	Number, Title, Body, Type string
	TitleTokens, BodyTokens   []string
}

var (
	proposalsOnce sync.Once
	proposalsData []proposal
)

// loadProposals reads and segments the 436 proposals once per test binary.
func loadProposals(t testing.TB) []proposal {
	t.Helper()
	dataDir(t) // skips when the data is absent
	proposalsOnce.Do(func() {
		for _, r := range readCSV(t, "proposals_jiangsu_2019.csv") {
			proposalsData = append(proposalsData, proposal{
				Number:      r["proposal_number"],
				Title:       r["reason"],
				Body:        r["content"],
				Type:        r["type"],
				TitleTokens: Tokens(r["reason"]),
				BodyTokens:  Tokens(r["content"]),
			})
		}
	})
	if len(proposalsData) != 436 {
		t.Fatalf("proposals_jiangsu_2019.csv: %d rows, want 436", len(proposalsData))
	}
	return proposalsData
}

type message struct {
	Subject, Body, Class string
	Tokens               []string
}

func loadMessages(t testing.TB) []message {
	t.Helper()
	rows := readCSV(t, "citizen_messages.csv")
	var out []message
	for _, r := range rows {
		out = append(out, message{
			Subject: r["留言主题"],
			Body:    r["留言详情"],
			Class:   r["一级分类"],
			Tokens:  append(Tokens(r["留言主题"]), Tokens(r["留言详情"])...),
		})
	}
	if len(out) != 495 {
		t.Fatalf("citizen_messages.csv: %d rows, want 495", len(out))
	}
	return out
}
