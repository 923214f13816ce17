package app

import (
	"context"
	"encoding/json"
	"strings"

	"zhengxie"
	"zhengxie/store"
)

// The committee's organisation, kept by the admin: sectors, special
// committees, liaison stations and sector studios, and each member's
// profile with memberships. Every change is an event of the committee's
// chain about its subject ("sector", "special_committee", "station", "member").

// subjectEvent appends an event about a module's subject.
func (s *Service) subjectEvent(tx *store.Tx, a zhengxie.Actor, kind string, id int64, action, from, to, comment string, payload any) error {
	var body string
	if payload != nil {
		b, err := json.Marshal(payload)
		if err != nil {
			return err
		}
		body = string(b)
	}
	return tx.AppendEvent(&zhengxie.Event{CommitteeID: a.CommitteeID, SubjectKind: kind, SubjectID: id, ActorID: a.UserID, ActorName: a.Name,
		Action: action, FromState: from, ToState: to, Comment: comment, Payload: body})
}

func requireOrgAdmin(a zhengxie.Actor) error {
	return requireRole(a, "管理界别、专门委员会和联络站", zhengxie.RoleAdmin, zhengxie.RoleSystem)
}

// SaveSector creates (id 0) or renames a 界别.
func (s *Service) SaveSector(ctx context.Context, a zhengxie.Actor, id int64, name string) (*zhengxie.Sector, error) {
	if err := requireOrgAdmin(a); err != nil {
		return nil, err
	}
	name = strings.TrimSpace(name)
	if err := zhengxie.CheckOrgName("界别", name); err != nil {
		return nil, err
	}
	se := &zhengxie.Sector{ID: id, CommitteeID: a.CommitteeID, Name: name}
	err := s.Store.InTx(ctx, func(tx *store.Tx) error {
		action := "sector.created"
		if id == 0 {
			if err := tx.CreateSector(se); err != nil {
				return err
			}
		} else {
			action = "sector.renamed"
			if err := tx.RenameSector(a.CommitteeID, id, name); err != nil {
				return err
			}
		}
		return s.subjectEvent(tx, a, zhengxie.OrgSector, se.ID, action, "", "", name, nil)
	})
	return se, orgConflict(err, "界别")
}

// SaveSpecialCommittee creates (id 0) or renames a 专门委员会.
func (s *Service) SaveSpecialCommittee(ctx context.Context, a zhengxie.Actor, id int64, name string) (*zhengxie.SpecialCommittee, error) {
	if err := requireOrgAdmin(a); err != nil {
		return nil, err
	}
	name = strings.TrimSpace(name)
	if err := zhengxie.CheckOrgName("专门委员会", name); err != nil {
		return nil, err
	}
	sc := &zhengxie.SpecialCommittee{ID: id, CommitteeID: a.CommitteeID, Name: name}
	err := s.Store.InTx(ctx, func(tx *store.Tx) error {
		action := "special_committee.created"
		if id == 0 {
			if err := tx.CreateSpecialCommittee(sc); err != nil {
				return err
			}
		} else {
			action = "special_committee.renamed"
			if err := tx.RenameSpecialCommittee(a.CommitteeID, id, name); err != nil {
				return err
			}
		}
		return s.subjectEvent(tx, a, zhengxie.OrgSpecialCommittee, sc.ID, action, "", "", name, nil)
	})
	return sc, orgConflict(err, "专门委员会")
}

// SaveStation creates (ID 0) or changes a liaison station or sector studio.
func (s *Service) SaveStation(ctx context.Context, a zhengxie.Actor, st *zhengxie.Station) error {
	if err := requireOrgAdmin(a); err != nil {
		return err
	}
	st.CommitteeID = a.CommitteeID
	st.Name, st.Address, st.Phone = strings.TrimSpace(st.Name), strings.TrimSpace(st.Address), strings.TrimSpace(st.Phone)
	if st.Kind != zhengxie.StationLiaison && st.Kind != zhengxie.StationStudio {
		return zhengxie.FieldError("kind", "类型应为委员联络站（station）或界别委员工作室（studio）")
	}
	if err := zhengxie.CheckOrgName(zhengxie.StationKindName(st.Kind), st.Name); err != nil {
		return err
	}
	if len([]rune(st.Address)) > 100 || !zhengxie.ValidText(st.Address) {
		return zhengxie.FieldError("address", "地址不超过100个字")
	}
	if len(st.Phone) > 30 || !zhengxie.ValidText(st.Phone) {
		return zhengxie.FieldError("phone", "联系电话不超过30个字符")
	}
	if st.Kind == zhengxie.StationStudio && st.SectorID == 0 {
		return zhengxie.FieldError("sector_id", "界别委员工作室须选择所属界别")
	}
	err := s.Store.InTx(ctx, func(tx *store.Tx) error {
		if st.SectorID != 0 {
			if _, err := tx.Sector(a.CommitteeID, st.SectorID); err != nil {
				return zhengxie.FieldError("sector_id", "所选界别不存在")
			}
		}
		action := "station.updated"
		if st.ID == 0 {
			action = "station.created"
		}
		if err := tx.SaveStation(st); err != nil {
			return err
		}
		return s.subjectEvent(tx, a, zhengxie.OrgStation, st.ID, action, "", "", st.Name, map[string]any{"kind": st.Kind, "sector_id": st.SectorID})
	})
	return orgConflict(err, "联络站或工作室")
}

func orgConflict(err error, what string) error {
	if zhengxie.ErrorCode(err) == zhengxie.EConflict {
		return zhengxie.FieldError("name", "已有同名的%s", what)
	}
	return err
}

// MemberProfile returns a member's profile: to the admin, the office and
// leaders any member's of their committee; to a member their own.
func (s *Service) MemberProfile(ctx context.Context, a zhengxie.Actor, userID int64) (*zhengxie.MemberProfile, error) {
	if a.IsAnonymous() {
		return nil, zhengxie.Errorf(zhengxie.EUnauthorized, "请先登录")
	}
	if a.UserID != userID && !zhengxie.SeesAll(a.Role) {
		return nil, zhengxie.NotFound("委员")
	}
	return s.Store.Profile(ctx, a.CommitteeID, userID)
}

// UpdateMember saves what the admin edits of a member: name, 界别, contact
// details, gender, employer, 常委, term and memberships of special
// committees and stations.
func (s *Service) UpdateMember(ctx context.Context, a zhengxie.Actor, p *zhengxie.MemberProfile) error {
	if err := requireRole(a, "修改委员信息", zhengxie.RoleAdmin, zhengxie.RoleSystem); err != nil {
		return err
	}
	if err := zhengxie.CheckProfile(p); err != nil {
		return err
	}
	return s.Store.InTx(ctx, func(tx *store.Tx) error {
		old, err := tx.Profile(a.CommitteeID, p.User.ID)
		if err != nil {
			return err
		}
		p.User.CommitteeID = a.CommitteeID
		if err := s.checkOrgRefs(tx, a.CommitteeID, p); err != nil {
			return err
		}
		if err := tx.SaveProfile(p); err != nil {
			return err
		}
		return s.subjectEvent(tx, a, "member", p.User.ID, "member.updated", "", "", p.User.Name, profileDiff(old, p))
	})
}

// checkOrgRefs makes sure the sector and organisations a profile names
// are the committee's own.
func (s *Service) checkOrgRefs(tx *store.Tx, committeeID int64, p *zhengxie.MemberProfile) error {
	if p.User.SectorID != 0 {
		if _, err := tx.Sector(committeeID, p.User.SectorID); err != nil {
			return zhengxie.FieldError("sector_id", "所选界别不存在")
		}
	}
	scs, err := tx.SpecialCommittees(committeeID)
	if err != nil {
		return err
	}
	sts, err := tx.Stations(committeeID, "")
	if err != nil {
		return err
	}
	seen := map[[2]any]bool{}
	var ms []zhengxie.Membership
	for _, m := range p.Memberships {
		ok := false
		switch m.OrgKind {
		case zhengxie.OrgSpecialCommittee:
			for _, sc := range scs {
				ok = ok || sc.ID == m.OrgID
			}
		case zhengxie.OrgStation:
			for _, st := range sts {
				ok = ok || st.ID == m.OrgID
			}
		}
		if !ok {
			return zhengxie.FieldError("memberships", "所选的专门委员会或联络站不存在")
		}
		if m.Role == "" {
			m.Role = zhengxie.OrgRoleMember
		}
		k := [2]any{m.OrgKind, m.OrgID}
		if !seen[k] {
			seen[k] = true
			m.CommitteeID = committeeID
			ms = append(ms, m)
		}
	}
	p.Memberships = ms
	return nil
}

// profileDiff is the event's payload: what changed, without the contact
// details themselves (the log is kept forever; a phone number need not be).
func profileDiff(old, p *zhengxie.MemberProfile) map[string]any {
	out := map[string]any{}
	if old.User.Name != p.User.Name {
		out["name"] = p.User.Name
	}
	if old.User.SectorID != p.User.SectorID {
		out["sector_id"] = p.User.SectorID
	}
	if old.User.Phone != p.User.Phone {
		out["phone_changed"] = true
	}
	if old.User.Email != p.User.Email {
		out["email_changed"] = true
	}
	if old.Gender != p.Gender || old.Employer != p.Employer || old.Standing != p.Standing || old.Term != p.Term {
		out["profile_changed"] = true
	}
	var ms []string
	for _, m := range p.Memberships {
		b, _ := json.Marshal([]any{m.OrgKind, m.OrgID, m.Role})
		ms = append(ms, string(b))
	}
	out["memberships"] = ms
	return out
}
