package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"zhengxie"
	"zhengxie/app"
	"zhengxie/store"
	"zhengxie/web"
)

func init() {
	register("serve", "启动网站与接口服务（默认命令）", runServe)
}

type serveFlags struct {
	dbFlags
	notify   notifyFlags
	addr     string
	certFile string
	keyFile  string
	// tokenDays is the lifetime of an API token made without one.
	tokenDays int
	// metricsToken, when set, is the bearer token /metrics requires.
	metricsToken string
	// metricsAddr, when set, serves /metrics there and not on addr.
	metricsAddr string
	// dict is a file of extra segmentation words.
	dict string
}

func (f *serveFlags) register(fs *flag.FlagSet) {
	f.dbFlags.register(fs)
	f.notify.register(fs)
	fs.StringVar(&f.addr, "addr", envOr("ZHENGXIE_ADDR", "127.0.0.1:8080"), "监听地址（环境变量 ZHENGXIE_ADDR）")
	fs.StringVar(&f.certFile, "tls-cert", envOr("ZHENGXIE_TLS_CERT", ""), "HTTPS 证书文件（与 -tls-key 一起使用时直接提供 HTTPS）")
	fs.StringVar(&f.keyFile, "tls-key", envOr("ZHENGXIE_TLS_KEY", ""), "HTTPS 私钥文件")
	fs.IntVar(&f.tokenDays, "token-days", envInt("ZHENGXIE_TOKEN_DAYS", zhengxie.DefaultTokenDays), fmt.Sprintf("API令牌的默认有效天数，1至%d（环境变量 ZHENGXIE_TOKEN_DAYS）；创建时可另行指定", zhengxie.MaxTokenDays))
	fs.StringVar(&f.dict, "dict", envOr("ZHENGXIE_DICT", ""), "自定义分词词典文件：每行一个词，可加词频，#开头为注释（环境变量 ZHENGXIE_DICT）；文件内容第一次出现时在后台重建全部检索索引")
	fs.StringVar(&f.metricsToken, "metrics-token", envOr("ZHENGXIE_METRICS_TOKEN", ""), "读取 /metrics 须带的令牌（Authorization: Bearer 令牌；环境变量 ZHENGXIE_METRICS_TOKEN 或 ZHENGXIE_METRICS_TOKEN_FILE）；未设置且无 -metrics-addr 时只有本机直连可读")
	fs.StringVar(&f.metricsAddr, "metrics-addr", envOr("ZHENGXIE_METRICS_ADDR", ""), "单独提供 /metrics 的监听地址，如 127.0.0.1:9100（环境变量 ZHENGXIE_METRICS_ADDR）；设置后主地址不再提供 /metrics，除非同时设置了 -metrics-token")
}

// openApp opens the store and the service.
func openApp(ctx context.Context, d dbFlags) (*app.Service, error) {
	st, err := store.Open(ctx, d.dsn())
	if err != nil {
		return nil, err
	}
	return app.New(st, &app.Files{Dir: filepath.Join(d.dataDir, "files")}, slog.Default()), nil
}

func runServe(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("serve", flag.ExitOnError)
	var f serveFlags
	f.register(fs)
	fs.Parse(args)
	channels, err := f.notify.channels()
	if err != nil {
		return err
	}
	svc, err := openApp(ctx, f.dbFlags)
	if err != nil {
		return err
	}
	defer svc.Store.Close()
	return serve(ctx, svc, f, channels, nil)
}

// serve runs the HTTP server and the background work until ctx ends, then
// shuts down gracefully. It is the one place that starts anything: the web
// server only serves HTTP, and the job workers, the deadline scan and the
// co-sign deadlines run here with the channels they are given. ready, if
// not nil, receives the base URL once the server listens.
func serve(ctx context.Context, svc *app.Service, f serveFlags, channels app.Channels, ready func(url string)) error {
	if f.tokenDays < 1 || f.tokenDays > zhengxie.MaxTokenDays {
		return fmt.Errorf("-token-days 应为1至%d之间的天数，而不是%d", zhengxie.MaxTokenDays, f.tokenDays)
	}
	svc.Config.TokenDays = f.tokenDays
	srv := web.New(svc, slog.Default())
	srv.TLS = f.certFile != ""
	srv.MetricsToken = f.metricsToken
	srv.MetricsOwnAddr = f.metricsAddr != ""
	ln, err := net.Listen("tcp", f.addr)
	if err != nil {
		return fmt.Errorf("无法监听 %s: %w", f.addr, err)
	}
	var metricsSrv *http.Server
	if f.metricsAddr != "" {
		mln, err := net.Listen("tcp", f.metricsAddr)
		if err != nil {
			ln.Close()
			return fmt.Errorf("无法监听指标地址 %s: %w", f.metricsAddr, err)
		}
		metricsSrv = &http.Server{Handler: srv.MetricsHandler(), ReadHeaderTimeout: 10 * time.Second}
		go metricsSrv.Serve(mln)
		defer metricsSrv.Close()
		slog.Info("metrics serving", "url", "http://"+mln.Addr().String()+"/metrics")
	}
	hs := &http.Server{Handler: srv.Handler(), ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 2 * time.Minute,
		WriteTimeout: 2 * time.Minute, IdleTimeout: 2 * time.Minute, MaxHeaderBytes: 64 << 10}
	scheme := "http"
	if srv.TLS {
		scheme = "https"
	}
	url := fmt.Sprintf("%s://%s", scheme, ln.Addr().String())
	if f.dict != "" {
		// An explicit file: a mistake in it stops the start, naming the line.
		n, err := svc.LoadDictionaryFile(ctx, f.dict)
		if err != nil {
			ln.Close()
			return err
		}
		slog.Info("segmentation dictionary", "file", f.dict, "words", n)
	}
	svc.Jobs().SetChannels(channels)
	// The background work of every module joins the one loop here, and
	// nowhere else: the duty module's recompute and reminders, then the
	// deadline scans (proposals' tasks, tokens, citizens' matters) and the
	// job workers.
	svc.EnableDuty()
	svc.EnableSupervision()
	svc.StartBackground(ctx)
	go func() {
		// The admins' words join the segmenter before the warm-up builds
		// the similarity indexes with it.
		if n, err := svc.LoadDictionary(ctx); err != nil {
			slog.Warn("segmentation dictionary", "err", err)
		} else if n > 0 {
			slog.Info("segmentation dictionary", "stored words", n)
		}
		svc.WarmUp(ctx)
	}()
	errc := make(chan error, 1)
	go func() {
		if srv.TLS {
			errc <- hs.ServeTLS(ln, f.certFile, f.keyFile)
		} else {
			errc <- hs.Serve(ln)
		}
	}()
	slog.Info("zhengxie serving", "url", url, "engine", svc.Store.Engine())
	if ready != nil {
		ready(url)
	}
	select {
	case err := <-errc:
		if errors.Is(err, http.ErrServerClosed) {
			return nil
		}
		return err
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	slog.Info("shutting down")
	err = hs.Shutdown(shutdownCtx)
	svc.StopBackground()
	return err
}

var _ = os.Stdout
