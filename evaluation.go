package zhengxie

import (
	"math"
	"sort"
)

// EvalCounts are what one unit's tasks of a year add up to for the
// evaluation of handling units (考评).
type EvalCounts struct {
	Assigned     int // tasks assigned in the year, cancelled ones included
	Due          int // tasks whose reply was due by the day of evaluation, or that replied
	OnTime       int // replied no later than the due date
	Replied      int // lead and separate tasks replied
	Contacted    int // of those, with a recorded contact with the proposer before the reply
	Rated        int
	Satisfied    int
	Basically    int
	Unsatisfied  int
	Returned     int
	Rehandled    int
	RehandleBase int // rated or re-handled: the tasks a re-handling could have happened to
}

// Measurable reports whether anything the unit did can be judged yet: a
// reply that was due, a reply, a rating, a re-handling or a return. A unit whose tasks are
// all still within their deadline has nothing to show and is not ranked
// (无可考评数据), rather than scoring full marks for doing nothing wrong.
func (c EvalCounts) Measurable() bool {
	return c.Due > 0 || c.Replied > 0 || c.Rated > 0 || c.RehandleBase > 0 || c.Returned > 0
}

// EvalWeights are the weights of the criteria, on any scale; they are
// normalised over the criteria that have data.
type EvalWeights struct {
	OnTime, Contact, Satisfaction, Returns, Rehandle float64
	// Basically is what 基本满意 counts for in the satisfaction rate (满意 = 1).
	Basically float64
}

// NoData marks a rate or a score that has nothing to be computed from.
const NoData = -1.0

// EvalScore is a unit's rates per criterion, in [0,1] or NoData, and its
// weighted score, 0–100 or NoData.
type EvalScore struct {
	OnTimeRate, ContactRate, SatisfactionRate, ReturnRate, RehandleRate float64
	Score                                                               float64
}

// Ranked reports whether the unit has a score to be ranked on.
func (s EvalScore) Ranked() bool { return s.Score >= 0 }

// ScoreUnit computes a unit's rates and score. A criterion without data
// (satisfaction before any rating …) is left out of the weighting rather
// than scored zero or full; a unit with nothing measurable has no score.
func ScoreUnit(c EvalCounts, w EvalWeights) EvalScore {
	rate := func(num float64, base int) float64 {
		if base <= 0 {
			return NoData
		}
		return num / float64(base)
	}
	out := EvalScore{
		OnTimeRate:       rate(float64(c.OnTime), c.Due),
		ContactRate:      rate(float64(c.Contacted), c.Replied),
		SatisfactionRate: rate(float64(c.Satisfied)+w.Basically*float64(c.Basically), c.Rated),
		ReturnRate:       NoData,
		RehandleRate:     NoData,
		Score:            NoData,
	}
	if !c.Measurable() {
		out.OnTimeRate, out.ContactRate, out.SatisfactionRate = NoData, NoData, NoData
		return out
	}
	if c.Assigned > 0 {
		out.ReturnRate = 1 - float64(c.Returned)/float64(c.Assigned)
	}
	if c.RehandleBase > 0 {
		out.RehandleRate = 1 - float64(c.Rehandled)/float64(c.RehandleBase)
	}
	var sum, weights float64
	for _, x := range []struct{ r, w float64 }{
		{out.OnTimeRate, w.OnTime}, {out.ContactRate, w.Contact}, {out.SatisfactionRate, w.Satisfaction},
		{out.ReturnRate, w.Returns}, {out.RehandleRate, w.Rehandle},
	} {
		if x.r == NoData || x.w <= 0 {
			continue
		}
		sum += x.r * x.w
		weights += x.w
	}
	if weights > 0 {
		out.Score = 100 * sum / weights
	}
	return out
}

// RankScores returns the rank of each score: highest first, equal scores
// (to one decimal, as shown) sharing a rank (1, 1, 3), and 0 for a score
// that is NoData. order is the indexes of scores from first to last, the
// unranked at the end in their original order.
func RankScores(scores []float64) (ranks []int, order []int) {
	order = make([]int, len(scores))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool {
		sa, sb := scores[order[a]], scores[order[b]]
		if (sa >= 0) != (sb >= 0) {
			return sa >= 0
		}
		return round1(sa) > round1(sb)
	})
	ranks = make([]int, len(scores))
	rank, last := 0, math.Inf(1)
	for pos, i := range order {
		if scores[i] < 0 {
			continue
		}
		if round1(scores[i]) != last {
			rank, last = pos+1, round1(scores[i])
		}
		ranks[i] = rank
	}
	return ranks, order
}

func round1(x float64) float64 { return math.Round(x*10) / 10 }
