package app

import (
	"zhengxie"
	ntf "zhengxie/notify"
	"zhengxie/store"
)

// The contact module's notices (接访、群众诉求、社情民意) go through the one
// outbox like every other notice, under one template (contact_notice) whose
// subject and text are still composed at the call site. Giving each of them
// a template of its own, as the proposal notices have, is the next step.

func (s *Service) contactNotice(tx *store.Tx, committeeID int64, to []Recipient, title, body, link string) error {
	_, err := s.notice(tx, Notice{CommitteeID: committeeID, Template: ntf.ContactNotice, Link: link, To: to,
		Data: ntf.Data{Subject: title, Body: body, Committee: s.committeeName(tx, committeeID)}})
	return err
}

// contactNotify writes to one user.
func (s *Service) contactNotify(tx *store.Tx, committeeID, userID int64, title, body, link string) error {
	return s.contactNotice(tx, committeeID, toUsers(userID), title, body, link)
}

// contactNotifyOffice writes to every office user of the committee.
func (s *Service) contactNotifyOffice(tx *store.Tx, committeeID int64, title, body, link string) error {
	return s.contactNotice(tx, committeeID, []Recipient{toRole(zhengxie.RoleOffice)}, title, body, link)
}

// contactNotifyUnit writes to every user of a handling unit, addressed to the unit.
func (s *Service) contactNotifyUnit(tx *store.Tx, committeeID, unitID int64, title, body, link string) error {
	name := ""
	if u, err := tx.Unit(committeeID, unitID); err == nil {
		name = u.Name
	}
	return s.contactNotice(tx, committeeID, []Recipient{toUnit(unitID, name)}, title, body, link)
}
