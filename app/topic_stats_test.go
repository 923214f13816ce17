package app_test

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"zhengxie"
	"zhengxie/app"
	"zhengxie/internal/testenv"
)

// TestTopicFiguresFromTheDatabase: the 订单式提案 chapter of the annual
// report and the section of the statistics say what the database holds,
// recomputed here with SQL from the module's own tables.
func TestTopicFiguresFromTheDatabase(t *testing.T) {
	testenv.Engines(t, func(t *testing.T, dsn string) {
		w := newWorld(t, dsn)
		cid := w.f.Committee.ID
		office := w.office()
		publish := func(o *zhengxie.TopicOrder) {
			_, err := w.svc.TopicAct(w.ctx, office, o.ID, zhengxie.TopicActPublish, app.TopicActInput{})
			w.must(err)
		}
		// Unit 1: one order adopted through its proposal, one claimed only,
		// one pending; unit 0 (posted by the office): one published; a draft.
		adopted, claimed := w.postedTopic("社区嵌入式养老服务"), w.postedTopic("家庭医生签约服务")
		w.postedTopic("医养结合机构建设")
		publish(adopted)
		publish(claimed)
		o, err := w.svc.PostTopic(w.ctx, office, app.TopicInput{UnitID: w.f.Units[0].ID, Title: "公交线网优化", Background: "换乘不便。", Needs: "线网优化建议。",
			Deadline: "2026-06-30", ContactName: "钱科长", ContactPhone: "0571-88001234"})
		w.must(err)
		_, err = w.svc.TopicAct(w.ctx, office, o.ID, zhengxie.TopicActSubmit, app.TopicActInput{})
		w.must(err)
		publish(o)
		_, err = w.svc.PostTopic(w.ctx, w.unit(2), app.TopicInput{Title: "课后服务"})
		w.must(err)
		_, err = w.svc.ClaimTopic(w.ctx, w.member(1), claimed.ID, app.ClaimInput{})
		w.must(err)
		_, err = w.svc.ClaimTopic(w.ctx, w.member(0), adopted.ID, app.ClaimInput{})
		w.must(err)
		p, err := w.svc.CreateDraftFromTopic(w.ctx, w.member(0), adopted.ID, testenv.Draft("关于推进社区嵌入式养老服务的建议"))
		w.must(err)
		_, err = w.svc.Submit(w.ctx, w.member(0), p.ID)
		w.must(err)
		_, err = w.svc.Accept(w.ctx, office, p.ID, "")
		w.must(err)
		_, err = w.svc.Assign(w.ctx, office, p.ID, nil, "")
		w.must(err)
		task := w.tasks(p.ID)[0]
		_, err = w.svc.AcceptTask(w.ctx, w.unit(1), task.ID)
		w.must(err)
		_, err = w.svc.RecordContact(w.ctx, w.unit(1), task.ID, "面商", w.today(), "当面沟通")
		w.must(err)
		_, err = w.svc.Reply(w.ctx, w.unit(1), task.ID, zhengxie.Reply{ResultClass: "A", Text: "已将建议纳入今年民生实事项目并组织实施。"}, nil)
		w.must(err)

		rep, err := w.svc.AnnualReport(w.ctx, office, cid, 2026)
		w.must(err)
		db := w.st.DB()
		one := func(q string, args ...any) int {
			t.Helper()
			var n int
			if err := db.QueryRowContext(w.ctx, testenv.Rebind(w.st, q), args...).Scan(&n); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
			return n
		}
		loc := zhengxie.ChinaTime()
		from, to := time.Date(2026, 1, 1, 0, 0, 0, 0, loc).UnixMilli(), time.Date(2027, 1, 1, 0, 0, 0, 0, loc).UnixMilli()
		orders := `FROM topic_orders o WHERE o.committee_id = ? AND o.created_at >= ? AND o.created_at < ?`
		oc := func(extra string) string { return strconv.Itoa(one(`SELECT COUNT(*) `+orders+extra, cid, from, to)) }
		want := map[string]string{
			"订单提出":   oc(` AND o.state <> 'draft'`),
			"订单提出单位": strconv.Itoa(one(`SELECT COUNT(DISTINCT o.unit_id) `+orders+` AND o.state <> 'draft'`, cid, from, to)),
			"订单发布":   oc(` AND o.published_at > 0`),
			"订单认领":   oc(` AND o.id IN (SELECT order_id FROM topic_claims WHERE committee_id = o.committee_id AND state <> 'withdrawn')`),
			"订单成案": oc(` AND o.id IN (SELECT tp.order_id FROM topic_order_proposals tp JOIN proposals p ON p.id = tp.proposal_id
				WHERE tp.committee_id = o.committee_id AND p.state NOT IN ('draft', 'withdrawn'))`),
			"订单立案": oc(` AND o.state IN ('accepted', 'adopted')`),
			"订单采纳": oc(` AND o.id IN (SELECT tp.order_id FROM topic_order_proposals tp JOIN tasks k ON k.proposal_id = tp.proposal_id
				WHERE tp.committee_id = o.committee_id AND k.kind <> 'co' AND k.result_class = 'A')`),
		}
		got := rep.FigureMap()
		for name, v := range want {
			if got[name] != v {
				t.Errorf("【%s】 = %q, recomputed %q", name, got[name], v)
			}
		}
		// The fixture's own numbers, so that the recomputation is checked too.
		if got["订单提出"] != "4" || got["订单提出单位"] != "2" || got["订单发布"] != "3" || got["订单认领"] != "2" || got["订单成案"] != "1" ||
			got["订单立案"] != "1" || got["订单采纳"] != "1" {
			t.Errorf("fixture figures: %v", got)
		}
		found := false
		for _, ch := range rep.Chapters {
			if ch.Key == "topic" {
				found = true
				if !strings.Contains(ch.Text, "2个单位提出订单式提案需求4个，经审核发布3个，委员认领2个") || strings.Contains(ch.Text, "【") {
					t.Errorf("topic chapter: %s", ch.Text)
				}
			}
		}
		if !found {
			t.Error("no 订单式提案 chapter")
		}

		stats, err := w.svc.Stats(w.ctx, office, zhengxie.StatsScope{CommitteeID: cid, Year: 2026}, w.f.Committee.Code)
		w.must(err)
		cells := map[string]zhengxie.StatsCell{}
		for _, sec := range stats.Sections {
			for _, tb := range sec.Tables {
				for _, row := range tb.Rows {
					if len(row.Cells) > 0 {
						cells[tb.Key+"/"+row.Label] = row.Cells[0]
					}
				}
			}
		}
		for key, v := range map[string]string{"topic_orders/提出订单": want["订单提出"], "topic_orders/被认领": want["订单认领"],
			"topic_orders/提案被采纳": want["订单采纳"], "topic_units/" + w.f.Units[1].Name: "3", "topic_units/" + w.f.Units[0].Name: "1"} {
			if cells[key].Text() != v {
				t.Errorf("stats %s = %q, want %q", key, cells[key].Text(), v)
			}
		}
		if l := cells["topic_orders/提案被采纳"].Link; l != "/topics?state=adopted" {
			t.Errorf("adopted link %q", l)
		}
		pub, err := w.svc.Stats(w.ctx, w.public(), zhengxie.StatsScope{CommitteeID: cid, Year: 2026}, w.f.Committee.Code)
		w.must(err)
		for _, sec := range pub.Sections {
			if sec.Key == "topic" {
				t.Error("the public sees the topic section")
			}
		}
	})
}
