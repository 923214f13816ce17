package zhengxie

// Kinds of deadline alerts.
const (
	AlertRemind   = "remind"   // 到期前提醒, to the unit
	AlertOverdue  = "overdue"  // 已超期, to the unit, daily
	AlertEscalate = "escalate" // 超期督办, to the supervising leader, once per deadline
)

// MaxOverdueCatchUp bounds how many missed daily overdue notices one scan
// accounts for: after a long outage the unit gets one folded message, and
// the record does not grow by a row per day of a year-old delay.
const MaxOverdueCatchUp = 60

// PlannedAlert is an alert the rules call for, dated the day it was due.
type PlannedAlert struct {
	Kind string
	On   Date
}

// PlanAlerts lists every alert a task due on due, assigned on assigned,
// has called for up to today: each reminder day (RemindDaysBefore) that has
// come, each day after the deadline (one overdue notice a day), and from
// EscalationDate on the escalation, once per deadline, keyed by the
// deadline itself so that an extension followed by a new delay escalates
// again. The caller records what was already sent; whatever was due while
// the server was down is in the list, so nothing is skipped.
func PlanAlerts(r DeadlineRules, cal *Calendar, assigned, due, today Date) []PlannedAlert {
	var out []PlannedAlert
	for _, d := range ReminderDates(r, cal, due) {
		if d.After(assigned) && !d.After(today) && !d.After(due) {
			out = append(out, PlannedAlert{AlertRemind, d})
		}
	}
	if !OverdueOn(due, today) {
		return out
	}
	first := due.AddDays(1)
	if from := today.AddDays(-(MaxOverdueCatchUp - 1)); from.After(first) {
		first = from
	}
	for d := first; !d.After(today); d = d.AddDays(1) {
		out = append(out, PlannedAlert{AlertOverdue, d})
	}
	if !today.Before(EscalationDate(r, due)) {
		out = append(out, PlannedAlert{AlertEscalate, due})
	}
	return out
}
