package app

import (
	"context"
	"fmt"

	"zhengxie"
	"zhengxie/store"
)

// The ranked table of a year (the office's view): every member's points,
// rank, attendance rate and checklist, with filters by sector, special
// committee and station, the distribution of points and the members with
// low attendance flagged. It reads the kept scores (see duty_points.go).

// RankRow is one member of the ranked table.
type RankRow struct {
	store.DutyScoreRow
	Rank       int
	SectorName string
	Rate       int
	Low        bool
}

// PointBucket is one bar of the distribution.
type PointBucket struct {
	Label string
	Count int
}

// Ranking is the ranked table.
type Ranking struct {
	Year    int
	Rows    []RankRow
	Buckets []PointBucket
	Low     int
	Run     store.DutyRun
	Rules   zhengxie.DutyRules
}

// Ranking returns the year's ranked table for the office, leaders and admin.
func (s *Service) Ranking(ctx context.Context, a zhengxie.Actor, f store.ProfileFilter, year int) (*Ranking, error) {
	if err := requireRole(a, "查看委员履职排名", zhengxie.RoleOffice, zhengxie.RoleLeader, zhengxie.RoleAdmin); err != nil {
		return nil, err
	}
	f.CommitteeID = a.CommitteeID
	return s.ranking(ctx, f, year)
}

// ranking is the ranked table of f's committee, for callers that checked
// the role themselves (the statistics).
func (s *Service) ranking(ctx context.Context, f store.ProfileFilter, year int) (*Ranking, error) {
	rows, err := s.Store.DutyScores(ctx, f, year)
	if err != nil {
		return nil, err
	}
	rules, _, err := s.Store.DutyRules(ctx, f.CommitteeID, year)
	if err != nil {
		return nil, err
	}
	sectors, err := s.Store.Sectors(ctx, f.CommitteeID)
	if err != nil {
		return nil, err
	}
	names := map[int64]string{}
	for _, se := range sectors {
		names[se.ID] = se.Name
	}
	out := &Ranking{Year: year, Rules: rules}
	if out.Run, err = s.Store.DutyRun(ctx, f.CommitteeID, year); err != nil {
		return nil, err
	}
	ranks := Ranks(rows)
	for i, r := range rows {
		att := zhengxie.AttendanceSummary{Invited: r.Invited, Attended: r.Attended, Leaves: r.Leaves, Absences: r.Absences}
		rr := RankRow{DutyScoreRow: r, Rank: ranks[i], SectorName: names[r.SectorID], Rate: att.Rate(), Low: att.Low(&rules)}
		if rr.Low {
			out.Low++
		}
		out.Rows = append(out.Rows, rr)
	}
	out.Buckets = distribution(rows)
	return out, nil
}

// distribution counts members in ten-point bands (below 0 in one band).
func distribution(rows []store.DutyScoreRow) []PointBucket {
	if len(rows) == 0 {
		return nil
	}
	hi := rows[0].Points
	var out []PointBucket
	neg := 0
	for _, r := range rows {
		if r.Points < 0 {
			neg++
		}
	}
	if neg > 0 {
		out = append(out, PointBucket{"0分以下", neg})
	}
	for lo := 0; lo <= hi; lo += 10 {
		n := 0
		for _, r := range rows {
			if r.Points >= lo && r.Points < lo+10 {
				n++
			}
		}
		out = append(out, PointBucket{fmt.Sprintf("%d–%d分", lo, lo+9), n})
	}
	return out
}
