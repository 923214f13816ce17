package store

import (
	"context"
	"time"

	"zhengxie"
)

// Attachment is a file attached to a proposal or to a task's reply. The bytes
// live in the file store, named by their SHA-256.
type Attachment struct {
	ID          int64
	CommitteeID int64
	ProposalID  int64
	TaskID      int64
	Name        string
	MIME        string
	Size        int64
	SHA256      string
	CreatedBy   int64
	CreatedAt   time.Time
	// Superseded: the letter of a reply replaced after re-handling; it
	// stays in the case file and is no longer public.
	Superseded bool
}

// AddAttachment records an attachment.
func (t *Tx) AddAttachment(a *Attachment) error {
	a.CreatedAt = t.Now()
	id, err := t.insert(`INSERT INTO attachments (committee_id, proposal_id, task_id, name, mime, size, sha256, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		a.CommitteeID, a.ProposalID, a.TaskID, a.Name, a.MIME, a.Size, a.SHA256, a.CreatedBy, ms(a.CreatedAt))
	a.ID = id
	return err
}

const attachmentCols = `id, committee_id, proposal_id, task_id, name, mime, size, sha256, created_by, created_at, superseded`

func scanAttachment(sc scanner) (*Attachment, error) {
	var a Attachment
	var at int64
	err := sc.Scan(&a.ID, &a.CommitteeID, &a.ProposalID, &a.TaskID, &a.Name, &a.MIME, &a.Size, &a.SHA256, &a.CreatedBy, &at, &a.Superseded)
	a.CreatedAt = tm(at)
	return &a, err
}

// Attachments lists a proposal's attachments (its own and its replies').
func (s *Store) Attachments(ctx context.Context, committeeID, proposalID int64) ([]Attachment, error) {
	rows, err := s.rd(ctx).query(`SELECT `+attachmentCols+` FROM attachments WHERE committee_id = ? AND proposal_id = ? ORDER BY id`, committeeID, proposalID)
	return collectQuery(rows, err, func(sc scanner) (Attachment, error) {
		a, err := scanAttachment(sc)
		return *a, err
	})
}

// Attachment reads one attachment.
func (s *Store) Attachment(ctx context.Context, id int64) (*Attachment, error) {
	a, err := scanAttachment(s.rd(ctx).row(`SELECT `+attachmentCols+` FROM attachments WHERE id = ?`, id))
	return a, notFound(err, "附件")
}

// DeleteAttachment removes an attachment record of a draft.
func (t *Tx) DeleteAttachment(committeeID, id int64) error {
	res, err := t.exec(`DELETE FROM attachments WHERE committee_id = ? AND id = ?`, committeeID, id)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return zhengxie.NotFound("附件")
	}
	return nil
}

// SupersedeReplyAttachments marks the reply letters of a task as replaced
// by the reply still to come (re-handling).
func (t *Tx) SupersedeReplyAttachments(taskID int64) error {
	_, err := t.exec(`UPDATE attachments SET superseded = 1 WHERE task_id = ?`, taskID)
	return err
}

// AttachmentsWithHash counts the attachments, of any committee, whose
// bytes have this SHA-256: a stored file is removed only when none does.
func (s *Store) AttachmentsWithHash(ctx context.Context, sha string) (int, error) {
	var n int
	err := s.rd(ctx).row(`SELECT COUNT(*) FROM attachments WHERE sha256 = ?`, sha).Scan(&n)
	return n, err
}
