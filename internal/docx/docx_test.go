package docx

import (
	"bytes"
	"strings"
	"testing"
)

func TestRoundTrip(t *testing.T) {
	var d Document
	d.Title = "报告"
	d.AddTitle("政协测试区委员会关于2026年度提案工作情况的报告")
	d.AddHeading("一、总体情况")
	d.AddParagraph("共收到提案12件，立案10件。\n第二段 <含&特殊字符> \x01控制符")
	var buf bytes.Buffer
	if _, err := d.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	got, err := Text(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		t.Fatal(err)
	}
	want := "政协测试区委员会关于2026年度提案工作情况的报告\n一、总体情况\n共收到提案12件，立案10件。\n第二段 <含&特殊字符> 控制符\n"
	if got != want {
		t.Fatalf("text read back:\n%q\nwant\n%q", got, want)
	}
	if !strings.Contains(buf.String(), "word/styles.xml") {
		t.Error("no styles part")
	}
}
