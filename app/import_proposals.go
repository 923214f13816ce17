package app

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"zhengxie"
	"zhengxie/internal/sheet"
	"zhengxie/search"
	"zhengxie/store"
)

// Importing historical proposals: a committee's 提案库 holds earlier years
// too, exported from an old system or kept in a spreadsheet. Each row
// becomes an archived, published proposal of its session with its official
// number, indexed for search like any other. Every row is checked before
// anything is written and the rows are written in one transaction, so a
// file with one bad row changes nothing.

// ImportOptions say where imported proposals go and how to read them.
type ImportOptions struct {
	CommitteeID int64
	// Session is the 届次 of every row (e.g. 十二届二次会议) when the file
	// has no 届次 column; Year its year when a new session must be created
	// and neither a 年份 column nor the dates tell it.
	Session string
	Year    int
	// Mapping is field key → column header; fields left out are found by
	// their Chinese name or aliases among the headers.
	Mapping map[string]string
	// Source names the file in each proposal's history.
	Source string
	// CreateUnits creates the 主办单位 that the committee does not have
	// yet; otherwise an unknown unit is an error of its row.
	CreateUnits bool
	// Raw keeps the body as it is. By default hard line breaks inside
	// paragraphs (from PDF extraction) are joined and runs of spaces that
	// stand for paragraph breaks become line breaks.
	Raw bool
	// DryRun checks everything and writes nothing (the report has no IDs).
	DryRun bool
	// Progress, if set, is told how far each phase has come.
	Progress func(phase string, done, total int)
}

// RowError is what is wrong with one row.
type RowError struct {
	Line  int
	Field string // the Chinese field name, or ""
	Msg   string
}

func (e RowError) String() string {
	if e.Field != "" {
		return fmt.Sprintf("第%d行（%s）：%s", e.Line, e.Field, e.Msg)
	}
	return fmt.Sprintf("第%d行：%s", e.Line, e.Msg)
}

// ImportError lists every bad row of a file that was not imported.
type ImportError struct{ Rows []RowError }

func (e *ImportError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d处错误，未导入任何提案：", len(e.Rows))
	for i, r := range e.Rows {
		if i == 50 {
			fmt.Fprintf(&b, "\n……另有%d处", len(e.Rows)-50)
			break
		}
		b.WriteString("\n  " + r.String())
	}
	return b.String()
}

// ImportedSession is a session rows went into.
type ImportedSession struct {
	Session zhengxie.Session
	Created bool
	Count   int
}

// ImportReport says what an import did (or, on a dry run, would do).
type ImportReport struct {
	Rows     int
	IDs      []int64 // of the new proposals, in file order (none on a dry run)
	Sessions []ImportedSession
	Units    []string // units created
	// Categories outside the committee's list (kept as they are).
	OtherCategories []string
	DryRun          bool
}

// importRow is one checked row.
type importRow struct {
	line                  int
	title, body, proposer string
	kind, bodyName        string
	category, unit        string
	number                int
	date                  time.Time
	term, sessionNo, year int
	sessionName           string
	doc                   store.SearchDoc
}

// ImportProposals checks every row of t and, if all are right, writes them
// in one transaction as archived, published proposals (see ImportOptions).
// A bad row makes it return an *ImportError listing every bad row, and
// nothing is written.
func (s *Service) ImportProposals(ctx context.Context, a zhengxie.Actor, t *sheet.Table, opt ImportOptions) (*ImportReport, error) {
	if a.Role != zhengxie.RoleSystem && a.Role != zhengxie.RoleAdmin && a.Role != zhengxie.RoleOffice {
		return nil, zhengxie.Errorf(zhengxie.EForbidden, "只有提案委员会或系统管理员可以导入历史提案")
	}
	if opt.CommitteeID == 0 {
		opt.CommitteeID = a.CommitteeID
	}
	c, err := s.Store.Committee(ctx, opt.CommitteeID)
	if err != nil {
		return nil, err
	}
	if a.Role != zhengxie.RoleSystem && a.CommitteeID != c.ID {
		return nil, zhengxie.Errorf(zhengxie.EForbidden, "只能向本委员会导入提案")
	}
	cols, err := resolveColumns(t.Header, opt.Mapping)
	if err != nil {
		return nil, err
	}
	rows, bad := s.checkRows(t, cols, opt, c.Location())
	if len(bad) > 0 {
		return nil, &ImportError{Rows: bad}
	}
	if len(rows) == 0 {
		return nil, zhengxie.Errorf(zhengxie.EInvalid, "文件中没有提案（只有表头）")
	}
	rep := &ImportReport{Rows: len(rows), DryRun: opt.DryRun}
	known := map[string]bool{}
	for _, cat := range zhengxie.Categories {
		known[cat] = true
	}
	for _, r := range rows {
		if r.category != "" && !known[r.category] {
			known[r.category] = true
			rep.OtherCategories = append(rep.OtherCategories, r.category)
		}
	}
	// Check against what is stored (numbers taken, units, sessions) in a
	// transaction that is always rolled back: a file that cannot go in is
	// refused before the long segmentation, and a dry run stops here.
	errCheck := errors.New("checked")
	err = s.Store.InTx(ctx, func(tx *store.Tx) error {
		rep.Sessions, rep.Units = nil, nil
		if err := s.writeRows(tx, a, c, rows, opt, rep, nil); err != nil {
			return err
		}
		return errCheck
	})
	if !errors.Is(err, errCheck) {
		return nil, err
	}
	if opt.DryRun {
		return rep, nil
	}
	segment(rows, opt.Progress)
	var docs []search.Doc
	err = s.Store.InTx(ctx, func(tx *store.Tx) error {
		rep.IDs, rep.Sessions, rep.Units, docs = nil, nil, nil, nil
		return s.writeRows(tx, a, c, rows, opt, rep, &docs)
	})
	if err != nil {
		return nil, err
	}
	s.addToIndex(c.ID, docs)
	s.sim.learn.invalidate(c.ID)
	return rep, nil
}

// resolveColumns maps each field to its column index (-1 when absent).
func resolveColumns(header []string, mapping map[string]string) (map[string]int, error) {
	idx := map[string]int{}
	for i, h := range header {
		if _, dup := idx[h]; !dup && h != "" {
			idx[h] = i
		}
	}
	cols := map[string]int{}
	for _, f := range ImportFields {
		cols[f.Key] = -1
		if col, ok := mapping[f.Key]; ok {
			i, found := idx[col]
			if !found {
				return nil, zhengxie.Errorf(zhengxie.EInvalid, "文件中没有“%s”列（%s）；文件的列：%s", col, f.Name, strings.Join(header, "、"))
			}
			cols[f.Key] = i
			continue
		}
		for _, name := range append([]string{f.Name, f.Key}, f.Aliases...) {
			if i, found := idx[name]; found {
				cols[f.Key] = i
				break
			}
		}
	}
	for _, key := range []string{"title", "body"} {
		if cols[key] < 0 {
			f, _ := importField(key)
			return nil, zhengxie.Errorf(zhengxie.EInvalid, "找不到“%s”所在的列：请用对应关系指定，如 -map %s=列名；文件的列：%s", f.Name, f.Name, strings.Join(header, "、"))
		}
	}
	return cols, nil
}

// checkRows parses and checks every row, collecting every problem.
func (s *Service) checkRows(t *sheet.Table, cols map[string]int, opt ImportOptions, loc *time.Location) ([]*importRow, []RowError) {
	var rows []*importRow
	var bad []RowError
	fixedTerm, fixedNo := 0, 0
	if cols["session"] < 0 {
		if strings.TrimSpace(opt.Session) == "" {
			return nil, []RowError{{Line: 1, Field: "届次", Msg: "文件没有届次列，请用 -session 指定，如 -session 十二届二次会议"}}
		}
		var ok bool
		if fixedTerm, fixedNo, ok = ParseSessionName(opt.Session); !ok {
			return nil, []RowError{{Line: 1, Field: "届次", Msg: fmt.Sprintf("无法识别届次“%s”，请写成“十二届二次会议”的形式", opt.Session)}}
		}
	}
	numbers := map[string]int{} // session/number → line, for duplicates within the file
	for i, rec := range t.Rows {
		line := t.Lines[i]
		cell := func(key string) string {
			j := cols[key]
			if j < 0 || j >= len(rec) {
				return ""
			}
			return strings.TrimSpace(rec[j])
		}
		if strings.TrimSpace(strings.Join(rec, "")) == "" {
			continue // an empty line at the end of a spreadsheet
		}
		r := &importRow{line: line}
		fail := func(field, format string, args ...any) {
			bad = append(bad, RowError{Line: line, Field: field, Msg: fmt.Sprintf(format, args...)})
		}
		r.title = strings.Join(strings.Fields(cell("title")), " ")
		switch n := utf8.RuneCountInString(r.title); {
		case n == 0:
			fail("案由", "不能为空")
		case n > 2*zhengxie.MaxTitleRunes:
			fail("案由", "有%d个字，超过%d个字，请检查是否错列", n, 2*zhengxie.MaxTitleRunes)
		}
		r.body = cell("body")
		if !opt.Raw {
			r.body = TidyText(r.body)
		}
		switch n := utf8.RuneCountInString(r.body); {
		case n == 0:
			fail("正文", "不能为空")
		case n > zhengxie.MaxBodyRunes:
			fail("正文", "有%d个字，超过%d个字", n, zhengxie.MaxBodyRunes)
		}
		r.proposer = strings.Join(strings.Fields(cell("proposer")), " ")
		r.kind, r.bodyName = ProposerKind(r.proposer)
		r.category = cell("category")
		r.unit = cell("unit")
		if v := cell("number"); v != "" {
			n, ok := parseNumber(v)
			if !ok {
				fail("编号", "“%s”不是编号（应为数字，如0001或第0001号）", v)
			}
			r.number = n
		}
		if v := cell("date"); v != "" {
			d, ok := parseDate(v, loc)
			if !ok {
				fail("日期", "无法识别日期“%s”（应为2019-01-12或2019年1月12日）", v)
			}
			r.date = d
		}
		if v := cell("year"); v != "" {
			y, err := strconv.Atoi(strings.TrimSuffix(v, "年"))
			if err != nil || y < 1949 || y > 2200 {
				fail("年份", "“%s”不是年份", v)
			}
			r.year = y
		}
		r.term, r.sessionNo, r.sessionName = fixedTerm, fixedNo, strings.TrimSpace(opt.Session)
		if cols["session"] >= 0 {
			v := cell("session")
			term, no, ok := ParseSessionName(v)
			if !ok {
				fail("届次", "无法识别届次“%s”（应为“十二届二次会议”的形式）", v)
			}
			r.term, r.sessionNo, r.sessionName = term, no, v
		}
		if r.year == 0 {
			r.year = opt.Year
		}
		if r.year == 0 && !r.date.IsZero() {
			r.year = r.date.In(loc).Year()
		}
		if r.number > 0 {
			key := fmt.Sprintf("%d/%d/%d", r.term, r.sessionNo, r.number)
			if first, dup := numbers[key]; dup {
				fail("编号", "编号%04d与第%d行重复", r.number, first)
			} else {
				numbers[key] = line
			}
		}
		rows = append(rows, r)
	}
	return rows, bad
}

// segment computes every row's tokens on all cores: the expensive part of
// an import, done before the transaction so the writer is held only for the
// writing.
func segment(rows []*importRow, progress func(string, int, int)) {
	var done, mu = 0, sync.Mutex{}
	work := make(chan *importRow)
	var wg sync.WaitGroup
	for range max(1, runtime.GOMAXPROCS(0)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for r := range work {
				r.doc = docOf(0, r.title, r.body)
				if progress != nil {
					mu.Lock()
					done++
					progress("分词", done, len(rows))
					mu.Unlock()
				}
			}
		}()
	}
	for _, r := range rows {
		work <- r
	}
	close(work)
	wg.Wait()
}

// writeRows writes the checked rows inside tx: sessions found or created,
// numbers checked against those already taken, units resolved, then the
// proposals with their index entries and events. With docs nil it only
// checks, counting the rows per session.
func (s *Service) writeRows(tx *store.Tx, a zhengxie.Actor, c *zhengxie.Committee, rows []*importRow, opt ImportOptions, rep *ImportReport, docs *[]search.Doc) error {
	var bad []RowError
	type sessionKey struct{ term, no int }
	sessions := map[sessionKey]*ImportedSession{}
	var order []sessionKey
	taken := map[int64]map[int]bool{}
	maxNo := map[int64]int{}
	for _, r := range rows {
		k := sessionKey{r.term, r.sessionNo}
		if _, ok := sessions[k]; !ok {
			se, err := tx.SessionByTerm(c.ID, r.term, r.sessionNo)
			if err != nil {
				return err
			}
			created := se == nil
			if created {
				if r.year == 0 {
					bad = append(bad, RowError{Line: r.line, Field: "年份", Msg: fmt.Sprintf("届次“%s”尚未建立，需要知道它的年份：请加年份列、日期列或 -year", r.sessionName)})
					continue
				}
				se = &zhengxie.Session{CommitteeID: c.ID, Term: r.term, Number: r.sessionNo, Name: SessionName(r.term, r.sessionNo), Year: r.year}
				if err := tx.CreateSession(se); err != nil {
					return err
				}
			}
			sessions[k] = &ImportedSession{Session: *se, Created: created}
			order = append(order, k)
			if taken[se.ID], err = tx.SessionNumbers(c.ID, se.ID); err != nil {
				return err
			}
			for n := range taken[se.ID] {
				maxNo[se.ID] = max(maxNo[se.ID], n)
			}
		}
		se := sessions[k].Session
		if r.number > 0 {
			if taken[se.ID][r.number] {
				bad = append(bad, RowError{Line: r.line, Field: "编号", Msg: fmt.Sprintf("%s已有第%04d号提案（是否已经导入过？）", se.Name, r.number)})
			}
			maxNo[se.ID] = max(maxNo[se.ID], r.number)
		}
	}
	units := map[string]*zhengxie.Unit{}
	for _, r := range rows {
		if r.unit == "" || units[r.unit] != nil {
			continue
		}
		u, err := tx.UnitByName(c.ID, r.unit)
		if err != nil {
			return err
		}
		if u == nil {
			if !opt.CreateUnits {
				bad = append(bad, RowError{Line: r.line, Field: "主办单位", Msg: fmt.Sprintf("本委员会没有承办单位“%s”（请先在系统中添加，或导入时加 -create-units）", r.unit)})
				units[r.unit] = &zhengxie.Unit{} // report each unknown unit once
				continue
			}
			u = &zhengxie.Unit{CommitteeID: c.ID, Name: r.unit}
			if err := tx.CreateUnit(u); err != nil {
				return err
			}
			rep.Units = append(rep.Units, r.unit)
		}
		units[r.unit] = u
	}
	if len(bad) > 0 {
		sort.SliceStable(bad, func(i, j int) bool { return bad[i].Line < bad[j].Line })
		return &ImportError{Rows: bad}
	}
	if docs == nil {
		for _, r := range rows {
			sessions[sessionKey{r.term, r.sessionNo}].Count++
		}
		for _, k := range order {
			rep.Sessions = append(rep.Sessions, *sessions[k])
		}
		return nil
	}
	source := opt.Source
	if source == "" {
		source = "导入文件"
	}
	for i, r := range rows {
		ses := sessions[sessionKey{r.term, r.sessionNo}]
		se := ses.Session
		if r.number == 0 {
			maxNo[se.ID]++
			r.number = maxNo[se.ID]
		}
		p := &zhengxie.Proposal{
			CommitteeID: c.ID, SessionID: se.ID, Number: r.number, Title: r.title, Body: r.body, Category: r.category,
			Kind: r.kind, BodyName: r.bodyName, ProposerName: r.proposer, State: zhengxie.StateArchived, Published: true,
			SubmittedAt: r.date, AcceptedAt: r.date, ConcludedAt: r.date, PublishedAt: r.date,
		}
		if p.PublishedAt.IsZero() {
			// Published it was, when is unknown: the import is the earliest we know.
			p.PublishedAt = s.now()
		}
		payload, _ := json.Marshal(map[string]any{"source": source, "line": r.line, "session": se.Name, "number": r.number})
		ev := &zhengxie.Event{ActorID: a.UserID, ActorName: a.Name, Action: string(zhengxie.ActArchive),
			ToState: string(zhengxie.StateArchived), Comment: fmt.Sprintf("历史提案导入：%s 第%d行", source, r.line), Payload: string(payload)}
		if err := tx.InsertHistorical(p, r.doc, ev); err != nil {
			if zhengxie.ErrorCode(err) == zhengxie.EConflict {
				return &ImportError{Rows: []RowError{{Line: r.line, Field: "编号", Msg: fmt.Sprintf("%s第%04d号已被占用", se.Name, r.number)}}}
			}
			return err
		}
		if u := units[r.unit]; u != nil && u.ID != 0 {
			var due zhengxie.Date
			if !r.date.IsZero() {
				due = zhengxie.DateOf(r.date, c.Location())
			}
			if err := tx.HistoricalTask(&zhengxie.Task{CommitteeID: c.ID, ProposalID: p.ID, UnitID: u.ID, Kind: zhengxie.TaskLead,
				State: zhengxie.TaskReplied, AssignedAt: r.date, Due: due, RepliedAt: r.date}); err != nil {
				return err
			}
		}
		ses.Count++
		rep.IDs = append(rep.IDs, p.ID)
		*docs = append(*docs, search.Doc{ID: p.ID, Tokens: append(append([]string(nil), r.doc.Title...), r.doc.Body...)})
		if opt.Progress != nil {
			opt.Progress("写入", i+1, len(rows))
		}
	}
	for _, k := range order {
		se := sessions[k].Session
		if err := tx.RaiseNumberCounter(c.ID, se.ID, maxNo[se.ID]); err != nil {
			return err
		}
		rep.Sessions = append(rep.Sessions, *sessions[k])
	}
	return nil
}
