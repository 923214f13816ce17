package sheet

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"

	"zhengxie"
)

// TestReadCSVEncodingsAndSeparators: UTF-8 with a byte-order mark, GBK as
// Chinese Windows saves it, and tab-separated text give the same table,
// with the line each row starts on (a cell may hold a line break).
func TestReadCSVEncodingsAndSeparators(t *testing.T) {
	text := "案由,提案人\n\"关于完善\n社区服务的建议\",陈委员\n关于加强垃圾分类的建议,林委员\n"
	gbk, err := simplifiedchinese.GBK.NewEncoder().String(text)
	if err != nil {
		t.Fatal(err)
	}
	for name, in := range map[string]string{"bom": "\ufeff" + text, "gbk": gbk, "tab": strings.ReplaceAll(text, ",", "\t")} {
		tb, err := ReadCSV(strings.NewReader(in))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if strings.Join(tb.Header, "|") != "案由|提案人" || len(tb.Rows) != 2 || tb.Rows[0][0] != "关于完善\n社区服务的建议" || tb.Rows[1][1] != "林委员" {
			t.Fatalf("%s: %+v", name, tb)
		}
		if tb.Lines[0] != 2 || tb.Lines[1] != 4 {
			t.Errorf("%s: lines %v, want [2 4]", name, tb.Lines)
		}
	}
	if _, err := ReadCSV(bytes.NewReader(nil)); zhengxie.ErrorCode(err) != zhengxie.EInvalid {
		t.Errorf("empty file: %v", err)
	}
	if _, err := Read("提案.doc", ""); zhengxie.ErrorCode(err) != zhengxie.EInvalid || !strings.Contains(zhengxie.ErrorMessage(err), "CSV 或 XLSX") {
		t.Errorf("a .doc file: %v", err)
	}
}

// TestReadXLSXSkipsBlankRowsAboveTheHeader: titles and blank rows above the
// header are common in spreadsheets people keep.
func TestReadXLSXSkipsBlankRowsAboveTheHeader(t *testing.T) {
	f := excelize.NewFile()
	sh := f.GetSheetName(0)
	f.SetCellValue(sh, "A3", "案由")
	f.SetCellValue(sh, "B3", "提案人")
	f.SetCellValue(sh, "A4", "关于完善社区服务的建议")
	f.SetCellValue(sh, "B4", "陈委员")
	path := filepath.Join(t.TempDir(), "提案.xlsx")
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	tb, err := Read(path, "")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(tb.Header, "|") != "案由|提案人" || len(tb.Rows) != 1 || tb.Lines[0] != 4 {
		t.Fatalf("%+v", tb)
	}
	if _, err := Read(path, "没有这个表"); zhengxie.ErrorCode(err) != zhengxie.EInvalid {
		t.Errorf("a missing sheet: %v", err)
	}
}
