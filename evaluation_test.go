package zhengxie_test

import (
	"fmt"
	"slices"
	"testing"

	"zhengxie"
)

func TestScoreUnit(t *testing.T) {
	w := zhengxie.EvalWeights{OnTime: 30, Contact: 20, Satisfaction: 30, Returns: 10, Rehandle: 10, Basically: 0.6}
	cases := []struct {
		name  string
		c     zhengxie.EvalCounts
		score string
	}{
		// The defect of issue 9: a unit whose tasks are not due yet scored 100 on "no returns".
		{"nothing due", zhengxie.EvalCounts{Assigned: 3}, "-1.0"},
		{"no task", zhengxie.EvalCounts{}, "-1.0"},
		// Only the criteria with data weigh: on time 1/1 and returns 1/2 → (30 + 5) / 40.
		{"co-handling and a return", zhengxie.EvalCounts{Assigned: 2, Due: 1, OnTime: 1, Returned: 1}, "87.5"},
		{"all good", zhengxie.EvalCounts{Assigned: 1, Due: 1, OnTime: 1, Replied: 1, Contacted: 1, Rated: 1, Satisfied: 1, RehandleBase: 1}, "100.0"},
		{"late, unsatisfied, re-handled", zhengxie.EvalCounts{Assigned: 1, Due: 1, Replied: 1, Rated: 1, Unsatisfied: 1, Rehandled: 1, RehandleBase: 1}, "10.0"},
		{"basically", zhengxie.EvalCounts{Assigned: 1, Due: 1, OnTime: 1, Replied: 1, Rated: 1, Basically: 1, RehandleBase: 1}, "68.0"},
	}
	for _, c := range cases {
		got := zhengxie.ScoreUnit(c.c, w)
		if s := fmt.Sprintf("%.1f", got.Score); s != c.score {
			t.Errorf("%s: score %s, want %s (%+v)", c.name, s, c.score, got)
		}
		if !c.c.Measurable() && (got.ReturnRate != zhengxie.NoData || got.Ranked()) {
			t.Errorf("%s: a unit without data shows %+v", c.name, got)
		}
	}
	if got := zhengxie.ScoreUnit(zhengxie.EvalCounts{Assigned: 1, Due: 1, OnTime: 1}, w); got.SatisfactionRate != zhengxie.NoData || got.ContactRate != zhengxie.NoData {
		t.Errorf("criteria without data: %+v", got)
	}
}

func TestRankScores(t *testing.T) {
	ranks, order := zhengxie.RankScores([]float64{50, -1, 87.5, 50.04, 100, -1})
	if !slices.Equal(order, []int{4, 2, 0, 3, 1, 5}) || !slices.Equal(ranks, []int{3, 0, 2, 3, 1, 0}) {
		t.Errorf("ranks %v order %v", ranks, order)
	}
}
