package app

import (
	"context"

	"zhengxie"
	"zhengxie/store"
)

// Duty records the office keeps: speeches at the plenary, written
// speeches, research reports, sector consultation contributions and deeds
// for the people (为群众办实事: what was done and for whom).

// AddDutyRecord records a duty of a member (the office or the admin).
func (s *Service) AddDutyRecord(ctx context.Context, a zhengxie.Actor, r *zhengxie.DutyRecord) error {
	if err := requireRole(a, "记录大会发言、调研报告和为群众办实事", zhengxie.RoleOffice, zhengxie.RoleAdmin, zhengxie.RoleSystem); err != nil {
		return err
	}
	if err := zhengxie.CheckRecord(r); err != nil {
		return err
	}
	r.CommitteeID, r.CreatedBy = a.CommitteeID, a.UserID
	return s.Store.InTx(ctx, func(tx *store.Tx) error {
		u, err := tx.User(r.UserID)
		if err != nil || u.CommitteeID != a.CommitteeID || u.Role != zhengxie.RoleMember {
			return zhengxie.FieldError("user_id", "所选委员不存在")
		}
		if r.ActivityID != 0 {
			if _, err := tx.LockActivity(a.CommitteeID, r.ActivityID); err != nil {
				return zhengxie.FieldError("activity_id", "关联的活动不存在")
			}
		}
		if err := tx.CreateDutyRecord(r); err != nil {
			return err
		}
		if err := s.subjectEvent(tx, a, "duty_record", r.ID, "duty_record.created", "", "", r.Title,
			map[string]any{"user_id": r.UserID, "kind": r.Kind, "on": r.On.String()}); err != nil {
			return err
		}
		return s.rescoreMember(tx, a.CommitteeID, r.Year, r.UserID)
	})
}

// DutyRecords lists the records of a year: the office's view of all, a
// member's of their own.
func (s *Service) DutyRecords(ctx context.Context, a zhengxie.Actor, year int, userID int64) ([]zhengxie.DutyRecord, error) {
	if a.IsAnonymous() {
		return nil, zhengxie.Errorf(zhengxie.EUnauthorized, "请先登录")
	}
	if !zhengxie.SeesAll(a.Role) {
		userID = a.UserID
	}
	return s.Store.DutyRecords(ctx, a.CommitteeID, year, userID)
}
