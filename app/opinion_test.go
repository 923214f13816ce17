package app_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"zhengxie"
	"zhengxie/app"
	"zhengxie/internal/testenv"
)

var reportBody = "城南街道多个老旧小区居民反映，加装电梯意愿强烈，但审批环节多、低层住户意见难统一、资金分摊缺少标准，" +
	"导致项目推进缓慢。建议区住建局牵头制定加装电梯资金分摊指引，简化审批流程，推行“一站式”服务。"

// dutyPoints is what the duty module computes for a member from the
// committee's events: the items ItemsFromEvent reads, scored by the
// default rules.
func dutyPoints(t *testing.T, w *world, userID int64, subjects ...int64) (int, []zhengxie.DutyItem) {
	t.Helper()
	var items []zhengxie.DutyItem
	for _, id := range subjects {
		evs, err := w.st.SubjectEvents(w.ctx, w.f.Committee.ID, "report", id)
		w.must(err)
		for i := range evs {
			for _, it := range zhengxie.ItemsFromEvent(&evs[i]) {
				if it.UserID == userID {
					items = append(items, it)
				}
			}
		}
	}
	items = zhengxie.DedupeItems(items)
	rules := zhengxie.DefaultDutyRules(2026)
	return zhengxie.Score(&rules, items).Total, items
}

func TestReportToAdoptionFeedsDuty(t *testing.T) {
	testenv.Engines(t, func(t *testing.T, dsn string) {
		w := newWorld(t, dsn)
		r, err := w.svc.FileReport(w.ctx, w.member(0), app.ReportInput{Title: "关于加快老旧小区加装电梯的建议", Body: reportBody, Sources: "城南街道接访"})
		w.must(err)
		before, _ := dutyPoints(t, w, w.f.Members[0].ID, r.ID)
		if before != 2 {
			t.Errorf("filed: %d points, want 2", before)
		}
		// A second, similar report is merged in: its reporter is credited too.
		r2, err := w.svc.FileReport(w.ctx, w.member(1), app.ReportInput{Title: "老旧小区加装电梯难的问题", Body: reportBody + "居民普遍期待。"})
		w.must(err)
		sim, err := w.svc.SimilarReports(w.ctx, w.office(), r.ID)
		w.must(err)
		if len(sim) == 0 || sim[0].R.ID != r2.ID {
			t.Errorf("similar reports: %+v", sim)
		}
		_, err = w.svc.ReportAct(w.ctx, w.office(), r2.ID, zhengxie.ReportActMerge, app.ReportActInput{Into: r.ID})
		w.must(err)
		// The office edits: the original is kept beside the edit.
		edited := strings.Replace(reportBody, "建议区住建局", "建议区住房和城乡建设局", 1)
		_, err = w.svc.ReportAct(w.ctx, w.office(), r.ID, zhengxie.ReportActEdit, app.ReportActInput{Title: "关于加快老旧小区加装电梯的建议", Body: edited, Note: "规范部门名称"})
		w.must(err)
		if _, err := w.svc.ReportAct(w.ctx, w.member(0), r.ID, zhengxie.ReportActEdit, app.ReportActInput{Title: "x", Body: edited}); zhengxie.ErrorCode(err) != zhengxie.EForbidden {
			t.Errorf("the member edits after filing: %v", err)
		}
		iss := &zhengxie.Issue{Title: "加装电梯专刊", Recipients: []string{"区委", "区政府", "市政协"}, ReportIDs: []int64{r.ID}}
		w.must(w.svc.CompileIssue(w.ctx, w.office(), iss))
		if iss.Number != 1 || iss.Label() != "2026年第1期" {
			t.Errorf("issue %s", iss.Label())
		}
		iss2 := &zhengxie.Issue{Recipients: []string{"区委"}, ReportIDs: []int64{r.ID}}
		if err := w.svc.CompileIssue(w.ctx, w.office(), iss2); zhengxie.ErrorField(err) != "report_ids" {
			t.Errorf("a report compiled twice: %v", err)
		}
		_, err = w.svc.SendIssue(w.ctx, w.office(), iss.ID)
		w.must(err)
		// Adopted by the city and instructed by a leader: points for both members.
		_, err = w.svc.ReportAct(w.ctx, w.office(), r.ID, zhengxie.ReportActAdopt, app.ReportActInput{Record: zhengxie.ReportRecord{Level: zhengxie.LevelCity, Place: "市政协办公厅《社情民意》"}})
		w.must(err)
		_, err = w.svc.ReportAct(w.ctx, w.f.Actor(w.f.Leader), r.ID, zhengxie.ReportActInstruct, app.ReportActInput{Record: zhengxie.ReportRecord{Text: "请区住建局研究，尽快出台指引。"}})
		w.must(err)
		_, err = w.svc.ReportAct(w.ctx, w.office(), r.ID, zhengxie.ReportActFeedback, app.ReportActInput{Record: zhengxie.ReportRecord{Place: "区住房和城乡建设局", Text: "已起草加装电梯资金分摊指引，正在征求意见。"}})
		w.must(err)
		after, items := dutyPoints(t, w, w.f.Members[0].ID, r.ID)
		if after != 2+5+10 {
			t.Errorf("member 1 after adoption and instruction: %d points (%+v), want 17", after, items)
		}
		co, _ := dutyPoints(t, w, w.f.Members[1].ID, r.ID, r2.ID)
		if co != 2+5+10 {
			t.Errorf("the merged report's member: %d points, want 17", co)
		}
		v, err := w.svc.Report(w.ctx, w.member(1), r.ID)
		w.must(err)
		if v.R.State != zhengxie.ReportAdopted || len(v.Versions) != 2 || v.Versions[0].Body != reportBody || len(v.Records) != 3 || v.Issue == nil {
			t.Errorf("the member's view: state %s, %d versions, %d records", v.R.State, len(v.Versions), len(v.Records))
		}
		if _, err := w.svc.Report(w.ctx, w.member(2), r.ID); zhengxie.ErrorCode(err) != zhengxie.ENotFound {
			t.Errorf("another member: %v", err)
		}
	})
}

func TestMatterTurnsIntoReportAndDraft(t *testing.T) {
	c := newContact(t, testenv.SQLiteDSN(t))
	rc := c.reception()
	m := c.logged(rc, "农贸市场周边占道经营")
	m, err := c.svc.MatterAct(c.ctx, c.member(0), m.ID, zhengxie.MatterActToReport, app.MatterActInput{})
	c.must(err)
	if m.State != zhengxie.MatterConverted || m.ReportID == 0 {
		t.Fatalf("to report: %+v", m)
	}
	v, err := c.svc.Report(c.ctx, c.member(0), m.ReportID)
	c.must(err)
	if v.R.MatterID != m.ID || strings.Contains(v.R.Body, "13712345678") {
		t.Errorf("report from matter: %+v", v.R)
	}
	m2 := c.logged(rc, "学校门口上下学拥堵")
	if _, err := c.svc.MatterAct(c.ctx, c.member(1), m2.ID, zhengxie.MatterActToDraft, app.MatterActInput{}); zhengxie.ErrorCode(err) != zhengxie.ENotFound {
		t.Errorf("a member who did not take the matter: %v", err)
	}
	m2, err = c.svc.MatterAct(c.ctx, c.member(0), m2.ID, zhengxie.MatterActToDraft, app.MatterActInput{})
	c.must(err)
	p, err := c.st.Proposal(c.ctx, c.f.Committee.ID, m2.ProposalID)
	c.must(err)
	if p.State != zhengxie.StateDraft || p.ProposerID != c.f.Members[0].ID {
		t.Errorf("draft %+v", p)
	}
}

// TestContactStatistics: the year's figures per station, member, category
// and month, and the same in the workbook, without any citizen.
func TestContactStatistics(t *testing.T) {
	c := newContact(t, testenv.SQLiteDSN(t))
	rc := c.reception()
	m := c.logged(rc, "小区门口路灯损坏")
	c.logged(rc, "垃圾清运不及时")
	_, err := c.svc.MatterAct(c.ctx, c.staffActor(), m.ID, zhengxie.MatterActAnswer, app.MatterActInput{Answer: "路灯已修复，恢复照明。"})
	c.must(err)
	_, err = c.svc.CitizenFeedback(c.ctx, m.Code, true, "")
	c.must(err)
	_, err = c.svc.ReceptionAct(c.ctx, c.member(0), rc.ID, zhengxie.ActHoldReception, 9, "")
	c.must(err)
	r, err := c.svc.FileReport(c.ctx, c.member(0), app.ReportInput{Title: "关于加快老旧小区加装电梯的建议", Body: reportBody})
	c.must(err)
	c.must(c.svc.CompileIssue(c.ctx, c.office(), &zhengxie.Issue{Recipients: []string{"区委"}, ReportIDs: []int64{r.ID}}))
	_, err = c.svc.ReportAct(c.ctx, c.office(), r.ID, zhengxie.ReportActAdopt, app.ReportActInput{Record: zhengxie.ReportRecord{Level: zhengxie.LevelCity, Place: "市政协"}})
	c.must(err)
	if _, err := c.svc.ContactStatistics(c.ctx, c.staffActor(), 0); zhengxie.ErrorCode(err) != zhengxie.EForbidden {
		t.Errorf("station staff reads the committee's statistics: %v", err)
	}
	st, err := c.svc.ContactStatistics(c.ctx, c.office(), 2026)
	c.must(err)
	tot := st.Total
	if tot.Receptions != 1 || tot.Citizens != 9 || tot.Matters != 2 || tot.Answered != 1 || tot.Settled != 1 || tot.SettledRate() != 100 ||
		tot.Filed != 1 || tot.Compiled != 1 || tot.Adopted[zhengxie.LevelCity] != 1 {
		t.Errorf("total %+v", tot)
	}
	find := func(rows []app.ContactRow, name string) *app.ContactRow {
		for i := range rows {
			if rows[i].Name == name {
				return &rows[i]
			}
		}
		t.Fatalf("no row %s", name)
		return nil
	}
	if row := find(st.Stations, c.station.Name); row.Matters != 2 || row.Receptions != 1 {
		t.Errorf("station row %+v", row)
	}
	if row := find(st.Members, c.f.Members[0].Name); row.Receptions != 1 || row.Matters != 2 || row.Filed != 1 || row.Adopted[zhengxie.LevelCity] != 1 {
		t.Errorf("member row %+v", row)
	}
	if row := find(st.Categories, "城乡建设"); row.Matters != 2 {
		t.Errorf("category row %+v", row)
	}
	if row := find(st.Months, "3月"); row.Matters != 2 || row.Filed != 1 {
		t.Errorf("March %+v", row)
	}
	if !strings.Contains(st.Chart(), `"3月"`) {
		t.Error("chart without months")
	}
	var buf bytes.Buffer
	c.must(c.svc.ContactStatsXLSX(c.ctx, c.office(), 2026, &buf))
	x, err := excelize.OpenReader(&buf)
	c.must(err)
	defer x.Close()
	if got := x.GetSheetList(); len(got) != 4 || got[0] != "按联络站工作室" {
		t.Errorf("sheets %v", got)
	}
	rows, err := x.GetRows("按委员")
	c.must(err)
	all := ""
	for _, r := range rows {
		all += strings.Join(r, "|") + "\n"
	}
	if !strings.Contains(all, c.f.Members[0].Name) || strings.Contains(all, "13712345678") || strings.Contains(all, "王阿姨") {
		t.Errorf("members sheet:\n%s", all)
	}
}
