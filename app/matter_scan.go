package app

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"sync"

	"zhengxie"
	"zhengxie/search"
	"zhengxie/store"
)

// Deadlines of forwarded matters, the board of counts, and the category
// suggested from a matter's text.
//
// The scan decides reminders, overdue notices and escalations with the
// same rules as for proposal tasks (planAlerts: the committee's reminder
// days, one overdue notice a day, escalation after EscalateAfterDays), and
// records each one under a unique (matter, kind, day) key in the same
// transaction as its notices, so that a second scan sends nothing twice.

// scanContact is the contact module's part of the periodic deadline scan.
func (s *Service) scanContact(ctx context.Context) error {
	_, err := s.ScanMatterDeadlines(ctx)
	return err
}

// MatterScanReport says what one scan did.
type MatterScanReport struct {
	Matters, Reminders, Overdues, Escalations int
}

// ScanMatterDeadlines runs the deadline scan of forwarded matters over
// every committee.
func (s *Service) ScanMatterDeadlines(ctx context.Context) (MatterScanReport, error) {
	var rep MatterScanReport
	cs, err := s.Store.Committees(ctx)
	if err != nil {
		return rep, err
	}
	for _, c := range cs {
		if err := s.scanMatters(ctx, &c, &rep); err != nil {
			return rep, fmt.Errorf("matter deadlines of %s: %w", c.Code, err)
		}
	}
	if n := rep.Reminders + rep.Overdues + rep.Escalations; n > 0 {
		s.Log.Info("matter deadline scan", "reminders", rep.Reminders, "overdue", rep.Overdues, "escalations", rep.Escalations)
	}
	return rep, nil
}

func (s *Service) scanMatters(ctx context.Context, c *zhengxie.Committee, rep *MatterScanReport) error {
	loc := c.Location()
	today := zhengxie.DateOf(s.now(), loc)
	rules, cal := s.Deadlines(ctx, c.ID)
	ms, err := s.Store.Matters(ctx, store.MatterFilter{CommitteeID: c.ID, Open: true})
	if err != nil {
		return err
	}
	for _, m := range ms {
		if m.UnitID == 0 || (m.State != zhengxie.MatterForwarded && m.State != zhengxie.MatterHandling) {
			continue
		}
		due, err := zhengxie.ParseDate(m.Due)
		if err != nil {
			continue
		}
		rep.Matters++
		// Every alert the rules called for is recorded once; after downtime
		// the missed ones are folded into the latest of each kind, which
		// alone is sent.
		alerts := zhengxie.PlanAlerts(rules, cal, zhengxie.DateOf(m.ForwardedAt, loc), due, today)
		latest := map[string]int{}
		for i, pa := range alerts {
			latest[pa.Kind] = i
		}
		for i, pa := range alerts {
			sent, err := s.matterAlert(ctx, c, &m, pa, due, today, latest[pa.Kind] == i)
			if err != nil {
				return err
			}
			if !sent {
				continue
			}
			switch pa.Kind {
			case zhengxie.AlertRemind:
				rep.Reminders++
			case zhengxie.AlertOverdue:
				rep.Overdues++
			case zhengxie.AlertEscalate:
				rep.Escalations++
			}
		}
	}
	return nil
}

func (s *Service) matterAlert(ctx context.Context, c *zhengxie.Committee, m *zhengxie.Matter, pa zhengxie.PlannedAlert, due, today zhengxie.Date, announce bool) (bool, error) {
	var sent bool
	err := s.Store.InTx(ctx, func(tx *store.Tx) error {
		added, err := tx.AddMatterAlert(c.ID, m.ID, pa.Kind, pa.On.String(), m.Due)
		if err != nil || !added || !announce {
			return err
		}
		sent = true
		link := matterLink(m.ID)
		switch pa.Kind {
		case zhengxie.AlertRemind:
			return s.contactNotifyUnit(tx, c.ID, m.UnitID, "群众诉求即将到期："+m.Title, fmt.Sprintf("请于%s前答复，还有%d天。", due.Chinese(), due.Sub(today)), link)
		case zhengxie.AlertOverdue:
			if err := s.contactNotifyUnit(tx, c.ID, m.UnitID, "群众诉求已超期："+m.Title, fmt.Sprintf("答复期限%s已过%d天，请尽快答复。", due.Chinese(), today.Sub(due)), link); err != nil {
				return err
			}
			return s.notifyStation(tx, m, "转办的群众诉求已超期："+m.Title, m.UnitName+"尚未答复。")
		case zhengxie.AlertEscalate:
			body := fmt.Sprintf("%s办理的群众诉求已超期%d天，请督办。", m.UnitName, today.Sub(due))
			u, err := tx.Unit(c.ID, m.UnitID)
			if err == nil && u.LeaderID != 0 {
				if err := s.contactNotify(tx, c.ID, u.LeaderID, "群众诉求超期督办："+m.Title, body, link); err != nil {
					return err
				}
			}
			if err := s.contactNotifyOffice(tx, c.ID, "群众诉求超期督办："+m.Title, body, link); err != nil {
				return err
			}
			return s.subjectEvent(tx, zhengxie.SystemActor(c.ID), "matter", m.ID, "matter.escalated", string(m.State), string(m.State), body, nil)
		}
		return nil
	})
	return sent, err
}

// MatterCounts are the figures of a station's page and of the board.
type MatterCounts struct {
	Receptions int // reception days held
	Citizens   int // citizens received at them (人次) plus messages left
	Matters    int
	Answered   int // have an answer (answered, settled, closed with an answer)
	OnTime     int // answered by the deadline
	Settled    int
	Overdue    int // forwarded and past the deadline today
	Open       int
	Messages   int
}

// SettledRate is the share of answered matters the citizens say are settled.
func (c MatterCounts) SettledRate() int {
	if c.Answered == 0 {
		return 0
	}
	return percent(float64(c.Settled) / float64(c.Answered))
}

// OnTimeRate is the share of answers given in time.
func (c MatterCounts) OnTimeRate() int {
	if c.Answered == 0 {
		return 0
	}
	return percent(float64(c.OnTime) / float64(c.Answered))
}

// CountMatters adds one matter to the counts.
func (c *MatterCounts) add(m *zhengxie.Matter, today zhengxie.Date) {
	c.Matters++
	if m.Source == zhengxie.SourceMessage {
		c.Messages++
		c.Citizens++
	}
	if !m.AnsweredAt.IsZero() {
		c.Answered++
		if m.OnTime {
			c.OnTime++
		}
	}
	if m.State == zhengxie.MatterSettled {
		c.Settled++
	}
	if m.State.Open() {
		c.Open++
	}
	if (m.State == zhengxie.MatterForwarded || m.State == zhengxie.MatterHandling) && m.Due != "" {
		if d, err := zhengxie.ParseDate(m.Due); err == nil && zhengxie.OverdueOn(d, today) {
			c.Overdue++
		}
	}
}

// StationCounts returns the counts of one station (0: the whole committee).
func (s *Service) StationCounts(ctx context.Context, committeeID, stationID int64) (*MatterCounts, error) {
	c, err := s.Store.Committee(ctx, committeeID)
	if err != nil {
		return nil, err
	}
	today := zhengxie.DateOf(s.now(), c.Location())
	f := store.MatterFilter{CommitteeID: committeeID}
	if stationID != 0 {
		f.StationIDs = []int64{stationID}
	}
	ms, err := s.Store.Matters(ctx, f)
	if err != nil {
		return nil, err
	}
	out := &MatterCounts{}
	for i := range ms {
		out.add(&ms[i], today)
	}
	rs, err := s.Store.Receptions(ctx, store.ReceptionFilter{CommitteeID: committeeID, StationID: stationID, State: zhengxie.ReceptionHeld})
	if err != nil {
		return nil, err
	}
	for _, r := range rs {
		out.Receptions++
		out.Citizens += r.Visitors
	}
	return out, nil
}

// ---------- category suggestion ----------

// matterLearner keeps one classifier per committee, trained on its
// matters' categories (citizens' own words), retrained when they change.
type matterLearner struct {
	mu sync.Mutex
	by map[int64]*matterLearned
}

type matterLearned struct {
	stamp string
	c     *search.Classifier
}

var matterLearners sync.Map // *Service → *matterLearner

func matterTokens(title, body string) []string {
	return append(search.Tokens(title), search.Tokens(body)...)
}

// SuggestMatterCategory returns up to three likely categories of a matter
// from its text, learned from the committee's categorised matters; none
// until ten are known.
func (s *Service) SuggestMatterCategory(ctx context.Context, committeeID int64, title, body string) ([]Suggestion, error) {
	v, _ := matterLearners.LoadOrStore(s, &matterLearner{by: map[int64]*matterLearned{}})
	l := v.(*matterLearner)
	l.mu.Lock()
	defer l.mu.Unlock()
	ms, err := s.Store.Matters(ctx, store.MatterFilter{CommitteeID: committeeID})
	if err != nil {
		return nil, err
	}
	var b strings.Builder
	n := 0
	for _, m := range ms {
		if m.Category != "" {
			n++
			b.WriteString(strconv.FormatInt(m.ID, 36) + m.Category[:3] + strconv.FormatInt(m.UpdatedAt.UnixMilli(), 36))
		}
	}
	stamp := strconv.Itoa(n) + ":" + fmt.Sprintf("%x", fnvString(b.String()))
	e := l.by[committeeID]
	if e == nil || e.stamp != stamp {
		c := search.NewClassifier()
		for _, m := range ms {
			if m.Category != "" {
				c.Add(matterTokens(m.Title, m.Body), m.Category)
			}
		}
		e = &matterLearned{stamp: stamp, c: c}
		l.by[committeeID] = e
	}
	if !usable(e.c) {
		return nil, nil
	}
	var out []Suggestion
	for _, p := range e.c.Predict(matterTokens(title, body), 3) {
		out = append(out, Suggestion{Value: p.Label, Label: p.Label, Confidence: p.Confidence})
	}
	return out, nil
}

func fnvString(s string) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= 1099511628211
	}
	return h
}
