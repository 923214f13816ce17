package main

import (
	"context"
	"database/sql"
	"errors"
	"flag"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"golang.org/x/term"

	"zhengxie/bench/harness"
	"zhengxie/bench/load"
	"zhengxie/store"
)

func init() {
	register("bench", "生成基准语料并测量性能（规模 district/city/national/large，SQLite 与 PostgreSQL）", runBench)
	register("bench-baseline", "（基准测试内部使用）基线服务：读一行、渲染一个小模板", runBenchBaseline)
}

// defaultPostgres is the PostgreSQL of the development machine and CI.
const defaultPostgres = "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"

type benchFlags struct {
	scales      string
	db          string
	engine      string
	duration    time.Duration
	concurrency int
	requests    int
	quick       bool
	reuse       bool
	jsonFile    string
	seed        int64
	workers     int
	reuseTokens string
	skip        string
	binary      string
	genOnly     bool
	workDir     string
}

func runBench(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("bench", flag.ExitOnError)
	var f benchFlags
	fs.StringVar(&f.scales, "scale", "district", "规模：district、city、national、large，可用逗号分隔多个")
	fs.StringVar(&f.db, "db", "", "数据库：SQLite 文件路径或 postgres:// 连接串（默认临时目录中的 SQLite 文件；PostgreSQL 使用其中的 zhengxie_bench_<规模> 模式）")
	fs.StringVar(&f.engine, "engine", "", "sqlite、postgres 或 both（默认由 -db 决定，否则 sqlite）；PostgreSQL 取 ZHENGXIE_TEST_POSTGRES 或 "+defaultPostgres)
	fs.DurationVar(&f.duration, "duration", 10*time.Second, "每个场景的最长时间")
	fs.IntVar(&f.concurrency, "concurrency", 16, "并发客户端数")
	fs.IntVar(&f.requests, "requests", 0, "每个场景的最多请求数（0 为不限，只受 -duration 限制）")
	fs.BoolVar(&f.quick, "quick", false, "极短的运行（CI 用）：少量请求，临时数据库，用后删除")
	fs.BoolVar(&f.reuse, "reuse", false, "使用已生成的数据库，不重新生成")
	fs.StringVar(&f.jsonFile, "json", "", "把结果表另存为 JSON 文件")
	fs.Int64Var(&f.seed, "seed", 1, "语料随机种子")
	fs.IntVar(&f.workers, "workers", 0, "生成语料的分词协程数（默认 CPU 核数）")
	fs.StringVar(&f.reuseTokens, "reuse-tokens", "auto", "正文索引词是否取自分词样本池：auto（仅 large）、on、off")
	fs.StringVar(&f.skip, "skip", "", "跳过的场景（场景名，逗号分隔；duty 表示全部履职场景）")
	fs.StringVar(&f.binary, "bin", "", "被测的 zhengxie 可执行文件（默认本程序）")
	fs.BoolVar(&f.genOnly, "generate-only", false, "只生成语料，不测量")
	fs.StringVar(&f.workDir, "workdir", "", "日志与临时文件目录（默认临时目录）")
	fs.Parse(args)
	if f.quick {
		f.duration, f.requests = 2*time.Second, 150
		if f.concurrency > 4 {
			f.concurrency = 4
		}
	}
	bin := f.binary
	if bin == "" {
		exe, err := os.Executable()
		if err != nil {
			return err
		}
		bin = exe
	}
	work := f.workDir
	if work == "" {
		dir, err := os.MkdirTemp("", "zhengxie-bench-")
		if err != nil {
			return err
		}
		work = dir
		defer os.RemoveAll(dir)
	} else if err := os.MkdirAll(work, 0o750); err != nil {
		return err
	}
	engines, err := benchEngines(f)
	if err != nil {
		return err
	}
	skip := map[string]bool{}
	for _, s := range strings.Split(f.skip, ",") {
		switch s = strings.TrimSpace(s); s {
		case "":
		case "duty":
			// The whole duty module at once, for runs about proposals only.
			skip[harness.ScDutyRecompute], skip[harness.ScDutyRanking], skip[harness.ScDutyRecord] = true, true, true
		default:
			skip[s] = true
		}
	}
	table := &load.Table{Meta: load.Machine()}
	table.Meta["date"] = time.Now().Format(time.RFC3339)
	if rev := gitRevision(); rev != "" {
		table.Meta["commit"] = rev
	}
	table.Meta["concurrency"] = fmt.Sprint(f.concurrency)
	table.Meta["duration"] = f.duration.String()
	for _, name := range strings.Split(f.scales, ",") {
		sc, err := harness.ScaleByName(strings.TrimSpace(name))
		if err != nil {
			return err
		}
		for _, engine := range engines {
			dsn, cleanup, err := benchDSN(ctx, f, engine, sc, work)
			if err != nil {
				return err
			}
			gen := harness.GenOptions{Seed: f.seed, Workers: f.workers, ReuseTokens: f.reuseTokens == "on" || (f.reuseTokens == "auto" && sc.Name == "large")}
			if !term.IsTerminal(int(os.Stderr.Fd())) {
				gen.Log = os.Stderr
			}
			cfg := harness.Config{Engine: engine, DSN: dsn, Scale: sc, Concurrency: f.concurrency, Duration: f.duration,
				MaxRequests: f.requests, Reuse: f.reuse, Gen: gen, Binary: bin, WorkDir: work, Out: os.Stderr, Skip: skip}
			if f.genOnly {
				if f.reuse {
					return errors.New("-generate-only 与 -reuse 不能同时使用")
				}
				err = generateOnly(ctx, cfg)
			} else {
				var rows []load.Row
				rows, err = harness.Run(ctx, cfg)
				for _, r := range rows {
					table.Add(r)
				}
			}
			cleanup()
			if err != nil {
				return fmt.Errorf("%s/%s：%w", engine, sc.Name, err)
			}
		}
	}
	if f.genOnly {
		return nil
	}
	table.SetRatios(harness.ScBaseline)
	harness.ClearRatios(table.Rows)
	harness.JudgeTargets(table.Rows)
	fmt.Println()
	if err := table.WriteText(os.Stdout); err != nil {
		return err
	}
	if f.jsonFile != "" {
		out, err := os.Create(f.jsonFile)
		if err != nil {
			return err
		}
		if err := table.WriteJSON(out); err != nil {
			out.Close()
			return err
		}
		return out.Close()
	}
	return nil
}

func generateOnly(ctx context.Context, cfg harness.Config) error {
	st, err := store.Open(ctx, cfg.DSN)
	if err != nil {
		return err
	}
	defer st.Close()
	gs, err := harness.Generate(ctx, st, cfg.Scale, cfg.Gen)
	if err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "%s/%s：%s\n", cfg.Engine, cfg.Scale.Name, gs)
	return nil
}

// benchEngines decides which engines to run.
func benchEngines(f benchFlags) ([]string, error) {
	switch f.engine {
	case "both":
		if f.db != "" {
			return nil, errors.New("-engine both 时不能指定 -db：SQLite 用临时文件，PostgreSQL 用 ZHENGXIE_TEST_POSTGRES")
		}
		return []string{"sqlite", "postgres"}, nil
	case "sqlite", "postgres":
		if f.db != "" && store.IsPostgres(f.db) != (f.engine == "postgres") {
			return nil, fmt.Errorf("-db 与 -engine %s 不一致", f.engine)
		}
		return []string{f.engine}, nil
	case "":
		if store.IsPostgres(f.db) {
			return []string{"postgres"}, nil
		}
		return []string{"sqlite"}, nil
	}
	return nil, fmt.Errorf("未知引擎 %q（可选 sqlite、postgres、both）", f.engine)
}

// benchDSN returns the database of one run and prepares it: emptied for a
// new corpus, left as it is with -reuse. SQLite files live in the temp
// folder (kept for -reuse, except with -quick); on PostgreSQL each scale has
// a schema of its own, so that the test database's tables are never touched.
func benchDSN(ctx context.Context, f benchFlags, engine string, sc harness.Scale, work string) (string, func(), error) {
	nop := func() {}
	if engine == "sqlite" {
		path := f.db
		if path == "" {
			dir := filepath.Join(os.TempDir(), "zhengxie-bench")
			if f.quick {
				dir = filepath.Join(work, "db")
			}
			if err := os.MkdirAll(dir, 0o750); err != nil {
				return "", nop, err
			}
			path = filepath.Join(dir, sc.Name+".db")
		}
		if f.reuse {
			if _, err := os.Stat(path); err != nil {
				return "", nop, fmt.Errorf("-reuse：找不到数据库 %s，请先不带 -reuse 运行一次", path)
			}
		} else {
			for _, suffix := range []string{"", "-wal", "-shm"} {
				if err := os.Remove(path + suffix); err != nil && !errors.Is(err, os.ErrNotExist) {
					return "", nop, err
				}
			}
		}
		fmt.Fprintf(os.Stderr, "SQLite 数据库：%s\n", path)
		return path, nop, nil
	}
	base := f.db
	if base == "" {
		base = os.Getenv("ZHENGXIE_TEST_POSTGRES")
	}
	if base == "" {
		base = defaultPostgres
	}
	u, err := url.Parse(base)
	if err != nil {
		return "", nop, err
	}
	schema := "zhengxie_bench_" + sc.Name
	q := u.Query()
	if f.db != "" && q.Get("search_path") != "" {
		schema = q.Get("search_path")
	}
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	if !f.reuse {
		db, err := sql.Open("pgx", base)
		if err != nil {
			return "", nop, err
		}
		defer db.Close()
		for _, stmt := range []string{`DROP SCHEMA IF EXISTS ` + schema + ` CASCADE`, `CREATE SCHEMA ` + schema} {
			if _, err := db.ExecContext(ctx, stmt); err != nil {
				return "", nop, fmt.Errorf("准备 PostgreSQL 模式 %s：%w", schema, err)
			}
		}
	}
	cleanup := nop
	if f.quick {
		cleanup = func() {
			if db, err := sql.Open("pgx", base); err == nil {
				db.Exec(`DROP SCHEMA IF EXISTS ` + schema + ` CASCADE`)
				db.Close()
			}
		}
	}
	fmt.Fprintf(os.Stderr, "PostgreSQL 模式：%s\n", schema)
	return u.String(), cleanup, nil
}

func gitRevision() string {
	out, err := exec.Command("git", "rev-parse", "--short", "HEAD").Output()
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(out))
}

func runBenchBaseline(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("bench-baseline", flag.ExitOnError)
	db := fs.String("db", "", "数据库")
	addr := fs.String("addr", "127.0.0.1:0", "监听地址")
	fs.Parse(args)
	return harness.ServeBaseline(ctx, *db, *addr)
}
