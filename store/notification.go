package store

import (
	"context"
	"time"
)

// Notification is an in-app message to one user.
type Notification struct {
	ID          int64
	CommitteeID int64
	UserID      int64
	Title       string
	Body        string
	Link        string
	ReadAt      time.Time
	CreatedAt   time.Time
}

// Notify stores an in-app notification in the same transaction as the change.
func (t *Tx) Notify(n *Notification) error {
	n.CreatedAt = t.Now()
	id, err := t.insert(`INSERT INTO notifications (committee_id, user_id, title, body, link, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
		n.CommitteeID, n.UserID, n.Title, n.Body, n.Link, ms(n.CreatedAt))
	n.ID = id
	return err
}

// Notifications lists a user's latest notifications.
func (s *Store) Notifications(ctx context.Context, userID int64, limit int) ([]Notification, error) {
	rows, err := s.rd(ctx).query(`SELECT id, committee_id, user_id, title, body, link, read_at, created_at FROM notifications WHERE user_id = ? ORDER BY id DESC LIMIT ?`, userID, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Notification
	for rows.Next() {
		var n Notification
		var r, c int64
		if err := rows.Scan(&n.ID, &n.CommitteeID, &n.UserID, &n.Title, &n.Body, &n.Link, &r, &c); err != nil {
			return nil, err
		}
		n.ReadAt, n.CreatedAt = tm(r), tm(c)
		out = append(out, n)
	}
	return out, rows.Err()
}

// UnreadCount counts a user's unread notifications.
func (s *Store) UnreadCount(ctx context.Context, userID int64) (int, error) {
	var n int
	err := s.rd(ctx).row(`SELECT COUNT(*) FROM notifications WHERE user_id = ? AND read_at = 0`, userID).Scan(&n)
	return n, err
}

// MarkRead marks all of a user's notifications read.
func (s *Store) MarkRead(ctx context.Context, userID int64) error {
	_, err := s.w.ExecContext(ctx, s.dialect.rebind(`UPDATE notifications SET read_at = ? WHERE user_id = ? AND read_at = 0`), ms(s.Now()), userID)
	return err
}
