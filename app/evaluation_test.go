package app_test

import (
	"bytes"
	"fmt"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"zhengxie"
	"zhengxie/app"
	"zhengxie/internal/testenv"
)

// TestSvEvaluation builds a year of handling with known outcomes for three
// units and checks the ranking computed in SQL on both engines against the
// numbers worked out by hand, against the breakdown counted in Go, and in
// the XLSX export.
func TestSvEvaluation(t *testing.T) {
	testenv.Engines(t, func(t *testing.T, dsn string) {
		w := newSvWorld(t, dsn)
		ctx, s := w.ctx, w.svc
		m := func(i int) zhengxie.Actor { return w.actor(w.f.Members[i]) }
		at := func(day string, hour int) {
			w.at(day)
			w.advance(time.Duration(hour-10) * time.Hour)
		}
		do := func(_ any, err error) { t.Helper(); w.must(err) }

		// 2 March: four proposals.
		p1, t1 := w.assigned(0, "关于完善生物岛交通体系的建议", w.lead(0))
		p2, t2 := w.assigned(1, "关于加强社区安全治理的建议", w.lead(0))
		p3, t3 := w.assigned(2, "关于优化生物医药产业生态的建议", w.lead(1), w.co(2))
		p4, t4 := w.assigned(3, "关于增加中小学学位供给的建议", w.lead(2))
		_ = p1
		_, _ = p2, p3
		// Unit 3 returns P4; the office gives it to unit 2, which does nothing.
		at("2026-03-05", 10)
		do(s.ReturnTask(ctx, w.unit(2), t4[0].ID, "不属于本单位职责"))
		at("2026-03-06", 10)
		do(s.Assign(ctx, w.office(), p4.ID, []zhengxie.Assignment{w.lead(1)}, "改由卫健局主办"))
		// Unit 3's co-handling opinion, on time.
		at("2026-03-20", 10)
		do(s.AcceptTask(ctx, w.unit(2), t3[1].ID))
		do(s.Reply(ctx, w.unit(2), t3[1].ID, zhengxie.Reply{Text: "同意主办单位意见"}, nil))
		// Unit 1: P1 contacted and on time (satisfied); P2 not contacted and
		// late: 01:00 on 3 June in Beijing is still 2 June in UTC.
		at("2026-03-25", 10)
		do(s.AcceptTask(ctx, w.unit(0), t1[0].ID))
		do(s.RecordContact(ctx, w.unit(0), t1[0].ID, "面商", "2026-03-25", "当面沟通"))
		at("2026-04-01", 10)
		do(s.Reply(ctx, w.unit(0), t1[0].ID, zhengxie.Reply{ResultClass: "A", Text: "已采纳，正在实施。"}, nil))
		do(s.Feedback(ctx, m(0), t1[0].ID, zhengxie.FeedbackSatisfied, ""))
		do(s.AcceptTask(ctx, w.unit(0), t2[0].ID))
		at("2026-06-03", 1)
		do(s.Reply(ctx, w.unit(0), t2[0].ID, zhengxie.Reply{ResultClass: "B", Text: "列入明年计划。"}, nil))
		do(s.Feedback(ctx, m(1), t2[0].ID, zhengxie.FeedbackBasically, ""))
		// Unit 2: P3 contacted, replied on time, 不满意, re-handled on time, satisfied.
		at("2026-04-10", 10)
		do(s.AcceptTask(ctx, w.unit(1), t3[0].ID))
		do(s.RecordContact(ctx, w.unit(1), t3[0].ID, "电话沟通", "2026-04-10", "电话沟通"))
		at("2026-05-01", 10)
		do(s.Reply(ctx, w.unit(1), t3[0].ID, zhengxie.Reply{ResultClass: "C", Text: "限于条件，留作参考。"}, nil))
		do(s.Feedback(ctx, m(2), t3[0].ID, zhengxie.FeedbackUnsatisfied, "答复过于笼统"))
		at("2026-05-20", 10)
		do(s.Reply(ctx, w.unit(1), t3[0].ID, zhengxie.Reply{ResultClass: "B", Text: "重新研究后列入计划。"}, nil))
		do(s.Feedback(ctx, m(2), t3[0].ID, zhengxie.FeedbackSatisfied, ""))

		at("2026-07-01", 10)
		e, err := s.Evaluate(ctx, w.office(), 2026)
		w.must(err)
		type row struct {
			rank                          int
			unit                          string
			score                         string
			onTime, contact, sat, ret, re string
		}
		var got []row
		for _, r := range e.Rows {
			got = append(got, row{r.Rank, r.UnitName, app.Score(r.Score), app.Percent(r.OnTimeRate), app.Percent(r.ContactRate),
				app.Percent(r.SatisfactionRate), app.Percent(r.ReturnRate), app.Percent(r.RehandleRate)})
		}
		want := []row{
			// on time 1/1, no reply of its own to contact or rate, 1 of 2 returned: (30·1 + 10·0.5) / 40
			{1, "区教育局", "87.5", "100.0%", app.NoDataText, app.NoDataText, "50.0%", app.NoDataText},
			// on time 1/2 (P4 overdue), contact 1/1, satisfied 1/1, re-handled 1/1: 15 + 20 + 30 + 10 + 0
			{2, "区卫生健康局", "75.0", "50.0%", "100.0%", "100.0%", "100.0%", "0.0%"},
			// on time 1/2, contact 1/2, (1 + 0.6)/2, no returns, no re-handling: 15 + 10 + 24 + 10 + 10
			{3, "区交通运输局", "69.0", "50.0%", "50.0%", "80.0%", "100.0%", "100.0%"},
		}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("ranking:\n got  %v\n want %v", got, want)
		}
		// The breakdown counts the same in Go.
		for _, r := range e.Rows {
			b, err := s.UnitBreakdown(ctx, w.office(), r.UnitID, 2026)
			w.must(err)
			c, q := b.Check, r.UnitTally
			if c.Assigned != q.Assigned || c.Due != q.Due || c.OnTime != q.OnTime || c.Replied != q.Replied || c.Contacted != q.Contacted ||
				c.Rated != q.Rated || c.Satisfied != q.Satisfied || c.Basically != q.Basically || c.Unsatisfied != q.Unsatisfied ||
				c.Returned != q.Returned || c.Rehandled != q.Rehandled || c.RehandleBase != q.RehandleBase {
				t.Errorf("%s: SQL %+v, Go %+v", r.UnitName, q, c)
			}
		}
		// A unit sees its own breakdown only; members see no evaluation.
		_, err = s.UnitBreakdown(ctx, w.unit(0), w.f.Units[0].ID, 2026)
		w.must(err)
		_, err = s.UnitBreakdown(ctx, w.unit(0), w.f.Units[1].ID, 2026)
		svCode(t, "another unit's breakdown", err, zhengxie.EForbidden)
		_, err = s.Evaluate(ctx, m(0), 2026)
		svCode(t, "a member", err, zhengxie.EForbidden)
		// Nothing was assigned in 2025.
		e25, err := s.Evaluate(ctx, w.office(), 2025)
		w.must(err)
		for _, r := range e25.Rows {
			if r.Rank != 0 || r.Score != -1 || r.Assigned != 0 {
				t.Errorf("2025: %+v", r)
			}
		}

		// The export holds the same ranking.
		var buf bytes.Buffer
		_, err = s.EvaluationXLSX(ctx, w.leader(), 2026, &buf)
		w.must(err)
		x, err := excelize.OpenReader(&buf)
		w.must(err)
		rows, err := x.GetRows("考评排名")
		w.must(err)
		if len(rows) < 5 || rows[1][1] != "承办单位" || rows[2][0] != "1" || rows[2][1] != "区教育局" || rows[2][2] != "87.5" ||
			rows[4][1] != "区交通运输局" || rows[4][2] != "69" || rows[3][3] != "50" {
			t.Errorf("xlsx rows: %q", rows)
		}
		crit, err := x.GetRows("评分标准")
		w.must(err)
		if len(crit) != 6 || crit[1][0] != "按期答复率" || crit[1][1] != "30" {
			t.Errorf("xlsx criteria: %q", crit)
		}

		// Timeliness alone: unit 3 first, the two others share second place.
		w.must(s.SaveCriteria(ctx, w.office(), app.Criteria{OnTime: 100, Basically: 60}))
		e, err = s.Evaluate(ctx, w.office(), 2026)
		w.must(err)
		var ranks []string
		for _, r := range e.Rows {
			ranks = append(ranks, fmt.Sprintf("%d %s %s", r.Rank, r.UnitName, app.Score(r.Score)))
		}
		svWant(t, "ranking on timeliness", ranks, []string{"1 区教育局 100.0", "2 区交通运输局 50.0", "2 区卫生健康局 50.0"})
		svCode(t, "all weights zero", s.SaveCriteria(ctx, w.office(), app.Criteria{}), zhengxie.EInvalid)
		svCode(t, "a unit setting criteria", s.SaveCriteria(ctx, w.unit(0), app.DefaultCriteria()), zhengxie.EForbidden)
	})
}

func (w *svWorld) leader() zhengxie.Actor { return w.actor(w.f.Leader) }

// TestSvEvaluationNothingMeasurable: a unit whose only task is not due yet
// is shown as 无可考评数据 and not ranked, below a unit that replied and was
// rated poorly; the criteria without data are left out and shown as such,
// in the export too.
func TestSvEvaluationNothingMeasurable(t *testing.T) {
	testenv.Engines(t, func(t *testing.T, dsn string) {
		w := newSvWorld(t, dsn)
		ctx, s := w.ctx, w.svc
		do := func(_ any, err error) { t.Helper(); w.must(err) }
		_, t1 := w.assigned(0, "关于完善生物岛交通体系的建议", w.lead(0))
		w.assigned(1, "关于加强社区安全治理的建议", w.lead(1))
		w.at("2026-03-20")
		do(s.AcceptTask(ctx, w.unit(0), t1[0].ID))
		do(s.Reply(ctx, w.unit(0), t1[0].ID, zhengxie.Reply{ResultClass: "C", Text: "留作参考。"}, nil))
		do(s.Feedback(ctx, w.actor(w.f.Members[0]), t1[0].ID, zhengxie.FeedbackBasically, ""))
		w.at("2026-03-25")
		e, err := s.Evaluate(ctx, w.office(), 2026)
		w.must(err)
		var got []string
		for _, r := range e.Rows {
			got = append(got, fmt.Sprintf("%d %s %s %s %s", r.Rank, r.UnitName, app.Score(r.Score), app.Percent(r.ReturnRate), app.Percent(r.SatisfactionRate)))
		}
		// Unit 1: on time 1/1, contact 0/1, satisfaction 0.6, no returns, no re-handling:
		// (30·1 + 20·0 + 30·0.6 + 10·1 + 10·1) / 100 = 68.
		svWant(t, "ranking", got, []string{
			"1 区交通运输局 68.0 100.0% 60.0%",
			"0 区卫生健康局 无可考评数据 无数据（不计权重） 无数据（不计权重）",
			"0 区教育局 无可考评数据 无数据（不计权重） 无数据（不计权重）",
		})
		var buf bytes.Buffer
		_, err = s.EvaluationXLSX(ctx, w.office(), 2026, &buf)
		w.must(err)
		x, err := excelize.OpenReader(&buf)
		w.must(err)
		rows, err := x.GetRows("考评排名")
		w.must(err)
		if rows[3][0] != "不排名" || rows[3][2] != "无可考评数据" || rows[3][4] != "无数据（不计权重）" || rows[2][2] != "68" {
			t.Errorf("xlsx rows: %q", rows[2:4])
		}
	})
}
