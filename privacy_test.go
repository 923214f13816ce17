package zhengxie_test

import (
	"encoding/csv"
	"os"
	"regexp"
	"strings"
	"testing"

	"zhengxie"
	"zhengxie/internal/testenv/shared"
)

// TestRedactRemovesContactDetails: what must never reach a published page.
func TestRedactRemovesContactDetails(t *testing.T) {
	cases := []struct {
		text    string
		secrets []string // none of these may survive
		mark    string   // the placeholder that replaces them
	}{
		{"如有疑问请联系13912345678。", []string{"13912345678"}, "[电话已隐去]"},
		{"联系人：张先生，手机139-1234-5678", []string{"1234", "5678"}, "[电话已隐去]"},
		{"手机 139 1234 5678（工作日）", []string{"1234 5678"}, "[电话已隐去]"},
		{"境外来电请拨+86 139 1234 5678", []string{"1234 5678"}, "[电话已隐去]"},
		{"联系电话+8613912345678", []string{"13912345678"}, "[电话已隐去]"},
		{"联系电话：020-82112345", []string{"82112345"}, "[电话已隐去]"},
		{"办公室电话(020)82112345转分机", []string{"82112345"}, "[电话已隐去]"},
		{"请致电（0731）88886666咨询", []string{"88886666"}, "[电话已隐去]"},
		{"监察室：0731—88886666", []string{"88886666"}, "[电话已隐去]"},
		{"服务热线0755 2345678", []string{"2345678"}, "[电话已隐去]"},
		{"来信请寄zhang.wei@hp-cppcc.gov.cn，谢谢。", []string{"zhang.wei", "hp-cppcc.gov.cn"}, "[邮箱已隐去]"},
		{"邮箱13912345678@163.com", []string{"13912345678", "163.com"}, "[邮箱已隐去]"},
		{"身份证号码：44010619900307123X。", []string{"44010619900307123X", "199003"}, "[身份证号已隐去]"},
		{"身份证号码440106199003071234，", []string{"440106199003071234"}, "[身份证号已隐去]"},
		{"微信：zhangwei_2019", []string{"zhangwei_2019"}, "[已隐去]"},
		{"微信号：zhangwei_2019", []string{"zhangwei_2019"}, "[已隐去]"},
		{"QQ:123456789", []string{"123456789"}, "[已隐去]"},
	}
	for _, c := range cases {
		got := zhengxie.Redact(c.text)
		for _, s := range c.secrets {
			if strings.Contains(got, s) {
				t.Errorf("Redact(%q) = %q still contains %q", c.text, got, s)
			}
		}
		if !strings.Contains(got, c.mark) {
			t.Errorf("Redact(%q) = %q, want the mark %s", c.text, got, c.mark)
		}
	}
	// Several kinds in one text, with the words around them kept.
	in := "联系人：李明，电话13912345678，座机020-82112345，邮箱liming@example.com，身份证44010619900307123X。"
	want := "联系人：李明，电话[电话已隐去]，座机[电话已隐去]，邮箱[邮箱已隐去]，身份证[身份证号已隐去]。"
	if got := zhengxie.Redact(in); got != want {
		t.Errorf("Redact(%q)\n got %q\nwant %q", in, got, want)
	}
}

// TestRedactKeepsOrdinaryNumbers: years, amounts, dates, counts and numbers
// of documents are what proposals are made of and must stay as written.
func TestRedactKeepsOrdinaryNumbers(t *testing.T) {
	for _, s := range []string{
		"2019年全区投入1000万元，2020年增至1500万元。",
		"总投资3.5亿元，其中中央补助12345678元。",
		"全区GDP达到1.2万亿元，同比增长6.8%。",
		"2019年1月12日召开协商会，2019-01-12形成纪要，2019.01.12印发。",
		"第0001号提案、穗府办〔2019〕12号文件。",
		"日均客流约25000人次，高峰时段10:30至12:00。",
		"邮政编码510700。",
		"建设用地面积1234567平方米。",
		"编号20190112001的合同。",
		"近三年（2017—2019）共建成公厕128座。",
		"2020-2035年规划，0.5%的增幅。",
	} {
		if got := zhengxie.Redact(s); got != s {
			t.Errorf("Redact changed an ordinary text:\n in %q\nout %q", s, got)
		}
	}
}

// TestRedactRealProposals runs Redact over the full texts of a real
// session's proposals: they are full of years, amounts and statistics, and
// none of them holds a phone number, so nothing may change.
func TestRedactRealProposals(t *testing.T) {
	recs := readCSV(t, sharedData(t, "proposals_jiangsu_2019.csv"))
	col := columns(recs[0])
	n := 0
	for _, r := range recs[1:] {
		body := r[col["content"]]
		if got := zhengxie.Redact(body); got != body {
			t.Errorf("proposal %s (%s): Redact changed an ordinary text near %q", r[col["proposal_number"]], r[col["reason"]], firstDiff(body, got))
		}
		n++
	}
	if n < 400 {
		t.Fatalf("only %d proposals read", n)
	}
}

// TestRedactRealReplies runs Redact over real government replies to
// citizens, which give their offices' phone numbers in every form in use
// (the numbers are anonymised to zeros in the data, but keep their shape).
// After redaction no phone number may follow the words that announce one.
func TestRedactRealReplies(t *testing.T) {
	recs := readCSV(t, sharedData(t, "citizen_messages_with_replies.csv"))
	col := columns(recs[0])
	// An independent, keyword-based detector: a word announcing a number,
	// then digits in any of the usual groupings.
	announced := regexp.MustCompile(`(电话|手机|热线|致电|拨打|咨询)[：:\s]*[（(]?\d{3,4}[）)]?(?:[-—－ ]?\d{3,8}){1,3}`)
	found, left := 0, 0
	for _, r := range recs[1:] {
		reply := r[col["答复意见"]]
		found += len(announced.FindAllString(reply, -1))
		for _, m := range announced.FindAllString(zhengxie.Redact(reply), -1) {
			left++
			t.Errorf("message %s: phone number left in the published reply: %q", r[col["留言编号"]], m)
		}
	}
	if found < 10 {
		t.Fatalf("the detector found only %d numbers in the raw replies; is the data file the expected one?", found)
	}
	t.Logf("%d announced phone numbers in the raw replies, %d left after Redact", found, left)
}

func TestMaskPhone(t *testing.T) {
	for in, want := range map[string]string{"13912345678": "139****5678", "020-82112345": "020****2345", "1234567": "****", "": "****"} {
		if got := zhengxie.MaskPhone(in); got != want {
			t.Errorf("MaskPhone(%q) = %q, want %q", in, got, want)
		}
	}
}

func readCSV(t *testing.T, path string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.LazyQuotes = true
	r.FieldsPerRecord = -1
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	if len(recs) < 2 {
		t.Fatalf("%s has no rows", path)
	}
	return recs
}

func columns(header []string) map[string]int {
	m := map[string]int{}
	for i, h := range header {
		m[strings.TrimPrefix(strings.TrimSpace(h), "\ufeff")] = i
	}
	return m
}

// firstDiff shows where two texts part, for a readable failure.
func firstDiff(a, b string) string {
	ra, rb := []rune(a), []rune(b)
	i := 0
	for i < len(ra) && i < len(rb) && ra[i] == rb[i] {
		i++
	}
	lo, hi := max(i-10, 0), min(i+20, len(ra))
	return string(ra[lo:hi])
}

// sharedData returns the path of a file of ../shared/data; package shared
// skips where it is absent and fails where CI requires it.
func sharedData(t *testing.T, name string) string {
	t.Helper()
	return shared.Path(t, name)
}

// TestRedactStreetAddresses: a citizen's home must not reach a published
// answer, while the names of roads and estates without numbers stay.
func TestRedactStreetAddresses(t *testing.T) {
	cases := []struct {
		in      string
		secrets []string
	}{
		{"我家住在解放路12号，门口路灯坏了", []string{"12号", "解放路12"}},
		{"地址：人民街3-5号二楼", []string{"3-5号"}},
		{"中山大道西88号之一旁边的井盖缺失", []string{"88号"}},
		{"住幸福小区3栋2单元501室，楼道漏水", []string{"3栋", "501"}},
		{"锦绣花园12幢1102的住户反映噪音", []string{"12幢", "1102"}},
		{"文明路18号党群服务中心", []string{"18号"}},
		{"家住滨江路东段6号4栋", []string{"6号", "4栋"}},
	}
	for _, c := range cases {
		got := zhengxie.Redact(c.in)
		for _, s := range c.secrets {
			if strings.Contains(got, s) {
				t.Errorf("Redact(%q) = %q still contains %q", c.in, got, s)
			}
		}
		if !strings.Contains(got, "[地址已隐去]") {
			t.Errorf("Redact(%q) = %q, want [地址已隐去]", c.in, got)
		}
	}
	keep := []string{
		"解放路的路灯坏了很久",
		"建议在幸福小区门口增设公交站",
		"提案第12号已办结",
		"全区共有3栋危房需要改造",
		"2026年3月5日反映",
		"共接待群众1400余人次，解决问题300余个",
	}
	for _, s := range keep {
		if got := zhengxie.Redact(s); got != s {
			t.Errorf("Redact(%q) = %q, want it unchanged", s, got)
		}
	}
}
