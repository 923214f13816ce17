package search

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// The real texts live beside the repository, never in it (see
// ../shared/data/README.md): find the module root by its go.mod and look
// for ../shared/data from there.
func dataDir(t testing.TB) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Skip("no go.mod above the package directory; cannot locate ../shared/data")
		}
		dir = parent
	}
	data := filepath.Join(dir, "..", "shared", "data")
	if _, err := os.Stat(filepath.Join(data, "proposals_jiangsu_2019.csv")); err != nil {
		t.Skipf("real-data test skipped: %s/proposals_jiangsu_2019.csv not found (the shared data folder sits beside the repository root)", data)
	}
	return data
}

// readCSV returns the rows of a data file as maps from header to trimmed
// cell.
func readCSV(t testing.TB, name string) []map[string]string {
	t.Helper()
	f, err := os.Open(filepath.Join(dataDir(t), name))
	if err != nil {
		t.Skipf("real-data test skipped: %v", err)
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
