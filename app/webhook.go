package app

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"

	"zhengxie"
	ntf "zhengxie/notify"
	"zhengxie/store"
)

// Webhooks: the events integrations may subscribe to, the signed
// deliveries (one job each, retried with backoff and logged), and the
// admin's subscriptions, test pings and redeliveries.

// WebhookEvents are the events an integration may subscribe to, with
// their Chinese names.
var WebhookEvents = []struct{ Code, Name string }{
	{"proposal.accepted", "提案立案"},
	{"proposal.published", "提案公开"},
	{"proposal.concluded", "提案办结"},
	{"task.assigned", "提案交办"},
	{"task.returned", "承办单位申请退回"},
	{"task.replied", "承办单位答复"},
	{"task.extended", "办理期限延期"},
	{"task.overdue", "办理超期"},
	{"task.escalated", "超期报督办领导"},
	{"key_proposal.approved", "重点提案确定"},
}

// WebhookEventName is the Chinese name of an event.
func WebhookEventName(code string) string {
	for _, e := range WebhookEvents {
		if e.Code == code {
			return e.Name
		}
	}
	if code == "ping" {
		return "测试"
	}
	return code
}

type webhookPayload struct {
	SubscriptionID int64  `json:"subscription_id"`
	DeliveryID     string `json:"delivery_id"`
	Event          string `json:"event"`
	Body           string `json:"body"`
}

// webhookBody is what the receiver gets. The delivery ID is also in the
// X-Zhengxie-Delivery header and stays the same on every retry.
type webhookBody struct {
	ID        string    `json:"id"`
	Event     string    `json:"event"`
	Committee string    `json:"committee"`
	CreatedAt time.Time `json:"created_at"`
	Data      any       `json:"data"`
}

func (s *Service) queueDelivery(tx *store.Tx, c *zhengxie.Committee, sub *store.WebhookSubscription, event string, data any) error {
	raw, err := json.Marshal(data)
	if err != nil {
		return err
	}
	return s.queueDeliveryAt(tx, c, sub, event, raw, s.now().UTC().Truncate(time.Second), "")
}

// queueDeliveryAt queues one delivery of an event that happened at at;
// dedupe, when not empty, keys the job.
func (s *Service) queueDeliveryAt(tx *store.Tx, c *zhengxie.Committee, sub *store.WebhookSubscription, event string, data json.RawMessage, at time.Time, dedupe string) error {
	id := ntf.NewDeliveryID()
	body, err := json.Marshal(webhookBody{ID: id, Event: event, Committee: c.Code, CreatedAt: at, Data: data})
	if err != nil {
		return err
	}
	p, _ := json.Marshal(webhookPayload{SubscriptionID: sub.ID, DeliveryID: id, Event: event, Body: string(body)})
	return s.enqueue(tx, &store.Job{CommitteeID: c.ID, Kind: JobWebhook, DedupeKey: dedupe, Payload: string(p),
		Label: "Webhook → " + sub.Name + "：" + WebhookEventName(event)})
}

func (r *JobRunner) sendWebhook(ctx context.Context, j *store.Job) error {
	var p webhookPayload
	if err := json.Unmarshal([]byte(j.Payload), &p); err != nil {
		return ntf.Permanent(fmt.Errorf("任务内容无法解析：%w", err))
	}
	st := r.svc.Store
	sub, err := st.Webhook(ctx, j.CommitteeID, p.SubscriptionID)
	if err != nil {
		return ntf.Permanent(errors.New("该Webhook订阅已删除"))
	}
	if !sub.Active {
		return ntf.Permanent(errors.New("该Webhook订阅已停用"))
	}
	start := time.Now()
	code, err := ntf.DeliverWithID(ctx, r.Channels().Webhook, sub.URL, []byte(sub.Secret), p.DeliveryID, p.Event, []byte(p.Body))
	d := &store.WebhookDelivery{CommitteeID: j.CommitteeID, SubscriptionID: sub.ID, JobID: j.ID, DeliveryID: p.DeliveryID, Event: p.Event,
		Attempt: j.Attempts, StatusCode: code, DurationMS: time.Since(start).Milliseconds()}
	if err != nil {
		d.Error = err.Error()
	}
	// The log is written even when the job's context has run out.
	lctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	if lerr := st.AddWebhookDelivery(lctx, d); lerr != nil {
		r.svc.Log.Warn("webhook delivery log", "err", lerr)
	}
	return err
}

// SaveWebhook creates (ID 0) or changes a subscription. A new subscription
// without a secret gets a random one.
func (s *Service) SaveWebhook(ctx context.Context, a zhengxie.Actor, w *store.WebhookSubscription) error {
	if err := requireRole(a, "管理Webhook", zhengxie.RoleAdmin); err != nil {
		return err
	}
	w.CommitteeID = a.CommitteeID
	w.Name, w.URL, w.Secret = strings.TrimSpace(w.Name), strings.TrimSpace(w.URL), strings.TrimSpace(w.Secret)
	if !zhengxie.ValidText(w.Name + w.URL + w.Secret) {
		return zhengxie.FieldError("name", "名称、地址或密钥包含无效字符，请重新输入")
	}
	if w.Name == "" || len([]rune(w.Name)) > 50 {
		return zhengxie.FieldError("name", "请填写名称（不超过50个字），如“区政协门户网站”")
	}
	u, err := url.Parse(w.URL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return zhengxie.FieldError("url", "接收地址应为完整的 http:// 或 https:// 网址")
	}
	var events []string
	for _, e := range w.Events {
		if WebhookEventName(e) == e && e != "*" {
			return zhengxie.FieldError("events", "未知的事件类型“%s”", e)
		}
		if !slices.Contains(events, e) {
			events = append(events, e)
		}
	}
	if len(events) == 0 {
		return zhengxie.FieldError("events", "请至少选择一种事件")
	}
	w.Events = events
	if w.ID != 0 && w.Secret == "" {
		old, err := s.Store.Webhook(ctx, a.CommitteeID, w.ID)
		if err != nil {
			return err
		}
		w.Secret = old.Secret // an empty field keeps the secret
	}
	if w.Secret == "" {
		w.Secret = RandomToken()
	}
	if len(w.Secret) < 16 {
		return zhengxie.FieldError("secret", "签名密钥至少16个字符（留空则自动生成）")
	}
	return s.Store.InTx(ctx, func(tx *store.Tx) error {
		if err := tx.SaveWebhook(w); err != nil {
			return err
		}
		return s.event(tx, a, a.CommitteeID, 0, 0, "save_webhook", "", "", w.Name+" "+w.URL, map[string]any{"id": w.ID, "events": w.Events, "active": w.Active})
	})
}

// DeleteWebhook removes a subscription.
func (s *Service) DeleteWebhook(ctx context.Context, a zhengxie.Actor, id int64) error {
	if err := requireRole(a, "管理Webhook", zhengxie.RoleAdmin); err != nil {
		return err
	}
	w, err := s.Store.Webhook(ctx, a.CommitteeID, id)
	if err != nil {
		return err
	}
	return s.Store.InTx(ctx, func(tx *store.Tx) error {
		if err := tx.DeleteWebhook(a.CommitteeID, id); err != nil {
			return err
		}
		return s.event(tx, a, a.CommitteeID, 0, 0, "delete_webhook", "", "", w.Name+" "+w.URL, nil)
	})
}

// PingWebhook queues a test delivery to one subscription.
func (s *Service) PingWebhook(ctx context.Context, a zhengxie.Actor, id int64) error {
	if err := requireRole(a, "管理Webhook", zhengxie.RoleAdmin); err != nil {
		return err
	}
	w, err := s.Store.Webhook(ctx, a.CommitteeID, id)
	if err != nil {
		return err
	}
	return s.Store.InTx(ctx, func(tx *store.Tx) error {
		c, err := tx.CommitteeTx(a.CommitteeID)
		if err != nil {
			return err
		}
		return s.queueDelivery(tx, c, w, "ping", map[string]string{"message": "这是一条测试消息", "by": a.Name})
	})
}

// Redeliver sends a logged delivery again, with the same delivery ID and
// body, so that the receiver recognises it.
func (s *Service) Redeliver(ctx context.Context, a zhengxie.Actor, deliveryID int64) error {
	if err := requireRole(a, "重新投递", zhengxie.RoleAdmin); err != nil {
		return err
	}
	d, err := s.Store.WebhookDelivery(ctx, a.CommitteeID, deliveryID)
	if err != nil {
		return err
	}
	j, err := s.Store.Job(ctx, a.CommitteeID, d.JobID)
	if err != nil {
		return zhengxie.Errorf(zhengxie.EIllegal, "原始投递内容已清理，无法重新投递。")
	}
	return s.Store.InTx(ctx, func(tx *store.Tx) error {
		return s.enqueue(tx, &store.Job{CommitteeID: a.CommitteeID, Kind: JobWebhook, Payload: j.Payload, Label: j.Label + "（重新投递）"})
	})
}
