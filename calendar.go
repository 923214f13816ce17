package zhengxie

import (
	"bufio"
	"database/sql/driver"
	"embed"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"
)

// Deadlines in Zhengxie are civil dates in the committee's time zone: a task
// assigned on 3 March is due on 3 June whatever the server's zone is. Date
// carries no time and no zone so that no conversion can shift it by a day.

// Date is a civil date (year, month, day) without time of day or time zone.
// The zero value is "no date". Dates are comparable with == and usable as
// map keys as long as they are normalized, which every constructor here does.
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// MakeDate returns the date y-m-d, normalizing out-of-range values the way
// time.Date does (2026-02-30 becomes 2026-03-02).
func MakeDate(y int, m time.Month, d int) Date {
	return dateOfUTC(time.Date(y, m, d, 0, 0, 0, 0, time.UTC))
}

// DateOf returns the date of the instant t as seen in loc (the committee's
// time zone); a nil loc means t's own location.
func DateOf(t time.Time, loc *time.Location) Date {
	if loc != nil {
		t = t.In(loc)
	}
	y, m, d := t.Date()
	return Date{y, m, d}
}

// ParseDate parses "2026-03-05". The message of the error is shown to users.
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(time.DateOnly, strings.TrimSpace(s))
	if err != nil {
		return Date{}, Errorf(EInvalid, "“%s”不是有效日期（格式：2026-03-05）", s)
	}
	return dateOfUTC(t), nil
}

func dateOfUTC(t time.Time) Date {
	y, m, d := t.Date()
	return Date{y, m, d}
}

// utc is the date at midnight UTC; UTC has no daylight saving, so day
// arithmetic on it is exact.
func (d Date) utc() time.Time { return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC) }

// In returns the first instant of the date in loc (midnight local time).
func (d Date) In(loc *time.Location) time.Time {
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, loc)
}

// IsZero reports whether d is the zero Date.
func (d Date) IsZero() bool { return d == Date{} }

// String returns the ISO form "2026-03-05", or "" for the zero date.
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	return fmt.Sprintf("%04d-%02d-%02d", d.Year, int(d.Month), d.Day)
}

// Chinese returns the form used in letters and messages: "2026年3月5日".
func (d Date) Chinese() string {
	if d.IsZero() {
		return ""
	}
	return fmt.Sprintf("%d年%d月%d日", d.Year, int(d.Month), d.Day)
}

// Weekday returns the day of the week of d.
func (d Date) Weekday() time.Weekday { return d.utc().Weekday() }

// AddDays returns d moved by n calendar days (n may be negative).
func (d Date) AddDays(n int) Date { return dateOfUTC(d.utc().AddDate(0, 0, n)) }

// AddMonths returns the same day n months later (or earlier), clamped to the
// last day of the target month: 2026-01-31 + 1 month = 2026-02-28, and
// 2028-01-31 + 1 month = 2028-02-29. time.AddDate would overflow into March
// instead; the clamping follows how Chinese law counts periods in months
// (民法典第二百零三条：没有对应日的，月末日为期间的最后一日).
func (d Date) AddMonths(n int) Date {
	m := int(d.Month) - 1 + n
	y := d.Year + floorDiv(m, 12)
	m = m - floorDiv(m, 12)*12
	month := time.Month(m + 1)
	return Date{y, month, min(d.Day, daysIn(y, month))}
}

func floorDiv(a, b int) int {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}

func daysIn(y int, m time.Month) int {
	return time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// Compare returns -1, 0 or +1 as d is before, equal to or after o.
func (d Date) Compare(o Date) int {
	switch {
	case d.Year != o.Year:
		return cmpInt(d.Year, o.Year)
	case d.Month != o.Month:
		return cmpInt(int(d.Month), int(o.Month))
	default:
		return cmpInt(d.Day, o.Day)
	}
}

func cmpInt(a, b int) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// Before reports whether d is strictly before o.
func (d Date) Before(o Date) bool { return d.Compare(o) < 0 }

// After reports whether d is strictly after o.
func (d Date) After(o Date) bool { return d.Compare(o) > 0 }

// Sub returns the number of calendar days from o to d (d - o): positive when
// d is later. due.Sub(today) is the number of days left.
func (d Date) Sub(o Date) int {
	return int(d.utc().Sub(o.utc()).Hours() / 24)
}

// MarshalText encodes d as "2026-03-05" (JSON, forms).
func (d Date) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText accepts "2026-03-05"; an empty text is the zero date.
func (d *Date) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*d = Date{}
		return nil
	}
	v, err := ParseDate(string(b))
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// Value stores d as the text "2026-03-05" (NULL for the zero date), which
// both SQLite and PostgreSQL accept for a date column.
func (d Date) Value() (driver.Value, error) {
	if d.IsZero() {
		return nil, nil
	}
	return d.String(), nil
}

// Scan reads a date column: text from SQLite, time.Time from PostgreSQL
// (whose date has no zone, so its UTC fields are the civil date).
func (d *Date) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		*d = Date{}
		return nil
	case time.Time:
		*d = DateOf(v, nil)
		return nil
	case string:
		return d.scanText(v)
	case []byte:
		return d.scanText(string(v))
	}
	return fmt.Errorf("zhengxie.Date: cannot scan %T", src)
}

func (d *Date) scanText(s string) error {
	// SQLite may hand back a timestamp text when the column was written
	// with a time.Time; the date part is what counts.
	if len(s) > 10 {
		s = s[:10]
	}
	return d.UnmarshalText([]byte(s))
}

// Calendar says which days are working days: Monday to Friday, except the
// official holidays, plus the weekends that are adjusted working days (调休).
// A Calendar is not safe for concurrent modification; build a new one and
// swap it when the admin edits the text. A nil *Calendar is the plain
// Monday-to-Friday week.
type Calendar struct {
	days map[Date]CalendarDay
}

// Kinds of days in a Calendar.
const (
	DayHoliday = "holiday" // 放假
	DayWorkday = "workday" // 调休上班
)

// CalendarDay is one line of the calendar text.
type CalendarDay struct {
	Date Date
	Kind string // DayHoliday or DayWorkday
	Name string // 元旦, 春节调休 …
}

//go:embed holidays/*.txt
var holidayFiles embed.FS

// DefaultCalendar returns a new Calendar with the official arrangements that
// ship with the binary (holidays/*.txt). It panics if the shipped data does
// not parse, which a test rules out.
func DefaultCalendar() *Calendar {
	c := NewCalendar()
	names, err := holidayFiles.ReadDir("holidays")
	if err != nil {
		panic(err)
	}
	for _, e := range names {
		f, err := holidayFiles.Open("holidays/" + e.Name())
		if err != nil {
			panic(err)
		}
		year, err := ParseCalendar(f)
		f.Close()
		if err != nil {
			panic(fmt.Sprintf("holidays/%s: %v", e.Name(), err))
		}
		for _, d := range year.days {
			c.days[d.Date] = d
		}
	}
	return c
}

// NewCalendar returns an empty calendar: Monday to Friday are working days.
func NewCalendar() *Calendar { return &Calendar{days: map[Date]CalendarDay{}} }

// Set adds or replaces the entry of one date.
func (c *Calendar) Set(day CalendarDay) { c.days[day.Date] = day }

// Lookup returns the entry of d, if the calendar has one.
func (c *Calendar) Lookup(d Date) (CalendarDay, bool) {
	if c == nil {
		return CalendarDay{}, false
	}
	day, ok := c.days[d]
	return day, ok
}

// Days returns every entry in date order.
func (c *Calendar) Days() []CalendarDay {
	if c == nil {
		return nil
	}
	out := make([]CalendarDay, 0, len(c.days))
	for _, d := range c.days {
		out = append(out, d)
	}
	slices.SortFunc(out, func(a, b CalendarDay) int { return a.Date.Compare(b.Date) })
	return out
}

// Covers reports whether the calendar has any entry in year, so that the
// admin page can warn when next year's arrangement has not been entered yet
// (working days of that year then fall back to Monday to Friday).
func (c *Calendar) Covers(year int) bool {
	if c == nil {
		return false
	}
	for d := range c.days {
		if d.Year == year {
			return true
		}
	}
	return false
}

// IsWorkday reports whether d is a working day.
func (c *Calendar) IsWorkday(d Date) bool {
	if day, ok := c.Lookup(d); ok {
		return day.Kind == DayWorkday
	}
	wd := d.Weekday()
	return wd != time.Saturday && wd != time.Sunday
}

// NextWorkday returns d if it is a working day, otherwise the first working
// day after it.
func (c *Calendar) NextWorkday(d Date) Date {
	for !c.IsWorkday(d) {
		d = d.AddDays(1)
	}
	return d
}

// AddWorkdays returns the n-th working day after d (n > 0) or before d
// (n < 0); d itself is never counted, as the day an act happens does not
// count toward a period that starts with it. With n == 0 it returns d.
func (c *Calendar) AddWorkdays(d Date, n int) Date {
	step := 1
	if n < 0 {
		step, n = -1, -n
	}
	for n > 0 {
		d = d.AddDays(step)
		if c.IsWorkday(d) {
			n--
		}
	}
	return d
}

// ParseCalendar reads the calendar text an admin edits:
//
//	# 注释
//	2026-01-01 放假 元旦
//	2026-01-04 上班 元旦调休
//
// One date per line, a kind (放假 or 休; 上班 or 班; the English words
// holiday and workday of older texts are still read) and an
// optional name; blank lines and lines starting with # are ignored. Every
// mistake is reported with its line number, all at once, in one *Error.
func ParseCalendar(r io.Reader) (*Calendar, error) {
	c := NewCalendar()
	seen := map[Date]int{}
	var problems []string
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 4096), 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if n == 1 {
			line = strings.TrimPrefix(line, "\ufeff") // a BOM from Windows editors
		}
		if line == "" || strings.HasPrefix(line, "#") || strings.HasPrefix(line, "＃") {
			continue
		}
		if msg := parseCalendarLine(c, seen, n, line); msg != "" {
			problems = append(problems, fmt.Sprintf("第%d行：%s", n, msg))
		}
	}
	if err := sc.Err(); err != nil {
		return nil, Errorf(EInvalid, "读取节假日安排失败：%v", err)
	}
	if len(problems) > 0 {
		const shown = 20
		if len(problems) > shown {
			problems = append(problems[:shown], fmt.Sprintf("……另有%d处错误", len(problems)-shown))
		}
		return nil, &Error{Code: EInvalid, Field: "calendar", Message: "节假日安排有误：\n" + strings.Join(problems, "\n")}
	}
	return c, nil
}

func parseCalendarLine(c *Calendar, seen map[Date]int, n int, line string) string {
	f := strings.Fields(line)
	if len(f) < 2 {
		return fmt.Sprintf("“%s”缺少类型，应为“日期 类型 名称”，如“2026-01-01 放假 元旦”", line)
	}
	t, err := time.Parse(time.DateOnly, f[0])
	if err != nil {
		return fmt.Sprintf("“%s”不是有效日期，格式应为2026-01-01", f[0])
	}
	d := dateOfUTC(t)
	var kind string
	switch strings.ToLower(f[1]) {
	case DayHoliday, "放假", "休":
		kind = DayHoliday
	case DayWorkday, "上班", "班":
		kind = DayWorkday
	default:
		return fmt.Sprintf("类型“%s”无效，应为“放假”（或“休”）或“上班”（或“班”，指调休上班）", f[1])
	}
	if prev, dup := seen[d]; dup {
		return fmt.Sprintf("%s 重复，第%d行已有这一天", d, prev)
	}
	if wd := d.Weekday(); kind == DayWorkday && wd != time.Saturday && wd != time.Sunday {
		return fmt.Sprintf("%s 是%s，本来就是工作日，调休上班只能是周六或周日", d, weekdayNames[wd])
	}
	seen[d] = n
	c.days[d] = CalendarDay{Date: d, Kind: kind, Name: strings.Join(f[2:], " ")}
	return ""
}

// InChineseWords rewrites the English kind words of a calendar text saved
// before the editor took Chinese (2026-01-01 holiday 元旦) into the words
// Format writes, leaving comments, names and everything else as they are.
func InChineseWords(text string) string {
	lines := strings.Split(text, "\n")
	for i, line := range lines {
		f := strings.Fields(line)
		if len(f) < 2 || strings.HasPrefix(f[0], "#") || strings.HasPrefix(f[0], "＃") {
			continue
		}
		word, ok := dayKindWord[strings.ToLower(f[1])]
		if !ok {
			continue
		}
		// Replace the second field where it stands, keeping the spacing.
		at := strings.Index(line, f[0]) + len(f[0])
		j := strings.Index(line[at:], f[1])
		lines[i] = line[:at+j] + word + line[at+j+len(f[1]):]
	}
	return strings.Join(lines, "\n")
}

// dayKindWord is how Format writes a kind: in the words the admin reads.
var dayKindWord = map[string]string{DayHoliday: "放假", DayWorkday: "上班"}

var weekdayNames = [...]string{"星期日", "星期一", "星期二", "星期三", "星期四", "星期五", "星期六"}

// Format writes the calendar in the text form ParseCalendar reads, one year
// after the other, so that Parse(Format(c)) gives c back.
func (c *Calendar) Format(w io.Writer) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintln(bw, "# 节假日安排：日期 类型 名称；类型写“放假”（或“休”）、“上班”（或“班”，调休上班）")
	year := 0
	for _, d := range c.Days() {
		if d.Date.Year != year {
			year = d.Date.Year
			fmt.Fprintf(bw, "\n# %d年\n", year)
		}
		line := d.Date.String() + " " + dayKindWord[d.Kind]
		if d.Name != "" {
			line += " " + d.Name
		}
		fmt.Fprintln(bw, line)
	}
	return bw.Flush()
}

// Counting modes of DeadlineRules.
const (
	CountCalendar = "calendar" // 自然日
	CountWorking  = "working"  // 工作日
)

// DeadlineRules are the committee's rules for handling periods. They are
// configuration, edited by the admin.
//
// Periods in months end on the same day of the month (clamped at month end).
// Periods in days count the days after the starting day. With Counting =
// "working", periods in days count working days only, and a period in months
// that ends on a non-working day ends on the next working day instead (the
// rule of 民法典第二百零三条 for periods ending on a holiday); with "calendar"
// every day counts and nothing moves.
type DeadlineRules struct {
	Counting          string // CountCalendar or CountWorking
	TaskMonths        int    // 办理期限：交办之日起
	CoHandleMonths    int    // 会办意见送主办单位
	ReturnDays        int    // 退回交办须在此期限内提出
	RehandleMonths    int    // 重新办理期限
	MaxMonths         int    // 延期后自交办之日起最长期限
	RemindDaysBefore  []int  // 到期前提醒（天）
	EscalateAfterDays int    // 超期后报督办领导（自然日）
}

// DefaultDeadlineRules are the usual rules of a committee: three months to
// reply, one month for co-handling opinions, ten days to return a wrong
// assignment, one month to re-handle after an unsatisfied proposer, at most
// six months with extensions, reminders 15 and 3 days before, escalation to
// the supervising leader a week after the deadline.
func DefaultDeadlineRules() DeadlineRules {
	return DeadlineRules{
		Counting:          CountCalendar,
		TaskMonths:        3,
		CoHandleMonths:    1,
		ReturnDays:        10,
		RehandleMonths:    1,
		MaxMonths:         6,
		RemindDaysBefore:  []int{15, 3},
		EscalateAfterDays: 7,
	}
}

// Validate checks rules entered by the admin.
func (r DeadlineRules) Validate() error {
	switch {
	case r.Counting != CountCalendar && r.Counting != CountWorking:
		return FieldError("counting", "计算方式应为自然日（calendar）或工作日（working）")
	case r.TaskMonths < 1:
		return FieldError("task_months", "办理期限至少为1个月")
	case r.CoHandleMonths < 1 || r.CoHandleMonths > r.TaskMonths:
		return FieldError("cohandle_months", "会办期限应为1个月至办理期限（%d个月）之间", r.TaskMonths)
	case r.ReturnDays < 1:
		return FieldError("return_days", "退回期限至少为1天")
	case r.RehandleMonths < 1:
		return FieldError("rehandle_months", "重新办理期限至少为1个月")
	case r.MaxMonths < r.TaskMonths:
		return FieldError("max_months", "延期后的最长期限（%d个月）不能短于办理期限（%d个月）", r.MaxMonths, r.TaskMonths)
	case r.EscalateAfterDays < 0:
		return FieldError("escalate_after_days", "超期督办天数不能为负数")
	}
	for _, n := range r.RemindDaysBefore {
		if n < 0 {
			return FieldError("remind_days_before", "提醒天数不能为负数")
		}
	}
	return nil
}

func (r DeadlineRules) working() bool { return r.Counting == CountWorking }

func (r DeadlineRules) months(cal *Calendar, from Date, n int) Date {
	due := from.AddMonths(n)
	if r.working() {
		due = cal.NextWorkday(due)
	}
	return due
}

func (r DeadlineRules) days(cal *Calendar, from Date, n int) Date {
	if r.working() {
		return cal.AddWorkdays(from, n)
	}
	return from.AddDays(n)
}

// TaskDue is the reply deadline of a lead or separate unit's task.
func TaskDue(r DeadlineRules, cal *Calendar, assigned Date) Date {
	return r.months(cal, assigned, r.TaskMonths)
}

// CoHandleDue is the date by which a co-handling unit sends its opinion to
// the lead unit.
func CoHandleDue(r DeadlineRules, cal *Calendar, assigned Date) Date {
	return r.months(cal, assigned, r.CoHandleMonths)
}

// ReturnBy is the last day on which a unit may return a wrong assignment.
func ReturnBy(r DeadlineRules, cal *Calendar, assigned Date) Date {
	return r.days(cal, assigned, r.ReturnDays)
}

// RehandleDue is the new deadline of a task sent back for re-handling on
// the given day.
func RehandleDue(r DeadlineRules, cal *Calendar, rehandleFrom Date) Date {
	return r.months(cal, rehandleFrom, r.RehandleMonths)
}

// ExtensionLimit is the latest due date an extension may grant.
func ExtensionLimit(r DeadlineRules, assigned Date) Date {
	return assigned.AddMonths(r.MaxMonths)
}

// ExtensionAllowed checks a requested new due date against the rules. The
// limit counts from the assignment, not from the current due date, so that
// successive extensions cannot add up beyond MaxMonths.
func ExtensionAllowed(r DeadlineRules, assigned, requestedDue Date) error {
	if requestedDue.IsZero() {
		return FieldError("due", "请填写延期后的办理期限")
	}
	if !requestedDue.After(assigned) {
		return FieldError("due", "延期后的办理期限（%s）应晚于交办日期（%s）", requestedDue, assigned)
	}
	if limit := ExtensionLimit(r, assigned); requestedDue.After(limit) {
		return FieldError("due", "延期后的办理期限（%s）超过了自交办之日起%d个月的上限（%s）", requestedDue, r.MaxMonths, limit)
	}
	return nil
}

// ReminderDates are the days on which the unit is reminded of the deadline
// due, in ascending order without duplicates: n days before for each n of
// RemindDaysBefore, counting working days in working mode. The caller skips
// dates that fall before the task existed.
func ReminderDates(r DeadlineRules, cal *Calendar, due Date) []Date {
	var out []Date
	for _, n := range r.RemindDaysBefore {
		if n < 0 {
			continue
		}
		d := r.days(cal, due, -n)
		if !slices.Contains(out, d) {
			out = append(out, d)
		}
	}
	slices.SortFunc(out, Date.Compare)
	return out
}

// OverdueOn reports whether a task due on due is overdue on today: from the
// day after the due date, as the due date itself is still in time.
func OverdueOn(due, today Date) bool { return today.After(due) }

// EscalationDate is the day on which an overdue task is reported to the
// supervising leader: the day it has been overdue for EscalateAfterDays days
// (at the earliest the first overdue day). It counts calendar days in both
// modes, because being overdue is measured in calendar days everywhere (the
// board shows "已超期N天").
func EscalationDate(r DeadlineRules, due Date) Date {
	return due.AddDays(max(r.EscalateAfterDays, 1))
}
