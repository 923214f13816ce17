package app

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"

	"zhengxie"
	"zhengxie/store"
)

// Argon2id parameters: memory-hard, sized so a login costs tens of
// milliseconds on a small server.
const (
	argonTime    = 1
	argonMemory  = 32 * 1024
	argonThreads = 2
	argonKeyLen  = 32
)

// HashPassword returns an encoded argon2id hash of pw.
func HashPassword(pw string) string {
	salt := make([]byte, 16)
	rand.Read(salt)
	key := argon2.IDKey([]byte(pw), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	return fmt.Sprintf("$argon2id$v=19$m=%d,t=%d,p=%d$%s$%s", argonMemory, argonTime, argonThreads,
		base64.RawStdEncoding.EncodeToString(salt), base64.RawStdEncoding.EncodeToString(key))
}

// VerifyPassword checks pw against an encoded hash in constant time.
func VerifyPassword(encoded, pw string) bool {
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false
	}
	var m uint32
	var t uint32
	var p uint8
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &t, &p); err != nil {
		return false
	}
	salt, err1 := base64.RawStdEncoding.DecodeString(parts[4])
	want, err2 := base64.RawStdEncoding.DecodeString(parts[5])
	if err1 != nil || err2 != nil {
		return false
	}
	got := argon2.IDKey([]byte(pw), salt, t, m, p, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1
}

// CheckPasswordRules enforces the password policy: at least 8 characters
// with letters and digits.
func CheckPasswordRules(pw string) error {
	if utf8.RuneCountInString(pw) < 8 {
		return zhengxie.FieldError("password", "密码至少8位")
	}
	if utf8.RuneCountInString(pw) > 128 {
		return zhengxie.FieldError("password", "密码不能超过128位")
	}
	var letter, digit bool
	for _, r := range pw {
		switch {
		case unicode.IsLetter(r):
			letter = true
		case unicode.IsDigit(r):
			digit = true
		}
	}
	if !letter || !digit {
		return zhengxie.FieldError("password", "密码须同时包含字母和数字")
	}
	return nil
}

// Login policy.
const (
	MaxFailedLogins = 5
	LockDuration    = 15 * time.Minute
	SessionIdle     = 30 * time.Minute // 等保 2.0: 会话超时
	SessionMax      = 12 * time.Hour
)

// RandomToken returns a random URL-safe token.
func RandomToken() string {
	b := make([]byte, 32)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// HashToken returns the stored form of a session or API token.
func HashToken(tok string) string {
	sum := sha256.Sum256([]byte(tok))
	return hex.EncodeToString(sum[:])
}

// dummyHash keeps the time of a login for an unknown user close to that of
// a known one, so that timing does not tell which usernames exist.
var dummyHash = HashPassword("not-a-real-password-0")

// Login checks a username and password and opens a session. It returns the
// session token (for the cookie) and the session.
func (s *Service) Login(ctx context.Context, username, password, addr string) (string, *store.AuthSession, *zhengxie.User, error) {
	return s.LoginWithCode(ctx, username, password, "", addr)
}

// LoginWithCode is Login with the TOTP code of users who enabled the second factor.
func (s *Service) LoginWithCode(ctx context.Context, username, password, code, addr string) (string, *store.AuthSession, *zhengxie.User, error) {
	bad := zhengxie.Errorf(zhengxie.EUnauthorized, "用户名或密码错误")
	username = strings.TrimSpace(username)
	if username == "" || password == "" || len(username) > 100 || len(password) > 256 {
		return "", nil, nil, bad
	}
	cred, err := s.Store.CredentialsByUsername(ctx, username)
	if err != nil {
		VerifyPassword(dummyHash, password)
		return "", nil, nil, bad
	}
	u := cred.User
	now := s.now()
	if cred.LockedUntil > now.UnixMilli() {
		return "", nil, nil, zhengxie.Errorf(zhengxie.ETooMany, "连续登录失败次数过多，账号已锁定至%s，请稍后再试或联系管理员", time.UnixMilli(cred.LockedUntil).In(zhengxie.ChinaTime()).Format("15:04"))
	}
	pwOK := VerifyPassword(cred.PasswordHash, password)
	var totpErr error
	if pwOK && !u.Disabled {
		totpErr = s.checkTOTP(ctx, u, code)
		if totpErr != nil && code == "" {
			return "", nil, nil, totpErr // asks for the code; not a failed attempt
		}
	}
	if !pwOK || u.Disabled || totpErr != nil {
		failed := cred.FailedLogins + 1
		var until int64
		if failed >= MaxFailedLogins {
			until = now.Add(LockDuration).UnixMilli()
			failed = 0
		}
		s.Store.InTx(ctx, func(tx *store.Tx) error {
			if err := tx.RecordLogin(u.ID, failed, until); err != nil {
				return err
			}
			return s.event(tx, zhengxie.ActorOf(u), u.CommitteeID, 0, 0, "login_failed", "", "", addr, nil)
		})
		if u.Disabled {
			return "", nil, nil, zhengxie.Errorf(zhengxie.EUnauthorized, "账号已停用，请联系系统管理员")
		}
		if totpErr != nil {
			return "", nil, nil, totpErr
		}
		return "", nil, nil, bad
	}
	tok := RandomToken()
	sess := &store.AuthSession{TokenHash: HashToken(tok), UserID: u.ID, CommitteeID: u.CommitteeID, CSRFToken: RandomToken(),
		CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(SessionIdle)}
	err = s.Store.InTx(ctx, func(tx *store.Tx) error {
		if err := tx.RecordLogin(u.ID, 0, 0); err != nil {
			return err
		}
		if err := tx.CreateAuthSession(sess); err != nil {
			return err
		}
		return s.event(tx, zhengxie.ActorOf(u), u.CommitteeID, 0, 0, "login", "", "", addr, nil)
	})
	if err != nil {
		return "", nil, nil, err
	}
	return tok, sess, u, nil
}

// Authenticate resolves a session token; an idle or too old session is ended.
func (s *Service) Authenticate(ctx context.Context, tok string) (*store.AuthSession, *zhengxie.User, error) {
	if tok == "" {
		return nil, nil, zhengxie.Errorf(zhengxie.EUnauthorized, "请先登录")
	}
	h := HashToken(tok)
	sess, u, err := s.Store.AuthSession(ctx, h)
	if err != nil {
		return nil, nil, zhengxie.Errorf(zhengxie.EUnauthorized, "请先登录")
	}
	now := s.now()
	if now.After(sess.ExpiresAt) || now.Sub(sess.CreatedAt) > SessionMax || u.Disabled {
		s.Store.DeleteAuthSession(ctx, h)
		return nil, nil, zhengxie.Errorf(zhengxie.EUnauthorized, "登录已超时，请重新登录")
	}
	// Touch at most once a minute to keep reads cheap.
	if now.Sub(sess.LastSeenAt) > time.Minute {
		s.Store.TouchAuthSession(ctx, h, now, now.Add(SessionIdle))
	}
	return sess, u, nil
}

// Logout ends one session.
func (s *Service) Logout(ctx context.Context, tok string) error {
	return s.Store.DeleteAuthSession(ctx, HashToken(tok))
}

// CreateUser adds a user with a password (admin, or setup and demo with the system actor).
func (s *Service) CreateUser(ctx context.Context, a zhengxie.Actor, u *zhengxie.User, password string) error {
	if a.Role != zhengxie.RoleAdmin && a.Role != zhengxie.RoleSystem {
		return zhengxie.Errorf(zhengxie.EForbidden, "只有系统管理员可以添加用户")
	}
	if err := CheckPasswordRules(password); err != nil {
		return err
	}
	u.CommitteeID = a.CommitteeID
	return s.Store.InTx(ctx, func(tx *store.Tx) error {
		if err := tx.CreateUser(u, HashPassword(password)); err != nil {
			return err
		}
		return s.event(tx, a, a.CommitteeID, 0, 0, "user_created", "", "", u.Username, map[string]string{"role": string(u.Role)})
	})
}
