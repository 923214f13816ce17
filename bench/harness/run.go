package harness

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"zhengxie/app"
	"zhengxie/bench/load"
	"zhengxie/store"
)

// Config is one benchmark run: one engine, one scale.
type Config struct {
	Engine      string // sqlite or postgres, for the table
	DSN         string
	Scale       Scale
	Concurrency int
	Duration    time.Duration // per scenario
	MaxRequests int           // per scenario, 0 for no limit
	Reuse       bool          // measure the corpus already in DSN
	Gen         GenOptions
	// Binary is the zhengxie executable: "Binary serve" is the server
	// measured, "Binary bench-baseline" the baseline.
	Binary  string
	WorkDir string    // logs and attachment folders of the children
	Out     io.Writer // progress lines
	// Skip names scenarios not to run (the constants above).
	Skip map[string]bool
}

func (c *Config) say(format string, args ...any) {
	if c.Out != nil {
		fmt.Fprintf(c.Out, format+"\n", args...)
	}
}

// Run generates (or finds) the corpus and runs every scenario on it. The
// store at cfg.DSN must be empty unless cfg.Reuse.
func Run(ctx context.Context, cfg Config) ([]load.Row, error) {
	var rows []load.Row
	row := func(name string, r load.Result, unit string, rss int64, note string) {
		x := load.RowOf(name, cfg.Engine, cfg.Scale.Name, r)
		x.Unit, x.RSS = unit, rss
		if n := resultNote(r); n != "" {
			note = strings.TrimPrefix(note+"；"+n, "；")
		}
		x.Note = note
		rows = append(rows, x)
		cfg.say("  %-28s %s", name, r.String())
	}
	once := func(name string, d time.Duration, rss int64, note string) {
		rows = append(rows, load.Row{Scenario: name, Engine: cfg.Engine, Scale: cfg.Scale.Name, P50: d, P95: d, P99: d, RSS: rss, Note: note})
		cfg.say("  %-28s %v %s", name, d.Round(time.Microsecond), note)
	}
	st, err := store.Open(ctx, cfg.DSN)
	if err != nil {
		return nil, err
	}
	defer st.Close()
	if !cfg.Reuse {
		cfg.say("生成 %s 语料到 %s（%s）……", cfg.Scale.Name, redactDSN(cfg.DSN), cfg.Engine)
		gs, err := Generate(ctx, st, cfg.Scale, cfg.Gen)
		if err != nil {
			return nil, err
		}
		note := fmt.Sprintf("%d 件提案、%d 条事件、%d 场履职活动、%d 条出勤、%d 行，用时 %v", gs.Proposals, gs.Events, gs.Activities, gs.Attendance, gs.Rows, gs.Elapsed.Round(time.Second))
		if cfg.Gen.ReuseTokens {
			note += "；正文索引词取自分词样本池"
		}
		if size := dbSize(cfg.DSN); size > 0 {
			note += fmt.Sprintf("；数据库 %.1f GB", float64(size)/(1<<30))
		}
		rows = append(rows, load.Row{Scenario: ScGenerate, Engine: cfg.Engine, Scale: cfg.Scale.Name, Throughput: gs.Rate(), Unit: "件", Note: note})
		cfg.say("  %s", gs)
	}
	info, err := Inspect(ctx, st, cfg.Scale)
	if err != nil {
		return nil, err
	}
	cfg.say("委员会 %s：%d 件提案，%d 个承办单位，%d 年 %d 场履职活动、%d 条出勤", info.Committee.Name, info.Proposals, len(info.Units), info.Year, info.DutyActivities, info.DutyAttendance)

	// In-process: what has no route of its own yet, and what is a report.
	inProcess(ctx, cfg, st, info, row)
	// Over HTTP: the baseline, then the real server.
	logf, err := os.Create(filepath.Join(cfg.WorkDir, "server-"+cfg.Engine+"-"+cfg.Scale.Name+".log"))
	if err != nil {
		return nil, err
	}
	defer logf.Close()
	lc := load.Config{Concurrency: cfg.Concurrency, MaxRequests: cfg.MaxRequests, MaxDuration: cfg.Duration}
	run := func(t load.Target, client *http.Client) (load.Result, error) {
		c := lc
		c.Client = client
		return load.Run(ctx, c, t)
	}
	if !cfg.Skip[ScBaseline] {
		bp, err := Start(ctx, cfg.Binary, []string{"bench-baseline", "-db", cfg.DSN}, "/healthz", logf, time.Minute)
		if err != nil {
			return nil, err
		}
		r, err := run(baselineTarget(bp.Base, info), nil)
		rss := bp.PeakRSS()
		bp.Stop()
		if err != nil {
			return nil, err
		}
		row(ScBaseline, r, "", rss, "")
	}
	sp, err := Start(ctx, cfg.Binary, []string{"serve", "-db", cfg.DSN, "-data", filepath.Join(cfg.WorkDir, "data-"+cfg.Engine)}, "/healthz", logf, 5*time.Minute)
	if err != nil {
		return nil, err
	}
	defer sp.Stop()
	once(ScStartup, sp.Startup, sp.PeakRSS(), "")
	warm, err := sp.WaitIdle(ctx, 30*time.Minute, sp.Started)
	if err != nil {
		return nil, err
	}
	once(ScWarm, warm, sp.PeakRSS(), "exec 到服务进程空闲：后台载入分词词典、建相似提案索引、首轮定时任务")
	client := load.NewClient(cfg.Concurrency)
	office, err := login(ctx, client, sp.Base, info.Office)
	if err != nil {
		return nil, err
	}
	member, err := login(ctx, client, sp.Base, info.Member)
	if err != nil {
		return nil, err
	}
	// Only the proposal page trains the office's suggestions: a run that
	// skips it need not wait for the training.
	var detailNote string
	if !cfg.Skip[ScDetail] {
		if detailNote, err = primeOffice(ctx, client, sp.Base, info, office); err != nil {
			return nil, err
		}
	}
	for _, t := range []load.Target{
		detailTarget(sp.Base, info, office),
		listTarget(sp.Base, info, office),
		publicTarget(sp.Base, info),
		apiTarget(sp.Base, info, office),
		searchTarget(ScSearch1, sp.Base, info, office, searchOne, 0),
		searchTarget(ScSearch2, sp.Base, info, office, searchTwo, 0),
		searchTarget(ScSearchF, sp.Base, info, office, searchOne, info.SessionID),
		similarTarget(sp.Base, info, member),
		dutyRankingTarget(sp.Base, info, office),
		dutyRecordTarget(sp.Base, info, member),
	} {
		if cfg.Skip[t.Name] || (info.DutyActivities == 0 && (t.Name == ScDutyRanking || t.Name == ScDutyRecord)) {
			continue
		}
		note, err := prime(ctx, t, client)
		if err != nil {
			return nil, err
		}
		r, err := run(t, client)
		if err == nil {
			err = ctx.Err()
		}
		if err != nil {
			return nil, err
		}
		if t.Name == ScDetail && detailNote != "" {
			note = strings.TrimPrefix(note+"；"+detailNote, "；")
		}
		row(t.Name, r, "", sp.PeakRSS(), note)
	}
	if !cfg.Skip[ScWrite] {
		t, tr := writeTarget(sp.Base, info, member, office, cfg.Concurrency)
		wc := load.NewClient(cfg.Concurrency)
		wc.Transport = tr
		// The first write loads the segmentation dictionary; not part of the rate.
		c := lc
		c.Client, c.MaxRequests, c.MaxDuration = wc, 2, time.Minute
		if r, err := load.Run(ctx, c, t); err != nil || r.OK() == 0 {
			return nil, fmt.Errorf("写入预热失败：%v %s", err, r.FirstError)
		}
		r, err := run(t, wc)
		if err != nil {
			return nil, err
		}
		row(ScWrite, r, "件", sp.PeakRSS(), "含分词、全文索引、事件链、通知")
	}
	once(ScServerPeakRSS, 0, sp.PeakRSS(), "服务进程在以上全部场景中的最高驻留内存（VmHWM）")
	return rows, nil
}

// prime sends a scenario's first request alone before measuring it: what
// a server does once (training the office's suggestions on the first
// proposal page, say) is not its throughput. A slow first request is noted.
func prime(ctx context.Context, t load.Target, client *http.Client) (string, error) {
	r, err := load.Run(ctx, load.Config{Concurrency: 1, MaxRequests: 1, Client: client}, t)
	if err != nil {
		return "", err
	}
	if r.OK() == 0 {
		return "", fmt.Errorf("%s：首个请求失败：%s", t.Name, r.FirstError)
	}
	if r.Max > 200*time.Millisecond {
		return fmt.Sprintf("单独的首个请求 %v（不计入）", r.Max.Round(time.Millisecond)), nil
	}
	return "", nil
}

// primeOffice opens, once, the pages whose first view does one-off work:
// a proposal under review and an accepted one (their suggestions train the
// committee's classifiers on first use). The time is noted on the detail row.
func primeOffice(ctx context.Context, client *http.Client, base string, info *Info, s session) (string, error) {
	var slowest time.Duration
	for _, id := range info.SuggestIDs {
		req, err := get(base, "/proposals/"+strconv.FormatInt(id, 10), s)
		if err != nil {
			return "", err
		}
		t0 := time.Now()
		resp, err := client.Do(req.WithContext(ctx))
		if err != nil {
			return "", err
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			return "", fmt.Errorf("提案 %d 页面：状态 %d", id, resp.StatusCode)
		}
		slowest = max(slowest, time.Since(t0))
	}
	if slowest > 200*time.Millisecond {
		return fmt.Sprintf("首个审查/交办页 %v（训练分类与承办单位建议，一次性，不计入）", slowest.Round(time.Millisecond)), nil
	}
	return "", nil
}

// inProcess times what runs inside this process: the annual statistics,
// a report computed from the store rather than a page.
func inProcess(ctx context.Context, cfg Config, st *store.Store, info *Info, row func(string, load.Result, string, int64, string)) {
	n := cfg.MaxRequests
	dur := cfg.Duration
	if !cfg.Skip[ScAnnual] {
		var last *store.AnnualStats
		r := runFunc(ctx, ScAnnual, 1, min0(n, 50), dur, func(_, _ int) (err error) {
			last, err = st.AnnualStats(ctx, info.Committee.ID, info.Year)
			return err
		})
		note := ""
		if last != nil {
			note = fmt.Sprintf("%d年：收到%d件、立案%d件、按时答复率%.1f%%、满意率%.1f%%", info.Year, last.Received, last.Accepted,
				100*last.OnTimeRate(), 100*last.SatisfactionRate())
		}
		row(ScAnnual, r, "次", 0, note+"；进程内")
	}
	if !cfg.Skip[ScDutyRecompute] && info.DutyActivities > 0 {
		// The job a rule change runs: every member's points of the year from
		// proposals, attendance and records, kept for the ranked table.
		// It also leaves the scores the HTTP scenarios read.
		svc := app.New(st, &app.Files{Dir: filepath.Join(cfg.WorkDir, "files-"+cfg.Engine)}, nil)
		var members int
		r := runFunc(ctx, ScDutyRecompute, 1, min0(n, 5), dur, func(_, _ int) (err error) {
			members, err = svc.RecomputeYear(ctx, info.Committee.ID, info.Year, nil)
			return err
		})
		row(ScDutyRecompute, r, "次", 0, fmt.Sprintf("%d年：%d 位委员、%d 场活动、%d 条出勤；进程内", info.Year, members, info.DutyActivities, info.DutyAttendance))
	}
	if !cfg.Skip[ScAnnualAll] && cfg.Scale.Committees > 1 {
		var last *store.AnnualStats
		r := runFunc(ctx, ScAnnualAll, 1, min0(n, 20), dur, func(_, _ int) (err error) {
			last, err = st.AnnualStats(ctx, 0, info.Year)
			return err
		})
		note := ""
		if last != nil {
			note = fmt.Sprintf("%d年：收到%d件、立案%d件", info.Year, last.Received, last.Accepted)
		}
		row(ScAnnualAll, r, "次", 0, note+"；进程内")
	}
}

func min0(a, b int) int {
	if a == 0 {
		return b
	}
	return min(a, b)
}

// redactDSN hides a password in a PostgreSQL URL.
func redactDSN(dsn string) string {
	if i := strings.Index(dsn, "@"); i > 0 && store.IsPostgres(dsn) {
		if j := strings.LastIndex(dsn[:i], ":"); j > strings.Index(dsn, "//") {
			return dsn[:j] + ":***" + dsn[i:]
		}
	}
	return dsn
}

// dbSize is the size of a SQLite database with its WAL, 0 for PostgreSQL.
func dbSize(dsn string) int64 {
	if store.IsPostgres(dsn) {
		return 0
	}
	var n int64
	for _, f := range []string{dsn, dsn + "-wal"} {
		if fi, err := os.Stat(f); err == nil {
			n += fi.Size()
		}
	}
	return n
}
