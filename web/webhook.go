package web

import (
	"fmt"
	"net/http"

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
