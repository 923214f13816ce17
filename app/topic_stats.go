package app

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"zhengxie"
	"zhengxie/store"
)

// The topic orders' section of the statistics and their chapter of the
// annual report (订单式提案): the orders of a calendar year — created in it —
// posted, published, claimed, turned into proposals, accepted and adopted,
// in total and per unit. The combined chapter 订单式提案与四级联动 is the
// upward recommendation's to write; this one keeps to the orders.

func init() {
	RegisterStatsSection("topic", topicStatsSection)
	RegisterReportChapter("topic", topicReportChapter)
}

// topicYear counts a year's orders: the total first, then each unit.
func (s *Service) topicYear(ctx context.Context, committeeID int64, year int) (store.TopicCounts, []store.TopicCounts, error) {
	loc := zhengxie.ChinaTime()
	from, to := time.Date(year, 1, 1, 0, 0, 0, 0, loc).UnixMilli(), time.Date(year+1, 1, 1, 0, 0, 0, 0, loc).UnixMilli()
	units, err := s.Store.TopicCountsByUnit(ctx, committeeID, from, to)
	var total store.TopicCounts
	for _, u := range units {
		total.Posted += u.Posted
		total.Published += u.Published
		total.Claimed += u.Claimed
		total.Filed += u.Filed
		total.Accepted += u.Accepted
		total.Adopted += u.Adopted
	}
	return total, units, err
}

func topicStatsSection(ctx context.Context, s *Service, in *StatsInput) (*zhengxie.StatsSection, error) {
	if in.Scope.Public {
		return nil, nil // orders are the departments' requests to the members, not published
	}
	year, err := s.statsYear(ctx, in.Scope)
	if err != nil {
		return nil, err
	}
	total, units, err := s.topicYear(ctx, in.Scope.CommitteeID, year)
	if err != nil {
		return nil, err
	}
	list := func(state string, unit int64) string {
		u := ""
		if unit != 0 {
			u = strconv.FormatInt(unit, 10)
		}
		return listLink("/topics", "state", state, "unit_id", u)
	}
	sec := &zhengxie.StatsSection{Key: "topic", Title: fmt.Sprintf("订单式提案（%d年）", year)}
	sec.Tables = append(sec.Tables, zhengxie.StatsTable{Key: "topic_orders", Title: "订单", Columns: []string{"个数"}, Chart: "bar", Rows: []zhengxie.StatsRow{
		{Label: "提出订单", Cells: []zhengxie.StatsCell{count(total.Posted, list("", 0))}},
		{Label: "发布", Cells: []zhengxie.StatsCell{count(total.Published, list("", 0))}},
		{Label: "被认领", Cells: []zhengxie.StatsCell{count(total.Claimed, list(string(zhengxie.TopicClaimed), 0))}},
		{Label: "形成提案", Cells: []zhengxie.StatsCell{count(total.Filed, list(string(zhengxie.TopicFiled), 0))}},
		{Label: "提案立案", Cells: []zhengxie.StatsCell{count(total.Accepted, list(string(zhengxie.TopicAccepted), 0))}},
		{Label: "提案被采纳", Cells: []zhengxie.StatsCell{count(total.Adopted, list(string(zhengxie.TopicAdopted), 0))}},
	}})
	ut := zhengxie.StatsTable{Key: "topic_units", Title: "各单位订单", Columns: []string{"提出", "发布", "被认领", "形成提案", "立案", "采纳"}}
	for _, u := range units {
		name := u.Unit
		if name == "" {
			name = "（未指定单位）"
		}
		ut.Rows = append(ut.Rows, zhengxie.StatsRow{Label: name, Cells: []zhengxie.StatsCell{count(u.Posted, list("", u.UnitID)), count(u.Published, ""),
			count(u.Claimed, ""), count(u.Filed, ""), count(u.Accepted, ""), count(u.Adopted, "")}})
	}
	if len(ut.Rows) > 0 {
		sec.Tables = append(sec.Tables, ut)
	}
	return sec, nil
}

func topicReportChapter(ctx context.Context, s *Service, committeeID int64, year int) (string, []ReportFigure, error) {
	t, units, err := s.topicYear(ctx, committeeID, year)
	if err != nil {
		return "", nil, err
	}
	if t.Posted == 0 {
		return "", nil, nil
	}
	posters := 0
	for _, u := range units {
		if u.Posted > 0 {
			posters++
		}
	}
	figs := []ReportFigure{reportNum("订单提出", t.Posted), reportNum("订单提出单位", posters), reportNum("订单发布", t.Published),
		reportNum("订单认领", t.Claimed), reportNum("订单成案", t.Filed), reportNum("订单立案", t.Accepted), reportNum("订单采纳", t.Adopted)}
	text := "围绕党委政府中心工作，【订单提出单位】个单位提出订单式提案需求【订单提出】个，经审核发布【订单发布】个，委员认领【订单认领】个，据此形成提案的订单【订单成案】个，其中提案立案的【订单立案】个、所提建议被承办单位采纳的【订单采纳】个。"
	text += "\n订单式提案把部门所需与委员所长结合起来，提高了提案的针对性和转化率。"
	return text, figs, nil
}
