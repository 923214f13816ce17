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

// TestDutyContactFiguresFromTheDatabase: the duty and contact chapters of
// the annual report and the two sections of the statistics say what the
// database holds, recomputed here with SQL from the modules' own tables.
func TestDutyContactFiguresFromTheDatabase(t *testing.T) {
	testenv.Engines(t, func(t *testing.T, dsn string) {
		c := newContact(t, dsn)
		c.svc.EnableDuty()
		cid := c.f.Committee.ID
		// Contact: a reception day with two matters, one answered in time,
		// one left with the unit past its deadline; one opinion report.
		r := c.reception()
		m1 := c.logged(r, "小区门口路灯损坏")
		m2 := c.logged(r, "人行道井盖缺失")
		for _, m := range []*zhengxie.Matter{m1, m2} {
			_, err := c.svc.MatterAct(c.ctx, c.staffActor(), m.ID, zhengxie.MatterActForward, app.MatterActInput{UnitID: c.f.Units[0].ID})
			c.must(err)
			_, err = c.svc.MatterAct(c.ctx, c.unit(0), m.ID, zhengxie.MatterActSign, app.MatterActInput{})
			c.must(err)
		}
		_, err := c.svc.MatterAct(c.ctx, c.unit(0), m1.ID, zhengxie.MatterActReply, app.MatterActInput{Answer: "已安排维修人员更换灯具，路灯已恢复照明。"})
		c.must(err)
		_, err = c.svc.ReceptionAct(c.ctx, c.member(0), r.ID, zhengxie.ActHoldReception, 12, "")
		c.must(err)
		_, err = c.svc.FileReport(c.ctx, c.member(0), app.ReportInput{Title: "关于老旧小区加装电梯的建议",
			Body: "部分老旧小区居民反映加装电梯协调难、资金筹集难、审批环节多，低楼层住户担心采光和噪声，高楼层老人出行不便。建议完善补贴政策，简化审批流程，由街道牵头建立协商议事机制。", Sources: "城南街道委员联络站接访"})
		c.must(err)
		// Duty: a meeting held, one member signed in.
		act := &zhengxie.Activity{Kind: zhengxie.ActivityMeeting, Title: "季度委员座谈会", StartsAt: c.now.Add(20 * time.Minute), EndsAt: c.now.Add(2 * time.Hour)}
		c.must(c.svc.CreateActivity(c.ctx, c.office(), act, app.Invitation{All: true}))
		_, err = c.svc.ActOnActivity(c.ctx, c.office(), act.ID, zhengxie.ActPublishActivity, app.ActivityInput{})
		c.must(err)
		tok, _, err := c.svc.SignInToken(c.ctx, c.office(), act.ID)
		c.must(err)
		_, err = c.svc.SignIn(c.ctx, c.member(0), act.ID, tok)
		c.must(err)
		_, err = c.svc.ActOnActivity(c.ctx, c.office(), act.ID, zhengxie.ActHoldActivity, app.ActivityInput{})
		c.must(err)
		_, err = c.svc.RecomputeYear(c.ctx, cid, 2026, nil)
		c.must(err)
		c.now = c.now.AddDate(0, 1, 0) // m2 is now overdue

		rep, err := c.svc.AnnualReport(c.ctx, c.office(), cid, 2026)
		c.must(err)
		db := c.st.DB()
		one := func(q string, args ...any) int {
			t.Helper()
			var n int
			if err := db.QueryRowContext(c.ctx, testenv.Rebind(c.st, q), args...).Scan(&n); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
			return n
		}
		loc := zhengxie.ChinaTime()
		from, to := time.Date(2026, 1, 1, 0, 0, 0, 0, loc).UnixMilli(), time.Date(2027, 1, 1, 0, 0, 0, 0, loc).UnixMilli()
		held := `FROM receptions WHERE committee_id = ? AND state = 'held' AND day >= '2026-01-01' AND day <= '2026-12-31'`
		matters := `FROM matters WHERE committee_id = ? AND created_at >= ? AND created_at < ?`
		mc := func(extra string) int { return one(`SELECT COUNT(*) `+matters+extra, cid, from, to) }
		acts := `FROM attendance a JOIN activities x ON x.id = a.activity_id WHERE x.committee_id = ? AND x.year = 2026 AND x.state IN ('held', 'closed')`
		rate := func(n, d int) string { return zhengxie.FormatRate(float64(n) / float64(max(d, 1))) }
		answered, onTime := mc(` AND answered_at > 0`), mc(` AND answered_at > 0 AND on_time = 1`)
		invited, attended := one(`SELECT COUNT(*) `+acts, cid), one(`SELECT COUNT(*) `+acts+` AND a.state = 'signed_in'`, cid)
		today := zhengxie.DateOf(c.now, loc).String()
		want := map[string]string{
			"委员接访":    strconv.Itoa(one(`SELECT COUNT(*) `+held, cid)),
			"接待群众":    strconv.Itoa(one(`SELECT COALESCE(SUM(visitors), 0) `+held, cid) + mc(` AND source = 'message'`)),
			"群众诉求":    strconv.Itoa(mc("")),
			"诉求已答复":   strconv.Itoa(answered),
			"诉求已解决":   strconv.Itoa(mc(` AND state = 'settled'`)),
			"诉求逾期未答复": strconv.Itoa(one(`SELECT COUNT(*) `+matters+` AND unit_id <> 0 AND answered_at = 0 AND due <> '' AND due < ? AND state IN ('received', 'forwarded', 'handling', 'disputed')`, cid, from, to, today)),
			"诉求按期答复率": rate(onTime, answered),
			"社情民意报送":  strconv.Itoa(one(`SELECT COUNT(*) FROM opinion_reports WHERE committee_id = ? AND created_at >= ? AND created_at < ? AND state NOT IN ('merged', 'withdrawn')`, cid, from, to)),
			"社情民意编发":  strconv.Itoa(one(`SELECT COUNT(*) FROM opinion_reports WHERE committee_id = ? AND created_at >= ? AND created_at < ? AND issue_id <> 0`, cid, from, to)),
			"履职活动":    strconv.Itoa(one(`SELECT COUNT(*) FROM activities WHERE committee_id = ? AND year = 2026 AND state IN ('held', 'closed')`, cid)),
			"应出席人次":   strconv.Itoa(invited),
			"出席人次":    strconv.Itoa(attended),
			"委员出席率":   rate(attended, invited),
		}
		got := rep.FigureMap()
		for name, w := range want {
			if got[name] != w {
				t.Errorf("【%s】 = %q, recomputed %q", name, got[name], w)
			}
		}
		// The fixture's own numbers, so that the recomputation is checked too.
		if got["委员接访"] != "1" || got["接待群众"] != "12" || got["群众诉求"] != "2" || got["诉求逾期未答复"] != "1" || got["社情民意报送"] != "1" ||
			got["履职活动"] != "1" || got["出席人次"] != "1" {
			t.Errorf("fixture figures: %v", got)
		}
		var keys []string
		for _, ch := range rep.Chapters {
			keys = append(keys, ch.Key)
			if strings.Contains(ch.Text, "【") {
				t.Errorf("chapter %s has an unfilled figure: %s", ch.Key, ch.Text)
			}
			if ch.Key == "contact" && !strings.Contains(ch.Text, "开展接访1次，接待群众12人次，收集群众诉求2件") {
				t.Errorf("contact chapter: %s", ch.Text)
			}
		}
		if ks := strings.Join(keys, ","); !strings.Contains(ks, "duty,contact,problems") {
			t.Errorf("chapters %s", ks)
		}

		// The statistics: the same figures, each linking to its list.
		stats, err := c.svc.Stats(c.ctx, c.office(), zhengxie.StatsScope{CommitteeID: cid, Year: 2026}, c.f.Committee.Code)
		c.must(err)
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
		for _, m := range stats.Pending {
			if m.Key == "duty" || m.Key == "contact" {
				t.Errorf("%s still pending", m.Key)
			}
		}
		for key, w := range map[string]string{"contact_matters/委员接访（次）": want["委员接访"], "contact_matters/逾期未答复": want["诉求逾期未答复"],
			"contact_reports/报送": want["社情民意报送"], "duty_attendance/出席率": want["委员出席率"], "duty_activities/" + zhengxie.ActivityMeeting.Name(): "1"} {
			if cells[key].Text() != w || cells[key].Link == "" {
				t.Errorf("stats %s = %q (link %q), want %q", key, cells[key].Text(), cells[key].Link, w)
			}
		}
		if l := cells["contact_matters/逾期未答复"].Link; l != "/matters?overdue=1" {
			t.Errorf("overdue link %s", l)
		}
		// The public subset has neither section.
		pub, err := c.svc.Stats(c.ctx, c.public(), zhengxie.StatsScope{CommitteeID: cid, Year: 2026}, c.f.Committee.Code)
		c.must(err)
		for _, sec := range pub.Sections {
			if sec.Key == "duty" || sec.Key == "contact" {
				t.Errorf("the public sees the %s section", sec.Key)
			}
		}
	})
}
