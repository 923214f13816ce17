package app

import (
	"context"
	"fmt"
	"slices"

	"zhengxie"
	"zhengxie/store"
)

// Reception days (接访) of liaison stations and sector studios: the staff
// (or the office) schedules them with the members on duty; on the day the
// members log each citizen's matter (matter.go); once held, the day counts
// toward the members' duty ("reception.held", read by the duty module).

// managedStations lists the stations and studios the actor manages (staff,
// director, deputy or convener there).
func managedStations(p *zhengxie.MemberProfile) []int64 {
	var out []int64
	for _, m := range p.Memberships {
		if m.OrgKind == zhengxie.OrgStation && zhengxie.Manages(m.Role) {
			out = append(out, m.OrgID)
		}
	}
	return out
}

// ManagedStations returns the stations the actor manages; the office
// manages all of its committee's.
func (s *Service) ManagedStations(ctx context.Context, a zhengxie.Actor) ([]int64, error) {
	if a.IsAnonymous() {
		return nil, nil
	}
	if a.Role == zhengxie.RoleOffice {
		sts, err := s.Store.Stations(ctx, a.CommitteeID, "")
		if err != nil {
			return nil, err
		}
		var out []int64
		for _, st := range sts {
			out = append(out, st.ID)
		}
		return out, nil
	}
	p, err := s.Store.Profile(ctx, a.CommitteeID, a.UserID)
	if err != nil {
		if zhengxie.ErrorCode(err) == zhengxie.ENotFound {
			return nil, nil
		}
		return nil, err
	}
	return managedStations(p), nil
}

func (s *Service) managesTx(tx *store.Tx, a zhengxie.Actor, stationID int64) (bool, error) {
	if a.IsAnonymous() || stationID == 0 {
		return false, nil
	}
	if a.Role == zhengxie.RoleOffice {
		return true, nil
	}
	p, err := tx.Profile(a.CommitteeID, a.UserID)
	if err != nil {
		if zhengxie.ErrorCode(err) == zhengxie.ENotFound {
			return false, nil
		}
		return false, err
	}
	return slices.Contains(managedStations(p), stationID), nil
}

func receptionLink(id int64) string { return fmt.Sprintf("/receptions/%d", id) }

func (s *Service) receptionParties(tx *store.Tx, a zhengxie.Actor, r *zhengxie.Reception) ([]zhengxie.Party, error) {
	if a.CommitteeID != r.CommitteeID {
		return nil, nil
	}
	var ps []zhengxie.Party
	staff, err := s.managesTx(tx, a, r.StationID)
	if err != nil {
		return nil, err
	}
	if staff {
		ps = append(ps, zhengxie.PartyStationStaff)
	}
	if a.Role == zhengxie.RoleMember && r.OnDuty(a.UserID) {
		ps = append(ps, zhengxie.PartyDutyMember)
	}
	return ps, nil
}

// ScheduleReception adds a reception day to a station's calendar and tells
// the members on duty.
func (s *Service) ScheduleReception(ctx context.Context, a zhengxie.Actor, r *zhengxie.Reception) error {
	if a.IsAnonymous() {
		return zhengxie.Errorf(zhengxie.EUnauthorized, "请先登录")
	}
	// Someone who manages no station is refused before the input is
	// checked, as the page's form refuses them: otherwise the API would
	// ask them to correct a form they may not send at all. The office may
	// plan for any station, even before the first one exists.
	if a.Role != zhengxie.RoleOffice {
		managed, err := s.ManagedStations(ctx, a)
		if err != nil {
			return err
		}
		if len(managed) == 0 {
			return zhengxie.Errorf(zhengxie.EForbidden, "只有联络站（工作室）工作人员或政协机关可以安排接访")
		}
	}
	if err := zhengxie.CheckReception(r); err != nil {
		return err
	}
	r.CommitteeID, r.State, r.CreatedBy = a.CommitteeID, zhengxie.ReceptionScheduled, a.UserID
	r.MemberIDs = slices.Compact(slices.Sorted(slices.Values(r.MemberIDs)))
	return s.Store.InTx(ctx, func(tx *store.Tx) error {
		st, err := tx.Station(a.CommitteeID, r.StationID)
		if err != nil {
			return zhengxie.FieldError("station_id", "所选联络站或工作室不存在")
		}
		staff, err := s.managesTx(tx, a, r.StationID)
		if err != nil {
			return err
		}
		if !staff {
			return zhengxie.Errorf(zhengxie.EForbidden, "只有%s的工作人员或政协机关可以安排接访。", st.Name)
		}
		ms, err := tx.Profiles(store.ProfileFilter{CommitteeID: a.CommitteeID, IDs: r.MemberIDs})
		if err != nil {
			return err
		}
		if len(ms) != len(r.MemberIDs) {
			return zhengxie.FieldError("member_ids", "值班委员须是本委员会的委员")
		}
		if err := tx.CreateReception(r); err != nil {
			return err
		}
		r.StationName = st.Name
		title := fmt.Sprintf("%s %s %s-%s 接访", st.Name, r.Day, r.Start, r.End)
		for _, m := range ms {
			if err := s.contactNotify(tx, a.CommitteeID, m.User.ID, "接访安排："+title, "您被安排为值班委员。地点："+r.Place+"。", receptionLink(r.ID)); err != nil {
				return err
			}
		}
		return s.subjectEvent(tx, a, "reception", r.ID, "reception.scheduled", "", string(r.State), title,
			map[string]any{"station_id": r.StationID, "day": r.Day.String(), "member_ids": r.MemberIDs})
	})
}

// ReceptionAct holds or cancels a reception day. Holding records how many
// citizens were received and counts for the members on duty.
func (s *Service) ReceptionAct(ctx context.Context, a zhengxie.Actor, id int64, action zhengxie.ReceptionAction, visitors int, note string) (*zhengxie.Reception, error) {
	if a.IsAnonymous() {
		return nil, zhengxie.Errorf(zhengxie.EUnauthorized, "请先登录")
	}
	if err := zhengxie.CheckText("note", "说明", note, 1000); err != nil {
		return nil, err
	}
	if visitors < 0 || visitors > 10000 {
		return nil, zhengxie.FieldError("visitors", "接待人次应为0至10000之间的整数")
	}
	var out *zhengxie.Reception
	err := s.Store.InTx(ctx, func(tx *store.Tx) error {
		r, err := tx.LockReception(a.CommitteeID, id)
		if err != nil {
			return err
		}
		ps, err := s.receptionParties(tx, a, r)
		if err != nil {
			return err
		}
		if len(ps) == 0 && !zhengxie.SeesAll(a.Role) {
			return zhengxie.NotFound("接访活动")
		}
		from := r.State
		if r.State, err = zhengxie.ReceptionTable.Next(r.State, action, ps...); err != nil {
			return err
		}
		var payload map[string]any
		switch action {
		case zhengxie.ActHoldReception:
			if visitors == 0 {
				visitors = r.Matters
			}
			r.Visitors = visitors
			if note != "" {
				r.Note = note
			}
			payload = map[string]any{"member_ids": r.MemberIDs, "title": r.StationName + r.Day.String() + "接访", "visitors": r.Visitors}
		case zhengxie.ActCancelReception:
			if note == "" {
				return zhengxie.FieldError("note", "请说明取消的原因，将告知值班委员")
			}
			r.Note = note
			for _, uid := range r.MemberIDs {
				if err := s.contactNotify(tx, a.CommitteeID, uid, "接访取消："+r.StationName+" "+r.Day.String(), note, receptionLink(r.ID)); err != nil {
					return err
				}
			}
		default:
			return zhengxie.Errorf(zhengxie.EIllegal, "不支持此操作")
		}
		if err := tx.UpdateReception(r); err != nil {
			return err
		}
		ev := "reception.cancelled"
		if action == zhengxie.ActHoldReception {
			ev = zhengxie.EventReceptionHeld
		}
		out = r
		return s.subjectEvent(tx, a, "reception", r.ID, ev, string(from), string(r.State), note, payload)
	})
	return out, err
}

// Reception returns a reception day the actor may see: the public sees
// scheduled and held days of any station (they are announced), without
// the members' names only when there are none.
func (s *Service) Reception(ctx context.Context, a zhengxie.Actor, id int64) (*zhengxie.Reception, []zhengxie.Party, error) {
	r, err := s.Store.Reception(ctx, a.CommitteeID, id)
	if err != nil {
		return nil, nil, err
	}
	var ps []zhengxie.Party
	err = s.Store.InTx(ctx, func(tx *store.Tx) error {
		ps, err = s.receptionParties(tx, a, r)
		return err
	})
	if err != nil {
		return nil, nil, err
	}
	if len(ps) == 0 && !zhengxie.SeesAll(a.Role) && a.Role != zhengxie.RoleMember {
		return nil, nil, zhengxie.NotFound("接访活动")
	}
	return r, ps, nil
}

// UpcomingReceptions lists the next reception days of a station (0: all of
// the committee), for its public page.
func (s *Service) UpcomingReceptions(ctx context.Context, committeeID, stationID int64, limit int) ([]zhengxie.Reception, error) {
	c, err := s.Store.Committee(ctx, committeeID)
	if err != nil {
		return nil, err
	}
	today := zhengxie.DateOf(s.now(), c.Location())
	return s.Store.Receptions(ctx, store.ReceptionFilter{CommitteeID: committeeID, StationID: stationID, From: today.String(),
		State: zhengxie.ReceptionScheduled, Limit: limit})
}
