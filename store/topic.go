package store

import (
	"context"
	"database/sql"
	"errors"
	"strings"

	"zhengxie"
)

// Topic orders (0020): the orders, their claims with the members each names,
// the joint studies asked for, and the link of a proposal to its order. The
// contact phone is a column like any other: who may read it is decided in
// app.

const topicCols = `o.id, o.committee_id, o.unit_id, COALESCE(un.name, ''), o.posted_by, o.title, o.background, o.needs, o.deadline,
	o.contact_name, o.contact_phone, o.state, o.reason, o.published_at, o.created_at, o.updated_at,
	(SELECT COUNT(*) FROM topic_claims c WHERE c.committee_id = o.committee_id AND c.order_id = o.id AND c.state <> 'withdrawn'),
	(SELECT COUNT(*) FROM topic_order_proposals tp JOIN proposals p ON p.id = tp.proposal_id AND p.committee_id = tp.committee_id
		WHERE tp.committee_id = o.committee_id AND tp.order_id = o.id AND p.state NOT IN ('draft', 'withdrawn'))`

const topicFrom = ` FROM topic_orders o LEFT JOIN units un ON un.id = o.unit_id AND un.committee_id = o.committee_id`

func scanTopic(sc interface{ Scan(...any) error }) (*zhengxie.TopicOrder, error) {
	var o zhengxie.TopicOrder
	var published, created, updated int64
	err := sc.Scan(&o.ID, &o.CommitteeID, &o.UnitID, &o.UnitName, &o.PostedBy, &o.Title, &o.Background, &o.Needs, &o.Deadline,
		&o.ContactName, &o.ContactPhone, &o.State, &o.Reason, &published, &created, &updated, &o.Claims, &o.Proposals)
	o.PublishedAt, o.CreatedAt, o.UpdatedAt = tm(published), tm(created), tm(updated)
	return &o, err
}

// CreateTopic inserts an order.
func (t *Tx) CreateTopic(o *zhengxie.TopicOrder) error {
	now := ms(t.Now())
	o.CreatedAt, o.UpdatedAt = tm(now), tm(now)
	id, err := t.insert(`INSERT INTO topic_orders (committee_id, unit_id, posted_by, title, background, needs, deadline, contact_name,
		contact_phone, state, reason, published_at, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		o.CommitteeID, o.UnitID, o.PostedBy, o.Title, o.Background, o.Needs, o.Deadline, o.ContactName,
		o.ContactPhone, string(o.State), o.Reason, ms(o.PublishedAt), now, now)
	if err != nil {
		return t.s.dialect.translate(err)
	}
	o.ID = id
	return nil
}

// UpdateTopic saves everything a step may change.
func (t *Tx) UpdateTopic(o *zhengxie.TopicOrder) error {
	o.UpdatedAt = tm(ms(t.Now()))
	res, err := t.exec(`UPDATE topic_orders SET unit_id = ?, title = ?, background = ?, needs = ?, deadline = ?, contact_name = ?,
		contact_phone = ?, state = ?, reason = ?, published_at = ?, updated_at = ? WHERE committee_id = ? AND id = ?`,
		o.UnitID, o.Title, o.Background, o.Needs, o.Deadline, o.ContactName,
		o.ContactPhone, string(o.State), o.Reason, ms(o.PublishedAt), ms(o.UpdatedAt), o.CommitteeID, o.ID)
	return affected(res, err, "订单")
}

// LockTopic reads an order for a change.
func (t *Tx) LockTopic(committeeID, id int64) (*zhengxie.TopicOrder, error) {
	if _, err := t.exec(`UPDATE topic_orders SET updated_at = updated_at WHERE committee_id = ? AND id = ?`, committeeID, id); err != nil {
		return nil, err
	}
	o, err := scanTopic(t.rd().row(`SELECT `+topicCols+topicFrom+` WHERE o.committee_id = ? AND o.id = ?`, committeeID, id))
	return o, notFound(err, "订单")
}

// Topic returns one order of a committee.
func (s *Store) Topic(ctx context.Context, committeeID, id int64) (*zhengxie.TopicOrder, error) {
	o, err := scanTopic(s.rd(ctx).row(`SELECT `+topicCols+topicFrom+` WHERE o.committee_id = ? AND o.id = ?`, committeeID, id))
	return o, notFound(err, "订单")
}

// TopicFilter selects orders of a committee.
type TopicFilter struct {
	CommitteeID int64
	States      []zhengxie.TopicState // any of these (nil: all)
	UnitID      int64
	PostedBy    int64 // with UnitID: orders of the unit or posted by this user
	Query       string
	Year        int // published (or, unpublished, created) in this year, by the committee's clock in UTC+8
	Limit       int
}

// Topics lists orders, the newest published first.
func (s *Store) Topics(ctx context.Context, f TopicFilter) ([]zhengxie.TopicOrder, error) {
	conds := []string{"o.committee_id = ?"}
	args := []any{f.CommitteeID}
	if len(f.States) > 0 {
		conds = append(conds, "o.state IN ("+placeholders(len(f.States))+")")
		for _, st := range f.States {
			args = append(args, string(st))
		}
	}
	switch {
	case f.UnitID != 0 && f.PostedBy != 0:
		conds, args = append(conds, "(o.unit_id = ? OR o.posted_by = ?)"), append(args, f.UnitID, f.PostedBy)
	case f.UnitID != 0:
		conds, args = append(conds, "o.unit_id = ?"), append(args, f.UnitID)
	case f.PostedBy != 0:
		conds, args = append(conds, "o.posted_by = ?"), append(args, f.PostedBy)
	}
	if q := strings.TrimSpace(f.Query); q != "" {
		conds, args = append(conds, "o.title LIKE ?"), append(args, "%"+escapeLike(q)+"%")
	}
	qs := `SELECT ` + topicCols + topicFrom + ` WHERE ` + strings.Join(conds, " AND ") + ` ORDER BY o.published_at DESC, o.created_at DESC, o.id DESC`
	if f.Limit > 0 {
		qs += ` LIMIT ?`
		args = append(args, f.Limit)
	}
	rows, err := s.rd(ctx).query(qs, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []zhengxie.TopicOrder
	for rows.Next() {
		o, err := scanTopic(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *o)
	}
	return out, rows.Err()
}

// CreateTopicClaim inserts a claim with the members it names.
func (t *Tx) CreateTopicClaim(c *zhengxie.TopicClaim) error {
	now := ms(t.Now())
	c.CreatedAt = tm(now)
	id, err := t.insert(`INSERT INTO topic_claims (committee_id, order_id, claimant_id, kind, sector_id, note, state, proposal_id, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, c.CommitteeID, c.OrderID, c.ClaimantID, c.Kind, c.SectorID, c.Note, c.State, c.ProposalID, now, now)
	if err != nil {
		return t.s.dialect.translate(err)
	}
	c.ID = id
	for i, m := range c.MemberIDs {
		if _, err := t.exec(`INSERT INTO topic_claim_members (committee_id, claim_id, user_id, position) VALUES (?, ?, ?, ?)`,
			c.CommitteeID, c.ID, m, i); err != nil {
			return t.s.dialect.translate(err)
		}
	}
	return nil
}

// UpdateTopicClaim saves a claim's state and proposal.
func (t *Tx) UpdateTopicClaim(c *zhengxie.TopicClaim) error {
	res, err := t.exec(`UPDATE topic_claims SET state = ?, proposal_id = ?, updated_at = ? WHERE committee_id = ? AND id = ?`,
		c.State, c.ProposalID, ms(t.Now()), c.CommitteeID, c.ID)
	return affected(res, err, "认领记录")
}

// TopicClaims lists an order's claims (orderID 0: every claim naming
// memberID), oldest first, withdrawn ones included.
func (t *Tx) TopicClaims(committeeID, orderID, memberID int64) ([]zhengxie.TopicClaim, error) {
	return topicClaims(t.rd(), committeeID, orderID, memberID)
}

// TopicClaims lists an order's claims, oldest first, withdrawn ones included.
func (s *Store) TopicClaims(ctx context.Context, committeeID, orderID int64) ([]zhengxie.TopicClaim, error) {
	return topicClaims(s.rd(ctx), committeeID, orderID, 0)
}

func topicClaims(x q, committeeID, orderID, memberID int64) ([]zhengxie.TopicClaim, error) {
	conds := "c.committee_id = ?"
	args := []any{committeeID}
	if orderID != 0 {
		conds, args = conds+" AND c.order_id = ?", append(args, orderID)
	}
	if memberID != 0 {
		conds += " AND EXISTS (SELECT 1 FROM topic_claim_members cm WHERE cm.committee_id = c.committee_id AND cm.claim_id = c.id AND cm.user_id = ?)"
		args = append(args, memberID)
	}
	rows, err := x.query(`SELECT c.id, c.committee_id, c.order_id, c.claimant_id, COALESCE(u.name, ''), c.kind, c.sector_id, COALESCE(se.name, ''),
		c.note, c.state, c.proposal_id, c.created_at FROM topic_claims c
		LEFT JOIN users u ON u.id = c.claimant_id AND u.committee_id = c.committee_id
		LEFT JOIN sectors se ON se.id = c.sector_id AND se.committee_id = c.committee_id
		WHERE `+conds+` ORDER BY c.id`, args...)
	if err != nil {
		return nil, err
	}
	var out []zhengxie.TopicClaim
	byID := map[int64]int{}
	for rows.Next() {
		var c zhengxie.TopicClaim
		var created int64
		if err := rows.Scan(&c.ID, &c.CommitteeID, &c.OrderID, &c.ClaimantID, &c.Claimant, &c.Kind, &c.SectorID, &c.SectorName,
			&c.Note, &c.State, &c.ProposalID, &created); err != nil {
			rows.Close()
			return nil, err
		}
		c.CreatedAt = tm(created)
		byID[c.ID] = len(out)
		out = append(out, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(out) == 0 {
		return out, err
	}
	mconds := "cm.committee_id = ? AND c.order_id = ?"
	margs := []any{committeeID, orderID}
	if orderID == 0 {
		mconds = "cm.committee_id = ? AND cm.claim_id IN (" + placeholders(len(out)) + ")"
		margs = []any{committeeID}
		for _, c := range out {
			margs = append(margs, c.ID)
		}
	}
	mrows, err := x.query(`SELECT cm.claim_id, cm.user_id, COALESCE(u.name, '') FROM topic_claim_members cm
		JOIN topic_claims c ON c.id = cm.claim_id AND c.committee_id = cm.committee_id
		LEFT JOIN users u ON u.id = cm.user_id AND u.committee_id = cm.committee_id
		WHERE `+mconds+` ORDER BY cm.claim_id, cm.position`, margs...)
	if err != nil {
		return nil, err
	}
	defer mrows.Close()
	for mrows.Next() {
		var claim, user int64
		var name string
		if err := mrows.Scan(&claim, &user, &name); err != nil {
			return nil, err
		}
		if i, ok := byID[claim]; ok {
			out[i].MemberIDs = append(out[i].MemberIDs, user)
			out[i].MemberNames = append(out[i].MemberNames, name)
		}
	}
	return out, mrows.Err()
}

// CreateTopicStudy inserts a joint study request.
func (t *Tx) CreateTopicStudy(st *zhengxie.TopicStudy) error {
	now := ms(t.Now())
	st.CreatedAt = tm(now)
	id, err := t.insert(`INSERT INTO topic_studies (committee_id, order_id, claim_id, requested_by, note, state, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		st.CommitteeID, st.OrderID, st.ClaimID, st.RequestedBy, st.Note, st.State, now)
	st.ID = id
	return err
}

// UpdateTopicStudy saves the unit's answer.
func (t *Tx) UpdateTopicStudy(st *zhengxie.TopicStudy) error {
	res, err := t.exec(`UPDATE topic_studies SET state = ?, day = ?, answer = ?, answered_by = ?, answered_at = ? WHERE committee_id = ? AND id = ?`,
		st.State, st.Date, st.Answer, st.AnsweredBy, ms(st.AnsweredAt), st.CommitteeID, st.ID)
	return affected(res, err, "联合调研申请")
}

const studyCols = `s.id, s.committee_id, s.order_id, s.claim_id, s.requested_by, COALESCE(u.name, ''), s.note, s.state, s.day, s.answer,
	s.answered_by, s.created_at, s.answered_at FROM topic_studies s LEFT JOIN users u ON u.id = s.requested_by AND u.committee_id = s.committee_id`

func scanStudy(sc interface{ Scan(...any) error }) (*zhengxie.TopicStudy, error) {
	var st zhengxie.TopicStudy
	var created, answered int64
	err := sc.Scan(&st.ID, &st.CommitteeID, &st.OrderID, &st.ClaimID, &st.RequestedBy, &st.Requester, &st.Note, &st.State, &st.Date, &st.Answer,
		&st.AnsweredBy, &created, &answered)
	st.CreatedAt, st.AnsweredAt = tm(created), tm(answered)
	return &st, err
}

// TopicStudy reads one joint study request of an order.
func (t *Tx) TopicStudy(committeeID, orderID, id int64) (*zhengxie.TopicStudy, error) {
	st, err := scanStudy(t.rd().row(`SELECT `+studyCols+` WHERE s.committee_id = ? AND s.order_id = ? AND s.id = ?`, committeeID, orderID, id))
	return st, notFound(err, "联合调研申请")
}

// TopicStudies lists an order's joint study requests, oldest first.
func (s *Store) TopicStudies(ctx context.Context, committeeID, orderID int64) ([]zhengxie.TopicStudy, error) {
	rows, err := s.rd(ctx).query(`SELECT `+studyCols+` WHERE s.committee_id = ? AND s.order_id = ? ORDER BY s.id`, committeeID, orderID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []zhengxie.TopicStudy
	for rows.Next() {
		st, err := scanStudy(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *st)
	}
	return out, rows.Err()
}

// TopicLink is the order a proposal was drafted from.
type TopicLink struct {
	ProposalID, OrderID, ClaimID int64
}

// LinkProposalTopic records that a proposal came from an order.
func (t *Tx) LinkProposalTopic(committeeID int64, l TopicLink) error {
	_, err := t.exec(`INSERT INTO topic_order_proposals (committee_id, proposal_id, order_id, claim_id) VALUES (?, ?, ?, ?)`,
		committeeID, l.ProposalID, l.OrderID, l.ClaimID)
	return t.s.dialect.translate(err)
}

// ProposalTopic returns the order link of a proposal; ok false when it has none.
func (t *Tx) ProposalTopic(committeeID, proposalID int64) (TopicLink, bool, error) {
	return proposalTopic(t.rd(), committeeID, proposalID)
}

// ProposalTopic returns the order link of a proposal; ok false when it has none.
func (s *Store) ProposalTopic(ctx context.Context, committeeID, proposalID int64) (TopicLink, bool, error) {
	return proposalTopic(s.rd(ctx), committeeID, proposalID)
}

func proposalTopic(x q, committeeID, proposalID int64) (TopicLink, bool, error) {
	l := TopicLink{ProposalID: proposalID}
	err := x.row(`SELECT order_id, claim_id FROM topic_order_proposals WHERE committee_id = ? AND proposal_id = ?`, committeeID, proposalID).
		Scan(&l.OrderID, &l.ClaimID)
	if errors.Is(err, sql.ErrNoRows) {
		return l, false, nil
	}
	return l, err == nil, err
}

// TopicProposal is a proposal filed against an order, as its page lists it.
type TopicProposal struct {
	ID       int64
	Number   int
	Title    string
	Proposer string
	State    zhengxie.State
	ClaimID  int64
}

// TopicProposals lists the proposals drafted from an order, drafts included
// (the caller decides who sees which).
func (s *Store) TopicProposals(ctx context.Context, committeeID, orderID int64) ([]TopicProposal, error) {
	rows, err := s.rd(ctx).query(`SELECT p.id, p.number, p.title, p.proposer_name, p.state, tp.claim_id FROM topic_order_proposals tp
		JOIN proposals p ON p.id = tp.proposal_id AND p.committee_id = tp.committee_id
		WHERE tp.committee_id = ? AND tp.order_id = ? ORDER BY p.id`, committeeID, orderID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []TopicProposal
	for rows.Next() {
		var p TopicProposal
		if err := rows.Scan(&p.ID, &p.Number, &p.Title, &p.Proposer, &p.State, &p.ClaimID); err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// TopicCounts are the statistics of the orders of one unit (UnitID 0 with
// Unit "": the total) created in a period.
type TopicCounts struct {
	UnitID    int64
	Unit      string
	Posted    int // submitted for review (every state but draft)
	Published int
	Claimed   int // with at least one claim not withdrawn
	Filed     int // with at least one proposal submitted against it
	Accepted  int // a proposal from it accepted (已立案, 已采纳)
	Adopted   int // a class A reply to a proposal from it (已采纳)
}

// TopicCountsByUnit counts the orders created in [from, to) (Unix ms), per
// unit, in the order of the units' names.
func (s *Store) TopicCountsByUnit(ctx context.Context, committeeID, from, to int64) ([]TopicCounts, error) {
	rows, err := s.rd(ctx).query(`SELECT o.unit_id, COALESCE(un.name, ''),
		SUM(CASE WHEN o.state <> 'draft' THEN 1 ELSE 0 END),
		SUM(CASE WHEN o.published_at > 0 THEN 1 ELSE 0 END),
		SUM(CASE WHEN EXISTS (SELECT 1 FROM topic_claims c WHERE c.committee_id = o.committee_id AND c.order_id = o.id AND c.state <> 'withdrawn') THEN 1 ELSE 0 END),
		SUM(CASE WHEN EXISTS (SELECT 1 FROM topic_order_proposals tp JOIN proposals p ON p.id = tp.proposal_id AND p.committee_id = tp.committee_id
			WHERE tp.committee_id = o.committee_id AND tp.order_id = o.id AND p.state NOT IN ('draft', 'withdrawn')) THEN 1 ELSE 0 END),
		SUM(CASE WHEN o.state IN ('accepted', 'adopted') THEN 1 ELSE 0 END),
		SUM(CASE WHEN o.state = 'adopted' THEN 1 ELSE 0 END)
		FROM topic_orders o LEFT JOIN units un ON un.id = o.unit_id AND un.committee_id = o.committee_id
		WHERE o.committee_id = ? AND o.created_at >= ? AND o.created_at < ?
		GROUP BY o.unit_id, un.name ORDER BY un.name, o.unit_id`, committeeID, from, to)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []TopicCounts
	for rows.Next() {
		var c TopicCounts
		if err := rows.Scan(&c.UnitID, &c.Unit, &c.Posted, &c.Published, &c.Claimed, &c.Filed, &c.Accepted, &c.Adopted); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}
