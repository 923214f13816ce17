package web

import (
	"net/http"
	"strings"
	"time"

	"zhengxie"
)

func (s *Server) loginPage(w http.ResponseWriter, r *http.Request) {
	if viewerOf(r).User != nil {
		http.Redirect(w, r, "/", http.StatusSeeOther)
		return
	}
	s.render(w, r, "login", &Page{Title: "登录", D: map[string]string{"Next": safeNext(r.URL.Query().Get("next"))}})
}

// safeNext keeps redirects after login on this site.
func safeNext(n string) string {
	if !strings.HasPrefix(n, "/") || strings.HasPrefix(n, "//") || strings.Contains(n, "\\") {
		return "/"
	}
	return n
}

func (s *Server) loginSubmit(w http.ResponseWriter, r *http.Request) {
	addr := clientAddr(r)
	username := r.FormValue("username")
	next := safeNext(r.FormValue("next"))
	fail := func(err error) {
		if r.Header.Get("Accept") == "application/json" {
			s.fail(w, r, err)
			return
		}
		w.WriteHeader(statusOf[zhengxie.ErrorCode(err)])
		s.render(w, r, "login", &Page{Title: "登录", Error: zhengxie.ErrorMessage(err), D: map[string]string{"Next": next, "Username": username}})
	}
	if !s.limiter.allow("login:"+addr, time.Now()) {
		fail(zhengxie.Errorf(zhengxie.ETooMany, "登录尝试过于频繁，请一分钟后再试"))
		return
	}
	tok, _, u, err := s.Svc.LoginWithCode(r.Context(), username, r.FormValue("password"), r.FormValue("code"), addr)
	if err != nil {
		fail(err)
		return
	}
	s.setSessionCookie(w, tok)
	if must, _ := s.Svc.Store.MustChangePassword(r.Context(), u.ID); must {
		next = "/me"
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
}

func (s *Server) logout(w http.ResponseWriter, r *http.Request) {
	v := viewerOf(r)
	if v.Token != "" {
		s.Svc.Logout(r.Context(), v.Token)
	}
	s.clearSessionCookie(w)
	redirect(w, r, "/login", "loggedout")
}
