package app

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"

	"zhengxie"
	"zhengxie/search"
	"zhengxie/store"
)

// Importing historical proposals: a committee's 提案库 holds earlier years
// too, exported from an old system or kept in a spreadsheet. Each row
// becomes an archived, published proposal of its session with its official
// number, indexed for search like any other. Every row is checked before
// anything is written and the rows are written in one transaction, so a
// file with one bad row changes nothing.

// Table is a spreadsheet read into memory: its header, its rows and the
// line (CSV) or row (XLSX) each row starts on, for error messages.
type Table struct {
	Header []string
	Rows   [][]string
	Lines  []int
}

// ReadTable reads a CSV or XLSX file (by its extension). sheet names the
// worksheet of an XLSX file; empty means the first.
func ReadTable(path, sheet string) (*Table, error) {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".xlsx", ".xlsm":
		return readXLSX(path, sheet)
	case ".csv", ".txt", ".tsv":
		f, err := os.Open(path)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		return ReadCSV(f)
	}
	return nil, zhengxie.Errorf(zhengxie.EInvalid, "不支持的文件类型“%s”：请使用 CSV 或 XLSX 文件", filepath.Ext(path))
}

// ReadCSV reads CSV text in UTF-8 (with or without a byte-order mark) or in
// GB18030/GBK, as spreadsheets saved on Chinese Windows are. Cells may hold
// line breaks; the comma or, for tab-separated exports, the tab separates.
func ReadCSV(r io.Reader) (*Table, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	data = bytes.TrimPrefix(data, []byte("\ufeff"))
	if !utf8.Valid(data) {
		dec, err := simplifiedchinese.GB18030.NewDecoder().Bytes(data)
		if err != nil || !utf8.Valid(dec) {
			return nil, zhengxie.Errorf(zhengxie.EInvalid, "文件既不是 UTF-8 也不是 GBK 编码，请另存为 UTF-8 的 CSV 后再导入")
		}
		data = dec
	}
	cr := csv.NewReader(bytes.NewReader(data))
	first, _, _ := bytes.Cut(data, []byte("\n"))
	if bytes.Count(first, []byte("\t")) > bytes.Count(first, []byte(",")) {
		cr.Comma = '\t'
	}
	cr.LazyQuotes = true
	cr.FieldsPerRecord = -1
	t := &Table{}
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return nil, zhengxie.Errorf(zhengxie.EInvalid, "CSV 第%d行格式错误：%v", pe.StartLine, pe.Err)
			}
			return nil, err
		}
		line, _ := cr.FieldPos(0)
		if t.Header == nil {
			t.Header = rec
			continue
		}
		t.Rows = append(t.Rows, rec)
		t.Lines = append(t.Lines, line)
	}
	if t.Header == nil {
		return nil, zhengxie.Errorf(zhengxie.EInvalid, "文件是空的")
	}
	for i := range t.Header {
		t.Header[i] = strings.TrimSpace(t.Header[i])
	}
	return t, nil
}

func readXLSX(path, sheet string) (*Table, error) {
	f, err := excelize.OpenFile(path)
	if err != nil {
		return nil, zhengxie.Errorf(zhengxie.EInvalid, "无法打开 XLSX 文件：%v", err)
	}
	defer f.Close()
	if sheet == "" {
		list := f.GetSheetList()
		if len(list) == 0 {
			return nil, zhengxie.Errorf(zhengxie.EInvalid, "XLSX 文件没有工作表")
		}
		sheet = list[0]
	}
	rows, err := f.GetRows(sheet)
	if err != nil {
		return nil, zhengxie.Errorf(zhengxie.EInvalid, "无法读取工作表“%s”：%v", sheet, err)
	}
	t := &Table{}
	for i, r := range rows {
		if t.Header == nil {
			if strings.TrimSpace(strings.Join(r, "")) == "" {
				continue // blank rows above the header
			}
			for _, h := range r {
				t.Header = append(t.Header, strings.TrimSpace(h))
			}
			continue
		}
		t.Rows = append(t.Rows, r)
		t.Lines = append(t.Lines, i+1)
	}
	if t.Header == nil {
		return nil, zhengxie.Errorf(zhengxie.EInvalid, "工作表“%s”是空的", sheet)
	}
	return t, nil
}

// ImportField is one thing a historical proposal can carry, with the names
// its column may have.
type ImportField struct {
	Key     string // used in mapping files and on the command line, like the Chinese name
	Name    string // 案由, 正文 …
	Aliases []string
}

// ImportFields are the fields a mapping can fill. 案由 and 正文 are required.
var ImportFields = []ImportField{
	{"title", "案由", []string{"标题", "题目", "提案标题", "案题"}},
	{"body", "正文", []string{"内容", "提案内容", "提案正文"}},
	{"proposer", "提案人", []string{"提案者", "提出人", "领衔人", "提案单位"}},
	{"category", "类别", []string{"分类", "提案类别"}},
	{"number", "编号", []string{"提案编号", "案号", "提案号"}},
	{"date", "日期", []string{"提交日期", "提交时间", "提案日期", "时间"}},
	{"session", "届次", []string{"会议", "届次会议"}},
	{"year", "年份", []string{"年度"}},
	{"unit", "主办单位", []string{"承办单位"}},
}

func importField(name string) (ImportField, bool) {
	name = strings.TrimSpace(name)
	for _, f := range ImportFields {
		if strings.EqualFold(name, f.Key) || name == f.Name {
			return f, true
		}
	}
	return ImportField{}, false
}

// ParseMapping reads a mapping given on the command line:
// "案由=reason,正文=content,提案人=personnel_name" (field=column; fields by
// their Chinese name or key; commas, Chinese commas or semicolons between).
func ParseMapping(spec string) (map[string]string, error) {
	out := map[string]string{}
	for _, part := range strings.FieldsFunc(spec, func(r rune) bool { return r == ',' || r == '，' || r == ';' || r == '；' }) {
		k, v, ok := strings.Cut(part, "=")
		if !ok {
			return nil, zhengxie.Errorf(zhengxie.EInvalid, "对应关系“%s”应写成“字段=列名”，如“案由=reason”", part)
		}
		f, ok := importField(k)
		if !ok {
			return nil, zhengxie.Errorf(zhengxie.EInvalid, "未知字段“%s”；可用字段：%s", strings.TrimSpace(k), fieldNames())
		}
		out[f.Key] = strings.TrimSpace(v)
	}
	return out, nil
}

// LoadMapping reads a mapping file: a JSON object from field to column,
// e.g. {"案由": "reason", "正文": "content"}.
func LoadMapping(path string) (map[string]string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var raw map[string]string
	if err := json.Unmarshal(bytes.TrimPrefix(data, []byte("\ufeff")), &raw); err != nil {
		return nil, zhengxie.Errorf(zhengxie.EInvalid, "对应关系文件 %s 不是有效的 JSON 对象（形如 {\"案由\": \"reason\"}）：%v", path, err)
	}
	out := map[string]string{}
	for k, v := range raw {
		f, ok := importField(k)
		if !ok {
			return nil, zhengxie.Errorf(zhengxie.EInvalid, "对应关系文件中的未知字段“%s”；可用字段：%s", k, fieldNames())
		}
		out[f.Key] = strings.TrimSpace(v)
	}
	return out, nil
}

func fieldNames() string {
	var names []string
	for _, f := range ImportFields {
		names = append(names, f.Name+"("+f.Key+")")
	}
	return strings.Join(names, "、")
}

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
func (s *Service) ImportProposals(ctx context.Context, a zhengxie.Actor, t *Table, opt ImportOptions) (*ImportReport, error) {
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
func (s *Service) checkRows(t *Table, cols map[string]int, opt ImportOptions, loc *time.Location) ([]*importRow, []RowError) {
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

var reSession = regexp.MustCompile(`^(?:第)?([0-9０-９一二三四五六七八九十两〇零]+)届(?:全国委员会|委员会)?(?:第)?([0-9０-９一二三四五六七八九十两〇零]+)次(?:全体)?(?:会议)?$`)

// ParseSessionName reads a 届次 such as 十二届二次会议, 第十二届第二次会议 or
// 12届2次.
func ParseSessionName(s string) (term, number int, ok bool) {
	s = strings.Join(strings.Fields(s), "")
	m := reSession.FindStringSubmatch(s)
	if m == nil {
		return 0, 0, false
	}
	term, ok1 := chineseNumber(m[1])
	number, ok2 := chineseNumber(m[2])
	return term, number, ok1 && ok2 && term > 0 && number > 0
}

// SessionName is the usual name of a session: 十二届二次会议.
func SessionName(term, number int) string {
	return chineseNumeral(term) + "届" + chineseNumeral(number) + "次会议"
}

var digitValue = map[rune]int{'〇': 0, '零': 0, '一': 1, '二': 2, '两': 2, '三': 3, '四': 4, '五': 5, '六': 6, '七': 7, '八': 8, '九': 9}

// chineseNumber reads 1…99 written in Arabic or Chinese numerals.
func chineseNumber(s string) (int, bool) {
	s = strings.Map(func(r rune) rune {
		if r >= '０' && r <= '９' {
			return r - '０' + '0'
		}
		return r
	}, s)
	if n, err := strconv.Atoi(s); err == nil {
		return n, true
	}
	rs := []rune(s)
	switch {
	case len(rs) == 1 && rs[0] == '十':
		return 10, true
	case len(rs) == 1:
		v, ok := digitValue[rs[0]]
		return v, ok
	case len(rs) == 2 && rs[0] == '十':
		v, ok := digitValue[rs[1]]
		return 10 + v, ok
	case len(rs) == 2 && rs[1] == '十':
		v, ok := digitValue[rs[0]]
		return 10 * v, ok
	case len(rs) == 3 && rs[1] == '十':
		a, ok1 := digitValue[rs[0]]
		b, ok2 := digitValue[rs[2]]
		return 10*a + b, ok1 && ok2
	}
	return 0, false
}

func chineseNumeral(n int) string {
	digits := []string{"〇", "一", "二", "三", "四", "五", "六", "七", "八", "九"}
	switch {
	case n <= 0 || n >= 100:
		return strconv.Itoa(n)
	case n < 10:
		return digits[n]
	case n == 10:
		return "十"
	case n < 20:
		return "十" + digits[n-10]
	case n%10 == 0:
		return digits[n/10] + "十"
	}
	return digits[n/10] + "十" + digits[n%10]
}

var reNumber = regexp.MustCompile(`^(?:第)?\s*0*([0-9]{1,7})\s*(?:号)?$`)

func parseNumber(s string) (int, bool) {
	m := reNumber.FindStringSubmatch(strings.TrimSpace(s))
	if m == nil {
		// An all-zero number ("0000") is no number.
		return 0, false
	}
	n, err := strconv.Atoi(m[1])
	return n, err == nil && n > 0
}

var dateLayouts = []string{
	"2006-01-02 15:04:05", "2006-01-02 15:04", "2006-01-02", "2006/1/2 15:04:05", "2006/1/2 15:04", "2006/1/2",
	"2006-1-2 15:04:05", "2006-1-2", "2006.1.2", "2006年1月2日 15:04", "2006年1月2日", "1/2/06 15:04", "01-02-06",
	time.RFC3339,
}

// parseDate reads a date (and time) in the committee's time zone; a bare
// number is an Excel serial date, as spreadsheets without a date format hold.
func parseDate(s string, loc *time.Location) (time.Time, bool) {
	s = strings.TrimSpace(s)
	for _, l := range dateLayouts {
		if t, err := time.ParseInLocation(l, s, loc); err == nil {
			return t, true
		}
	}
	if f, err := strconv.ParseFloat(s, 64); err == nil && f > 1 && f < 150000 {
		if t, err := excelize.ExcelDateToTime(f, false); err == nil {
			// Excel's serial dates carry no time zone: they are wall-clock times.
			return time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), 0, loc), true
		}
	}
	return time.Time{}, false
}

// bodyMarks are words in a proposer's name that make it a body (党派团体、
// 专门委员会、界别) rather than a member.
var bodyMarks = []string{"委员会", "省委", "市委", "区委", "县委", "中央", "工商联", "民革", "民盟", "民建", "民进", "农工",
	"致公", "九三", "台盟", "共青团", "妇联", "总工会", "科协", "侨联", "台联", "青联", "界", "小组", "联合会", "协会", "政协"}

var reJoint = regexp.MustCompile(`等\s*[0-9一二三四五六七八九十]+\s*(?:人|位|名)|[、，,]`)

// ProposerKind tells a member's proposal, a joint one (冯少东等2人, names
// separated by 、) and a body's (民盟江苏省委, 省政协学习委员会) apart by the
// proposer's name; for a body the name is also its BodyName.
func ProposerKind(name string) (kind, bodyName string) {
	switch {
	case name == "":
		return zhengxie.KindIndividual, ""
	case reJoint.MatchString(name):
		return zhengxie.KindJoint, ""
	}
	for _, m := range bodyMarks {
		if strings.Contains(name, m) {
			return zhengxie.KindBody, name
		}
	}
	return zhengxie.KindIndividual, ""
}

var (
	reSpaces   = regexp.MustCompile(`[ \t]{2,}`)
	reHeadings = regexp.MustCompile(`([^\n])((?:调研情况|问题分析|具体建议|情况分析|存在问题|对策建议|意见建议)[:：])`)
)

// sentenceEnd lists what ends a paragraph at the end of a line; a line
// ending otherwise (a comma, a character in mid-word) was wrapped.
const sentenceEnd = "。！？；：…!?;:」』”）)】"

// TidyText repairs text extracted from PDFs and old systems: paragraphs
// hard-wrapped into lines are joined, runs of spaces standing for paragraph
// breaks become line breaks, and the usual section headings (调研情况、问题分析、
// 具体建议) start their own paragraph. Words are never changed.
func TidyText(s string) string {
	s = strings.NewReplacer("\r\n", "\n", "\r", "\n", "\u00a0", " ", "\u3000", " ").Replace(s)
	s = reSpaces.ReplaceAllString(s, "\n")
	var paras []string
	var cur strings.Builder
	flush := func() {
		if cur.Len() > 0 {
			paras = append(paras, cur.String())
			cur.Reset()
		}
	}
	for _, line := range strings.Split(s, "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			flush()
			continue
		}
		cur.WriteString(line)
		last, _ := utf8.DecodeLastRuneInString(line)
		// A short line is a heading or the end of a paragraph, not a wrap.
		if strings.ContainsRune(sentenceEnd, last) || utf8.RuneCountInString(line) < 20 {
			flush()
		}
	}
	flush()
	s = strings.Join(paras, "\n")
	return reHeadings.ReplaceAllString(s, "$1\n$2")
}
