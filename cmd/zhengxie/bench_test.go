package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"zhengxie/bench/harness"
	"zhengxie/bench/load"
)

// TestBenchQuick runs the whole benchmark on a tiny corpus against the real
// binary (built here, since the test binary has no "serve"), and checks
// that every scenario produced a measurement and the JSON table reads back.
func TestBenchQuick(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and runs the benchmark")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "zhengxie")
	build := exec.Command("go", "build", "-o", bin, ".")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	jsonFile := filepath.Join(dir, "bench.json")
	err := runBench(context.Background(), []string{"-scale", "tiny", "-quick", "-requests", "40", "-bin", bin,
		"-db", filepath.Join(dir, "tiny.db"), "-workdir", filepath.Join(dir, "work"), "-json", jsonFile})
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(jsonFile)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	table, err := load.ReadJSON(f)
	if err != nil {
		t.Fatal(err)
	}
	rows := map[string]load.Row{}
	for _, r := range table.Rows {
		if r.Engine != "sqlite" || r.Scale != "tiny" {
			t.Errorf("row %+v: want sqlite/tiny", r)
		}
		rows[r.Scenario] = r
	}
	for _, name := range []string{harness.ScGenerate, harness.ScBaseline, harness.ScDetail, harness.ScList, harness.ScPublic,
		harness.ScAPI, harness.ScWrite, harness.ScAnnual, harness.ScAnnualAll, harness.ScSearch1, harness.ScSearch2,
		harness.ScSearchF, harness.ScSimilar} {
		r, ok := rows[name]
		switch {
		case !ok:
			t.Errorf("no row for %s", name)
		case r.Throughput <= 0:
			t.Errorf("%s: no throughput: %+v", name, r)
		case strings.Contains(r.Note, "失败"):
			t.Errorf("%s: requests failed: %s", name, r.Note)
		}
	}
	if r := rows[harness.ScDetail]; r.Ratio <= 0 || r.RSS <= 0 || r.P50 <= 0 {
		t.Errorf("detail page: no ratio, memory or latency: %+v", r)
	}
	if r := rows[harness.ScStartup]; r.P50 <= 0 || r.RSS <= 0 {
		t.Errorf("start-up not measured: %+v", r)
	}
	if r := rows[harness.ScWarm]; r.P50 < rows[harness.ScStartup].P50 {
		t.Errorf("warm-up %v shorter than start-up %v", r.P50, rows[harness.ScStartup].P50)
	}
	if r := rows[harness.ScServerPeakRSS]; r.RSS < rows[harness.ScStartup].RSS {
		t.Errorf("peak RSS %d below the RSS at start-up %d", r.RSS, rows[harness.ScStartup].RSS)
	}
	if table.Meta["cpus"] == "" || table.Meta["date"] == "" {
		t.Errorf("no machine description: %v", table.Meta)
	}
}

// TestBenchReuseNeedsCorpus: -reuse on a database without a corpus fails
// with a clear message instead of measuring an empty store.
func TestBenchReuseNeedsCorpus(t *testing.T) {
	dir := t.TempDir()
	err := runBench(context.Background(), []string{"-scale", "district", "-reuse", "-db", filepath.Join(dir, "none.db"), "-workdir", dir})
	if err == nil || !strings.Contains(err.Error(), "找不到数据库") {
		t.Fatalf("err = %v", err)
	}
}
