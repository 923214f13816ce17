package app

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"strconv"
	"strings"
	"time"

	"zhengxie"
	"zhengxie/store"
)

// Attendance: invited members answer 参加 or 请假, sign in on the day by
// scanning the QR code the organiser shows, and the organiser marks by
// hand, with a reason, whoever could not scan. Every answer is an event
// about the activity and an attendance.recorded webhook.

// SignInTTL is how long one QR code is valid: the organiser's page shows a
// fresh one every few minutes, so a photo of the code sent around stops
// working soon.
const SignInTTL = 15 * time.Minute

const signInSecret = "duty-signin"

// signInMAC signs (committee, activity, expiry) with the server's secret.
func (s *Service) signInMAC(ctx context.Context, committeeID, activityID, exp int64) ([]byte, error) {
	key, err := s.Store.Secret(ctx, signInSecret)
	if err != nil {
		return nil, err
	}
	m := hmac.New(sha256.New, key)
	fmt.Fprintf(m, "signin|%d|%d|%d", committeeID, activityID, exp)
	return m.Sum(nil)[:18], nil
}

// SignInToken returns a token for the activity's QR code and when it
// expires; only the organiser gets one, and only while members may sign in.
func (s *Service) SignInToken(ctx context.Context, a zhengxie.Actor, activityID int64) (string, time.Time, error) {
	v, err := s.Activity(ctx, a, activityID)
	if err != nil {
		return "", time.Time{}, err
	}
	if !v.Organiser {
		return "", time.Time{}, zhengxie.Errorf(zhengxie.EForbidden, "只有活动组织方可以出示签到二维码。")
	}
	act := v.Activity
	if act.State != zhengxie.ActivityPublished && act.State != zhengxie.ActivityHeld {
		return "", time.Time{}, zhengxie.Errorf(zhengxie.EIllegal, "活动%s，不能签到。请先发布活动。", act.State.Name())
	}
	now := s.now()
	_, end := act.SignInWindow()
	exp := now.Add(SignInTTL)
	if exp.After(end) {
		exp = end
	}
	if !exp.After(now) {
		return "", time.Time{}, zhengxie.Errorf(zhengxie.EIllegal, "本次活动的签到时间已过，不能再出示签到二维码；未签到的委员可由组织方补记。")
	}
	mac, err := s.signInMAC(ctx, a.CommitteeID, activityID, exp.Unix())
	if err != nil {
		return "", time.Time{}, err
	}
	return fmt.Sprintf("%d.%d.%s", activityID, exp.Unix(), base64.RawURLEncoding.EncodeToString(mac)), exp, nil
}

// checkSignInToken verifies a QR token for an activity.
func (s *Service) checkSignInToken(ctx context.Context, committeeID, activityID int64, token string) error {
	bad := zhengxie.Errorf(zhengxie.EForbidden, "签到二维码无效：请扫描活动现场出示的二维码。")
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return bad
	}
	id, err1 := strconv.ParseInt(parts[0], 10, 64)
	exp, err2 := strconv.ParseInt(parts[1], 10, 64)
	mac, err3 := base64.RawURLEncoding.DecodeString(parts[2])
	if err1 != nil || err2 != nil || err3 != nil || id != activityID {
		return bad
	}
	want, err := s.signInMAC(ctx, committeeID, activityID, exp)
	if err != nil {
		return err
	}
	if !hmac.Equal(mac, want) {
		return bad
	}
	if s.now().Unix() > exp {
		return zhengxie.Errorf(zhengxie.EIllegal, "签到二维码已过期：请重新扫描现场最新的二维码（二维码每隔几分钟更新一次）。")
	}
	return nil
}

// Answer is a member's 参加 (attend) or 请假 (leave, with a reason).
func (s *Service) Answer(ctx context.Context, a zhengxie.Actor, activityID int64, action zhengxie.AttendanceAction, reason string) (*zhengxie.Attendance, error) {
	reason = strings.TrimSpace(reason)
	if action != zhengxie.ActAttend && action != zhengxie.ActLeave {
		action = zhengxie.ActAttend
		return s.attendance(ctx, a, activityID, a.UserID, action, reason, func(*zhengxie.Activity) error {
			return zhengxie.FieldError("answer", "回复应为参加（attend）或请假（leave）")
		})
	}
	return s.attendance(ctx, a, activityID, a.UserID, action, reason, func(act *zhengxie.Activity) error {
		if action == zhengxie.ActLeave && reason == "" {
			return zhengxie.FieldError("reason", "请假须说明理由")
		}
		if act.State != zhengxie.ActivityPublished {
			return zhengxie.Errorf(zhengxie.EIllegal, "活动%s，不能再回复。", act.State.Name())
		}
		now := s.now()
		if !act.RegisterBy.IsZero() && now.After(act.RegisterBy) && action == zhengxie.ActAttend {
			return zhengxie.Errorf(zhengxie.EIllegal, "报名已于%s截止；如需参加请联系活动组织方。", act.RegisterBy.In(zhengxie.ChinaTime()).Format("1月2日 15:04"))
		}
		if now.After(act.EndsAt) {
			return zhengxie.Errorf(zhengxie.EIllegal, "活动已经结束，不能再回复；如需补记请联系活动组织方。")
		}
		return nil
	})
}

// SignIn signs the actor in at an activity with the QR token: a member
// signs in only for themselves, once, inside the window.
func (s *Service) SignIn(ctx context.Context, a zhengxie.Actor, activityID int64, token string) (*zhengxie.Attendance, error) {
	if a.IsAnonymous() {
		return nil, zhengxie.Errorf(zhengxie.EUnauthorized, "请先登录后再签到")
	}
	c, err := s.Store.Committee(ctx, a.CommitteeID)
	if err != nil {
		return nil, err
	}
	if a.Role != zhengxie.RoleMember {
		// Seen (or not) first, then refused: the office may see the
		// activity but signs nobody in, not even itself.
		if _, err := s.Activity(ctx, a, activityID); err != nil {
			return nil, err
		}
		return nil, zhengxie.Errorf(zhengxie.EForbidden, "只有受邀委员本人可以签到。")
	}
	return s.attendance(ctx, a, activityID, a.UserID, zhengxie.ActSignIn, "", func(act *zhengxie.Activity) error {
		if err := s.checkSignInToken(ctx, a.CommitteeID, activityID, token); err != nil {
			return err
		}
		return act.CheckSignIn(s.now(), c.Location())
	})
}

// MarkAttendance is the organiser's record of a member's attendance, with
// the reason (补记: 现场未能扫码, 会前电话请假 …).
func (s *Service) MarkAttendance(ctx context.Context, a zhengxie.Actor, activityID, userID int64, action zhengxie.AttendanceAction, reason string) (*zhengxie.Attendance, error) {
	reason = strings.TrimSpace(reason)
	valid := action.ByHand()
	if !valid {
		action = zhengxie.ActMarkPresent // for the permission check; refused below
	}
	return s.attendance(ctx, a, activityID, userID, action, reason, func(act *zhengxie.Activity) error {
		if !valid {
			return zhengxie.FieldError("mark", "记录方式应为补记到会（mark_present）、记为请假（mark_leave）或记为缺席（mark_absent）")
		}
		if reason == "" {
			return zhengxie.FieldError("reason", "请填写理由（如：现场未能扫码，经核实到会）")
		}
		if act.State == zhengxie.ActivityDraft || act.State == zhengxie.ActivityCancelled {
			return zhengxie.Errorf(zhengxie.EIllegal, "活动%s，不能记录出席。", act.State.Name())
		}
		return nil
	})
}

// attendance runs one action of the attendance table on userID's row.
func (s *Service) attendance(ctx context.Context, a zhengxie.Actor, activityID, userID int64, action zhengxie.AttendanceAction, reason string,
	guard func(*zhengxie.Activity) error) (*zhengxie.Attendance, error) {
	if a.IsAnonymous() {
		return nil, zhengxie.Errorf(zhengxie.EUnauthorized, "请先登录")
	}
	if err := zhengxie.CheckText("reason", "理由", reason, 500); err != nil {
		return nil, err
	}
	var out *zhengxie.Attendance
	err := s.Store.InTx(ctx, func(tx *store.Tx) error {
		act, err := tx.LockActivity(a.CommitteeID, activityID)
		if err != nil {
			return err
		}
		parties, sees, err := s.activityParties(tx, a, act)
		if err != nil {
			return err
		}
		if !sees {
			return zhengxie.NotFound("活动")
		}
		at, err := tx.LockAttendance(a.CommitteeID, activityID, userID)
		if zhengxie.ErrorCode(err) == zhengxie.ENotFound {
			if userID == a.UserID && a.Role == zhengxie.RoleMember {
				return zhengxie.Errorf(zhengxie.EForbidden, "您不在本次活动的邀请名单中；如需参加请联系活动组织方。")
			}
			return zhengxie.NotFound("受邀委员")
		}
		if err != nil {
			return err
		}
		// The member's own parties count only for their own row.
		if userID != a.UserID {
			var ps []zhengxie.Party
			for _, p := range parties {
				if p != zhengxie.PartyInvitee {
					ps = append(ps, p)
				}
			}
			parties = ps
		} else if action.ByHand() && !containsParty(parties, zhengxie.PartyOrganiser) {
			parties = []zhengxie.Party{zhengxie.PartyInvitee}
		}
		to, err := zhengxie.AttendanceTable.Next(at.State, action, parties...)
		if err != nil {
			if action == zhengxie.ActSignIn && at.State == zhengxie.AttendSignedIn {
				return zhengxie.Errorf(zhengxie.EIllegal, "您已于%s签到，无需重复签到。", at.SignedAt.In(zhengxie.ChinaTime()).Format("15:04"))
			}
			return err
		}
		if err := guard(act); err != nil {
			return err
		}
		from := at.State
		at.State, at.Reason, at.ByHand, at.MarkedBy = to, reason, action.ByHand(), 0
		if action.ByHand() {
			at.MarkedBy = a.UserID
		}
		if to == zhengxie.AttendSignedIn {
			at.SignedAt = s.now()
		} else {
			at.SignedAt = time.Time{}
		}
		if err := tx.SaveAttendance(at); err != nil {
			return err
		}
		comment := reason
		if userID != a.UserID {
			comment = at.UserName + "：" + reason // the organiser's record names whom it is about
		}
		if err := s.subjectEvent(tx, a, SubjectActivity, act.ID, "attendance."+string(action), string(from), string(to), comment,
			map[string]any{"user_id": userID, "by_hand": at.ByHand}); err != nil {
			return err
		}
		if err := s.emit(tx, a.CommitteeID, "attendance.recorded", map[string]any{"activity_id": act.ID, "activity": act.Title, "user_id": userID,
			"member": at.UserName, "state": at.State, "state_name": at.State.Name(), "by_hand": at.ByHand, "reason": reason}); err != nil {
			return err
		}
		if act.State.Counts() {
			if err := s.rescoreMember(tx, act.CommitteeID, act.Year, userID); err != nil {
				return err
			}
		}
		out = at
		return nil
	})
	return out, err
}

func containsParty(ps []zhengxie.Party, p zhengxie.Party) bool {
	for _, x := range ps {
		if x == p {
			return true
		}
	}
	return false
}

// CheckSignInToken verifies a QR token for an activity of the committee.
func (s *Service) CheckSignInToken(ctx context.Context, committeeID, activityID int64, token string) error {
	return s.checkSignInToken(ctx, committeeID, activityID, token)
}

// CheckSignIn says, before the member presses the button, whether signing
// in would succeed now: a valid token, inside the window.
func (s *Service) CheckSignIn(ctx context.Context, a zhengxie.Actor, activityID int64, token string) error {
	if err := s.checkSignInToken(ctx, a.CommitteeID, activityID, token); err != nil {
		return err
	}
	act, err := s.Store.Activity(ctx, a.CommitteeID, activityID)
	if err != nil {
		return err
	}
	c, err := s.Store.Committee(ctx, a.CommitteeID)
	if err != nil {
		return err
	}
	return act.CheckSignIn(s.now(), c.Location())
}
