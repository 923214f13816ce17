package store

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"zhengxie"
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
	return collect(rows, func(sc scanner) (Notification, error) {
		var n Notification
		var r, c int64
		err := sc.Scan(&n.ID, &n.CommitteeID, &n.UserID, &n.Title, &n.Body, &n.Link, &r, &c)
		n.ReadAt, n.CreatedAt = tm(r), tm(c)
		return n, err
	})
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

// ---------- notification preferences ----------

// NotifyPrefs are the channels a user wants besides the in-app centre.
type NotifyPrefs struct {
	UserID int64
	Email  bool
	SMS    bool
	Saved  bool // false: the defaults, never saved
}

// DefaultNotifyPrefs: e-mail costs nothing and reaches unit staff at their
// desks; SMS costs money and interrupts, so each user opts in.
func DefaultNotifyPrefs(userID int64) NotifyPrefs { return NotifyPrefs{UserID: userID, Email: true} }

func (x q) notifyPrefs(userID int64) (NotifyPrefs, error) {
	p := NotifyPrefs{UserID: userID}
	err := x.row(`SELECT email, sms FROM notify_prefs WHERE user_id = ?`, userID).Scan(&p.Email, &p.SMS)
	if errors.Is(err, sql.ErrNoRows) {
		return DefaultNotifyPrefs(userID), nil
	}
	p.Saved = err == nil
	return p, err
}

// NotifyPrefs returns a user's channels.
func (s *Store) NotifyPrefs(ctx context.Context, userID int64) (NotifyPrefs, error) {
	return s.rd(ctx).notifyPrefs(userID)
}

// NotifyPrefs returns a user's channels inside a transaction.
func (t *Tx) NotifyPrefs(userID int64) (NotifyPrefs, error) { return t.rd().notifyPrefs(userID) }

// SaveNotifyPrefs stores a user's channels.
func (t *Tx) SaveNotifyPrefs(committeeID int64, p NotifyPrefs) error {
	_, err := t.exec(`INSERT INTO notify_prefs (committee_id, user_id, email, sms, updated_at) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (user_id) DO UPDATE SET email = excluded.email, sms = excluded.sms, updated_at = excluded.updated_at`,
		committeeID, p.UserID, b2i(p.Email), b2i(p.SMS), ms(t.Now()))
	return err
}

// SetContactDetails changes a user's e-mail address and mobile number.
func (t *Tx) SetContactDetails(userID int64, email, phone string) error {
	_, err := t.exec(`UPDATE users SET email = ?, phone = ? WHERE id = ?`, email, phone, userID)
	return err
}

// CommitteeTx reads a committee inside a transaction.
func (t *Tx) CommitteeTx(id int64) (*zhengxie.Committee, error) {
	c, err := scanCommittee(t.rd().row(`SELECT `+committeeCols+` FROM committees WHERE id = ?`, id))
	return c, notFound(err, "政协委员会")
}
