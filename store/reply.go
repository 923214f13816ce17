package store

import (
	"context"
	"time"
)

// ReplyVersion is one reply a unit sent on a task: version 1 is the first
// reply, a later one the reply after re-handling.
type ReplyVersion struct {
	ID           int64
	CommitteeID  int64
	ProposalID   int64
	TaskID       int64
	Version      int
	ResultClass  string
	Text         string
	AttachmentID int64
	RepliedAt    time.Time
	RepliedBy    int64
	Feedback     string // the rating this version received, if any
	FeedbackNote string
}

// AddReplyVersion records a reply as the task's next version.
func (t *Tx) AddReplyVersion(r *ReplyVersion) error {
	var n int64
	if err := t.rd().row(`SELECT COALESCE(MAX(version), 0) FROM reply_versions WHERE task_id = ?`, r.TaskID).Scan(&n); err != nil {
		return err
	}
	r.Version = int(n) + 1
	id, err := t.insert(`INSERT INTO reply_versions (committee_id, proposal_id, task_id, version, result_class, body, attachment_id, replied_at, replied_by)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, r.CommitteeID, r.ProposalID, r.TaskID, r.Version, r.ResultClass, r.Text, r.AttachmentID, ms(r.RepliedAt), r.RepliedBy)
	r.ID = id
	return err
}

// RateReplyVersion keeps the proposer's rating with the latest version of a task's reply.
func (t *Tx) RateReplyVersion(taskID int64, feedback, note string) error {
	_, err := t.exec(`UPDATE reply_versions SET feedback = ?, feedback_note = ?
		WHERE task_id = ? AND version = (SELECT MAX(version) FROM reply_versions WHERE task_id = ?)`, feedback, note, taskID, taskID)
	return err
}

// ReplyVersions lists every reply of a proposal's tasks, by task then version.
func (s *Store) ReplyVersions(ctx context.Context, committeeID, proposalID int64) ([]ReplyVersion, error) {
	rows, err := s.rd(ctx).query(`SELECT id, committee_id, proposal_id, task_id, version, result_class, body, attachment_id, replied_at, replied_by,
		feedback, feedback_note FROM reply_versions WHERE committee_id = ? AND proposal_id = ? ORDER BY task_id, version`, committeeID, proposalID)
	return collectQuery(rows, err, func(sc scanner) (ReplyVersion, error) {
		var r ReplyVersion
		var at int64
		err := sc.Scan(&r.ID, &r.CommitteeID, &r.ProposalID, &r.TaskID, &r.Version, &r.ResultClass, &r.Text, &r.AttachmentID, &at, &r.RepliedBy,
			&r.Feedback, &r.FeedbackNote)
		r.RepliedAt = tm(at)
		return r, err
	})
}
