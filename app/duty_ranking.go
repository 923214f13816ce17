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
	Total   int // rows before paging (RankingPage); len(Rows) for Ranking
}

// Ranking returns the year's ranked table for the office, leaders and admin.
func (s *Service) Ranking(ctx context.Context, a zhengxie.Actor, f store.ProfileFilter, year int) (*Ranking, error) {
	if err := mayRank(a); err != nil {
		return nil, err
	}
	f.CommitteeID = a.CommitteeID
	return s.ranking(ctx, f, year)
}

// ranking is the whole ranked table of f's committee, for callers that
// checked the caller themselves (the statistics).
func (s *Service) ranking(ctx context.Context, f store.ProfileFilter, year int) (*Ranking, error) {
	out, names, err := s.rankingHead(ctx, f.CommitteeID, year)
	if err != nil {
		return nil, err
	}
	rows, err := s.Store.DutyScores(ctx, f, year)
	if err != nil {
		return nil, err
	}
	ranks := Ranks(rows)
	for i, r := range rows {
		rr := out.row(r, ranks[i], names)
		if rr.Low {
			out.Low++
		}
		out.Rows = append(out.Rows, rr)
	}
	out.Total = len(out.Rows)
	out.Buckets = distribution(pointCounts(rows))
	return out, nil
}

// RankingPage returns one page of the ranked table (page from 1; of the
// members behind with their tasks only if behind): the rows the page
// shows, read as a page, with the ranks, the distribution and the count
// of low attendance of all the selected members, read as counts by points.
// Each row is as Ranking gives it.
func (s *Service) RankingPage(ctx context.Context, a zhengxie.Actor, f store.ProfileFilter, year int, behind bool, page, limit int) (*Ranking, error) {
	if err := mayRank(a); err != nil {
		return nil, err
	}
	f.CommitteeID = a.CommitteeID
	out, names, err := s.rankingHead(ctx, f.CommitteeID, year)
	if err != nil {
		return nil, err
	}
	counts, err := s.Store.DutyPointCounts(ctx, f, year, out.Rules.LowAttendance)
	if err != nil {
		return nil, err
	}
	// A member's rank is one more than the members with more points.
	rankOf := map[int]int{}
	above := 0
	for _, c := range counts {
		rankOf[c.Points] = above + 1
		above += c.Count
		out.Low += c.Low
	}
	out.Buckets = distribution(counts)
	rows, total, err := s.Store.DutyScoresPage(ctx, f, year, behind, (page-1)*limit, limit)
	if err != nil {
		return nil, err
	}
	out.Total = total
	for _, r := range rows {
		out.Rows = append(out.Rows, out.row(r, rankOf[r.Points], names))
	}
	return out, nil
}

// mayRank: the ranked table is for the office, leaders and the admin.
func mayRank(a zhengxie.Actor) error {
	return requireRole(a, "查看委员履职排名", zhengxie.RoleOffice, zhengxie.RoleLeader, zhengxie.RoleAdmin)
}

// rankingHead reads what every row of a committee's table needs.
func (s *Service) rankingHead(ctx context.Context, committeeID int64, year int) (*Ranking, map[int64]string, error) {
	rules, _, err := s.Store.DutyRules(ctx, committeeID, year)
	if err != nil {
		return nil, nil, err
	}
	sectors, err := s.Store.Sectors(ctx, committeeID)
	if err != nil {
		return nil, nil, err
	}
	names := map[int64]string{}
	for _, se := range sectors {
		names[se.ID] = se.Name
	}
	out := &Ranking{Year: year, Rules: rules}
	if out.Run, err = s.Store.DutyRun(ctx, committeeID, year); err != nil {
		return nil, nil, err
	}
	return out, names, nil
}

func (rk *Ranking) row(r store.DutyScoreRow, rank int, sectorNames map[int64]string) RankRow {
	att := zhengxie.AttendanceSummary{Invited: r.Invited, Attended: r.Attended, Leaves: r.Leaves, Absences: r.Absences}
	return RankRow{DutyScoreRow: r, Rank: rank, SectorName: sectorNames[r.SectorID], Rate: att.Rate(), Low: att.Low(&rk.Rules)}
}

// pointCounts counts rows sorted by points as store.DutyPointCounts does
// (Low is not counted).
func pointCounts(rows []store.DutyScoreRow) []store.PointCount {
	var out []store.PointCount
	for i, r := range rows {
		if i == 0 || r.Points != rows[i-1].Points {
			out = append(out, store.PointCount{Points: r.Points})
		}
		out[len(out)-1].Count++
	}
	return out
}

// distribution counts members in ten-point bands (below 0 in one band),
// from their counts by points, the most first.
func distribution(counts []store.PointCount) []PointBucket {
	if len(counts) == 0 {
		return nil
	}
	hi := counts[0].Points
	var out []PointBucket
	neg := 0
	for _, c := range counts {
		if c.Points < 0 {
			neg += c.Count
		}
	}
	if neg > 0 {
		out = append(out, PointBucket{"0分以下", neg})
	}
	for lo := 0; lo <= hi; lo += 10 {
		n := 0
		for _, c := range counts {
			if c.Points >= lo && c.Points < lo+10 {
				n += c.Count
			}
		}
		out = append(out, PointBucket{fmt.Sprintf("%d–%d分", lo, lo+9), n})
	}
	return out
}
