package zhengxie_test

import (
	"strings"
	"testing"

	"zhengxie"
)

func TestReportTable(t *testing.T) {
	T := zhengxie.ReportTable
	cases := []struct {
		from   zhengxie.ReportState
		action zhengxie.ReportAction
		party  zhengxie.Party
		to     zhengxie.ReportState
		code   string
	}{
		{zhengxie.ReportSubmitted, zhengxie.ReportActEdit, zhengxie.PartyOffice, zhengxie.ReportSubmitted, ""},
		{zhengxie.ReportSubmitted, zhengxie.ReportActEdit, zhengxie.PartyReporter, zhengxie.ReportSubmitted, zhengxie.EForbidden},
		{zhengxie.ReportSubmitted, zhengxie.ReportActCompile, zhengxie.PartyOffice, zhengxie.ReportCompiled, ""},
		{zhengxie.ReportSubmitted, zhengxie.ReportActReject, zhengxie.PartyOffice, zhengxie.ReportRejected, ""},
		{zhengxie.ReportSubmitted, zhengxie.ReportActMerge, zhengxie.PartyOffice, zhengxie.ReportMerged, ""},
		{zhengxie.ReportSubmitted, zhengxie.ReportActWithdraw, zhengxie.PartyReporter, zhengxie.ReportWithdrawn, ""},
		{zhengxie.ReportSubmitted, zhengxie.ReportActAdopt, zhengxie.PartyOffice, zhengxie.ReportSubmitted, zhengxie.EIllegal},
		{zhengxie.ReportCompiled, zhengxie.ReportActAdopt, zhengxie.PartyOffice, zhengxie.ReportAdopted, ""},
		{zhengxie.ReportAdopted, zhengxie.ReportActAdopt, zhengxie.PartyOffice, zhengxie.ReportAdopted, ""},
		{zhengxie.ReportAdopted, zhengxie.ReportActInstruct, zhengxie.PartyLeader, zhengxie.ReportAdopted, ""},
		{zhengxie.ReportCompiled, zhengxie.ReportActFeedback, zhengxie.PartyOffice, zhengxie.ReportCompiled, ""},
		{zhengxie.ReportCompiled, zhengxie.ReportActWithdraw, zhengxie.PartyReporter, zhengxie.ReportCompiled, zhengxie.EIllegal},
		{zhengxie.ReportRejected, zhengxie.ReportActCompile, zhengxie.PartyOffice, zhengxie.ReportRejected, zhengxie.EIllegal},
		{zhengxie.ReportCompiled, zhengxie.ReportActAdopt, zhengxie.PartyReporter, zhengxie.ReportCompiled, zhengxie.EForbidden},
	}
	for _, c := range cases {
		to, err := T.Next(c.from, c.action, c.party)
		if got := zhengxie.ErrorCode(err); got != c.code || to != c.to {
			t.Errorf("%s --%s--> by %s: %s %q (%v), want %s %q", c.from, c.action, c.party, to, got, err, c.to, c.code)
		}
	}
}

func TestCheckReport(t *testing.T) {
	body := strings.Repeat("城东街道老旧小区加装电梯意愿强烈，但审批环节多、资金分摊难。", 3)
	cases := []struct {
		title, body string
		field       string
	}{
		{"关于加快老旧小区加装电梯的建议", body, ""},
		{"", body, "title"},
		{"关于加装电梯的建议", "太短了", "body"},
		{"关于加装电梯的建议", strings.Repeat("电", 1501), "body"},
		{"关于加装电梯的建议", strings.Repeat("电", 1500), ""},
		{"关于加装电梯；停车难的建议", body, "title"},
		{"关于加装电梯、停车、垃圾分类等问题的建议", body, "title"},
		{"关于加装电梯的建议", body + "另外一个问题是停车难。", "body"},
	}
	for _, c := range cases {
		if got := zhengxie.ErrorField(zhengxie.CheckReport(c.title, c.body, "")); got != c.field {
			t.Errorf("CheckReport(%q, %d chars): field %q, want %q", c.title, len([]rune(c.body)), got, c.field)
		}
	}
}

func TestCheckReportRecord(t *testing.T) {
	on := zhengxie.MakeDate(2026, 4, 1)
	cases := []struct {
		r     zhengxie.ReportRecord
		field string
	}{
		{zhengxie.ReportRecord{Kind: zhengxie.RecordAdoption, Level: zhengxie.LevelCity, Place: "市政协办公厅", On: on}, ""},
		{zhengxie.ReportRecord{Kind: zhengxie.RecordAdoption, Level: "county", Place: "x", On: on}, "level"},
		{zhengxie.ReportRecord{Kind: zhengxie.RecordAdoption, Level: zhengxie.LevelCity, On: on}, "place"},
		{zhengxie.ReportRecord{Kind: zhengxie.RecordInstruction, Person: "区委书记", Text: "请区住建局研究落实。", On: on}, ""},
		{zhengxie.ReportRecord{Kind: zhengxie.RecordInstruction, Text: "请研究。", On: on}, "person"},
		{zhengxie.ReportRecord{Kind: zhengxie.RecordFeedback, Place: "区住建局", On: on}, "text"},
		{zhengxie.ReportRecord{Kind: zhengxie.RecordFeedback, Place: "区住建局", Text: "已完成。"}, "on"},
	}
	for i, c := range cases {
		r := c.r
		if got := zhengxie.ErrorField(zhengxie.CheckReportRecord(&r)); got != c.field {
			t.Errorf("case %d: field %q, want %q", i, got, c.field)
		}
	}
	if l := (&zhengxie.Issue{Year: 2026, Number: 3}).Label(); l != "2026年第3期" {
		t.Errorf("label %q", l)
	}
}
