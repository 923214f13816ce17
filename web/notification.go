package web

import (
	"net/http"
	"strings"
	"time"

	"zhengxie"
	"zhengxie/app"
)

func (s *Server) notificationList(w http.ResponseWriter, r *http.Request) {
	if err := requireUser(r); err != nil {
		s.fail(w, r, err)
		return
	}
	u := viewerOf(r).User
	ns, err := s.Svc.Store.Notifications(r.Context(), u.ID, 100)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	page := &Page{Title: "消息", D: ns}
	// Showing the list marks it read; the badge of this page still shows the count before.
	s.render(w, r, "notifications", page)
	s.Svc.Store.MarkRead(r.Context(), u.ID)
}

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

// ---- API ----

type apiNotification struct {
	ID        int64     `json:"id"`
	Title     string    `json:"title"`
	Body      string    `json:"body"`
	Link      string    `json:"link,omitempty"`
	Read      bool      `json:"read"`
	ReadAt    time.Time `json:"read_at,omitzero"`
	CreatedAt time.Time `json:"created_at"`
}

// apiNotifications is GET /api/v1/notifications: the caller's latest
// notifications (newest first) and how many are unread. Reading the list
// over the API marks nothing read: a client marks what it showed.
func (s *Server) apiNotifications(w http.ResponseWriter, r *http.Request) {
	s.apiAnswer(w, r, http.StatusOK, func(a zhengxie.Actor) (any, error) {
		limit, err := queryInt(r, "limit", 100, 1, 500)
		if err != nil {
			return nil, err
		}
		unreadOnly := r.URL.Query().Get("unread") == "1" || r.URL.Query().Get("unread") == "true"
		ns, err := s.Svc.Store.Notifications(r.Context(), a.UserID, limit)
		if err != nil {
			return nil, err
		}
		n, err := s.Svc.Store.UnreadCount(r.Context(), a.UserID)
		if err != nil {
			return nil, err
		}
		items := []apiNotification{}
		for _, x := range ns {
			if unreadOnly && !x.ReadAt.IsZero() {
				continue
			}
			items = append(items, apiNotification{x.ID, x.Title, x.Body, x.Link, !x.ReadAt.IsZero(), x.ReadAt, x.CreatedAt})
		}
		return map[string]any{"items": items, "unread": n}, nil
	})
}

// apiUnreadCount is GET /api/v1/notifications/unread: the badge's number.
func (s *Server) apiUnreadCount(w http.ResponseWriter, r *http.Request) {
	s.apiAnswer(w, r, http.StatusOK, func(a zhengxie.Actor) (any, error) {
		n, err := s.Svc.Store.UnreadCount(r.Context(), a.UserID)
		return map[string]int{"unread": n}, err
	})
}

// apiMarkRead is POST /api/v1/notifications/{id}/read.
func (s *Server) apiMarkRead(w http.ResponseWriter, r *http.Request) {
	s.apiAnswer(w, r, 0, func(a zhengxie.Actor) (any, error) {
		id, err := idOf(r, "id")
		if err != nil {
			return nil, err
		}
		ok, err := s.Svc.Store.MarkOneRead(r.Context(), a.UserID, id)
		if err == nil && !ok {
			err = zhengxie.NotFound("消息")
		}
		return nil, err
	})
}

// apiMarkAllRead is POST /api/v1/notifications/read: everything read, as
// opening the page of messages does.
func (s *Server) apiMarkAllRead(w http.ResponseWriter, r *http.Request) {
	s.apiAnswer(w, r, 0, func(a zhengxie.Actor) (any, error) { return nil, s.Svc.Store.MarkRead(r.Context(), a.UserID) })
}

type apiNotifySettings struct {
	Email     string `json:"email"`
	Phone     string `json:"phone"`
	WantEmail bool   `json:"want_email"`
	WantSMS   bool   `json:"want_sms"`
	Saved     bool   `json:"saved"`
	MailOn    bool   `json:"mail_on"`
	SMSOn     bool   `json:"sms_on"`
	SMSName   string `json:"sms_name,omitempty"`
}

type apiNotifySettingsInput struct {
	Email     string `json:"email"`
	Phone     string `json:"phone"`
	WantEmail bool   `json:"want_email"`
	WantSMS   bool   `json:"want_sms"`
}

func (s *Server) notifySettingsOf(r *http.Request, a zhengxie.Actor) (any, error) {
	ns, err := s.Svc.NotifySettings(r.Context(), a)
	if err != nil {
		return nil, err
	}
	return apiNotifySettings{Email: ns.User.Email, Phone: ns.User.Phone, WantEmail: ns.Prefs.Email, WantSMS: ns.Prefs.SMS, Saved: ns.Prefs.Saved,
		MailOn: ns.MailOn, SMSOn: ns.SMSOn, SMSName: ns.SMSName}, nil
}

// apiNotifySettings is GET /api/v1/me/notification-settings: the caller's
// channels (in-app always; e-mail and SMS as chosen) and contact details.
func (s *Server) apiNotifySettings(w http.ResponseWriter, r *http.Request) {
	s.apiAnswer(w, r, http.StatusOK, func(a zhengxie.Actor) (any, error) { return s.notifySettingsOf(r, a) })
}

// apiSaveNotifySettings is PUT /api/v1/me/notification-settings.
func (s *Server) apiSaveNotifySettings(w http.ResponseWriter, r *http.Request) {
	s.apiAnswer(w, r, http.StatusOK, func(a zhengxie.Actor) (any, error) {
		in, err := apiInput[apiNotifySettingsInput](w, r)
		if err != nil {
			return nil, err
		}
		if err := s.Svc.SaveNotifySettings(r.Context(), a, strings.TrimSpace(in.Email), strings.TrimSpace(in.Phone), in.WantEmail, in.WantSMS); err != nil {
			return nil, err
		}
		return s.notifySettingsOf(r, a)
	})
}
