package store

import (
	"context"
	"encoding/json"
	"strings"

	"zhengxie"
)

// Opinion reports (社情民意信息, 0015): the reports with every version of
// their text, the adoptions, instructions and feedback recorded on them,
// and the numbered issues of 《社情民意》 they are compiled into.

const reportCols = `r.id, r.committee_id, r.title, r.body, r.sources, r.reporter_id, COALESCE(u.name, ''), r.member_ids, r.on_behalf, r.matter_id,
	r.state, r.version, r.merged_into, r.reason, r.issue_id, COALESCE(i.year, 0), COALESCE(i.number, 0), r.created_at, r.updated_at`

const reportFrom = ` FROM opinion_reports r LEFT JOIN users u ON u.id = r.reporter_id
	LEFT JOIN opinion_issues i ON i.id = r.issue_id AND i.committee_id = r.committee_id`

func scanReport(sc interface{ Scan(...any) error }) (*zhengxie.Report, error) {
	var r zhengxie.Report
	var members string
	var year, number int
	var created, updated int64
	err := sc.Scan(&r.ID, &r.CommitteeID, &r.Title, &r.Body, &r.Sources, &r.ReporterID, &r.ReporterName, &members, &r.OnBehalf, &r.MatterID,
		&r.State, &r.Version, &r.MergedInto, &r.Reason, &r.IssueID, &year, &number, &created, &updated)
	_ = json.Unmarshal([]byte(members), &r.MemberIDs)
	if r.IssueID != 0 {
		r.IssueLabel = (&zhengxie.Issue{Year: year, Number: number}).Label()
	}
	r.CreatedAt, r.UpdatedAt = tm(created), tm(updated)
	return &r, err
}

func idsJSON(ids []int64) string {
	if ids == nil {
		ids = []int64{}
	}
	b, _ := json.Marshal(ids)
	return string(b)
}

// CreateReport inserts a report and its original as version 1.
func (t *Tx) CreateReport(r *zhengxie.Report, editor string) error {
	now := t.Now()
	r.Version, r.CreatedAt, r.UpdatedAt = 1, tm(ms(now)), tm(ms(now))
	id, err := t.insert(`INSERT INTO opinion_reports (committee_id, title, body, sources, reporter_id, member_ids, on_behalf, matter_id, state, version, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)`,
		r.CommitteeID, r.Title, r.Body, r.Sources, r.ReporterID, idsJSON(r.MemberIDs), r.OnBehalf, r.MatterID, string(r.State), ms(now), ms(now))
	if err != nil {
		return err
	}
	r.ID = id
	return t.AddReportVersion(&zhengxie.ReportVersion{ReportID: id, N: 1, Title: r.Title, Body: r.Body, Editor: editor, Note: "原稿"}, r.CommitteeID)
}

// UpdateReport saves a report.
func (t *Tx) UpdateReport(r *zhengxie.Report) error {
	r.UpdatedAt = tm(ms(t.Now()))
	res, err := t.exec(`UPDATE opinion_reports SET title = ?, body = ?, sources = ?, member_ids = ?, state = ?, version = ?, merged_into = ?,
		reason = ?, issue_id = ?, updated_at = ? WHERE committee_id = ? AND id = ?`,
		r.Title, r.Body, r.Sources, idsJSON(r.MemberIDs), string(r.State), r.Version, r.MergedInto, r.Reason, r.IssueID, ms(r.UpdatedAt),
		r.CommitteeID, r.ID)
	return affected(res, err, "社情民意信息")
}

// AddReportVersion keeps one version of a report's text.
func (t *Tx) AddReportVersion(v *zhengxie.ReportVersion, committeeID int64) error {
	v.CreatedAt = tm(ms(t.Now()))
	_, err := t.exec(`INSERT INTO report_versions (committee_id, report_id, n, title, body, editor, note, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		committeeID, v.ReportID, v.N, v.Title, v.Body, v.Editor, v.Note, ms(v.CreatedAt))
	return t.s.dialect.translate(err)
}

// ReportVersions lists the versions of a report, the original first.
func (s *Store) ReportVersions(ctx context.Context, committeeID, reportID int64) ([]zhengxie.ReportVersion, error) {
	rows, err := s.rd(ctx).query(`SELECT report_id, n, title, body, editor, note, created_at FROM report_versions WHERE committee_id = ? AND report_id = ? ORDER BY n`,
		committeeID, reportID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []zhengxie.ReportVersion
	for rows.Next() {
		var v zhengxie.ReportVersion
		var at int64
		if err := rows.Scan(&v.ReportID, &v.N, &v.Title, &v.Body, &v.Editor, &v.Note, &at); err != nil {
			return nil, err
		}
		v.CreatedAt = tm(at)
		out = append(out, v)
	}
	return out, rows.Err()
}

// LockReport reads a report for a change.
func (t *Tx) LockReport(committeeID, id int64) (*zhengxie.Report, error) {
	if _, err := t.exec(`UPDATE opinion_reports SET updated_at = updated_at WHERE committee_id = ? AND id = ?`, committeeID, id); err != nil {
		return nil, err
	}
	r, err := scanReport(t.rd().row(`SELECT `+reportCols+reportFrom+` WHERE r.committee_id = ? AND r.id = ?`, committeeID, id))
	return r, notFound(err, "社情民意信息")
}

// Report returns one report.
func (s *Store) Report(ctx context.Context, committeeID, id int64) (*zhengxie.Report, error) {
	r, err := scanReport(s.rd(ctx).row(`SELECT `+reportCols+reportFrom+` WHERE r.committee_id = ? AND r.id = ?`, committeeID, id))
	return r, notFound(err, "社情民意信息")
}

// ReportFilter selects reports of a committee.
type ReportFilter struct {
	CommitteeID int64
	State       zhengxie.ReportState
	IssueID     int64
	IDs         []int64
	From, To    int64 // created between (Unix ms)
}

// Reports lists reports, newest first.
func (s *Store) Reports(ctx context.Context, f ReportFilter) ([]zhengxie.Report, error) {
	conds := []string{"r.committee_id = ?"}
	args := []any{f.CommitteeID}
	if f.State != "" {
		conds, args = append(conds, "r.state = ?"), append(args, string(f.State))
	}
	if f.IssueID != 0 {
		conds, args = append(conds, "r.issue_id = ?"), append(args, f.IssueID)
	}
	if len(f.IDs) > 0 {
		conds = append(conds, "r.id IN ("+placeholders(len(f.IDs))+")")
		for _, id := range f.IDs {
			args = append(args, id)
		}
	}
	if f.From != 0 {
		conds, args = append(conds, "r.created_at >= ?"), append(args, f.From)
	}
	if f.To != 0 {
		conds, args = append(conds, "r.created_at < ?"), append(args, f.To)
	}
	rows, err := s.rd(ctx).query(`SELECT `+reportCols+reportFrom+` WHERE `+strings.Join(conds, " AND ")+` ORDER BY r.created_at DESC, r.id DESC`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []zhengxie.Report
	for rows.Next() {
		r, err := scanReport(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *r)
	}
	return out, rows.Err()
}

// AddReportRecord records an adoption, instruction or feedback.
func (t *Tx) AddReportRecord(r *zhengxie.ReportRecord) error {
	r.CreatedAt = tm(ms(t.Now()))
	id, err := t.insert(`INSERT INTO report_records (committee_id, report_id, kind, level, place, person, text, on_date, created_by, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, r.CommitteeID, r.ReportID, r.Kind, r.Level, r.Place, r.Person, r.Text, r.On.String(), r.By, ms(r.CreatedAt))
	r.ID = id
	return err
}

// ReportRecords lists what was recorded on the reports of a committee
// (of one report when reportID != 0), oldest first.
func (s *Store) ReportRecords(ctx context.Context, committeeID, reportID int64) ([]zhengxie.ReportRecord, error) {
	qs := `SELECT id, committee_id, report_id, kind, level, place, person, text, on_date, created_by, created_at FROM report_records WHERE committee_id = ?`
	args := []any{committeeID}
	if reportID != 0 {
		qs += ` AND report_id = ?`
		args = append(args, reportID)
	}
	rows, err := s.rd(ctx).query(qs+` ORDER BY on_date, id`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []zhengxie.ReportRecord
	for rows.Next() {
		var r zhengxie.ReportRecord
		var on string
		var at int64
		if err := rows.Scan(&r.ID, &r.CommitteeID, &r.ReportID, &r.Kind, &r.Level, &r.Place, &r.Person, &r.Text, &on, &r.By, &at); err != nil {
			return nil, err
		}
		r.On, _ = zhengxie.ParseDate(on)
		r.CreatedAt = tm(at)
		out = append(out, r)
	}
	return out, rows.Err()
}

// CreateIssue numbers and inserts an issue with its reports. The number is
// the year's next: the committee row is locked first, so that two issues
// compiled at once get consecutive numbers, never the same one.
func (t *Tx) CreateIssue(i *zhengxie.Issue) error {
	var cid int64
	if err := t.queryRow(`SELECT id FROM committees WHERE id = ?`+t.s.dialect.forUpdate(), i.CommitteeID).Scan(&cid); err != nil {
		return notFound(err, "政协委员会")
	}
	if err := t.queryRow(`SELECT COALESCE(MAX(number), 0) + 1 FROM opinion_issues WHERE committee_id = ? AND year = ?`, i.CommitteeID, i.Year).Scan(&i.Number); err != nil {
		return err
	}
	rec, _ := json.Marshal(i.Recipients)
	i.CreatedAt = tm(ms(t.Now()))
	id, err := t.insert(`INSERT INTO opinion_issues (committee_id, year, number, title, recipients, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		i.CommitteeID, i.Year, i.Number, i.Title, string(rec), i.CreatedBy, ms(i.CreatedAt))
	if err != nil {
		return t.s.dialect.translate(err)
	}
	i.ID = id
	for n, rid := range i.ReportIDs {
		if _, err := t.exec(`INSERT INTO issue_reports (committee_id, issue_id, report_id, position) VALUES (?, ?, ?, ?)`, i.CommitteeID, id, rid, n+1); err != nil {
			return t.s.dialect.translate(err)
		}
	}
	return nil
}

// MarkIssueSent records when the issue went to its recipients.
func (t *Tx) MarkIssueSent(committeeID, id int64) error {
	res, err := t.exec(`UPDATE opinion_issues SET sent_at = ? WHERE committee_id = ? AND id = ?`, ms(t.Now()), committeeID, id)
	return affected(res, err, "期刊")
}

const issueCols = `id, committee_id, year, number, title, recipients, sent_at, created_by, created_at`

func scanIssue(sc interface{ Scan(...any) error }) (*zhengxie.Issue, error) {
	var i zhengxie.Issue
	var rec string
	var sent, created int64
	err := sc.Scan(&i.ID, &i.CommitteeID, &i.Year, &i.Number, &i.Title, &rec, &sent, &i.CreatedBy, &created)
	_ = json.Unmarshal([]byte(rec), &i.Recipients)
	i.SentAt, i.CreatedAt = tm(sent), tm(created)
	return &i, err
}

// Issue returns one issue with its reports' ids in order.
func (s *Store) Issue(ctx context.Context, committeeID, id int64) (*zhengxie.Issue, error) {
	x := s.rd(ctx)
	i, err := scanIssue(x.row(`SELECT `+issueCols+` FROM opinion_issues WHERE committee_id = ? AND id = ?`, committeeID, id))
	if err != nil {
		return nil, notFound(err, "期刊")
	}
	rows, err := x.query(`SELECT report_id FROM issue_reports WHERE committee_id = ? AND issue_id = ? ORDER BY position`, committeeID, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var rid int64
		if err := rows.Scan(&rid); err != nil {
			return nil, err
		}
		i.ReportIDs = append(i.ReportIDs, rid)
	}
	return i, rows.Err()
}

// Issues lists a committee's issues, newest first.
func (s *Store) Issues(ctx context.Context, committeeID int64) ([]zhengxie.Issue, error) {
	rows, err := s.rd(ctx).query(`SELECT `+issueCols+` FROM opinion_issues WHERE committee_id = ? ORDER BY year DESC, number DESC`, committeeID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []zhengxie.Issue
	for rows.Next() {
		i, err := scanIssue(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *i)
	}
	return out, rows.Err()
}
