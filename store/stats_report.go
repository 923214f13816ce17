package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"time"
)

// ReportText is the office's edited text of one year's annual report: the
// text of each chapter by key, with figures as 【名称】.
type ReportText struct {
	CommitteeID   int64
	Year          int
	Sections      map[string]string
	UpdatedBy     int64
	UpdatedByName string
	UpdatedAt     time.Time
}

// ReportText reads a year's edited text; nil (and no error) when the office
// has not edited that year's report.
func (s *Store) ReportText(ctx context.Context, committeeID int64, year int) (*ReportText, error) {
	r := &ReportText{CommitteeID: committeeID, Year: year}
	var raw string
	var at int64
	err := s.rd(ctx).row(`SELECT sections, updated_by, updated_by_name, updated_at FROM annual_reports WHERE committee_id = ? AND year = ?`,
		committeeID, year).Scan(&raw, &r.UpdatedBy, &r.UpdatedByName, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	r.UpdatedAt = tm(at)
	if err := json.Unmarshal([]byte(raw), &r.Sections); err != nil {
		return nil, err
	}
	return r, nil
}

// SaveReportText stores a year's edited text, replacing the previous one.
func (t *Tx) SaveReportText(r *ReportText) error {
	raw, err := json.Marshal(r.Sections)
	if err != nil {
		return err
	}
	_, err = t.exec(`INSERT INTO annual_reports (committee_id, year, sections, updated_by, updated_by_name, updated_at) VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (committee_id, year) DO UPDATE SET sections = excluded.sections, updated_by = excluded.updated_by,
		updated_by_name = excluded.updated_by_name, updated_at = excluded.updated_at`,
		r.CommitteeID, r.Year, string(raw), r.UpdatedBy, r.UpdatedByName, ms(t.Now()))
	return err
}

// DeleteReportText drops a year's edits: the report goes back to the draft.
func (t *Tx) DeleteReportText(committeeID int64, year int) error {
	_, err := t.exec(`DELETE FROM annual_reports WHERE committee_id = ? AND year = ?`, committeeID, year)
	return err
}
