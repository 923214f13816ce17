package load

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/rivo/uniseg"
)

// Row is one line of the result table.
type Row struct {
	Scenario   string
	Engine     string // sqlite, postgres
	Scale      string // district, city, national, large
	Throughput float64
	Unit       string // what Throughput counts per second; "req" if empty
	P50, P95   time.Duration
	P99        time.Duration
	Ratio      float64 // Throughput over the baseline's; 0 for none
	RSS        int64   // peak resident bytes of the server; 0 if not measured
	Note       string  // a one-shot time, a target, what limits it
}

// RowOf makes a row from a run.
func RowOf(scenario, engine, scale string, r Result) Row {
	return Row{Scenario: scenario, Engine: engine, Scale: scale, Throughput: r.Throughput,
		P50: r.P50, P95: r.P95, P99: r.P99}
}

// Table is the benchmark's report: rows, and facts about the run (machine,
// commit, date) that make two tables comparable.
type Table struct {
	Meta map[string]string
	Rows []Row
}

// Add appends a row.
func (t *Table) Add(r Row) { t.Rows = append(t.Rows, r) }

// SetRatios sets each row's Ratio to its throughput over that of the row
// whose scenario is baseline, with the same engine and, when there is one,
// the same scale. Rows without throughput, or with no baseline to compare
// with, keep a ratio of 0.
func (t *Table) SetRatios(baseline string) {
	for i := range t.Rows {
		r := &t.Rows[i]
		if r.Throughput <= 0 {
			continue
		}
		var base float64
		for _, b := range t.Rows {
			if b.Scenario != baseline || b.Engine != r.Engine || b.Throughput <= 0 {
				continue
			}
			if b.Scale == r.Scale {
				base = b.Throughput
				break
			}
			if base == 0 {
				base = b.Throughput
			}
		}
		if base > 0 {
			r.Ratio = r.Throughput / base
		}
	}
}

var header = []string{"scenario", "engine", "scale", "throughput", "p50", "p95", "p99", "ratio", "RSS", "note"}

// right says which columns hold numbers, aligned right.
var right = []bool{false, false, false, true, true, true, true, true, true, false}

// WriteText writes the table aligned for a monospace terminal, counting
// Chinese characters as two cells wide.
func (t *Table) WriteText(w io.Writer) error {
	cells := [][]string{header}
	for _, r := range t.Rows {
		cells = append(cells, []string{r.Scenario, r.Engine, r.Scale, formatRate(r.Throughput, r.Unit),
			formatDuration(r.P50), formatDuration(r.P95), formatDuration(r.P99), formatRatio(r.Ratio),
			formatBytes(r.RSS), r.Note})
	}
	width := make([]int, len(header))
	for _, row := range cells {
		for i, c := range row {
			width[i] = max(width[i], uniseg.StringWidth(c))
		}
	}
	bw := bufio.NewWriter(w)
	for k, row := range cells {
		var line strings.Builder
		for i, c := range row {
			pad := strings.Repeat(" ", width[i]-uniseg.StringWidth(c))
			if i > 0 {
				line.WriteString("  ")
			}
			if right[i] {
				line.WriteString(pad + c)
			} else if i < len(row)-1 {
				line.WriteString(c + pad)
			} else {
				line.WriteString(c)
			}
		}
		bw.WriteString(strings.TrimRight(line.String(), " ") + "\n")
		if k == 0 {
			total := 2 * (len(width) - 1)
			for _, x := range width {
				total += x
			}
			bw.WriteString(strings.Repeat("-", total) + "\n")
		}
	}
	return bw.Flush()
}

func formatRate(v float64, unit string) string {
	if v <= 0 {
		return "-"
	}
	if unit == "" {
		unit = "req"
	}
	if v < 100 {
		return strconv.FormatFloat(v, 'f', 1, 64) + " " + unit + "/s"
	}
	return thousands(int64(v+0.5)) + " " + unit + "/s"
}

func thousands(n int64) string {
	s := strconv.FormatInt(n, 10)
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}

func formatDuration(d time.Duration) string {
	ms := float64(d) / float64(time.Millisecond)
	switch {
	case d <= 0:
		return "-"
	case ms < 10:
		return strconv.FormatFloat(ms, 'f', 2, 64) + " ms"
	case ms < 1000:
		return strconv.FormatFloat(ms, 'f', 1, 64) + " ms"
	}
	return strconv.FormatFloat(ms/1000, 'f', 2, 64) + " s"
}

func formatRatio(r float64) string {
	if r <= 0 {
		return "-"
	}
	return strconv.FormatFloat(r, 'f', 2, 64)
}

func formatBytes(b int64) string {
	if b <= 0 {
		return "-"
	}
	return strconv.FormatFloat(float64(b)/(1<<20), 'f', 0, 64) + " MB"
}

// rowJSON is Row as it is stored: durations in milliseconds, so that the
// file reads the same in any language.
type rowJSON struct {
	Scenario   string  `json:"scenario"`
	Engine     string  `json:"engine"`
	Scale      string  `json:"scale"`
	Throughput float64 `json:"throughput,omitempty"`
	Unit       string  `json:"unit,omitempty"`
	P50        float64 `json:"p50_ms,omitempty"`
	P95        float64 `json:"p95_ms,omitempty"`
	P99        float64 `json:"p99_ms,omitempty"`
	Ratio      float64 `json:"ratio,omitempty"`
	RSS        int64   `json:"rss_bytes,omitempty"`
	Note       string  `json:"note,omitempty"`
}

type tableJSON struct {
	Meta map[string]string `json:"meta,omitempty"`
	Rows []rowJSON         `json:"rows"`
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

func fromMS(v float64) time.Duration { return time.Duration(v*float64(time.Millisecond) + 0.5) }

// WriteJSON writes the table as indented JSON, for comparing commits.
func (t *Table) WriteJSON(w io.Writer) error {
	out := tableJSON{Meta: t.Meta, Rows: []rowJSON{}}
	for _, r := range t.Rows {
		out.Rows = append(out.Rows, rowJSON{r.Scenario, r.Engine, r.Scale, r.Throughput, r.Unit,
			ms(r.P50), ms(r.P95), ms(r.P99), r.Ratio, r.RSS, r.Note})
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

// ReadJSON reads a table written by WriteJSON.
func ReadJSON(r io.Reader) (*Table, error) {
	var in tableJSON
	if err := json.NewDecoder(r).Decode(&in); err != nil {
		return nil, fmt.Errorf("reading benchmark table: %w", err)
	}
	t := &Table{Meta: in.Meta}
	for _, r := range in.Rows {
		t.Rows = append(t.Rows, Row{r.Scenario, r.Engine, r.Scale, r.Throughput, r.Unit,
			fromMS(r.P50), fromMS(r.P95), fromMS(r.P99), r.Ratio, r.RSS, r.Note})
	}
	return t, nil
}

// Machine describes the machine a table was measured on: CPU model and
// count, memory, operating system and Go version.
func Machine() map[string]string {
	m := map[string]string{
		"cpus": strconv.Itoa(runtime.NumCPU()),
		"os":   runtime.GOOS + "/" + runtime.GOARCH,
		"go":   runtime.Version(),
	}
	if data, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, line := range strings.Split(string(data), "\n") {
			if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
				m["cpu"] = strings.TrimSpace(v)
				break
			}
		}
	}
	if data, err := os.ReadFile("/proc/meminfo"); err == nil {
		for _, line := range strings.Split(string(data), "\n") {
			if f := strings.Fields(line); len(f) == 3 && f[0] == "MemTotal:" {
				if kb, err := strconv.ParseInt(f[1], 10, 64); err == nil {
					m["memory"] = formatBytes(kb * 1024)
				}
				break
			}
		}
	}
	return m
}
