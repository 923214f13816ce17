package app_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"zhengxie"
	"zhengxie/app"
	"zhengxie/internal/testenv"
	"zhengxie/notify"
	"zhengxie/store"
)

// TestSvWebhookRetries delivers an event to a receiver that checks the
// signature and fails twice before it accepts; the delivery log shows
// 500, 500, 200 with one delivery ID, and a redelivery repeats it.
func TestSvWebhookRetries(t *testing.T) {
	testenv.Engines(t, func(t *testing.T, dsn string) {
		w := newSvWorld(t, dsn)
		ctx, s := w.ctx, w.svc
		secret := "s3cret-for-the-portal-0123456789"
		var mu sync.Mutex
		var got []string // "status event delivery"
		var bodies [][]byte
		calls := 0
		recv := httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
			body, _ := io.ReadAll(r.Body)
			mu.Lock()
			defer mu.Unlock()
			if err := notify.Verify([]byte(secret), r.Header.Get(notify.SignatureHeader), body, time.Now(), 0); err != nil {
				rw.WriteHeader(http.StatusUnauthorized)
				got = append(got, "401 "+err.Error())
				return
			}
			calls++
			status := http.StatusOK
			if calls <= 2 {
				status = http.StatusInternalServerError
			}
			rw.WriteHeader(status)
			got = append(got, fmt.Sprintf("%d %s %s", status, r.Header.Get(notify.EventHeader), r.Header.Get(notify.DeliveryHeader)))
			bodies = append(bodies, body)
		}))
		defer recv.Close()
		admin := w.actor(w.f.Admin)
		sub := &store.WebhookSubscription{Name: "政协云平台", URL: recv.URL, Secret: secret, Events: []string{"task.assigned"}, Active: true}
		w.must(s.SaveWebhook(ctx, admin, sub))
		err := s.SaveWebhook(ctx, admin, &store.WebhookSubscription{Name: "坏地址", URL: "ftp://example.test", Events: []string{"task.assigned"}})
		svCode(t, "an ftp URL", err, zhengxie.EInvalid)

		// Accepting (not subscribed) sends nothing; assigning sends one
		// event, which fails twice and then goes through.
		_, ts := w.assigned(0, "关于完善社区居家养老服务的建议", w.lead(0))
		if got := len(w.jobs(app.JobNotice, "")); got != 1 {
			t.Fatalf("%d notice jobs, want 1", got)
		}
		for i := range 3 {
			if _, err := s.Jobs().RunDue(ctx); err != nil {
				t.Fatal(err)
			}
			if got := len(w.jobs(app.JobWebhook, "")); i == 0 && got != 1 {
				t.Fatalf("the notice fanned out into %d webhook jobs, want 1", got)
			}
			w.advance(2 * time.Hour)
		}
		ds, err := w.st.WebhookDeliveries(ctx, w.f.Committee.ID, sub.ID, 100)
		w.must(err)
		var log []string
		for _, d := range ds {
			log = append(log, fmt.Sprintf("%d:%d", d.Attempt, d.StatusCode))
			if d.DeliveryID != ds[0].DeliveryID || d.Event != "task.assigned" {
				t.Errorf("delivery %+v is not the same delivery", d)
			}
		}
		svWant(t, "delivery log (attempt:status)", log, []string{"1:500", "2:500", "3:200"})
		mu.Lock()
		received := append([]string(nil), got...)
		mu.Unlock()
		id := ds[0].DeliveryID
		svWant(t, "receiver", received, []string{"500 task.assigned " + id, "500 task.assigned " + id, "200 task.assigned " + id})
		if js := w.jobs(app.JobWebhook, store.JobDone); len(js) != 1 || js[0].Attempts != 3 {
			t.Errorf("webhook job %+v", js)
		}
		// The body is the task, and says which committee it comes from.
		var b struct {
			ID, Event, Committee string
			Data                 struct {
				TaskID int64  `json:"task_id"`
				Unit   string `json:"unit"`
				Due    string `json:"due"`
			}
		}
		w.must(json.Unmarshal(bodies[2], &b))
		if b.ID != id || b.Event != "task.assigned" || b.Committee != w.f.Committee.Code || b.Data.TaskID != ts[0].ID || b.Data.Unit != w.f.Units[0].Name || b.Data.Due != "2026-06-02" {
			t.Errorf("task.assigned body %+v", b)
		}
		// Redelivery from the admin page sends the same delivery again.
		last := ds[len(ds)-1]
		w.must(s.Redeliver(ctx, admin, last.ID))
		s.Jobs().RunDue(ctx)
		ds2, _ := w.st.WebhookDeliveries(ctx, w.f.Committee.ID, sub.ID, 100)
		if len(ds2) != len(ds)+1 || ds2[len(ds2)-1].DeliveryID != last.DeliveryID || ds2[len(ds2)-1].StatusCode != 200 {
			t.Errorf("redelivery: %+v", ds2[len(ds2)-1])
		}
		// Deleting the subscription fails its waiting deliveries for good.
		w.must(s.PingWebhook(ctx, admin, sub.ID))
		w.must(s.DeleteWebhook(ctx, admin, sub.ID))
		s.Jobs().RunDue(ctx)
		if fs := w.jobs(app.JobWebhook, store.JobFailed); len(fs) != 1 || !strings.Contains(fs[0].LastError, "已删除") {
			t.Errorf("ping after deletion: %+v", fs)
		}
	})
}
