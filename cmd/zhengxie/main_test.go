package main

import (
	"flag"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestHelpListsEveryCommand: `zhengxie help` names every command and the
// second words some of them take.
func TestHelpListsEveryCommand(t *testing.T) {
	out := runCmd(t, "help")
	for _, want := range []string{"serve", "demo", "migrate", "audit", "backup", "restore", "export", "import", "import proposals", "bench"} {
		if !strings.Contains(out, "  "+want+" ") {
			t.Errorf("help does not list %q:\n%s", want, out)
		}
	}
}

// TestReadmeConfigurationIsWhole: the README's configuration table is one
// table (no blank line splits it) and names every flag of serve.
func TestReadmeConfigurationIsWhole(t *testing.T) {
	b, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	text := string(b)
	start := strings.Index(text, "| flag | environment | default | meaning |")
	if start < 0 {
		t.Fatal("README has no configuration table")
	}
	table := text[start:]
	if end := strings.Index(table, "\n\n"); end >= 0 {
		table = table[:end]
	}
	if rest := text[start+len(table):]; strings.Contains(strings.SplitN(rest, "\n## ", 2)[0], "\n| `-") {
		t.Error("a blank line splits the configuration table: rows follow after it")
	}
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	var f serveFlags
	f.register(fs)
	fs.VisitAll(func(fl *flag.Flag) {
		if !strings.Contains(table, "`-"+fl.Name+"`") {
			t.Errorf("the README's configuration table does not list -%s (%s)", fl.Name, fl.Usage)
		}
	})
}

// TestServeStartsTheBackground: the background work (deadline scan, job
// workers) is started by serve, not by building the web routes; the admin
// page shows the scan that serve ran.
func TestServeStartsTheBackground(t *testing.T) {
	dir := t.TempDir()
	dsn := filepath.Join(dir, "zhengxie.db")
	runCmd(t, "demo", "-seed-only", "-db", dsn, "-data", dir)
	srv := startServer(t, dsn, dir)
	c, err := login(srv.url, "admin")
	if err != nil {
		t.Fatal(err)
	}
	var page string
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(200 * time.Millisecond) {
		req, _ := http.NewRequest("GET", srv.url+"/admin/jobs", nil)
		res, err := c.http.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		page = string(b)
		if res.StatusCode != 200 {
			t.Fatalf("/admin/jobs: %d", res.StatusCode)
		}
		if strings.Contains(page, `id="last-scan"`) && !strings.Contains(page, "本次启动后尚未运行") {
			return
		}
	}
	i := strings.Index(page, `id="last-scan"`)
	t.Fatalf("serve ran no deadline scan within 30 s: %.300s", page[max(i, 0):])
}
