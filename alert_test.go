package zhengxie_test

import (
	"slices"
	"testing"

	"zhengxie"
)

// TestPlanAlerts: every alert that came due is planned, including those of
// days the server was down, so that the scan can send each once.
func TestPlanAlerts(t *testing.T) {
	r := zhengxie.DefaultDeadlineRules()
	cal := zhengxie.DefaultCalendar()
	d := func(s string) zhengxie.Date {
		v, err := zhengxie.ParseDate(s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	assigned, due := d("2026-03-02"), d("2026-06-02")
	var reminders []string
	for _, x := range zhengxie.ReminderDates(r, cal, due) {
		reminders = append(reminders, x.String())
	}
	cases := []struct {
		today string
		want  []string
	}{
		{"2026-05-01", nil},
		{reminders[0], []string{"remind " + reminders[0]}},
		// Down across both reminder dates: both are planned.
		{"2026-06-01", func() []string {
			var out []string
			for _, x := range reminders {
				out = append(out, "remind "+x)
			}
			return out
		}()},
		{"2026-06-04", append(remindAll(reminders), "overdue 2026-06-03", "overdue 2026-06-04")},
	}
	for _, c := range cases {
		var got []string
		for _, pa := range zhengxie.PlanAlerts(r, cal, assigned, due, d(c.today)) {
			got = append(got, pa.Kind+" "+pa.On.String())
		}
		if !slices.Equal(got, c.want) {
			t.Errorf("on %s: %v, want %v", c.today, got, c.want)
		}
	}
	// Escalation once the escalation date has come, keyed by the deadline.
	esc := zhengxie.EscalationDate(r, due)
	pas := zhengxie.PlanAlerts(r, cal, assigned, due, esc)
	if last := pas[len(pas)-1]; last.Kind != zhengxie.AlertEscalate || last.On != due {
		t.Errorf("escalation on %s: %+v", esc, last)
	}
	// A year-old delay plans a bounded number of daily notices.
	n := 0
	for _, pa := range zhengxie.PlanAlerts(r, cal, assigned, due, due.AddDays(365)) {
		if pa.Kind == zhengxie.AlertOverdue {
			n++
		}
	}
	if n != zhengxie.MaxOverdueCatchUp {
		t.Errorf("overdue notices after a year: %d", n)
	}
}

func remindAll(ds []string) []string {
	var out []string
	for _, x := range ds {
		out = append(out, "remind "+x)
	}
	return out
}
