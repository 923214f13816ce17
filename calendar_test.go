package zhengxie

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"
)

func d(s string) Date {
	v, err := ParseDate(s)
	if err != nil {
		panic(err)
	}
	return v
}

func TestDateAddMonths(t *testing.T) {
	tests := []struct {
		from string
		n    int
		want string
	}{
		{"2026-01-31", 1, "2026-02-28"},
		{"2028-01-31", 1, "2028-02-29"}, // leap year
		{"2027-11-30", 3, "2028-02-29"},
		{"2028-11-30", 3, "2029-02-28"},
		{"2028-02-29", 12, "2029-02-28"},
		{"2028-02-29", 1, "2028-03-29"},
		{"2026-03-31", 1, "2026-04-30"},
		{"2026-08-31", 6, "2027-02-28"},
		{"2025-12-31", 3, "2026-03-31"},
		{"2026-11-15", 2, "2027-01-15"},
		{"2026-03-31", -1, "2026-02-28"},
		{"2026-01-15", -1, "2025-12-15"},
		{"2026-01-15", -13, "2024-12-15"},
		{"2026-05-05", 0, "2026-05-05"},
	}
	for _, tt := range tests {
		if got := d(tt.from).AddMonths(tt.n); got.String() != tt.want {
			t.Errorf("%s + %d months = %s, want %s", tt.from, tt.n, got, tt.want)
		}
	}
}

func TestDateArithmetic(t *testing.T) {
	if got := d("2028-02-28").AddDays(1); got != d("2028-02-29") {
		t.Errorf("2028-02-28 + 1 day = %s", got)
	}
	if got := d("2027-02-28").AddDays(1); got != d("2027-03-01") {
		t.Errorf("2027-02-28 + 1 day = %s", got)
	}
	if got := d("2026-01-01").AddDays(-1); got != d("2025-12-31") {
		t.Errorf("2026-01-01 - 1 day = %s", got)
	}
	if n := d("2029-03-01").Sub(d("2028-03-01")); n != 365 {
		t.Errorf("2028-03-01 → 2029-03-01 = %d days, want 365", n)
	}
	if n := d("2028-03-01").Sub(d("2027-03-01")); n != 366 {
		t.Errorf("2027-03-01 → 2028-03-01 = %d days, want 366 (leap year)", n)
	}
	if n := d("2026-03-01").Sub(d("2026-03-10")); n != -9 {
		t.Errorf("Sub backwards = %d, want -9", n)
	}
	a, b := d("2026-03-05"), d("2026-03-06")
	if !a.Before(b) || a.After(b) || !b.After(a) || a.Before(a) || a.After(a) {
		t.Error("Before/After wrong")
	}
	if a.Compare(b) != -1 || b.Compare(a) != 1 || a.Compare(a) != 0 {
		t.Error("Compare wrong")
	}
	if MakeDate(2026, 2, 30) != d("2026-03-02") {
		t.Error("MakeDate does not normalize")
	}
	if a.String() != "2026-03-05" || a.Chinese() != "2026年3月5日" || (Date{}).String() != "" {
		t.Errorf("String/Chinese: %q %q", a.String(), a.Chinese())
	}
	if d("2026-02-17").Weekday() != time.Tuesday {
		t.Error("2026-02-17 (正月初一) is a Tuesday")
	}
}

func TestDateOfTimeZone(t *testing.T) {
	shanghai := time.FixedZone("CST", 8*3600)
	utcEvening := time.Date(2026, 3, 4, 16, 30, 0, 0, time.UTC) // 00:30 on the 5th in Beijing
	if got := DateOf(utcEvening, shanghai); got != d("2026-03-05") {
		t.Errorf("DateOf in Shanghai = %s, want 2026-03-05", got)
	}
	if got := DateOf(utcEvening, time.UTC); got != d("2026-03-04") {
		t.Errorf("DateOf in UTC = %s, want 2026-03-04", got)
	}
	if got := d("2026-03-05").In(shanghai); !got.Equal(time.Date(2026, 3, 4, 16, 0, 0, 0, time.UTC)) {
		t.Errorf("In(Shanghai) = %s", got)
	}
}

func TestParseDateErrors(t *testing.T) {
	for _, s := range []string{"", "2026-02-30", "2026/03/05", "3月5日", "2026-3-5"} {
		_, err := ParseDate(s)
		if ErrorCode(err) != EInvalid || !strings.Contains(err.Error(), "不是有效日期") {
			t.Errorf("ParseDate(%q) = %v, want a Chinese invalid-date error", s, err)
		}
	}
}

func TestDateEncoding(t *testing.T) {
	type row struct {
		Due  Date `json:"due"`
		None Date `json:"none"`
	}
	b, err := json.Marshal(row{Due: d("2026-10-08")})
	if err != nil || string(b) != `{"due":"2026-10-08","none":""}` {
		t.Fatalf("json = %s, %v", b, err)
	}
	var back row
	if err := json.Unmarshal(b, &back); err != nil || back.Due != d("2026-10-08") || !back.None.IsZero() {
		t.Fatalf("json back = %+v, %v", back, err)
	}
	if err := json.Unmarshal([]byte(`{"due":"2026-13-01"}`), &back); err == nil {
		t.Error("month 13 accepted")
	}

	var x Date
	for _, src := range []any{"2026-10-08", []byte("2026-10-08"), "2026-10-08 00:00:00+00:00", time.Date(2026, 10, 8, 0, 0, 0, 0, time.UTC)} {
		if err := x.Scan(src); err != nil || x != d("2026-10-08") {
			t.Errorf("Scan(%#v) = %s, %v", src, x, err)
		}
	}
	if err := x.Scan(nil); err != nil || !x.IsZero() {
		t.Errorf("Scan(nil) = %s, %v", x, err)
	}
	if err := x.Scan(42); err == nil {
		t.Error("Scan(int) accepted")
	}
	if v, _ := d("2026-10-08").Value(); v != "2026-10-08" {
		t.Errorf("Value = %v", v)
	}
	if v, _ := (Date{}).Value(); v != nil {
		t.Errorf("zero Value = %v, want NULL", v)
	}
}

// The shipped arrangements: every official day off and every adjusted
// working weekend of 2025 and 2026.
func TestDefaultCalendarOfficialDays(t *testing.T) {
	cal := DefaultCalendar()
	tests := []struct {
		date    string
		workday bool
	}{
		{"2025-01-01", false}, // 元旦, a Wednesday, no adjustment
		{"2025-01-02", true},
		{"2025-01-26", true}, // Sunday, 春节调休
		{"2025-01-27", true},
		{"2025-01-28", false}, // 除夕
		{"2025-02-04", false}, // 正月初七
		{"2025-02-05", true},
		{"2025-02-08", true}, // Saturday, 春节调休
		{"2025-02-09", false},
		{"2025-04-04", false},
		{"2025-04-07", true},
		{"2025-04-27", true}, // Sunday, 劳动节调休
		{"2025-05-05", false},
		{"2025-05-06", true},
		{"2025-05-30", true},
		{"2025-06-02", false}, // 端午, Monday
		{"2025-09-28", true},  // Sunday, 国庆调休
		{"2025-10-06", false}, // 中秋 inside 国庆
		{"2025-10-08", false},
		{"2025-10-09", true},
		{"2025-10-11", true}, // Saturday, 国庆调休
		{"2025-10-12", false},

		{"2026-01-01", false},
		{"2026-01-02", false},
		{"2026-01-04", true}, // Sunday, 元旦调休
		{"2026-02-13", true},
		{"2026-02-14", true},  // Saturday, 春节调休
		{"2026-02-15", false}, // 腊月二十八, Sunday
		{"2026-02-17", false}, // 正月初一
		{"2026-02-23", false}, // 正月初七, Monday
		{"2026-02-24", true},
		{"2026-02-28", true}, // Saturday, 春节调休
		{"2026-03-01", false},
		{"2026-04-06", false}, // 清明, Monday
		{"2026-05-05", false},
		{"2026-05-09", true}, // Saturday, 劳动节调休
		{"2026-06-19", false},
		{"2026-09-20", true}, // Sunday, 国庆调休
		{"2026-09-25", false},
		{"2026-10-07", false},
		{"2026-10-08", true},
		{"2026-10-10", true}, // Saturday, 国庆调休
		{"2026-10-11", false},
		{"2026-12-31", true},

		{"2027-01-01", true}, // not shipped: plain Monday-to-Friday
		{"2027-01-02", false},
	}
	for _, tt := range tests {
		if got := cal.IsWorkday(d(tt.date)); got != tt.workday {
			t.Errorf("IsWorkday(%s) = %v, want %v", tt.date, got, tt.workday)
		}
	}

	// Each year has 13 statutory days off since 2025, and every
	// adjustment is balanced, so both years have weekdays - 13 = 248
	// working days. A missing or extra line shows up here.
	for _, year := range []int{2025, 2026} {
		n := 0
		for x := MakeDate(year, 1, 1); x.Year == year; x = x.AddDays(1) {
			if cal.IsWorkday(x) {
				n++
			}
		}
		if n != 248 {
			t.Errorf("%d has %d working days, want 248", year, n)
		}
	}
	var holidays, workdays int
	for _, day := range cal.Days() {
		switch day.Kind {
		case DayHoliday:
			holidays++
		case DayWorkday:
			workdays++
		}
		if day.Name == "" {
			t.Errorf("%s has no name", day.Date)
		}
	}
	if holidays != 28+33 || workdays != 5+6 {
		t.Errorf("holidays %d, adjusted workdays %d; want 61, 11", holidays, workdays)
	}
	if !cal.Covers(2026) || cal.Covers(2027) {
		t.Error("Covers wrong")
	}
	if day, ok := cal.Lookup(d("2026-01-04")); !ok || day.Kind != DayWorkday || day.Name != "元旦调休" {
		t.Errorf("Lookup(2026-01-04) = %+v, %v", day, ok)
	}
	// Each call gives an independent copy an admin edit cannot leak from.
	cal.Set(CalendarDay{Date: d("2026-03-02"), Kind: DayHoliday, Name: "测试"})
	if !DefaultCalendar().IsWorkday(d("2026-03-02")) {
		t.Error("DefaultCalendar shares state between calls")
	}
}

func TestNilCalendarIsMondayToFriday(t *testing.T) {
	var cal *Calendar
	if cal.IsWorkday(d("2026-01-01")) != true || cal.IsWorkday(d("2026-01-04")) != false {
		t.Error("nil calendar should be the plain week")
	}
	if got := cal.AddWorkdays(d("2026-01-02"), 1); got != d("2026-01-05") {
		t.Errorf("AddWorkdays on nil = %s", got)
	}
}

func TestAddWorkdays(t *testing.T) {
	cal := DefaultCalendar()
	tests := []struct {
		from string
		n    int
		want string
	}{
		{"2026-02-13", 1, "2026-02-14"}, // the 调休 Saturday counts
		{"2026-02-14", 1, "2026-02-24"}, // over 春节
		{"2026-02-24", -1, "2026-02-14"},
		{"2026-09-30", 1, "2026-10-08"},
		{"2026-10-09", 1, "2026-10-10"},
		{"2026-09-30", 10, "2026-10-20"},
		{"2026-01-05", -1, "2026-01-04"},
		{"2025-12-31", 1, "2026-01-04"},
		{"2026-05-06", 0, "2026-05-06"},
		{"2026-05-03", 0, "2026-05-03"}, // zero steps stays, even on a holiday
	}
	for _, tt := range tests {
		if got := cal.AddWorkdays(d(tt.from), tt.n); got.String() != tt.want {
			t.Errorf("AddWorkdays(%s, %d) = %s, want %s", tt.from, tt.n, got, tt.want)
		}
	}
	if got := cal.NextWorkday(d("2026-10-01")); got != d("2026-10-08") {
		t.Errorf("NextWorkday(国庆) = %s", got)
	}
	if got := cal.NextWorkday(d("2026-10-10")); got != d("2026-10-10") {
		t.Errorf("NextWorkday(调休 Saturday) = %s", got)
	}
}

func TestParseCalendar(t *testing.T) {
	text := "\ufeff# 测试\r\n" +
		"2027-02-06 holiday 春节\r\n" +
		"\r\n" +
		"2027-02-07 放假 春节\n" +
		"2027-01-31\t上班　春节 调休\n" + // tab and full-width space
		"  ＃ 全角注释\n"
	cal, err := ParseCalendar(strings.NewReader(text))
	if err != nil {
		t.Fatal(err)
	}
	days := cal.Days()
	if len(days) != 3 {
		t.Fatalf("days = %+v", days)
	}
	if days[0] != (CalendarDay{d("2027-01-31"), DayWorkday, "春节 调休"}) {
		t.Errorf("first = %+v", days[0])
	}
	if cal.IsWorkday(d("2027-02-06")) || !cal.IsWorkday(d("2027-01-31")) {
		t.Error("parsed calendar not applied")
	}
}

func TestParseCalendarErrors(t *testing.T) {
	text := strings.Join([]string{
		"# 2026",
		"2026-01-01 holiday 元旦",
		"2026-13-01 holiday 错月",
		"2026-01-01 holiday 重复",
		"2026-01-05 workday 星期一",
		"2026-01-10 vacation",
		"2026-01-11",
		"2026-01-04 workday 元旦调休",
	}, "\n")
	_, err := ParseCalendar(strings.NewReader(text))
	var e *Error
	if !errors.As(err, &e) || e.Code != EInvalid || e.Field != "calendar" {
		t.Fatalf("err = %#v", err)
	}
	for _, want := range []string{
		"第3行：“2026-13-01”不是有效日期",
		"第4行：2026-01-01 重复，第2行已有这一天",
		"第5行：2026-01-05 是星期一，本来就是工作日",
		"第6行：类型“vacation”无效",
		"第7行：“2026-01-11”缺少类型",
	} {
		if !strings.Contains(e.Message, want) {
			t.Errorf("message lacks %q:\n%s", want, e.Message)
		}
	}
	if strings.Contains(e.Message, "第8行") || strings.Contains(e.Message, "第2行：") {
		t.Errorf("valid lines reported:\n%s", e.Message)
	}
}

func TestCalendarFormatRoundTrip(t *testing.T) {
	cal := DefaultCalendar()
	var b strings.Builder
	if err := cal.Format(&b); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{"\n# 2025年\n2025-01-01 放假 元旦\n", "2026-01-04 上班 元旦调休\n"} {
		if !strings.Contains(out, want) {
			t.Errorf("Format lacks %q", want)
		}
	}
	back, err := ParseCalendar(strings.NewReader(out))
	if err != nil {
		t.Fatal(err)
	}
	a, z := cal.Days(), back.Days()
	if len(a) != len(z) {
		t.Fatalf("round trip: %d days became %d", len(a), len(z))
	}
	for i := range a {
		if a[i] != z[i] {
			t.Errorf("round trip: %+v became %+v", a[i], z[i])
		}
	}
}

func rules(counting string) DeadlineRules {
	r := DefaultDeadlineRules()
	r.Counting = counting
	return r
}

func TestDeadlines(t *testing.T) {
	cal := DefaultCalendar()
	type fn func(DeadlineRules, *Calendar, Date) Date
	tests := []struct {
		name     string
		f        fn
		counting string
		from     string
		want     string
	}{
		// Reply deadline, 3 months.
		{"task", TaskDue, CountCalendar, "2026-03-05", "2026-06-05"},
		{"task", TaskDue, CountCalendar, "2025-11-15", "2026-02-15"}, // falls in 春节: calendar mode does not move it
		{"task", TaskDue, CountWorking, "2025-11-15", "2026-02-24"},  // first working day after 春节
		{"task", TaskDue, CountWorking, "2025-11-14", "2026-02-14"},  // 调休 Saturday is a working day
		{"task", TaskDue, CountWorking, "2025-11-28", "2026-02-28"},  // 调休 Saturday
		{"task", TaskDue, CountCalendar, "2025-11-30", "2026-02-28"}, // month end
		{"task", TaskDue, CountWorking, "2025-11-30", "2026-02-28"},
		{"task", TaskDue, CountCalendar, "2027-11-30", "2028-02-29"}, // leap year
		{"task", TaskDue, CountWorking, "2027-11-29", "2028-02-29"},  // a Tuesday
		{"task", TaskDue, CountWorking, "2027-11-27", "2028-02-28"},  // Sunday 27th → Monday
		{"task", TaskDue, CountCalendar, "2028-11-30", "2029-02-28"},
		{"task", TaskDue, CountCalendar, "2026-07-01", "2026-10-01"},
		{"task", TaskDue, CountWorking, "2026-07-01", "2026-10-08"}, // 国庆
		{"task", TaskDue, CountWorking, "2026-07-03", "2026-10-08"},
		{"task", TaskDue, CountWorking, "2026-07-10", "2026-10-10"}, // 调休 Saturday
		{"task", TaskDue, CountWorking, "2026-07-11", "2026-10-12"}, // plain Sunday
		{"task", TaskDue, CountWorking, "2025-10-01", "2026-01-04"}, // 元旦 → 调休 Sunday
		{"task", TaskDue, CountWorking, "2025-10-04", "2026-01-04"},
		{"task", TaskDue, CountWorking, "2025-12-31", "2026-03-31"},

		// Co-handling opinion, 1 month.
		{"cohandle", CoHandleDue, CountCalendar, "2026-01-31", "2026-02-28"},
		{"cohandle", CoHandleDue, CountWorking, "2026-01-31", "2026-02-28"},
		{"cohandle", CoHandleDue, CountCalendar, "2026-01-15", "2026-02-15"},
		{"cohandle", CoHandleDue, CountWorking, "2026-01-15", "2026-02-24"},
		{"cohandle", CoHandleDue, CountCalendar, "2028-01-31", "2028-02-29"},
		{"cohandle", CoHandleDue, CountWorking, "2026-03-31", "2026-04-30"},

		// Return, 10 days after the assignment day.
		{"return", ReturnBy, CountCalendar, "2026-09-18", "2026-09-28"},
		{"return", ReturnBy, CountWorking, "2026-09-18", "2026-10-09"}, // 调休 Sunday, 中秋, 国庆
		{"return", ReturnBy, CountCalendar, "2026-02-10", "2026-02-20"},
		{"return", ReturnBy, CountWorking, "2026-02-10", "2026-03-02"}, // both 春节 Saturdays count
		{"return", ReturnBy, CountWorking, "2025-12-26", "2026-01-12"}, // 元旦
		{"return", ReturnBy, CountCalendar, "2028-02-25", "2028-03-06"},
		{"return", ReturnBy, CountWorking, "2028-02-25", "2028-03-10"},

		// Re-handling, 1 month.
		{"rehandle", RehandleDue, CountCalendar, "2026-05-31", "2026-06-30"},
		{"rehandle", RehandleDue, CountWorking, "2026-05-31", "2026-06-30"},
		{"rehandle", RehandleDue, CountCalendar, "2026-05-20", "2026-06-20"},
		{"rehandle", RehandleDue, CountWorking, "2026-05-20", "2026-06-22"}, // 端午
	}
	for _, tt := range tests {
		if got := tt.f(rules(tt.counting), cal, d(tt.from)); got.String() != tt.want {
			t.Errorf("%s(%s, %s) = %s, want %s", tt.name, tt.counting, tt.from, got, tt.want)
		}
	}
}

func TestDeadlineRulesValidate(t *testing.T) {
	if err := DefaultDeadlineRules().Validate(); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		edit  func(*DeadlineRules)
		field string
	}{
		{func(r *DeadlineRules) { r.Counting = "" }, "counting"},
		{func(r *DeadlineRules) { r.TaskMonths = 0 }, "task_months"},
		{func(r *DeadlineRules) { r.CoHandleMonths = 4 }, "cohandle_months"},
		{func(r *DeadlineRules) { r.ReturnDays = 0 }, "return_days"},
		{func(r *DeadlineRules) { r.RehandleMonths = 0 }, "rehandle_months"},
		{func(r *DeadlineRules) { r.MaxMonths = 2 }, "max_months"},
		{func(r *DeadlineRules) { r.RemindDaysBefore = []int{3, -1} }, "remind_days_before"},
		{func(r *DeadlineRules) { r.EscalateAfterDays = -1 }, "escalate_after_days"},
	}
	for _, tt := range tests {
		r := DefaultDeadlineRules()
		tt.edit(&r)
		var e *Error
		if err := r.Validate(); !errors.As(err, &e) || e.Field != tt.field {
			t.Errorf("want error on %s, got %v", tt.field, err)
		}
	}
}

func TestExtensionAllowed(t *testing.T) {
	r := DefaultDeadlineRules()
	tests := []struct {
		assigned, requested string
		ok                  bool
		msg                 string
	}{
		{"2026-03-05", "2026-07-05", true, ""},
		{"2026-03-05", "2026-09-05", true, ""}, // exactly six months
		{"2026-03-05", "2026-09-06", false, "超过了自交办之日起6个月的上限（2026-09-05）"},
		{"2025-08-31", "2026-02-28", true, ""},
		{"2025-08-31", "2026-03-01", false, "上限（2026-02-28）"},
		{"2027-08-31", "2028-02-29", true, ""}, // leap year limit
		{"2027-08-31", "2028-03-01", false, "上限（2028-02-29）"},
		{"2026-03-05", "2026-03-05", false, "应晚于交办日期"},
		{"2026-03-05", "", false, "请填写延期后的办理期限"},
	}
	for _, tt := range tests {
		var req Date
		if tt.requested != "" {
			req = d(tt.requested)
		}
		err := ExtensionAllowed(r, d(tt.assigned), req)
		if tt.ok {
			if err != nil {
				t.Errorf("extension %s → %s refused: %v", tt.assigned, tt.requested, err)
			}
			continue
		}
		var e *Error
		if !errors.As(err, &e) || e.Code != EInvalid || e.Field != "due" || !strings.Contains(e.Message, tt.msg) {
			t.Errorf("extension %s → %s: err = %v, want message with %q", tt.assigned, tt.requested, err, tt.msg)
		}
	}
	if got := ExtensionLimit(r, d("2026-08-31")); got != d("2027-02-28") {
		t.Errorf("ExtensionLimit = %s", got)
	}
}

func TestReminders(t *testing.T) {
	cal := DefaultCalendar()
	tests := []struct {
		counting string
		before   []int
		due      string
		want     string
	}{
		{CountCalendar, []int{15, 3}, "2026-10-08", "2026-09-23 2026-10-05"},
		{CountWorking, []int{15, 3}, "2026-10-08", "2026-09-10 2026-09-28"},
		{CountWorking, []int{3, 15}, "2026-02-24", "2026-01-27 2026-02-12"},
		{CountCalendar, []int{3, 3, 0, -2}, "2026-03-01", "2026-02-26 2026-03-01"},
		{CountCalendar, nil, "2026-03-01", ""},
	}
	for _, tt := range tests {
		r := rules(tt.counting)
		r.RemindDaysBefore = tt.before
		var got []string
		for _, x := range ReminderDates(r, cal, d(tt.due)) {
			got = append(got, x.String())
		}
		if strings.Join(got, " ") != tt.want {
			t.Errorf("ReminderDates(%s, %v, %s) = %v, want %s", tt.counting, tt.before, tt.due, got, tt.want)
		}
	}
}

func TestOverdueAndEscalation(t *testing.T) {
	due := d("2026-10-08")
	for _, tt := range []struct {
		today   string
		overdue bool
	}{{"2026-10-07", false}, {"2026-10-08", false}, {"2026-10-09", true}, {"2027-01-01", true}} {
		if got := OverdueOn(due, d(tt.today)); got != tt.overdue {
			t.Errorf("OverdueOn(%s, %s) = %v", due, tt.today, got)
		}
	}
	r := DefaultDeadlineRules()
	if got := EscalationDate(r, due); got != d("2026-10-15") {
		t.Errorf("EscalationDate = %s, want 2026-10-15", got)
	}
	r.EscalateAfterDays = 0
	if got := EscalationDate(r, due); got != d("2026-10-09") || !OverdueOn(due, got) {
		t.Errorf("EscalationDate with 0 days = %s, want the first overdue day", got)
	}
	if left := due.Sub(d("2026-09-23")); left != 15 {
		t.Errorf("days left = %d", left)
	}
}
