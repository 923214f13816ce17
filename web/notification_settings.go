package web

import (
	"net/http"

	"zhengxie/app"
)

// Each user's notification channels (通知设置).

type svNotifyData struct {
	*app.NotifySettings
	Err  formErr
	Form map[string]string
}

func (s *Server) svRenderNotify(w http.ResponseWriter, r *http.Request, status int, fe formErr) {
	if err := requireUser(r); err != nil {
		s.fail(w, r, err)
		return
	}
	ns, err := s.Svc.NotifySettings(r.Context(), actorOf(r))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.svPage(w, r, status, "settings_notify", "通知设置", "settings", fe, &svNotifyData{NotifySettings: ns, Err: fe, Form: svForm(r)})
}

func (s *Server) svNotifySettings(w http.ResponseWriter, r *http.Request) {
	s.svRenderNotify(w, r, 0, formErr{})
}

func (s *Server) svSaveNotifySettings(w http.ResponseWriter, r *http.Request) {
	if err := requireUser(r); err != nil {
		s.fail(w, r, err)
		return
	}
	email, _ := formText(r, "email")
	phone, _ := formText(r, "phone")
	if err := s.Svc.SaveNotifySettings(r.Context(), actorOf(r), email, phone, r.FormValue("want_email") == "1", r.FormValue("want_sms") == "1"); err != nil {
		s.svPostErr(w, r, err, func(status int, fe formErr) { s.svRenderNotify(w, r, status, fe) })
		return
	}
	redirect(w, r, "/settings/notifications", "sv_notify")
}
