package app

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"zhengxie"
	ntf "zhengxie/notify"
	"zhengxie/store"
)

// Reminders to members behind on the 10件作业, on the days the admin sets
// (07-01, 10-01 …). Each day is one persistent job queued ahead (dedupe
// key per committee, year and day), so that a server down on the day
// sends it once when it is back, and a changed date does not send twice.

type reminderPayload struct {
	Year int    `json:"year"`
	Day  string `json:"day"` // "07-01"
}

// scheduleReminders queues the year's reminder days from today on.
func (s *Service) scheduleReminders(tx *store.Tx, committeeID int64, r *zhengxie.DutyRules) error {
	c, err := tx.CommitteeTx(committeeID)
	if err != nil {
		return err
	}
	loc := c.Location()
	today := zhengxie.DateOf(s.now(), loc)
	for _, day := range r.ReminderDates {
		d, err := zhengxie.ParseDate(fmt.Sprintf("%d-%s", r.Year, day))
		if err != nil || d.Before(today) {
			continue
		}
		at := d.In(loc).Add(9 * time.Hour)
		body, _ := json.Marshal(reminderPayload{r.Year, day})
		if err := s.enqueue(tx, &store.Job{CommitteeID: committeeID, Kind: JobDutyReminder, RunAt: at,
			DedupeKey: fmt.Sprintf("duty-reminder:%d:%d:%s", committeeID, r.Year, day), Payload: string(body),
			Label: fmt.Sprintf("%d年%s 10件作业提醒", r.Year, day)}); err != nil {
			return err
		}
	}
	return nil
}

func (s *Service) runReminder(ctx context.Context, j *store.Job) error {
	var p reminderPayload
	if err := json.Unmarshal([]byte(j.Payload), &p); err != nil {
		return ntf.Permanent(fmt.Errorf("任务内容无法解析：%w", err))
	}
	n, err := s.SendDutyReminders(ctx, j.CommitteeID, p.Year, p.Day)
	if err == nil {
		s.Log.Info("duty reminders", "committee", j.CommitteeID, "year", p.Year, "day", p.Day, "members", n)
	}
	return err
}

// SendDutyReminders reminds every member behind on the year's checklist;
// a day no longer in the rules sends nothing. It returns how many were reminded.
func (s *Service) SendDutyReminders(ctx context.Context, committeeID int64, year int, day string) (int, error) {
	st := s.Store
	c, err := st.Committee(ctx, committeeID)
	if err != nil {
		return 0, err
	}
	rules, _, err := st.DutyRules(ctx, committeeID, year)
	if err != nil {
		return 0, err
	}
	if !slices.Contains(rules.ReminderDates, day) {
		return 0, nil
	}
	members, err := st.Profiles(ctx, store.ProfileFilter{CommitteeID: committeeID})
	if err != nil {
		return 0, err
	}
	items, _, err := st.YearItems(ctx, committeeID, year, 0, c.Location())
	if err != nil {
		return 0, err
	}
	byUser := map[int64][]zhengxie.DutyItem{}
	for _, it := range items {
		byUser[it.UserID] = append(byUser[it.UserID], it)
	}
	due, _ := zhengxie.ParseDate(fmt.Sprintf("%d-%s", year, day))
	n := 0
	err = st.InTx(ctx, func(tx *store.Tx) error {
		for _, m := range members {
			if m.User.Disabled {
				continue
			}
			var lines []string
			for _, t := range zhengxie.Checklist(&rules, byUser[m.User.ID]) {
				if !t.Done {
					lines = append(lines, fmt.Sprintf("%s（还差%d件）", t.Task.Name, t.Task.Min-t.Count))
				}
			}
			if len(lines) == 0 {
				continue
			}
			n++
			if _, err := s.notice(tx, Notice{CommitteeID: committeeID, Template: ntf.DutyReminder, To: toUsers(m.User.ID),
				Dedupe: fmt.Sprintf("duty-reminder:%d:%s:%d", year, day, m.User.ID), Link: fmt.Sprintf("/duty/record?year=%d", year),
				Data: ntf.Data{Committee: c.Name, DaysLeft: len(lines), Due: due, Items: strings.Join(lines, "\n")}}); err != nil {
				return err
			}
		}
		return nil
	})
	return n, err
}
