package web

import (
	"context"
	"crypto/subtle"
	"fmt"
	"net"
	"net/http"
	"runtime/debug"
	"strings"
	"sync"
	"time"

	"zhengxie"
	"zhengxie/app"
)

const (
	sessionCookie = "zx_session"
	csrfCookie    = "zx_csrf" // for visitors not logged in (the login form)
	csrfField     = "csrf_token"
	csrfHeader    = "X-CSRF-Token"
)

// recoverer turns a panic into a logged 500 with a safe message.
func (s *Server) recoverer(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.Log.Error("panic", "path", r.URL.Path, "panic", fmt.Sprint(v), "stack", string(debug.Stack()))
				s.fail(w, r, fmt.Errorf("panic: %v", v))
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// securityHeaders sets the headers every answer carries. The CSP allows no
// inline script: app.js is the only script of ours.
func (s *Server) securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		if s.TLS {
			h.Set("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
		}
		next.ServeHTTP(w, r)
	})
}

// cleanQuery refuses query strings that are not valid text: every filter
// gets a clear 422 instead of reaching a database that may choke on it.
func (s *Server) cleanQuery(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		for key, vals := range r.URL.Query() {
			for _, v := range append(vals, key) {
				if !zhengxie.ValidText(v) {
					s.fail(w, r, &zhengxie.Error{Code: zhengxie.EInvalid, Field: key, Message: "查询条件包含无效字符（编码错误或空字符）"})
					return
				}
			}
		}
		next.ServeHTTP(w, r)
	})
}

// authenticate resolves the session cookie or the API bearer token.
func (s *Server) authenticate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// /metrics checks its own bearer token (-metrics-token), not an API token.
		if strings.HasPrefix(r.URL.Path, "/static/") || r.URL.Path == "/healthz" || r.URL.Path == "/metrics" {
			next.ServeHTTP(w, r)
			return
		}
		v := &Viewer{}
		if auth := r.Header.Get("Authorization"); strings.HasPrefix(auth, "Bearer ") {
			u, tok, err := s.Svc.AuthenticateToken(r.Context(), strings.TrimPrefix(auth, "Bearer "))
			if err != nil {
				// A 401 in JSON on every route, pages included: an
				// integration is not a person to send to the login page.
				w.Header().Set("WWW-Authenticate", `Bearer error="invalid_token"`)
				s.fail(w, r.WithContext(context.WithValue(r.Context(), keyUser, &Viewer{API: true})), err)
				return
			}
			v.User, v.API, v.APIToken = u, true, tok
		} else if c, err := r.Cookie(sessionCookie); err == nil && c.Value != "" {
			sess, u, err := s.Svc.Authenticate(r.Context(), c.Value)
			if err == nil {
				v.User, v.CSRFToken, v.Token = u, sess.CSRFToken, c.Value
			} else {
				s.clearSessionCookie(w)
			}
		}
		if v.User == nil {
			v.CSRFToken = s.visitorCSRF(w, r)
		}
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), keyUser, v)))
	})
}

// visitorCSRF returns the double-submit token of a visitor not logged in,
// setting its cookie when new.
func (s *Server) visitorCSRF(w http.ResponseWriter, r *http.Request) string {
	if c, err := r.Cookie(csrfCookie); err == nil && len(c.Value) >= 32 {
		return c.Value
	}
	tok := app.RandomToken()
	http.SetCookie(w, &http.Cookie{Name: csrfCookie, Value: tok, Path: "/", HttpOnly: true, Secure: s.TLS, SameSite: http.SameSiteStrictMode})
	// The token must also be readable by this very request's form rendering.
	r.AddCookie(&http.Cookie{Name: csrfCookie, Value: tok})
	return tok
}

// csrf rejects state-changing requests without the right token. Bearer-token
// API calls carry no cookie and need none.
func (s *Server) csrf(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.Method {
		case http.MethodGet, http.MethodHead, http.MethodOptions:
			next.ServeHTTP(w, r)
			return
		}
		v := viewerOf(r)
		if v.API {
			next.ServeHTTP(w, r)
			return
		}
		// The API's login has no session yet. A JSON body cannot come from a
		// cross-site form, and a cross-site script cannot send one without a
		// CORS preflight this server never grants.
		if r.URL.Path == "/api/v1/login" && strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
			next.ServeHTTP(w, r)
			return
		}
		got := r.Header.Get(csrfHeader)
		if got == "" && !isAPI(r) {
			// Multipart forms are parsed by the handler with its size limit;
			// the token comes first in every form of ours.
			if strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data") {
				r.Body = http.MaxBytesReader(w, r.Body, app.MaxUpload+1<<20)
				if err := r.ParseMultipartForm(8 << 20); err != nil {
					s.fail(w, r, zhengxie.FieldError("file", "文件不能超过%dMB", app.MaxUpload>>20))
					return
				}
			} else {
				r.Body = http.MaxBytesReader(w, r.Body, 1<<20)
			}
			got = r.FormValue(csrfField)
		}
		if v.CSRFToken == "" || subtle.ConstantTimeCompare([]byte(got), []byte(v.CSRFToken)) != 1 {
			s.fail(w, r, zhengxie.Errorf(zhengxie.EForbidden, "页面已过期或请求来源无效（CSRF校验失败），请刷新页面后重试"))
			return
		}
		next.ServeHTTP(w, r)
	})
}

func (s *Server) setSessionCookie(w http.ResponseWriter, tok string) {
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: tok, Path: "/", HttpOnly: true, Secure: s.TLS, SameSite: http.SameSiteLaxMode})
}

func (s *Server) clearSessionCookie(w http.ResponseWriter) {
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true, Secure: s.TLS, SameSite: http.SameSiteLaxMode})
}

// clientAddr is the remote IP (without port), for rate limits and the audit log.
func clientAddr(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// limiter counts events per key in a fixed window (login attempts per address).
type limiter struct {
	mu     sync.Mutex
	max    int
	window time.Duration
	hits   map[string]*window
}

type window struct {
	start time.Time
	n     int
}

func newLimiter(max int, w time.Duration) *limiter {
	return &limiter{max: max, window: w, hits: map[string]*window{}}
}

// allow records one hit for key and reports whether it is within the limit.
func (l *limiter) allow(key string, now time.Time) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	w := l.hits[key]
	if w == nil || now.Sub(w.start) > l.window {
		if len(l.hits) > 10000 {
			l.hits = map[string]*window{}
		}
		w = &window{start: now}
		l.hits[key] = w
	}
	w.n++
	return w.n <= l.max
}
