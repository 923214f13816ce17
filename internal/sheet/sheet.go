// Package sheet reads the spreadsheets people bring: CSV in UTF-8 or
// GB18030/GBK (as Chinese Windows saves them), tab-separated exports, and
// XLSX workbooks, into a header and rows with the line each row starts on,
// for error messages that name it. It knows nothing of what the columns
// mean: the importers do.
package sheet

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"

	"zhengxie"
)

// Table is a spreadsheet read into memory: its header, its rows and the
// line (CSV) or row (XLSX) each row starts on, for error messages.
type Table struct {
	Header []string
	Rows   [][]string
	Lines  []int
}

// Read reads a CSV or XLSX file (by its extension). sheet names the
// worksheet of an XLSX file; empty means the first.
func Read(path, sheet string) (*Table, error) {
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

// ReadBytes reads an uploaded CSV or XLSX file, by its name's extension;
// an XLSX file's first worksheet.
func ReadBytes(name string, data []byte) (*Table, error) {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".xlsx", ".xlsm":
		f, err := excelize.OpenReader(bytes.NewReader(data))
		if err != nil {
			return nil, zhengxie.Errorf(zhengxie.EInvalid, "无法打开 XLSX 文件：文件已损坏或不是 Excel 工作簿")
		}
		defer f.Close()
		return xlsxTable(f, "")
	case ".csv", ".txt", ".tsv":
		return ReadCSV(bytes.NewReader(data))
	}
	return nil, zhengxie.Errorf(zhengxie.EInvalid, "不支持的文件类型“%s”：请上传 CSV 或 XLSX 文件", filepath.Ext(name))
}

func readXLSX(path, sheet string) (*Table, error) {
	f, err := excelize.OpenFile(path)
	if err != nil {
		return nil, zhengxie.Errorf(zhengxie.EInvalid, "无法打开 XLSX 文件：%v", err)
	}
	defer f.Close()
	return xlsxTable(f, sheet)
}

func xlsxTable(f *excelize.File, sheet string) (*Table, error) {
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
