// Package web serves Zhengxie over HTTP: server-rendered pages for people
// and the JSON API under /api/v1 for integrations, both thin layers over
// package app.
package web

import (
	"context"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"

	"zhengxie"
	"zhengxie/app"
)

// Server is the HTTP side of Zhengxie.
type Server struct {
	Svc *app.Service
	Log *slog.Logger
	// TLS marks cookies Secure and sends HSTS; set when serving HTTPS.
	TLS bool
	// MetricsToken, when set, is the bearer token /metrics requires.
	MetricsToken string
	// MetricsOwnAddr: /metrics is served on an address of its own
	// (MetricsHandler), so the main address does not serve it.
	MetricsOwnAddr bool

	pages   *pages
	mux     *http.ServeMux
	limiter *limiter
	metrics *metrics
	once    sync.Once
}

// New returns a server over svc.
func New(svc *app.Service, log *slog.Logger) *Server {
	if log == nil {
		log = slog.Default()
	}
	s := &Server{Svc: svc, Log: log, limiter: newLimiter(20, time.Minute), metrics: newMetrics()}
	s.pages = mustParsePages()
	s.pages.addPartials("templates/suggest_*.html")
	s.mux = http.NewServeMux()
	s.routes()
	return s
}

// Handler returns the whole HTTP handler with its middleware.
func (s *Server) Handler() http.Handler {
	return s.recoverer(s.securityHeaders(s.measure(s.authenticate(s.tokenScopes(s.cleanQuery(s.csrf(s.mux)))))))
}

func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	if err := s.Svc.Store.DB().PingContext(ctx); err != nil {
		http.Error(w, "database unavailable", http.StatusServiceUnavailable)
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Write([]byte("ok\n"))
}

// request-scoped values.
type ctxKey int

const (
	keyUser ctxKey = iota
	keySession
	keyAPI
)

// Viewer is who makes a request.
type Viewer struct {
	User      *zhengxie.User // nil for the public
	CSRFToken string
	Token     string             // the raw session token (for logout)
	API       bool               // authenticated by bearer token: no cookie, no CSRF
	APIToken  *zhengxie.APIToken // the bearer token, whose scopes limit the request
}

// Actor returns the domain actor of the viewer.
func (v *Viewer) Actor() zhengxie.Actor {
	if v == nil || v.User == nil {
		return zhengxie.Actor{}
	}
	return zhengxie.ActorOf(v.User)
}

func viewerOf(r *http.Request) *Viewer {
	v, _ := r.Context().Value(keyUser).(*Viewer)
	if v == nil {
		return &Viewer{}
	}
	return v
}

func actorOf(r *http.Request) zhengxie.Actor { return viewerOf(r).Actor() }

func isAPI(r *http.Request) bool { return strings.HasPrefix(r.URL.Path, "/api/") }
