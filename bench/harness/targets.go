package harness

import (
	"fmt"
	"time"

	"zhengxie/bench/load"
)

// target is one promise of issue 3 (and the search issue's speed section),
// measured on SQLite.
type target struct {
	scenario, scale string
	check           func(r load.Row) bool
	text            string
}

var targets = []target{
	{ScDetail, "national", func(r load.Row) bool { return r.Throughput >= 10000 && r.Ratio >= 0.3 }, "目标 ≥10000/秒且 ≥0.3×基线"},
	{ScList, "national", func(r load.Row) bool { return r.Throughput >= 5000 }, "目标 ≥5000/秒"},
	{ScWrite, "", func(r load.Row) bool { return r.Throughput >= 500 }, "目标 ≥500件/秒"},
	{ScAnnual, "large", func(r load.Row) bool { return r.P95 <= time.Second }, "目标 ≤1秒"},
	{ScAnnualAll, "large", func(r load.Row) bool { return r.P95 <= time.Second }, "目标 ≤1秒"},
	{ScStartup, "large", func(r load.Row) bool { return r.P50 <= 2*time.Second }, "目标 ≤2秒"},
	{ScServerPeakRSS, "large", func(r load.Row) bool { return r.RSS > 0 && r.RSS <= 300<<20 }, "目标 ≤300MB"},
	{ScSearch1, "large", func(r load.Row) bool { return r.P95 <= 20*time.Millisecond }, "目标 p95 ≤20毫秒"},
	{ScSearch2, "large", func(r load.Row) bool { return r.P95 <= 20*time.Millisecond }, "目标 p95 ≤20毫秒"},
	{ScSearchF, "large", func(r load.Row) bool { return r.P95 <= 20*time.Millisecond }, "目标 p95 ≤20毫秒"},
	{ScSimilar, "large", func(r load.Row) bool { return r.P95 <= 50*time.Millisecond }, "目标 p95 ≤50毫秒"},
	// Issue 10 (duty).
	{ScDutyRecompute, "national", func(r load.Row) bool { return r.P95 <= 5*time.Second }, "目标 ≤5秒"},
	{ScDutyRanking, "", func(r load.Row) bool { return r.P95 <= 50*time.Millisecond }, "目标 p95 ≤50毫秒"},
	{ScDutyRecord, "", func(r load.Row) bool { return r.Ratio >= 0.3 }, "目标 ≥0.3×基线"},
}

// httpScenarios are the rows measured over HTTP, the only ones a ratio to
// the HTTP baseline means something for.
var httpScenarios = map[string]bool{ScBaseline: true, ScDetail: true, ScList: true, ScPublic: true, ScAPI: true, ScWrite: true,
	ScDutyRanking: true, ScDutyRecord: true}

// ClearRatios removes the ratio of rows that are not HTTP requests
// (generation, in-process calls), which load.Table.SetRatios gives every
// row with a throughput.
func ClearRatios(rows []load.Row) {
	for i := range rows {
		if !httpScenarios[rows[i].Scenario] {
			rows[i].Ratio = 0
		}
	}
}

// JudgeTargets prefixes the note of every SQLite row that has a target with
// the target and whether it was met.
func JudgeTargets(rows []load.Row) {
	for i := range rows {
		r := &rows[i]
		if r.Engine != "sqlite" {
			continue
		}
		for _, t := range targets {
			if t.scenario != r.Scenario || (t.scale != "" && t.scale != r.Scale) {
				continue
			}
			verdict := "达到"
			if !t.check(*r) {
				verdict = "未达到"
			}
			note := fmt.Sprintf("%s：%s", t.text, verdict)
			if r.Note != "" {
				note += "；" + r.Note
			}
			r.Note = note
		}
	}
}
