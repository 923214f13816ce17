package main

import (
	"flag"
	"os"
	"strings"
	"testing"
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
