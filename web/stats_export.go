package web

import (
	"encoding/csv"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"zhengxie"
	"zhengxie/store"
)

// List exports: every list as CSV (UTF-8 with a byte-order mark, which is
// what makes Excel read Chinese correctly) or XLSX, written row by row as
// the database hands them over. The XLSX side uses excelize's stream
// writer, which keeps rows on disk past a small buffer, so memory does not
// grow with the number of rows. X-Total-Count tells the page's progress
// display how many rows to expect.

// rowWriter writes one table.
type rowWriter interface {
	Row(cells []any) error
	Close() error
}

type csvRows struct {
	w  http.ResponseWriter
	c  *csv.Writer
	n  int
	fl http.Flusher
}

func (c *csvRows) Row(cells []any) error {
	rec := make([]string, len(cells))
	for i, v := range cells {
		rec[i] = csvSafe(exportText(v))
	}
	if err := c.c.Write(rec); err != nil {
		return err
	}
	c.n++
	if c.n%500 == 0 {
		c.c.Flush()
		if c.fl != nil {
			c.fl.Flush()
		}
	}
	return c.c.Error()
}

func (c *csvRows) Close() error {
	c.c.Flush()
	return c.c.Error()
}

type xlsxRows struct {
	w  http.ResponseWriter
	f  *excelize.File
	sw *excelize.StreamWriter
	n  int
}

func (x *xlsxRows) Row(cells []any) error {
	x.n++
	vals := make([]any, len(cells))
	for i, v := range cells {
		switch t := v.(type) {
		case time.Time, bool:
			vals[i] = exportText(t)
		default:
			vals[i] = v
		}
	}
	ref, _ := excelize.CoordinatesToCellName(1, x.n)
	return x.sw.SetRow(ref, vals)
}

func (x *xlsxRows) Close() error {
	defer x.f.Close()
	if err := x.sw.Flush(); err != nil {
		return err
	}
	return x.f.Write(x.w)
}

// csvSafe keeps a spreadsheet from reading a text cell as a formula: a
// title such as "=HYPERLINK(…)" typed by anyone must stay text when the
// office opens the export. (XLSX cells are typed strings and need nothing.)
func csvSafe(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// exportText is a cell as text: times in China time, yes/no in Chinese.
func exportText(v any) string {
	switch t := v.(type) {
	case string:
		return t
	case int:
		return strconv.Itoa(t)
	case int64:
		return strconv.FormatInt(t, 10)
	case bool:
		if t {
			return "是"
		}
		return "否"
	case time.Time:
		if t.IsZero() {
			return ""
		}
		return t.In(zhengxie.ChinaTime()).Format("2006-01-02 15:04")
	}
	return ""
}

// newRowWriter starts a download named base.csv or base.xlsx (by the
// request's path) with the header row.
func newRowWriter(w http.ResponseWriter, r *http.Request, base string, total int, header []string) (rowWriter, error) {
	h := w.Header()
	if total >= 0 {
		h.Set("X-Total-Count", strconv.Itoa(total))
	}
	head := make([]any, len(header))
	for i, c := range header {
		head[i] = c
	}
	if strings.HasSuffix(r.URL.Path, ".csv") {
		attachment(w, base+".csv", "text/csv; charset=utf-8")
		w.WriteHeader(http.StatusOK)
		w.Write([]byte("\xEF\xBB\xBF"))
		fl, _ := w.(http.Flusher)
		c := &csvRows{w: w, c: csv.NewWriter(w), fl: fl}
		return c, c.Row(head)
	}
	f := excelize.NewFile()
	const sheet = "数据"
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		f.Close()
		return nil, err
	}
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		f.Close()
		return nil, err
	}
	attachment(w, base+".xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	x := &xlsxRows{w: w, f: f, sw: sw}
	return x, x.Row(head)
}

var proposalExportHeader = []string{"ID", "会议", "编号", "案由", "类别", "提案类型", "提案者", "状态", "重点提案", "已公开", "主办（分办）单位", "提交时间", "立案时间", "办结时间", "公开时间"}

func proposalExportRow(e *store.ExportProposal) []any {
	return []any{e.ID, e.Session, zhengxie.FormatNumber(e.Number), e.Title, e.Category, zhengxie.KindName(e.Kind), e.Proposer, e.State.Name(),
		e.Key, e.Published, e.Units, e.SubmittedAt, e.AcceptedAt, e.ConcludedAt, e.PublishedAt}
}

// exportProposals exports the proposal list with the filters of the page
// (/proposals?…), every page of it.
func (s *Server) exportProposals(w http.ResponseWriter, r *http.Request) {
	if err := requireUser(r); err != nil {
		s.fail(w, r, err)
		return
	}
	f := filterOf(r)
	f.Limit, f.Offset = 1, 0
	_, total, err := s.Svc.Store.Proposals(r.Context(), f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.streamProposals(w, r, f, total, "提案清单")
}

func (s *Server) streamProposals(w http.ResponseWriter, r *http.Request, f store.ProposalFilter, total int, name string) {
	out, err := newRowWriter(w, r, name, total, proposalExportHeader)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	err = s.Svc.Store.EachProposal(r.Context(), f, func(e *store.ExportProposal) error { return out.Row(proposalExportRow(e)) })
	if err == nil {
		err = out.Close()
	}
	if err != nil {
		// The answer has begun: all that is left is to log and cut it short.
		s.Log.Warn("export", "path", r.URL.Path, "err", err)
	}
}

var taskExportHeader = []string{"任务ID", "提案编号", "案由", "提案者", "承办单位", "办理方式", "任务状态", "交办时间", "办理期限", "答复时间", "答复结果", "测评", "重新办理"}

func (s *Server) streamTasks(w http.ResponseWriter, r *http.Request, f store.TaskFilter, name string) {
	out, err := newRowWriter(w, r, name, -1, taskExportHeader)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	err = s.Svc.Store.EachTaskRow(r.Context(), f, func(t *store.TaskRow) error {
		k := &t.Task
		result := ""
		if k.ResultClass != "" {
			result = zhengxie.ResultClassName(k.ResultClass)
		}
		return out.Row([]any{k.ID, zhengxie.FormatNumber(t.Number), t.Title, t.Proposer, k.UnitName, zhengxie.TaskKindName(k.Kind), k.State.Name(),
			k.AssignedAt, k.Due, k.RepliedAt, result, zhengxie.FeedbackName(k.Feedback), k.Rehandled})
	})
	if err == nil {
		err = out.Close()
	}
	if err != nil {
		s.Log.Warn("export", "path", r.URL.Path, "err", err)
	}
}

// exportTasks exports the task list (/tasks?unit=&state=&overdue=).
func (s *Server) exportTasks(w http.ResponseWriter, r *http.Request) {
	if err := requireUser(r); err != nil {
		s.fail(w, r, err)
		return
	}
	f, err := s.taskFilterOf(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if r.URL.Query().Get("overdue") == "1" {
		s.overdueFilter(&f)
	}
	s.streamTasks(w, r, f, "办理任务")
}

// overdueFilter is the overdue board's selection: live tasks past their deadline.
func (s *Server) overdueFilter(f *store.TaskFilter) {
	f.DueBefore = zhengxie.DateOf(s.Svc.Clock(), zhengxie.ChinaTime()).String()
	f.States = []zhengxie.TaskState{zhengxie.TaskPending, zhengxie.TaskAccepted, zhengxie.TaskContacted}
}

// exportOverdue exports the overdue board (超期督办).
func (s *Server) exportOverdue(w http.ResponseWriter, r *http.Request) {
	if err := requireUser(r); err != nil {
		s.fail(w, r, err)
		return
	}
	f, err := s.taskFilterOf(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.overdueFilter(&f)
	s.streamTasks(w, r, f, "超期未答复任务")
}
