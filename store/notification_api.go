package store

import "context"

// MarkOneRead marks one of a user's notifications read; it reports whether
// the user has such a notification (someone else's is not found).
func (s *Store) MarkOneRead(ctx context.Context, userID, id int64) (bool, error) {
	if _, err := s.w.ExecContext(ctx, s.dialect.rebind(`UPDATE notifications SET read_at = ? WHERE id = ? AND user_id = ? AND read_at = 0`), ms(s.Now()), id, userID); err != nil {
		return false, err
	}
	var n int
	err := s.rd(ctx).row(`SELECT COUNT(*) FROM notifications WHERE id = ? AND user_id = ?`, id, userID).Scan(&n)
	return n == 1, err
}
