package web

import (
	"bytes"
	"image/png"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/boombuler/barcode"
	"github.com/boombuler/barcode/qr"

	"zhengxie"
)

// QR sign-in: the organiser's page shows a code, drawn here as a PNG with
// no outside service, that opens /activities/{id}/signin?t=TOKEN on the
// member's phone. The token is signed by the server and lives a quarter of
// an hour (the page fetches a new one every five minutes).

// signInURL is the address the QR code carries.
func (s *Server) signInURL(r *http.Request, id int64, token string) string {
	base := strings.TrimRight(s.Svc.Jobs().Channels().BaseURL, "/")
	if base == "" {
		scheme := "http"
		if r.TLS != nil || s.TLS {
			scheme = "https"
		}
		base = scheme + "://" + r.Host
	}
	return base + "/activities/" + strconv.FormatInt(id, 10) + "/signin?t=" + url.QueryEscape(token)
}

type qrData struct {
	ID       int64
	Title    string
	When     time.Time
	Place    string
	Token    string
	URL      string
	Expires  time.Time
	Signed   int
	Invited  int
	Activity *zhengxie.Activity
}

func (s *Server) activityQRPage(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err == nil {
		err = requireUser(r)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	a := actorOf(r)
	tok, exp, err := s.Svc.SignInToken(r.Context(), a, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v, err := s.Svc.Activity(r.Context(), a, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d := &qrData{ID: id, Title: v.Activity.Title, When: v.Activity.StartsAt, Place: v.Activity.Place, Token: tok, URL: s.signInURL(r, id, tok), Expires: exp,
		Signed: v.Counts[string(zhengxie.AttendSignedIn)], Invited: len(v.Attendance), Activity: v.Activity}
	// A fresh code every five minutes, and the signed-in count with it.
	w.Header().Set("Refresh", "300")
	s.render(w, r, "duty_qr", &Page{Title: "签到二维码：" + v.Activity.Title, Nav: "duty_activities", D: d})
}

// activityQRImage draws the QR code of a token the organiser was given.
func (s *Server) activityQRImage(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err == nil {
		err = requireUser(r)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	a := actorOf(r)
	v, err := s.Svc.Activity(r.Context(), a, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if !v.Organiser {
		s.fail(w, r, zhengxie.Errorf(zhengxie.EForbidden, "只有活动组织方可以出示签到二维码。"))
		return
	}
	tok := r.URL.Query().Get("t")
	if err := s.Svc.CheckSignInToken(r.Context(), a.CommitteeID, id, tok); err != nil {
		s.fail(w, r, err)
		return
	}
	code, err := qr.Encode(s.signInURL(r, id, tok), qr.M, qr.Auto)
	if err == nil {
		code, err = barcode.Scale(code, 480, 480)
	}
	var buf bytes.Buffer
	if err == nil {
		err = png.Encode(&buf, code)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "image/png")
	w.Header().Set("Cache-Control", "private, no-store")
	w.Write(buf.Bytes())
}

type signInData struct {
	Activity *zhengxie.Activity
	Token    string
	Mine     *zhengxie.Attendance
	Problem  string
	Done     bool
}

// activitySignInPage is what the member's phone opens from the QR code.
func (s *Server) activitySignInPage(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err == nil {
		err = requireUser(r) // the public is sent to the login page and back
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	a := actorOf(r)
	v, err := s.Svc.Activity(r.Context(), a, id)
	if err != nil {
		if zhengxie.ErrorCode(err) == zhengxie.ENotFound {
			err = zhengxie.Errorf(zhengxie.EForbidden, "您不在本次活动的邀请名单中；如需参加请联系活动组织方。")
		}
		s.fail(w, r, err)
		return
	}
	d := &signInData{Activity: v.Activity, Token: r.URL.Query().Get("t"), Mine: v.Mine}
	if d.Mine != nil && d.Mine.State == zhengxie.AttendSignedIn {
		d.Done = true
	} else if err := s.Svc.CheckSignIn(r.Context(), a, id, d.Token); err != nil {
		d.Problem = zhengxie.ErrorMessage(err)
	}
	s.render(w, r, "duty_signin", &Page{Title: "活动签到", Nav: "duty_activities", D: d})
}

func (s *Server) activitySignIn(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err == nil {
		err = requireUser(r)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	a := actorOf(r)
	tok := r.FormValue("t")
	if _, err := s.Svc.SignIn(r.Context(), a, id, tok); err != nil {
		if c := zhengxie.ErrorCode(err); c == zhengxie.EIllegal || c == zhengxie.EForbidden {
			v, verr := s.Svc.Activity(r.Context(), a, id)
			if verr == nil {
				w.WriteHeader(statusOf[c])
				s.render(w, r, "duty_signin", &Page{Title: "活动签到", Nav: "duty_activities", D: &signInData{Activity: v.Activity, Token: tok, Mine: v.Mine, Problem: zhengxie.ErrorMessage(err)}})
				return
			}
		}
		s.fail(w, r, err)
		return
	}
	redirect(w, r, "/activities/"+strconv.FormatInt(id, 10)+"/signin", "duty_signed_in")
}

// apiSignInToken gives the organiser the token and the URL to put in a QR code.
func (s *Server) apiSignInToken(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err == nil {
		err = requireUser(r)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	tok, exp, err := s.Svc.SignInToken(r.Context(), actorOf(r), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"token": tok, "url": s.signInURL(r, id, tok), "expires_at": exp.UTC(),
		"qr_png": "/activities/" + strconv.FormatInt(id, 10) + "/qr.png?t=" + url.QueryEscape(tok)})
}
