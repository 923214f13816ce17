package store

import (
	"context"

	"zhengxie"
)

// StateCounts counts the proposals f selects, by state.
func (s *Store) StateCounts(ctx context.Context, f ProposalFilter) (map[zhengxie.State]int, error) {
	where, args := f.where()
	rows, err := s.rd(ctx).query(`SELECT p.state, COUNT(*) FROM proposals p WHERE `+where+` GROUP BY p.state`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[zhengxie.State]int{}
	for rows.Next() {
		var st zhengxie.State
		var n int
		if err := rows.Scan(&st, &n); err != nil {
			return nil, err
		}
		out[st] = n
	}
	return out, rows.Err()
}
