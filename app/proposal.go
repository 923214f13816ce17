package app

import (
	"context"
	"fmt"
	"time"

	"zhengxie"
	ntf "zhengxie/notify"
	"zhengxie/store"
)

func proposalLink(id int64) string { return fmt.Sprintf("/proposals/%d", id) }

// CreateDraft saves a new draft for a member. Little is required so that
// nothing a member wrote is lost; the full checks run at submission.
func (s *Service) CreateDraft(ctx context.Context, a zhengxie.Actor, d zhengxie.Draft) (*zhengxie.Proposal, error) {
	return s.createDraft(ctx, a, d, nil)
}

// createDraft saves a new draft; then, when not nil, runs in the same
// transaction (the link of a draft to the order it came from).
func (s *Service) createDraft(ctx context.Context, a zhengxie.Actor, d zhengxie.Draft, then func(tx *store.Tx, p *zhengxie.Proposal) error) (*zhengxie.Proposal, error) {
	if a.Role != zhengxie.RoleMember && a.Role != zhengxie.RoleOffice {
		return nil, zhengxie.Errorf(zhengxie.EForbidden, "只有委员（或代集体提案录入的提案委员会）可以撰写提案。")
	}
	d.Normalize()
	if err := zhengxie.ValidateSave(d); err != nil {
		return nil, err
	}
	session, err := s.Store.CurrentSession(ctx, a.CommitteeID)
	if err != nil {
		return nil, err
	}
	p := &zhengxie.Proposal{
		CommitteeID: a.CommitteeID, SessionID: session.ID, Title: d.Title, Body: d.Body, Category: d.Category,
		Kind: d.Kind, BodyName: d.BodyName, ProposerID: a.UserID, ProposerName: proposerName(a, d), State: zhengxie.StateDraft,
	}
	doc := docOf(0, d.Title, d.Body)
	err = s.Store.InTx(ctx, func(tx *store.Tx) error {
		if err := tx.CreateProposal(p); err != nil {
			return err
		}
		if err := tx.SetCosigners(p, d.Cosigners); err != nil {
			return err
		}
		doc.ProposalID = p.ID
		if err := tx.IndexProposal(doc); err != nil {
			return err
		}
		if err := s.event(tx, a, p.CommitteeID, p.ID, 0, string(zhengxie.ActCreate), "", string(p.State), "", nil); err != nil {
			return err
		}
		if then != nil {
			return then(tx, p)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return p, nil
}

func proposerName(a zhengxie.Actor, d zhengxie.Draft) string {
	if d.Kind == zhengxie.KindBody && d.BodyName != "" {
		return d.BodyName
	}
	return a.Name
}

// SaveDraft replaces the text of a draft.
func (s *Service) SaveDraft(ctx context.Context, a zhengxie.Actor, id int64, d zhengxie.Draft) (*zhengxie.Proposal, error) {
	d.Normalize()
	if err := zhengxie.ValidateSave(d); err != nil {
		return nil, err
	}
	doc := docOf(id, d.Title, d.Body)
	return s.act(ctx, a, id, zhengxie.ActSave, "", nil, func(c *change) error {
		c.p.Title, c.p.Body, c.p.Category, c.p.Kind, c.p.BodyName = d.Title, d.Body, d.Category, d.Kind, d.BodyName
		c.p.ProposerName = proposerName(a, d)
		if err := c.tx.IndexProposal(doc); err != nil {
			return err
		}
		return c.tx.SetCosigners(c.p, d.Cosigners)
	})
}

// DraftOf returns the stored draft of a proposal with its co-signers.
func DraftOf(p *zhengxie.Proposal, cs []zhengxie.Cosigner) zhengxie.Draft {
	d := zhengxie.Draft{Title: p.Title, Body: p.Body, Category: p.Category, Kind: p.Kind, BodyName: p.BodyName}
	for _, c := range cs {
		d.Cosigners = append(d.Cosigners, c.UserID)
	}
	return d
}

// Submit sends a draft to the office, or first to its co-signers.
func (s *Service) Submit(ctx context.Context, a zhengxie.Actor, id int64) (*zhengxie.Proposal, error) {
	return s.act(ctx, a, id, zhengxie.ActSubmit, "", nil, func(c *change) error {
		cs, err := c.tx.Cosigners(c.p.ID)
		if err != nil {
			return err
		}
		if err := zhengxie.ValidateSubmit(DraftOf(c.p, cs)); err != nil {
			return err
		}
		c.p.State = zhengxie.SubmitTarget(len(cs))
		c.p.SubmittedAt = s.now()
		if err := s.indexAfterCommit(c.tx, c.p); err != nil {
			return err
		}
		if len(cs) > 0 {
			c.p.CosignDue = s.now().AddDate(0, 0, s.Config.CosignDays)
			for _, x := range cs {
				n := s.proposalNotice(c.tx, c.p, ntf.CosignInvited, ntf.Data{Due: c.p.CosignDue.In(zhengxie.ChinaTime())}, "")
				n.To = toUsers(x.UserID)
				if err := s.send(c.tx, n); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

// Cosign records a co-signer's answer; when everyone has answered the
// proposal goes on to review.
func (s *Service) Cosign(ctx context.Context, a zhengxie.Actor, id int64, confirm bool) (*zhengxie.Proposal, error) {
	action, status := zhengxie.ActCosign, zhengxie.CosignConfirmed
	if !confirm {
		action, status = zhengxie.ActDeclineCosig, zhengxie.CosignDeclined
	}
	var complete bool
	p, err := s.act(ctx, a, id, action, "", nil, func(c *change) error {
		if err := c.tx.SetCosignStatus(c.p.ID, a.UserID, status); err != nil {
			return err
		}
		cs, err := c.tx.Cosigners(c.p.ID)
		if err != nil {
			return err
		}
		complete = zhengxie.CosignComplete(cs)
		return nil
	})
	if err != nil || !complete {
		return p, err
	}
	return s.CloseCosign(ctx, zhengxie.SystemActor(a.CommitteeID), id)
}

// CloseCosign ends the co-signing period: those who did not confirm are not
// co-signers, and the proposal goes to review.
func (s *Service) CloseCosign(ctx context.Context, a zhengxie.Actor, id int64) (*zhengxie.Proposal, error) {
	return s.act(ctx, a, id, zhengxie.ActCloseCosign, "", nil, func(c *change) error {
		cs, err := c.tx.Cosigners(c.p.ID)
		if err != nil {
			return err
		}
		for _, x := range cs {
			if x.Status == zhengxie.CosignInvited {
				if err := c.tx.SetCosignStatus(c.p.ID, x.UserID, zhengxie.CosignDeclined); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

// Withdraw takes a proposal back before it is accepted.
func (s *Service) Withdraw(ctx context.Context, a zhengxie.Actor, id int64, comment string) (*zhengxie.Proposal, error) {
	return s.act(ctx, a, id, zhengxie.ActWithdraw, comment, nil, nil)
}

// Accept registers a proposal (立案) and gives it the next official number.
func (s *Service) Accept(ctx context.Context, a zhengxie.Actor, id int64, comment string) (*zhengxie.Proposal, error) {
	return s.act(ctx, a, id, zhengxie.ActAccept, comment, nil, func(c *change) error {
		n, err := c.tx.NextNumber(c.p.CommitteeID, c.p.SessionID)
		if err != nil {
			return err
		}
		c.p.Number, c.p.AcceptedAt = n, s.now()
		nt := s.proposalNotice(c.tx, c.p, ntf.ProposalAccepted, ntf.Data{}, "")
		nt.Event, nt.Payload = "proposal.accepted", proposalEventOf(c.p)
		return s.send(c.tx, nt)
	})
}

// Reject decides 不予立案; the reason is shown to the proposer.
func (s *Service) Reject(ctx context.Context, a zhengxie.Actor, id int64, reason string) (*zhengxie.Proposal, error) {
	if err := zhengxie.CheckReason(zhengxie.ActReject, reason); err != nil {
		return nil, err
	}
	return s.act(ctx, a, id, zhengxie.ActReject, reason, nil, func(c *change) error {
		c.p.Reason = reason
		return s.send(c.tx, s.proposalNotice(c.tx, c.p, ntf.ProposalRejected, ntf.Data{Reason: reason}, ""))
	})
}

// Convert turns a proposal into an opinion (转为意见建议).
func (s *Service) Convert(ctx context.Context, a zhengxie.Actor, id int64, reason string) (*zhengxie.Proposal, error) {
	if err := zhengxie.CheckReason(zhengxie.ActConvert, reason); err != nil {
		return nil, err
	}
	return s.act(ctx, a, id, zhengxie.ActConvert, reason, nil, func(c *change) error {
		c.p.Reason = reason
		return s.send(c.tx, s.proposalNotice(c.tx, c.p, ntf.ProposalConverted, ntf.Data{Reason: reason}, ""))
	})
}

// Merge folds a proposal into another (并案); the proposer is told which.
func (s *Service) Merge(ctx context.Context, a zhengxie.Actor, id, into int64, comment string) (*zhengxie.Proposal, error) {
	return s.act(ctx, a, id, zhengxie.ActMerge, comment, map[string]int64{"into": into}, func(c *change) error {
		target, err := c.tx.LockProposal(c.p.CommitteeID, into)
		if err != nil {
			return zhengxie.FieldError("into", "要并入的提案不存在")
		}
		if err := zhengxie.CheckMerge(c.p, target); err != nil {
			return err
		}
		c.p.MergedInto = target.ID
		c.p.Reason = fmt.Sprintf("并入《%s》%s", target.Title, target.NumberText())
		if comment != "" {
			c.p.Reason += "：" + comment
		}
		return s.send(c.tx, s.proposalNotice(c.tx, c.p, ntf.ProposalMerged, ntf.Data{Reason: c.p.Reason}, proposalLink(target.ID)))
	})
}

// MergeByNumber is Merge with the target given by its official number in
// the same session (第N号), which is what the office knows.
func (s *Service) MergeByNumber(ctx context.Context, a zhengxie.Actor, id int64, number int, comment string) (*zhengxie.Proposal, error) {
	p, err := s.Store.Proposal(ctx, a.CommitteeID, id)
	if err != nil {
		return nil, err
	}
	into, err := s.Store.ProposalIDByNumber(ctx, a.CommitteeID, p.SessionID, number)
	if err != nil {
		return nil, zhengxie.FieldError("into", "本次会议没有%s提案", zhengxie.FormatNumber(number))
	}
	return s.Merge(ctx, a, id, into, comment)
}

// Publish makes the proposal and its replies public (公开).
func (s *Service) Publish(ctx context.Context, a zhengxie.Actor, id int64) (*zhengxie.Proposal, error) {
	return s.act(ctx, a, id, zhengxie.ActPublish, "", nil, func(c *change) error {
		c.p.Published, c.p.PublishedAt = true, s.now()
		return s.afterProposal(c.tx, c.p, "proposal.published")
	})
}

// Unpublish withdraws publication.
func (s *Service) Unpublish(ctx context.Context, a zhengxie.Actor, id int64, comment string) (*zhengxie.Proposal, error) {
	return s.act(ctx, a, id, zhengxie.ActUnpublish, comment, nil, func(c *change) error {
		c.p.Published = false
		return nil
	})
}

// Conclude closes the handling (办结) once every reply was rated.
func (s *Service) Conclude(ctx context.Context, a zhengxie.Actor, id int64, comment string) (*zhengxie.Proposal, error) {
	return s.act(ctx, a, id, zhengxie.ActConclude, comment, nil, func(c *change) error {
		ts, err := c.tx.Tasks(c.p.ID)
		if err != nil {
			return err
		}
		if err := zhengxie.CheckConclude(ts); err != nil {
			return err
		}
		c.p.ConcludedAt = s.now()
		c.after = append(c.after, func() error { return s.closeOpenTasks(c.tx, c.p, ts) })
		n := s.proposalNotice(c.tx, c.p, ntf.ProposalConcluded, ntf.Data{}, "")
		n.Event, n.Payload = "proposal.concluded", proposalEventOf(c.p)
		return s.send(c.tx, n)
	})
}

// Archive freezes the whole case file (归档).
func (s *Service) Archive(ctx context.Context, a zhengxie.Actor, id int64) (*zhengxie.Proposal, error) {
	return s.act(ctx, a, id, zhengxie.ActArchive, "", nil, nil)
}

// CloseDueCosigns moves on every proposal whose co-signing deadline passed.
func (s *Service) CloseDueCosigns(ctx context.Context) (int, error) {
	ps, err := s.Store.CosignDueProposals(ctx, s.now().UnixMilli())
	if err != nil {
		return 0, err
	}
	n := 0
	for _, p := range ps {
		if _, err := s.CloseCosign(ctx, zhengxie.SystemActor(p.CommitteeID), p.ID); err != nil {
			s.Log.Warn("close cosign", "proposal", p.ID, "err", err)
			continue
		}
		n++
	}
	return n, nil
}

var _ = time.Now
