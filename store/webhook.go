package store

import (
	"context"
	"strings"
	"time"

	"zhengxie"
)

// ---------- webhooks ----------

// WebhookSubscription is an integration that receives events.
type WebhookSubscription struct {
	ID          int64
	CommitteeID int64
	Name        string
	URL         string
	Secret      string
	Events      []string
	Active      bool
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// Wants reports whether the subscription receives event.
func (w *WebhookSubscription) Wants(event string) bool {
	for _, e := range w.Events {
		if e == event || e == "*" {
			return true
		}
	}
	return false
}

const subCols = `id, committee_id, name, url, secret, events, active, created_at, updated_at`

func scanSub(sc scanner) (*WebhookSubscription, error) {
	var w WebhookSubscription
	var events string
	var created, updated int64
	err := sc.Scan(&w.ID, &w.CommitteeID, &w.Name, &w.URL, &w.Secret, &events, &w.Active, &created, &updated)
	if events != "" {
		w.Events = strings.Split(events, ",")
	}
	w.CreatedAt, w.UpdatedAt = tm(created), tm(updated)
	return &w, err
}

// SaveWebhook inserts (ID 0) or updates a subscription.
func (t *Tx) SaveWebhook(w *WebhookSubscription) error {
	now := t.Now()
	w.UpdatedAt = now
	events := strings.Join(w.Events, ",")
	if w.ID == 0 {
		w.CreatedAt = now
		id, err := t.insert(`INSERT INTO webhook_subscriptions (committee_id, name, url, secret, events, active, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
			w.CommitteeID, w.Name, w.URL, w.Secret, events, b2i(w.Active), ms(now), ms(now))
		w.ID = id
		return err
	}
	res, err := t.exec(`UPDATE webhook_subscriptions SET name = ?, url = ?, secret = ?, events = ?, active = ?, updated_at = ? WHERE id = ? AND committee_id = ?`,
		w.Name, w.URL, w.Secret, events, b2i(w.Active), ms(now), w.ID, w.CommitteeID)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return zhengxie.NotFound("Webhook订阅")
	}
	return nil
}

// DeleteWebhook removes a subscription; its delivery log stays.
func (t *Tx) DeleteWebhook(committeeID, id int64) error {
	_, err := t.exec(`DELETE FROM webhook_subscriptions WHERE committee_id = ? AND id = ?`, committeeID, id)
	return err
}

// Webhook reads one subscription.
func (s *Store) Webhook(ctx context.Context, committeeID, id int64) (*WebhookSubscription, error) {
	w, err := scanSub(s.rd(ctx).row(`SELECT `+subCols+` FROM webhook_subscriptions WHERE committee_id = ? AND id = ?`, committeeID, id))
	return w, notFound(err, "Webhook订阅")
}

// Webhooks lists a committee's subscriptions.
func (s *Store) Webhooks(ctx context.Context, committeeID int64) ([]WebhookSubscription, error) {
	return s.rd(ctx).webhooks(committeeID, false)
}

// ActiveWebhooks lists a committee's active subscriptions inside a transaction.
func (t *Tx) ActiveWebhooks(committeeID int64) ([]WebhookSubscription, error) {
	return t.rd().webhooks(committeeID, true)
}

func (x q) webhooks(committeeID int64, activeOnly bool) ([]WebhookSubscription, error) {
	q := `SELECT ` + subCols + ` FROM webhook_subscriptions WHERE committee_id = ?`
	if activeOnly {
		q += ` AND active = 1`
	}
	rows, err := x.query(q+` ORDER BY id`, committeeID)
	if err != nil {
		return nil, err
	}
	return collect(rows, deref(scanSub))
}

// WebhookDelivery is one attempt to deliver an event.
type WebhookDelivery struct {
	ID             int64
	CommitteeID    int64
	SubscriptionID int64
	JobID          int64
	DeliveryID     string // the same on every attempt of one event
	Event          string
	Attempt        int
	StatusCode     int // 0: no response
	Error          string
	DurationMS     int64
	CreatedAt      time.Time
}

// OK reports whether the receiver accepted the delivery.
func (d *WebhookDelivery) OK() bool {
	return d.StatusCode >= 200 && d.StatusCode < 300 && d.Error == ""
}

// AddWebhookDelivery records one attempt.
func (s *Store) AddWebhookDelivery(ctx context.Context, d *WebhookDelivery) error {
	d.CreatedAt = s.Now()
	var id int64
	err := s.w.QueryRowContext(ctx, s.dialect.rebind(`INSERT INTO webhook_deliveries (committee_id, subscription_id, job_id, delivery_id, event, attempt, status_code, error, duration_ms, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`),
		d.CommitteeID, d.SubscriptionID, d.JobID, d.DeliveryID, d.Event, d.Attempt, d.StatusCode, clip(d.Error, 1000), d.DurationMS, ms(d.CreatedAt)).Scan(&id)
	d.ID = id
	return err
}

// WebhookDeliveries lists a subscription's delivery attempts, oldest first
// (the newest limit of them).
func (s *Store) WebhookDeliveries(ctx context.Context, committeeID, subscriptionID int64, limit int) ([]WebhookDelivery, error) {
	if limit <= 0 {
		limit = 100
	}
	rows, err := s.rd(ctx).query(`SELECT id, committee_id, subscription_id, job_id, delivery_id, event, attempt, status_code, error, duration_ms, created_at
		FROM webhook_deliveries WHERE committee_id = ? AND subscription_id = ? ORDER BY id DESC LIMIT ?`, committeeID, subscriptionID, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []WebhookDelivery
	for rows.Next() {
		var d WebhookDelivery
		var created int64
		if err := rows.Scan(&d.ID, &d.CommitteeID, &d.SubscriptionID, &d.JobID, &d.DeliveryID, &d.Event, &d.Attempt, &d.StatusCode, &d.Error, &d.DurationMS, &created); err != nil {
			return nil, err
		}
		d.CreatedAt = tm(created)
		out = append(out, d)
	}
	// Oldest first reads like a story: 500, 500, 200.
	for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
		out[i], out[j] = out[j], out[i]
	}
	return out, rows.Err()
}

// WebhookDelivery reads one delivery attempt.
func (s *Store) WebhookDelivery(ctx context.Context, committeeID, id int64) (*WebhookDelivery, error) {
	var d WebhookDelivery
	var created int64
	err := s.rd(ctx).row(`SELECT id, committee_id, subscription_id, job_id, delivery_id, event, attempt, status_code, error, duration_ms, created_at
		FROM webhook_deliveries WHERE committee_id = ? AND id = ?`, committeeID, id).
		Scan(&d.ID, &d.CommitteeID, &d.SubscriptionID, &d.JobID, &d.DeliveryID, &d.Event, &d.Attempt, &d.StatusCode, &d.Error, &d.DurationMS, &created)
	d.CreatedAt = tm(created)
	return &d, notFound(err, "投递记录")
}
