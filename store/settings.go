package store

import (
	"context"
	"database/sql"
	"errors"
	"time"
)

// The storage of supervision (督办) is one file per concern, named as in
// app/: settings.go (deadline rules, holiday calendar, evaluation
// criteria), deadline.go (open tasks and deadline alerts), extension.go,
// keyproposal.go, notification.go (preferences beside the in-app
// messages), webhook.go and evaluation.go.

// ---------- committee settings ----------

// CommitteeSettings are the admin-edited settings of one committee; empty
// strings mean the defaults that ship with the binary.
type CommitteeSettings struct {
	CommitteeID int64
	Rules       string // JSON of zhengxie.DeadlineRules
	Calendar    string // the text zhengxie.ParseCalendar reads
	Criteria    string // JSON of the evaluation criteria
	UpdatedBy   int64
	UpdatedAt   time.Time
}

// Settings returns a committee's settings (all empty when never saved).
func (s *Store) Settings(ctx context.Context, committeeID int64) (*CommitteeSettings, error) {
	cs := &CommitteeSettings{CommitteeID: committeeID}
	var updated int64
	err := s.rd(ctx).row(`SELECT rules, calendar, criteria, updated_by, updated_at FROM committee_settings WHERE committee_id = ?`, committeeID).
		Scan(&cs.Rules, &cs.Calendar, &cs.Criteria, &cs.UpdatedBy, &updated)
	if errors.Is(err, sql.ErrNoRows) {
		return cs, nil
	}
	cs.UpdatedAt = tm(updated)
	return cs, err
}

// Setting columns that SaveSetting may write.
const (
	SettingRules    = "rules"
	SettingCalendar = "calendar"
	SettingCriteria = "criteria"
)

// SaveSetting stores one of a committee's settings.
func (t *Tx) SaveSetting(committeeID int64, column, value string, by int64) error {
	switch column {
	case SettingRules, SettingCalendar, SettingCriteria:
	default:
		return errors.New("store: unknown setting " + column)
	}
	_, err := t.exec(`INSERT INTO committee_settings (committee_id, `+column+`, updated_by, updated_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (committee_id) DO UPDATE SET `+column+` = excluded.`+column+`, updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
		committeeID, value, by, ms(t.Now()))
	return err
}

// SetUnitLeader sets the supervising leader of a unit (0 for none).
func (t *Tx) SetUnitLeader(committeeID, unitID, leaderID int64) error {
	_, err := t.exec(`UPDATE units SET leader_id = ? WHERE committee_id = ? AND id = ?`, leaderID, committeeID, unitID)
	return err
}
