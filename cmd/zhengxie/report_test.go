package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"zhengxie/internal/docx"
	"zhengxie/internal/testenv"
)

// `zhengxie report annual -committee hp -year 2026 -o FILE.docx` on a SQLite file.
func TestReportAnnualCommand(t *testing.T) {
	dir := t.TempDir()
	dsn := filepath.Join(dir, "zx.db")
	st := testenv.Open(t, dsn)
	f := testenv.Seed(t, st)
	testenv.SeedStats(t, f)
	st.Close()
	out := filepath.Join(dir, "报告.docx")
	if err := runReport(context.Background(), []string{"annual", "-db", dsn, "-committee", "hp", "-year", "2026", "-o", out}); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	text, err := docx.Text(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"政协测试区委员会关于2026年度提案工作情况的报告", "一、总体情况", "全年共收到委员和各参加单位提案6件", "八、"} {
		if want == "八、" {
			if strings.Contains(text, want) {
				t.Error("an eighth chapter (linkage) without the linkage module")
			}
			continue
		}
		if !strings.Contains(text, want) {
			t.Errorf("report lacks %q:\n%s", want, text)
		}
	}
	if err := runReport(context.Background(), []string{"annual", "-db", dsn, "-committee", "nope", "-o", out}); err == nil || !strings.Contains(err.Error(), "nope") {
		t.Errorf("unknown committee: %v", err)
	}
}
