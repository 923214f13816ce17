// Command zhengxie is the whole of Zhengxie (数字政协) in one binary: the web
// server, the demo, migrations, audit verification, benchmarks and
// administration.
package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
)

// command is one subcommand.
type command struct {
	name  string
	usage string
	run   func(ctx context.Context, args []string) error
	subs  []command // second words the command dispatches itself ("import proposals"), for help only
}

var commands []command

func register(name, usage string, run func(ctx context.Context, args []string) error) {
	commands = append(commands, command{name: name, usage: usage, run: run})
}

// registerSub lists "name sub" in the help under name; name's own run
// dispatches it.
func registerSub(name, sub, usage string) {
	for i := range commands {
		if commands[i].name == name {
			commands[i].subs = append(commands[i].subs, command{name: name + " " + sub, usage: usage})
			return
		}
	}
	panic("registerSub: no command " + name)
}

func usage() {
	fmt.Fprint(os.Stderr, helpText())
}

func helpText() string {
	var lines []command
	for _, c := range commands {
		lines = append(lines, c)
		lines = append(lines, c.subs...)
	}
	width := 0
	for _, c := range lines {
		width = max(width, len(c.name))
	}
	var b strings.Builder
	b.WriteString("用法: zhengxie <命令> [参数]\n\n命令:\n")
	for _, c := range lines {
		fmt.Fprintf(&b, "  %-*s  %s\n", width, c.name, c.usage)
	}
	b.WriteString("\n每个命令的参数: zhengxie <命令> -h\n")
	return b.String()
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	slog.SetDefault(slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelInfo})))
	name := "serve"
	args := os.Args[1:]
	if len(args) > 0 {
		name, args = args[0], args[1:]
	}
	if name == "help" || name == "-h" || name == "--help" {
		usage()
		return
	}
	for _, c := range commands {
		if c.name == name {
			if err := c.run(ctx, args); err != nil {
				fmt.Fprintln(os.Stderr, "错误:", err)
				os.Exit(1)
			}
			return
		}
	}
	fmt.Fprintf(os.Stderr, "未知命令 %q\n\n", name)
	usage()
	os.Exit(2)
}

// options shared by the commands that open the database.
type dbFlags struct {
	db      string
	dataDir string
}

func (d *dbFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&d.db, "db", envOr("ZHENGXIE_DB", ""), "数据库：SQLite 文件路径，或 postgres:// 连接串（环境变量 ZHENGXIE_DB；默认 <data>/zhengxie.db）")
	fs.StringVar(&d.dataDir, "data", envOr("ZHENGXIE_DATA", "data"), "数据目录：SQLite 数据库与附件（环境变量 ZHENGXIE_DATA）")
}

func (d *dbFlags) dsn() string {
	if d.db != "" {
		return d.db
	}
	return filepath.Join(d.dataDir, "zhengxie.db")
}

func envOr(key, def string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	if f := os.Getenv(key + "_FILE"); f != "" {
		if b, err := os.ReadFile(f); err == nil {
			return string(trimNL(b))
		}
	}
	return def
}

func trimNL(b []byte) []byte {
	for len(b) > 0 && (b[len(b)-1] == '\n' || b[len(b)-1] == '\r') {
		b = b[:len(b)-1]
	}
	return b
}
