package web

import (
	"fmt"
	"net/http"
	"strings"
	"time"

	"zhengxie"
	"zhengxie/app"
	"zhengxie/store"
)

// The admin's webhook subscriptions and their deliveries.

type svWebhooksData struct {
	Subs       []store.WebhookSubscription
	Sub        *store.WebhookSubscription
	Deliveries []store.WebhookDelivery
	Events     any
	Err        formErr
	Form       map[string]string
}

// svAdmin fails unless the viewer is the committee's admin.
func svAdmin(r *http.Request) error {
	if err := requireUser(r); err != nil {
		return err
	}
	if actorOf(r).Role != zhengxie.RoleAdmin {
		return zhengxie.Errorf(zhengxie.EForbidden, "只有系统管理员可以管理Webhook订阅")
	}
	return nil
}

func (s *Server) svRenderWebhooks(w http.ResponseWriter, r *http.Request, status int, fe formErr) {
	if err := svAdmin(r); err != nil {
		s.fail(w, r, err)
		return
	}
	a := actorOf(r)
	subs, err := s.Svc.Store.Webhooks(r.Context(), a.CommitteeID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.svPage(w, r, status, "admin_webhooks", "Webhook订阅", "webhooks", fe, &svWebhooksData{Subs: subs, Events: app.WebhookEvents, Err: fe, Form: svForm(r)})
}

func (s *Server) svWebhooks(w http.ResponseWriter, r *http.Request) {
	s.svRenderWebhooks(w, r, 0, formErr{})
}

func (s *Server) svRenderWebhook(w http.ResponseWriter, r *http.Request, status int, fe formErr) {
	if err := svAdmin(r); err != nil {
		s.fail(w, r, err)
		return
	}
	a := actorOf(r)
	sub, err := s.Svc.Store.Webhook(r.Context(), a.CommitteeID, svID(r, "id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	ds, err := s.Svc.Store.WebhookDeliveries(r.Context(), a.CommitteeID, sub.ID, 200)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.svPage(w, r, status, "admin_webhook", sub.Name, "webhooks", fe, &svWebhooksData{Sub: sub, Deliveries: ds, Events: app.WebhookEvents, Err: fe, Form: svForm(r)})
}

func (s *Server) svWebhook(w http.ResponseWriter, r *http.Request) {
	s.svRenderWebhook(w, r, 0, formErr{})
}

func (s *Server) svSaveWebhook(w http.ResponseWriter, r *http.Request) {
	if err := svAdmin(r); err != nil {
		s.fail(w, r, err)
		return
	}
	r.ParseForm()
	name, _ := formText(r, "name")
	u, _ := formText(r, "url")
	secret, _ := formText(r, "secret")
	sub := &store.WebhookSubscription{ID: svID(r, "id"), Name: name, URL: u, Secret: secret, Events: r.PostForm["events"], Active: r.FormValue("active") == "1"}
	if err := s.Svc.SaveWebhook(r.Context(), actorOf(r), sub); err != nil {
		s.svPostErr(w, r, err, func(status int, fe formErr) {
			if sub.ID != 0 {
				s.svRenderWebhook(w, r, status, fe)
			} else {
				s.svRenderWebhooks(w, r, status, fe)
			}
		})
		return
	}
	redirect(w, r, fmt.Sprintf("/admin/webhooks/%d", sub.ID), "sv_webhook_saved")
}

func (s *Server) svDeleteWebhook(w http.ResponseWriter, r *http.Request) {
	if err := svAdmin(r); err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.Svc.DeleteWebhook(r.Context(), actorOf(r), svID(r, "id")); err != nil {
		s.fail(w, r, err)
		return
	}
	redirect(w, r, "/admin/webhooks", "sv_webhook_deleted")
}

func (s *Server) svPingWebhook(w http.ResponseWriter, r *http.Request) {
	if err := svAdmin(r); err != nil {
		s.fail(w, r, err)
		return
	}
	id := svID(r, "id")
	if err := s.Svc.PingWebhook(r.Context(), actorOf(r), id); err != nil {
		s.fail(w, r, err)
		return
	}
	redirect(w, r, fmt.Sprintf("/admin/webhooks/%d", id), "sv_ping")
}

func (s *Server) svRedeliver(w http.ResponseWriter, r *http.Request) {
	if err := svAdmin(r); err != nil {
		s.fail(w, r, err)
		return
	}
	a := actorOf(r)
	d, err := s.Svc.Store.WebhookDelivery(r.Context(), a.CommitteeID, svID(r, "id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.Svc.Redeliver(r.Context(), a, d.ID); err != nil {
		s.fail(w, r, err)
		return
	}
	redirect(w, r, fmt.Sprintf("/admin/webhooks/%d", d.SubscriptionID), "sv_redeliver")
}

// ---- API ----

// apiWebhook is a subscription as the API shows it: the secret only masked
// (it is shown once, in the answer that created it).
type apiWebhook struct {
	ID         int64     `json:"id"`
	Name       string    `json:"name"`
	URL        string    `json:"url"`
	SecretHint string    `json:"secret_hint"`
	Secret     string    `json:"secret,omitempty"`
	Events     []string  `json:"events"`
	Active     bool      `json:"active"`
	CreatedAt  time.Time `json:"created_at"`
	UpdatedAt  time.Time `json:"updated_at"`
}

func toAPIWebhook(w *store.WebhookSubscription, withSecret bool) apiWebhook {
	out := apiWebhook{ID: w.ID, Name: w.Name, URL: w.URL, SecretHint: maskSecret(w.Secret), Events: append([]string{}, w.Events...), Active: w.Active,
		CreatedAt: w.CreatedAt, UpdatedAt: w.UpdatedAt}
	if withSecret {
		out.Secret = w.Secret
	}
	return out
}

func maskSecret(secret string) string {
	if len(secret) <= 4 {
		return "****"
	}
	return secret[:4] + strings.Repeat("*", 8)
}

type apiDelivery struct {
	ID             int64     `json:"id"`
	SubscriptionID int64     `json:"subscription_id"`
	JobID          int64     `json:"job_id"`
	DeliveryID     string    `json:"delivery_id"`
	Event          string    `json:"event"`
	Attempt        int       `json:"attempt"`
	StatusCode     int       `json:"status_code"`
	OK             bool      `json:"ok"`
	Error          string    `json:"error,omitempty"`
	DurationMS     int64     `json:"duration_ms"`
	CreatedAt      time.Time `json:"created_at"`
}

// apiEventType is an event one may subscribe to.
type apiEventType struct {
	Code string `json:"code"`
	Name string `json:"name"`
}

type apiWebhookInput struct {
	Name   string   `json:"name"`
	URL    string   `json:"url"`
	Secret string   `json:"secret"`
	Events []string `json:"events"`
	Active *bool    `json:"active"`
}

// apiWebhooks is GET /api/v1/admin/webhooks, with the events one may subscribe to.
func (s *Server) apiWebhooks(w http.ResponseWriter, r *http.Request) {
	s.apiAnswer(w, r, http.StatusOK, func(a zhengxie.Actor) (any, error) {
		if err := svAdmin(r); err != nil {
			return nil, err
		}
		subs, err := s.Svc.Store.Webhooks(r.Context(), a.CommitteeID)
		if err != nil {
			return nil, err
		}
		items := []apiWebhook{}
		for i := range subs {
			items = append(items, toAPIWebhook(&subs[i], false))
		}
		events := []apiEventType{}
		for _, e := range app.WebhookEvents {
			events = append(events, apiEventType{e.Code, e.Name})
		}
		return map[string]any{"items": items, "events": events}, nil
	})
}

// apiSaveWebhook is POST /api/v1/admin/webhooks (create) and PUT
// /api/v1/admin/webhooks/{id} (replace; an empty secret keeps the old one).
func (s *Server) apiSaveWebhook(w http.ResponseWriter, r *http.Request) {
	status := http.StatusOK
	if r.Method == http.MethodPost {
		status = http.StatusCreated
	}
	s.apiAnswer(w, r, status, func(a zhengxie.Actor) (any, error) {
		if err := svAdmin(r); err != nil {
			return nil, err
		}
		var id int64
		if r.Method == http.MethodPut {
			var err error
			if id, err = idOf(r, "id"); err != nil {
				return nil, err
			}
			if _, err := s.Svc.Store.Webhook(r.Context(), a.CommitteeID, id); err != nil {
				return nil, err
			}
		}
		in, err := apiInput[apiWebhookInput](w, r)
		if err != nil {
			return nil, err
		}
		sub := &store.WebhookSubscription{ID: id, Name: in.Name, URL: in.URL, Secret: in.Secret, Events: in.Events, Active: in.Active == nil || *in.Active}
		if err := s.Svc.SaveWebhook(r.Context(), a, sub); err != nil {
			return nil, err
		}
		saved, err := s.Svc.Store.Webhook(r.Context(), a.CommitteeID, sub.ID)
		if err != nil {
			return nil, err
		}
		return toAPIWebhook(saved, r.Method == http.MethodPost), nil
	})
}

// apiWebhook is GET /api/v1/admin/webhooks/{id}.
func (s *Server) apiWebhook(w http.ResponseWriter, r *http.Request) {
	s.apiAnswer(w, r, http.StatusOK, func(a zhengxie.Actor) (any, error) {
		id, err := idOf(r, "id")
		if err != nil {
			return nil, err
		}
		if err := svAdmin(r); err != nil {
			return nil, err
		}
		sub, err := s.Svc.Store.Webhook(r.Context(), a.CommitteeID, id)
		if err != nil {
			return nil, err
		}
		return toAPIWebhook(sub, false), nil
	})
}

// apiDeleteWebhook is DELETE /api/v1/admin/webhooks/{id}.
func (s *Server) apiDeleteWebhook(w http.ResponseWriter, r *http.Request) {
	s.apiAnswer(w, r, 0, func(a zhengxie.Actor) (any, error) {
		id, err := idOf(r, "id")
		if err != nil {
			return nil, err
		}
		if err := svAdmin(r); err != nil {
			return nil, err
		}
		return nil, s.Svc.DeleteWebhook(r.Context(), a, id)
	})
}

// apiDeliveries is GET /api/v1/admin/webhooks/{id}/deliveries: the latest
// attempts, newest first.
func (s *Server) apiDeliveries(w http.ResponseWriter, r *http.Request) {
	s.apiAnswer(w, r, http.StatusOK, func(a zhengxie.Actor) (any, error) {
		id, err := idOf(r, "id")
		if err != nil {
			return nil, err
		}
		if err := svAdmin(r); err != nil {
			return nil, err
		}
		limit, err := queryInt(r, "limit", 200, 1, 1000)
		if err != nil {
			return nil, err
		}
		sub, err := s.Svc.Store.Webhook(r.Context(), a.CommitteeID, id)
		if err != nil {
			return nil, err
		}
		ds, err := s.Svc.Store.WebhookDeliveries(r.Context(), a.CommitteeID, sub.ID, limit)
		if err != nil {
			return nil, err
		}
		items := []apiDelivery{}
		for i := range ds {
			d := &ds[i]
			items = append(items, apiDelivery{d.ID, d.SubscriptionID, d.JobID, d.DeliveryID, d.Event, d.Attempt, d.StatusCode, d.OK(), d.Error, d.DurationMS, d.CreatedAt})
		}
		return map[string]any{"items": items}, nil
	})
}

// apiPingWebhook is POST /api/v1/admin/webhooks/{id}/ping: a test event
// ("ping") is queued for the subscription.
func (s *Server) apiPingWebhook(w http.ResponseWriter, r *http.Request) {
	s.apiAnswer(w, r, http.StatusAccepted, func(a zhengxie.Actor) (any, error) {
		id, err := idOf(r, "id")
		if err != nil {
			return nil, err
		}
		if err := svAdmin(r); err != nil {
			return nil, err
		}
		if err := s.Svc.PingWebhook(r.Context(), a, id); err != nil {
			return nil, err
		}
		return map[string]any{"queued": true}, nil
	})
}

// apiRedeliver is POST /api/v1/admin/deliveries/{id}/redeliver: the same
// body, with the same delivery id, is queued again.
func (s *Server) apiRedeliver(w http.ResponseWriter, r *http.Request) {
	s.apiAnswer(w, r, http.StatusAccepted, func(a zhengxie.Actor) (any, error) {
		id, err := idOf(r, "id")
		if err != nil {
			return nil, err
		}
		if err := svAdmin(r); err != nil {
			return nil, err
		}
		d, err := s.Svc.Store.WebhookDelivery(r.Context(), a.CommitteeID, id)
		if err != nil {
			return nil, err
		}
		if err := s.Svc.Redeliver(r.Context(), a, d.ID); err != nil {
			return nil, err
		}
		return map[string]any{"queued": true}, nil
	})
}
