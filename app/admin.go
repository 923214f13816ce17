package app

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"image/png"
	"math/big"
	"time"

	"github.com/pquerna/otp/totp"

	"zhengxie"
	"zhengxie/store"
)

// adminTarget loads a user the admin may manage: one of the admin's committee.
func (s *Service) adminTarget(tx *store.Tx, a zhengxie.Actor, userID int64) (*zhengxie.User, error) {
	if a.Role != zhengxie.RoleAdmin {
		return nil, zhengxie.Errorf(zhengxie.EForbidden, "只有系统管理员可以管理用户")
	}
	u, err := tx.User(userID)
	if err != nil || u.CommitteeID != a.CommitteeID {
		return nil, zhengxie.NotFound("用户")
	}
	return u, nil
}

// TempPassword returns a random password that meets the rules.
func TempPassword() string {
	const letters = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ"
	const digits = "23456789"
	b := make([]byte, 0, 12)
	pick := func(set string) byte {
		n, _ := rand.Int(rand.Reader, big.NewInt(int64(len(set))))
		return set[n.Int64()]
	}
	for i := 0; i < 8; i++ {
		b = append(b, pick(letters))
	}
	for i := 0; i < 4; i++ {
		b = append(b, pick(digits))
	}
	return string(b)
}

// ResetPassword gives a user a temporary password (shown once to the admin),
// ends all their sessions, and makes them choose a new one at next login.
func (s *Service) ResetPassword(ctx context.Context, a zhengxie.Actor, userID int64) (string, error) {
	pw := TempPassword()
	err := s.Store.InTx(ctx, func(tx *store.Tx) error {
		u, err := s.adminTarget(tx, a, userID)
		if err != nil {
			return err
		}
		if err := tx.SetPassword(u.ID, HashPassword(pw)); err != nil {
			return err
		}
		if err := tx.SetMustChangePassword(u.ID, true); err != nil {
			return err
		}
		if err := tx.DeleteUserSessions(u.ID); err != nil {
			return err
		}
		// An integration holding the user's token is the user too.
		if _, err := s.revokeTokens(tx, a, u, "password_reset"); err != nil {
			return err
		}
		return s.event(tx, a, a.CommitteeID, 0, 0, "password_reset", "", "", u.Username, map[string]int64{"user": u.ID})
	})
	return pw, err
}

// ForceLogout ends every session of a user.
func (s *Service) ForceLogout(ctx context.Context, a zhengxie.Actor, userID int64) error {
	return s.Store.InTx(ctx, func(tx *store.Tx) error {
		u, err := s.adminTarget(tx, a, userID)
		if err != nil {
			return err
		}
		if err := tx.DeleteUserSessions(u.ID); err != nil {
			return err
		}
		if _, err := s.revokeTokens(tx, a, u, "force_logout"); err != nil {
			return err
		}
		return s.event(tx, a, a.CommitteeID, 0, 0, "force_logout", "", "", u.Username, map[string]int64{"user": u.ID})
	})
}

// SetDisabled disables (and logs out) or re-enables an account.
func (s *Service) SetDisabled(ctx context.Context, a zhengxie.Actor, userID int64, disabled bool) error {
	return s.Store.InTx(ctx, func(tx *store.Tx) error {
		u, err := s.adminTarget(tx, a, userID)
		if err != nil {
			return err
		}
		if u.ID == a.UserID {
			return zhengxie.Errorf(zhengxie.EIllegal, "不能停用自己的账号")
		}
		if err := tx.SetUserDisabled(u.ID, disabled); err != nil {
			return err
		}
		action := "user_enabled"
		if disabled {
			action = "user_disabled"
			if err := tx.DeleteUserSessions(u.ID); err != nil {
				return err
			}
		}
		return s.event(tx, a, a.CommitteeID, 0, 0, action, "", "", u.Username, map[string]int64{"user": u.ID})
	})
}

// ChangeRole changes what a user may do; the change is audited and the
// user's sessions end so that no page keeps the old rights.
func (s *Service) ChangeRole(ctx context.Context, a zhengxie.Actor, userID int64, role zhengxie.Role, unitID int64) error {
	valid := false
	for _, r := range zhengxie.Roles {
		valid = valid || r == role
	}
	if !valid {
		return zhengxie.FieldError("role", "角色无效")
	}
	if role == zhengxie.RoleUnit && unitID == 0 {
		return zhengxie.FieldError("unit", "承办单位用户须选择所属单位")
	}
	if role != zhengxie.RoleUnit {
		unitID = 0
	}
	return s.Store.InTx(ctx, func(tx *store.Tx) error {
		u, err := s.adminTarget(tx, a, userID)
		if err != nil {
			return err
		}
		if unitID != 0 {
			if _, err := tx.Unit(a.CommitteeID, unitID); err != nil {
				return zhengxie.FieldError("unit", "承办单位不存在")
			}
		}
		if err := tx.SetUserRole(u.ID, role, unitID); err != nil {
			return err
		}
		if err := tx.DeleteUserSessions(u.ID); err != nil {
			return err
		}
		// A token made for one unit's office system must not start acting
		// for another unit, nor with rights nobody chose it for.
		if _, err := s.revokeTokens(tx, a, u, "role_changed"); err != nil {
			return err
		}
		return s.event(tx, a, a.CommitteeID, 0, 0, "role_changed", string(u.Role), string(role), u.Username, map[string]int64{"user": u.ID, "unit": unitID})
	})
}

// ChangePassword lets a user choose a new password.
func (s *Service) ChangePassword(ctx context.Context, a zhengxie.Actor, old, pw string) error {
	u, err := s.Store.User(ctx, a.UserID)
	if err != nil {
		return err
	}
	cred, err := s.Store.CredentialsByUsername(ctx, u.Username)
	if err != nil {
		return err
	}
	if !VerifyPassword(cred.PasswordHash, old) {
		return zhengxie.FieldError("old", "原密码不正确")
	}
	if err := CheckPasswordRules(pw); err != nil {
		return err
	}
	if old == pw {
		return zhengxie.FieldError("password", "新密码不能与原密码相同")
	}
	return s.Store.InTx(ctx, func(tx *store.Tx) error {
		if err := tx.SetPassword(u.ID, HashPassword(pw)); err != nil {
			return err
		}
		if err := tx.SetMustChangePassword(u.ID, false); err != nil {
			return err
		}
		return s.event(tx, a, a.CommitteeID, 0, 0, "password_changed", "", "", u.Username, nil)
	})
}

// TOTPSetup is a new second-factor secret waiting for its first code.
type TOTPSetup struct {
	Secret string
	URL    string
	QRPNG  string // data: URL of the QR code
}

// BeginTOTP makes a new secret for the actor (office and admin roles).
func (s *Service) BeginTOTP(ctx context.Context, a zhengxie.Actor) (*TOTPSetup, error) {
	if a.Role != zhengxie.RoleOffice && a.Role != zhengxie.RoleAdmin && a.Role != zhengxie.RoleLeader {
		return nil, zhengxie.Errorf(zhengxie.EForbidden, "动态验证码用于提案委员会、领导和管理员账号")
	}
	u, err := s.Store.User(ctx, a.UserID)
	if err != nil {
		return nil, err
	}
	key, err := totp.Generate(totp.GenerateOpts{Issuer: "数字政协", AccountName: u.Username})
	if err != nil {
		return nil, err
	}
	out := &TOTPSetup{Secret: key.Secret(), URL: key.URL()}
	if img, err := key.Image(200, 200); err == nil {
		var buf bytes.Buffer
		if png.Encode(&buf, img) == nil {
			out.QRPNG = "data:image/png;base64," + base64.StdEncoding.EncodeToString(buf.Bytes())
		}
	}
	return out, nil
}

// EnableTOTP turns the second factor on once the user proves the secret works.
func (s *Service) EnableTOTP(ctx context.Context, a zhengxie.Actor, secret, code string) error {
	if !totp.Validate(code, secret) {
		return zhengxie.FieldError("code", "动态验证码不正确，请核对手机上的验证器后重试")
	}
	return s.Store.InTx(ctx, func(tx *store.Tx) error {
		if err := tx.SetTOTPSecret(a.UserID, secret); err != nil {
			return err
		}
		return s.event(tx, a, a.CommitteeID, 0, 0, "totp_enabled", "", "", "", nil)
	})
}

// DisableTOTP turns the second factor off (by the user, or an admin for a user).
func (s *Service) DisableTOTP(ctx context.Context, a zhengxie.Actor, userID int64) error {
	return s.Store.InTx(ctx, func(tx *store.Tx) error {
		if userID != a.UserID {
			if _, err := s.adminTarget(tx, a, userID); err != nil {
				return err
			}
		}
		if err := tx.SetTOTPSecret(userID, ""); err != nil {
			return err
		}
		return s.event(tx, a, a.CommitteeID, 0, 0, "totp_disabled", "", "", "", map[string]int64{"user": userID})
	})
}

// checkTOTP is the second step of a login for users who enabled it.
func (s *Service) checkTOTP(ctx context.Context, u *zhengxie.User, code string) error {
	secret, err := s.Store.TOTPSecret(ctx, u.ID)
	if err != nil || secret == "" {
		return err
	}
	if code == "" {
		return &zhengxie.Error{Code: zhengxie.EUnauthorized, Field: "code", Message: "此账号已启用动态验证码，请输入验证器上的6位数字"}
	}
	ok, _ := totp.ValidateCustom(code, secret, s.now(), totp.ValidateOpts{Period: 30, Skew: 1, Digits: 6})
	if !ok {
		return &zhengxie.Error{Code: zhengxie.EUnauthorized, Field: "code", Message: "动态验证码不正确或已过期"}
	}
	return nil
}

// MyData is everything the system holds about a member, for download.
type MyData struct {
	ExportedAt    time.Time            `json:"exported_at"`
	User          map[string]any       `json:"user"`
	Proposals     []zhengxie.Proposal  `json:"proposals"`
	Cosigned      []zhengxie.Proposal  `json:"cosigned"`
	Notifications []store.Notification `json:"notifications"`
}

// ExportMyData collects a user's own data.
func (s *Service) ExportMyData(ctx context.Context, a zhengxie.Actor) (*MyData, error) {
	u, err := s.Store.User(ctx, a.UserID)
	if err != nil {
		return nil, err
	}
	out := &MyData{ExportedAt: s.now(), User: map[string]any{"username": u.Username, "name": u.Name, "role": zhengxie.RoleName(u.Role),
		"phone": u.Phone, "email": u.Email, "created_at": u.CreatedAt}}
	for off := 0; ; off += 200 {
		ps, total, err := s.Store.Proposals(ctx, store.ProposalFilter{Viewer: a, Mine: true, Limit: 200, Offset: off})
		if err != nil {
			return nil, err
		}
		for _, p := range ps {
			if p.ProposerID == a.UserID {
				out.Proposals = append(out.Proposals, p)
			} else {
				out.Cosigned = append(out.Cosigned, p)
			}
		}
		if off+200 >= total {
			break
		}
	}
	if out.Notifications, err = s.Store.Notifications(ctx, a.UserID, 10000); err != nil {
		return nil, err
	}
	return out, s.Audit(ctx, a, a.CommitteeID, "data_export", "", nil)
}
