package app_test

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"

	"zhengxie"
	"zhengxie/app"
	"zhengxie/internal/sheet"
	"zhengxie/internal/testenv"
	"zhengxie/store"
)

// jiangsuMap is the column mapping of ../shared/data/proposals_jiangsu_2019.csv,
// as an administrator would type it.
const jiangsuMap = "案由=reason,正文=content,提案人=personnel_name,类别=type,编号=proposal_number,日期=publish_time"

// jiangsuTable reads the real 2019 proposals (from ../shared/data, never a copy).
func jiangsuTable(t *testing.T) *sheet.Table {
	t.Helper()
	tb, err := sheet.Read(testenv.SharedData(t, "proposals_jiangsu_2019.csv"), "")
	if err != nil {
		t.Fatal(err)
	}
	return tb
}

// importJiangsu imports the rows keep selects (all when nil) into the
// fixture committee as 十二届二次会议.
func (w *world) importJiangsu(tb *sheet.Table, keep func(i int) bool) *app.ImportReport {
	w.t.Helper()
	if keep != nil {
		sub := &sheet.Table{Header: tb.Header}
		for i := range tb.Rows {
			if keep(i) {
				sub.Rows = append(sub.Rows, tb.Rows[i])
				sub.Lines = append(sub.Lines, tb.Lines[i])
			}
		}
		tb = sub
	}
	m, err := app.ParseMapping(jiangsuMap)
	w.must(err)
	rep, err := w.svc.ImportProposals(w.ctx, zhengxie.SystemActor(w.f.Committee.ID), tb, app.ImportOptions{
		Session: "十二届二次会议", Mapping: m, Source: "proposals_jiangsu_2019.csv"})
	w.must(err)
	return rep
}

// checkJiangsuImport checks what importing the 2019 proposals did (run by
// TestJiangsuOnEngines, which imports them once per engine).
func checkJiangsuImport(t *testing.T, w *world, tb *sheet.Table, rep *app.ImportReport) {
	if rep.Rows != 436 || len(rep.IDs) != 436 {
		t.Fatalf("imported %d rows, %d ids; want 436", rep.Rows, len(rep.IDs))
	}
	if len(rep.Sessions) != 1 || !rep.Sessions[0].Created || rep.Sessions[0].Session.Name != "十二届二次会议" || rep.Sessions[0].Session.Year != 2019 {
		t.Fatalf("sessions: %+v", rep.Sessions)
	}
	se := rep.Sessions[0].Session
	// The first row: 0001, 邹正, 城乡建设, published on 2019-01-12.
	p := w.proposal(rep.IDs[0])
	if p.Number != 1 || p.ProposerName != "邹正" || p.Category != "城乡建设" || p.State != zhengxie.StateArchived || !p.Published ||
		p.SessionID != se.ID || p.SubmittedAt.In(zhengxie.ChinaTime()).Format("2006-01-02 15:04") != "2019-01-12 16:04" {
		t.Errorf("first proposal: %+v", p)
	}
	if !strings.HasPrefix(p.Title, "关于完善城市环卫公厕指引系统") {
		t.Errorf("first title %q", p.Title)
	}
	// Hard-wrapped lines are joined, section headings start paragraphs.
	if !strings.Contains(p.Body, "2018 年 3 月，“厕所革命”被写入") || !strings.Contains(p.Body, "\n问题分析：") {
		t.Errorf("body not tidied: %.300q", p.Body)
	}
	second := w.proposal(rep.IDs[1])
	if second.Kind != zhengxie.KindBody || second.BodyName != "省政协学习委员会" {
		t.Errorf("a committee's proposal: kind %s body %q", second.Kind, second.BodyName)
	}
	// Numbers keep their gaps (0932 is the last); new ones come after.
	all, total, err := w.st.Proposals(w.ctx, store.ProposalFilter{Viewer: w.office(), SessionID: se.ID, Limit: 1})
	w.must(err)
	if total != 436 || all[0].Number != 932 {
		t.Errorf("session holds %d, newest number %d", total, all[0].Number)
	}
	_ = w.st.InTx(w.ctx, func(tx *store.Tx) error {
		n, err := tx.NextNumber(w.f.Committee.ID, se.ID)
		if err != nil || n != 933 {
			t.Errorf("next number in the imported session is %d (%v), want 933", n, err)
		}
		return errors.New("roll back")
	})
	// Every row has its event on an unbroken chain.
	res, err := w.st.VerifyEvents(w.ctx)
	w.must(err)
	for _, r := range res {
		if r.Break != nil {
			t.Errorf("committee %d: chain broken at %d: %s", r.CommitteeID, r.Break.Seq, r.Break.Reason)
		}
	}
	if n := w.events(rep.IDs[10]); n != 1 {
		t.Errorf("imported proposal has %d events", n)
	}
	// Findable at once, by the public too.
	res2, _, err := w.svc.Search(w.ctx, w.public(), app.SearchQuery{Text: "公厕", Filter: store.ProposalFilter{CommitteeID: w.f.Committee.ID}})
	w.must(err)
	if res2.Total != 1 || res2.Hits[0].ID != rep.IDs[0] {
		t.Errorf("public search for 公厕: %d hits", res2.Total)
	}

	// Importing the same file again: every number is taken, nothing is written.
	m, _ := app.ParseMapping(jiangsuMap)
	_, err = w.svc.ImportProposals(w.ctx, zhengxie.SystemActor(w.f.Committee.ID), tb, app.ImportOptions{Session: "十二届二次会议", Mapping: m})
	var ie *app.ImportError
	if !errors.As(err, &ie) || len(ie.Rows) != 436 || ie.Rows[0].Line != 2 || !strings.Contains(ie.Rows[0].Msg, "已有第0001号") {
		t.Fatalf("second import: %v", err)
	}
	if _, total, _ := w.st.Proposals(w.ctx, store.ProposalFilter{Viewer: w.office(), SessionID: se.ID, Limit: 1}); total != 436 {
		t.Errorf("a failed import wrote: session holds %d", total)
	}
}

// The mapping may come from a small JSON file; a dry run checks and writes nothing.
func TestImportMappingFileDryRun(t *testing.T) {
	tb := jiangsuTable(t)
	w := newWorld(t, testenv.SQLiteDSN(t))
	path := filepath.Join(t.TempDir(), "map.json")
	w.must(os.WriteFile(path, []byte(`{"案由": "reason", "正文": "content", "提案人": "personnel_name", "类别": "type", "编号": "proposal_number", "日期": "publish_time"}`), 0o600))
	m, err := app.LoadMapping(path)
	w.must(err)
	rep, err := w.svc.ImportProposals(w.ctx, w.office(), tb, app.ImportOptions{Session: "第十二届第二次会议", Mapping: m, DryRun: true})
	w.must(err)
	if !rep.DryRun || rep.Rows != 436 || len(rep.IDs) != 0 || len(rep.Sessions) != 1 || rep.Sessions[0].Count != 436 || !rep.Sessions[0].Created {
		t.Errorf("dry run report: %+v", rep)
	}
	if _, total, _ := w.st.Proposals(w.ctx, store.ProposalFilter{Viewer: w.office(), Limit: 1}); total != 0 {
		t.Errorf("dry run wrote %d proposals", total)
	}
	ss, err := w.st.Sessions(w.ctx, w.f.Committee.ID)
	w.must(err)
	if len(ss) != 1 {
		t.Errorf("dry run created a session: %v", ss)
	}
	// Without a mapping the CSV's English headers are not understood.
	if _, err := w.svc.ImportProposals(w.ctx, w.office(), tb, app.ImportOptions{Session: "十二届二次会议"}); zhengxie.ErrorCode(err) != zhengxie.EInvalid || !strings.Contains(zhengxie.ErrorMessage(err), "案由") {
		t.Errorf("import without mapping: %v", err)
	}
	// Members may not import.
	if _, err := w.svc.ImportProposals(w.ctx, w.member(0), tb, app.ImportOptions{Session: "十二届二次会议", Mapping: m}); zhengxie.ErrorCode(err) != zhengxie.EForbidden {
		t.Errorf("member import: %v", err)
	}
}

// badCSV is our own small spreadsheet with one good row and several bad ones.
const badCSV = `案由,正文,提案人,类别,编号,日期,届次
关于规范城区夜间施工的建议,夜间施工噪声扰民，建议严格审批、公开时段并设立投诉电话。,陈委员,城乡建设,0001,2024-01-10,三届一次会议
,正文有内容但案由为空。,林委员,城乡建设,0002,2024-01-10,三届一次会议
关于加强校园周边交通管理的建议,"上下学时段拥堵，
建议错峰放学。",黄委员,教育事业,0003,2024年13月40日,三届一次会议
关于编号重复的建议,正文。,周委员,教育事业,0001,2024-01-11,三届一次会议
关于届次写错的建议,正文。,吴委员,教育事业,0005,2024-01-11,第三届会议
`

func TestImportBadRows(t *testing.T) {
	w := newWorld(t, testenv.SQLiteDSN(t))
	tb, err := sheet.ReadCSV(strings.NewReader(badCSV))
	w.must(err)
	_, err = w.svc.ImportProposals(w.ctx, w.office(), tb, app.ImportOptions{})
	var ie *app.ImportError
	if !errors.As(err, &ie) {
		t.Fatalf("want an ImportError, got %v", err)
	}
	got := map[int]string{}
	for _, r := range ie.Rows {
		got[r.Line] += r.Field
	}
	// Line 4 starts the record whose body spans two lines; the next record is on line 6.
	want := map[int]string{3: "案由", 4: "日期", 6: "编号", 7: "届次"}
	for line, field := range want {
		if got[line] != field {
			t.Errorf("line %d: got %q, want an error on %s (all: %s)", line, got[line], field, ie.Error())
		}
	}
	if len(ie.Rows) != len(want) {
		t.Errorf("errors: %s", ie.Error())
	}
	if _, total, _ := w.st.Proposals(w.ctx, store.ProposalFilter{Viewer: w.office(), Limit: 1}); total != 0 {
		t.Errorf("bad file wrote %d proposals", total)
	}
	t.Logf("report to the administrator:\n%s", ie.Error())
}

// A spreadsheet saved as GBK CSV, and an XLSX with a 主办单位 column.
func TestImportEncodingsAndXLSX(t *testing.T) {
	w := newWorld(t, testenv.SQLiteDSN(t))
	good := strings.Join(strings.Split(badCSV, "\n")[:2], "\n") + "\n"
	gbk, err := simplifiedchinese.GBK.NewEncoder().Bytes([]byte(good))
	w.must(err)
	tb, err := sheet.ReadCSV(bytes.NewReader(gbk))
	w.must(err)
	rep, err := w.svc.ImportProposals(w.ctx, w.office(), tb, app.ImportOptions{})
	w.must(err)
	if p := w.proposal(rep.IDs[0]); p.Title != "关于规范城区夜间施工的建议" || rep.Sessions[0].Session.Name != "三届一次会议" || rep.Sessions[0].Session.Year != 2024 {
		t.Errorf("GBK import: %q in %+v", p.Title, rep.Sessions)
	}

	x := excelize.NewFile()
	rows := [][]any{
		{"提案标题", "提案内容", "领衔人", "分类", "案号", "提交日期", "承办单位"},
		{"关于增设社区充电桩的建议", "老旧小区充电难，飞线充电有火灾隐患，建议统一规划建设充电设施。", "陈委员", "城乡建设", "第12号", "2023/1/5", "区交通运输局"},
		{"关于加强学生近视防控的建议", "学生近视率逐年上升，建议保证户外活动时间，减少电子产品使用。", "民盟区委", "教育事业", "13", 44931.5, "区教育局"},
	}
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+3) // two blank rows above the header
		w.must(x.SetSheetRow("Sheet1", cell, &r))
	}
	path := filepath.Join(t.TempDir(), "历史提案.xlsx")
	w.must(x.SaveAs(path))
	tb, err = sheet.Read(path, "")
	w.must(err)
	if tb.Lines[0] != 4 {
		t.Errorf("first XLSX row is on row %d, want 4", tb.Lines[0])
	}
	rep, err = w.svc.ImportProposals(w.ctx, w.office(), tb, app.ImportOptions{Session: "二届一次会议", Year: 2023})
	w.must(err)
	p := w.proposal(rep.IDs[1])
	if p.Number != 13 || p.Kind != zhengxie.KindBody || p.SubmittedAt.In(zhengxie.ChinaTime()).Format("2006-01-02 15:04") != "2023-01-05 12:00" {
		t.Errorf("XLSX row: number %d kind %s date %v", p.Number, p.Kind, p.SubmittedAt)
	}
	ts := w.tasks(p.ID)
	if len(ts) != 1 || ts[0].UnitName != "区教育局" || ts[0].Kind != zhengxie.TaskLead || ts[0].State != zhengxie.TaskReplied {
		t.Errorf("lead unit of the imported proposal: %+v", ts)
	}
	// An unknown unit is an error unless the administrator asks to create it.
	tb.Rows[0][6] = "区未知局"
	tb.Rows[0][4], tb.Rows[1][4] = "20", "21"
	if _, err := w.svc.ImportProposals(w.ctx, w.office(), tb, app.ImportOptions{Session: "二届一次会议"}); !strings.Contains(zhengxie.ErrorMessage(err)+errText(err), "区未知局") {
		t.Errorf("unknown unit: %v", err)
	}
	rep, err = w.svc.ImportProposals(w.ctx, w.office(), tb, app.ImportOptions{Session: "二届一次会议", CreateUnits: true})
	w.must(err)
	if len(rep.Units) != 1 || rep.Units[0] != "区未知局" {
		t.Errorf("created units: %v", rep.Units)
	}
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

func TestParseSessionName(t *testing.T) {
	for in, want := range map[string][2]int{
		"十二届二次会议": {12, 2}, "第十二届第二次会议": {12, 2}, "12届2次": {12, 2}, "二届三次会议": {2, 3},
		"第二十一届全国委员会第一次会议": {21, 1}, "十届五次全体会议": {10, 5}, "１２届２次会议": {12, 2},
	} {
		term, no, ok := app.ParseSessionName(in)
		if !ok || term != want[0] || no != want[1] {
			t.Errorf("%s: %d %d %v, want %v", in, term, no, ok, want)
		}
	}
	for _, in := range []string{"", "2019年会议", "第三届会议", "十二届"} {
		if _, _, ok := app.ParseSessionName(in); ok {
			t.Errorf("%q should not parse", in)
		}
	}
	if got := app.SessionName(12, 2); got != "十二届二次会议" {
		t.Errorf("SessionName(12, 2) = %s", got)
	}
	if got := app.SessionName(20, 1); got != "二十届一次会议" {
		t.Errorf("SessionName(20, 1) = %s", got)
	}
}

func TestProposerKind(t *testing.T) {
	for name, want := range map[string]string{
		"邹正": zhengxie.KindIndividual, "冯少东等2人": zhengxie.KindJoint, "王华等11人": zhengxie.KindJoint, "张三、李四": zhengxie.KindJoint,
		"民盟江苏省委": zhengxie.KindBody, "省政协学习委员会": zhengxie.KindBody, "省工商联": zhengxie.KindBody, "九三学社江苏省委": zhengxie.KindBody,
	} {
		if got, _ := app.ProposerKind(name); got != want {
			t.Errorf("%s: %s, want %s", name, got, want)
		}
	}
}

func TestTidyText(t *testing.T) {
	in := "调研情况：    近年来我区老旧小区加装电梯的需求日益增长，但在实施过程中\n仍面临资金分摊难、意见统一难等问题。\n问题分析：一是审批流程长。具体建议：\u00a0 \u00a0一是简化审批；\n二是设立补贴。"
	want := "调研情况：\n近年来我区老旧小区加装电梯的需求日益增长，但在实施过程中仍面临资金分摊难、意见统一难等问题。\n问题分析：一是审批流程长。\n具体建议：\n一是简化审批；\n二是设立补贴。"
	if got := app.TidyText(in); got != want {
		t.Errorf("TidyText:\n got %q\nwant %q", got, want)
	}
}
