package app

import (
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"zhengxie"
)

// Reading the cells of an import: session names (十二届二次会议), Chinese
// numerals, official numbers, dates in the forms spreadsheets hold, the
// kind of proposer a name stands for, and text broken by PDF extraction.

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
