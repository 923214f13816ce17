package app

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"zhengxie"
	ntf "zhengxie/notify"
	"zhengxie/store"
)

// TokenSpec is what a new API token is asked for with.
type TokenSpec struct {
	UserID int64 // 0: the actor
	Name   string
	Scopes []string // none: zhengxie.DefaultScopes
	Days   int      // lifetime; 0: the service's default
	// Within, when not nil, is the scopes of the token the request came
	// with: a token can only make tokens that can do less, never more.
	Within []zhengxie.Scope
}

// tokenDays is the default lifetime of a token, from the configuration.
func (s *Service) tokenDays() int {
	if d := s.Config.TokenDays; d > 0 && d <= zhengxie.MaxTokenDays {
		return d
	}
	return zhengxie.DefaultTokenDays
}

// CreateAPIToken issues an API token; the secret is returned this once and
// only its hash is kept.
func (s *Service) CreateAPIToken(ctx context.Context, a zhengxie.Actor, spec TokenSpec) (string, *zhengxie.APIToken, error) {
	if spec.UserID == 0 {
		spec.UserID = a.UserID
	}
	if a.UserID == 0 {
		return "", nil, zhengxie.Errorf(zhengxie.EUnauthorized, "请先登录")
	}
	if a.UserID != spec.UserID && a.Role != zhengxie.RoleAdmin {
		return "", nil, zhengxie.Errorf(zhengxie.EForbidden, "只能为自己创建令牌")
	}
	name := strings.TrimSpace(spec.Name)
	switch {
	case name == "":
		return "", nil, zhengxie.FieldError("name", "请填写令牌名称（如：官方网站）")
	case utf8.RuneCountInString(name) > 50:
		return "", nil, zhengxie.FieldError("name", "令牌名称不能超过50个字")
	}
	scopes, err := zhengxie.ParseScopes(spec.Scopes)
	if err != nil {
		return "", nil, err
	}
	if spec.Within != nil {
		for _, sc := range scopes {
			if !zhengxie.HasScope(spec.Within, sc) {
				return "", nil, zhengxie.FieldError("scopes", "用API令牌创建的令牌不能超出该令牌的权限范围：缺少“%s”（%s）", sc.Name(), sc)
			}
		}
	}
	days := spec.Days
	switch {
	case days == 0:
		days = s.tokenDays()
	case days < 1 || days > zhengxie.MaxTokenDays:
		return "", nil, zhengxie.FieldError("expires_in_days", "有效期应为1至%d天", zhengxie.MaxTokenDays)
	}
	secret := "zx_" + RandomToken()
	tok := &zhengxie.APIToken{UserID: spec.UserID, Name: name, Scopes: scopes, ExpiresAt: s.now().AddDate(0, 0, days)}
	err = s.Store.InTx(ctx, func(tx *store.Tx) error {
		u, err := tx.User(spec.UserID)
		if err != nil || u.CommitteeID != a.CommitteeID {
			return zhengxie.NotFound("用户")
		}
		tok.CommitteeID, tok.UserName = u.CommitteeID, u.Name
		if err := tx.CreateAPIToken(tok, HashToken(secret)); err != nil {
			return err
		}
		return s.event(tx, a, a.CommitteeID, 0, 0, "api_token_created", "", "", name,
			map[string]any{"user": u.ID, "token": tok.ID, "scopes": tok.Scopes, "expires_at": tok.ExpiresAt})
	})
	if err != nil {
		return "", nil, err
	}
	return secret, tok, nil
}

// AuthenticateToken resolves an API bearer token. A revoked or expired token,
// or one whose user was disabled or moved, is refused at once.
func (s *Service) AuthenticateToken(ctx context.Context, secret string) (*zhengxie.User, *zhengxie.APIToken, error) {
	tok, u, err := s.Store.APITokenByHash(ctx, HashToken(secret))
	now := s.now()
	switch {
	case err != nil:
		return nil, nil, zhengxie.Errorf(zhengxie.EUnauthorized, "API令牌无效")
	case !tok.RevokedAt.IsZero():
		return nil, nil, zhengxie.Errorf(zhengxie.EUnauthorized, "API令牌已撤销，请在账号设置中创建新的令牌")
	case tok.Expired(now):
		return nil, nil, zhengxie.Errorf(zhengxie.EUnauthorized, "API令牌已于%s过期，请在账号设置中创建新的令牌", tok.ExpiresAt.In(zhengxie.ChinaTime()).Format("2006年1月2日 15:04"))
	case u.Disabled:
		return nil, nil, zhengxie.Errorf(zhengxie.EUnauthorized, "账号已停用，其API令牌不能使用")
	case u.CommitteeID != tok.CommitteeID:
		return nil, nil, zhengxie.Errorf(zhengxie.EUnauthorized, "API令牌无效")
	}
	// Recorded at most once a minute to keep reads cheap.
	if now.Sub(tok.LastUsedAt) > time.Minute {
		if err := s.Store.TouchAPIToken(ctx, tok.ID, now); err != nil {
			s.Log.Warn("token last use", "token", tok.ID, "err", err)
		}
		tok.LastUsedAt = now
	}
	return u, tok, nil
}

// tokenOwner checks that a may manage the tokens of userID: their own, or
// anyone's of the committee for the admin.
func (s *Service) tokenOwner(ctx context.Context, a zhengxie.Actor, userID int64) error {
	if a.UserID == 0 {
		return zhengxie.Errorf(zhengxie.EUnauthorized, "请先登录")
	}
	if userID == a.UserID {
		return nil
	}
	if a.Role != zhengxie.RoleAdmin {
		return zhengxie.Errorf(zhengxie.EForbidden, "只能查看和撤销自己的API令牌")
	}
	u, err := s.Store.User(ctx, userID)
	if err != nil || u.CommitteeID != a.CommitteeID {
		return zhengxie.NotFound("用户")
	}
	return nil
}

// APITokens lists the tokens of a user (0: the actor's own); all lists
// every token of the committee, for its admin.
func (s *Service) APITokens(ctx context.Context, a zhengxie.Actor, userID int64, all bool) ([]zhengxie.APIToken, error) {
	f := store.TokenFilter{CommitteeID: a.CommitteeID, UserID: userID}
	if all {
		if a.Role != zhengxie.RoleAdmin {
			return nil, zhengxie.Errorf(zhengxie.EForbidden, "只有系统管理员可以查看本委员会的全部API令牌")
		}
		f.UserID = 0
	} else {
		if f.UserID == 0 {
			f.UserID = a.UserID
		}
		if err := s.tokenOwner(ctx, a, f.UserID); err != nil {
			return nil, err
		}
	}
	return s.Store.APITokens(ctx, f)
}

// RevokeAPIToken ends one token: the owner's, or any of the committee for
// its admin. Someone else's token is "not found", as if it did not exist.
func (s *Service) RevokeAPIToken(ctx context.Context, a zhengxie.Actor, id int64) error {
	if a.UserID == 0 {
		return zhengxie.Errorf(zhengxie.EUnauthorized, "请先登录")
	}
	return s.Store.InTx(ctx, func(tx *store.Tx) error {
		tok, err := tx.APIToken(a.CommitteeID, id)
		if err != nil || (tok.UserID != a.UserID && a.Role != zhengxie.RoleAdmin) {
			return zhengxie.NotFound("API令牌")
		}
		if err := tx.RevokeAPIToken(tok.ID); err != nil {
			return err
		}
		return s.event(tx, a, a.CommitteeID, 0, 0, "api_token_revoked", "", "", tok.Name, map[string]int64{"user": tok.UserID, "token": tok.ID})
	})
}

// RevokeAPITokens ends every token of a user (0: the actor) and says how
// many there were.
func (s *Service) RevokeAPITokens(ctx context.Context, a zhengxie.Actor, userID int64) (int, error) {
	if userID == 0 {
		userID = a.UserID
	}
	if err := s.tokenOwner(ctx, a, userID); err != nil {
		return 0, err
	}
	var n int
	err := s.Store.InTx(ctx, func(tx *store.Tx) error {
		u, err := tx.User(userID)
		if err != nil {
			return err
		}
		n, err = s.revokeTokens(tx, a, u, "")
		return err
	})
	return n, err
}

// revokeTokens ends every token of u inside tx, with an audit event naming
// why (the admin's force-logout or password reset) when there were any.
func (s *Service) revokeTokens(tx *store.Tx, a zhengxie.Actor, u *zhengxie.User, because string) (int, error) {
	n, err := tx.RevokeUserAPITokens(u.CommitteeID, u.ID)
	if err != nil || n == 0 {
		return n, err
	}
	comment := fmt.Sprintf("%s的%d个API令牌", u.Username, n)
	if because != "" {
		comment += "（" + zhengxie.Action(because).Name() + "）"
	}
	return n, s.event(tx, a, u.CommitteeID, 0, 0, "api_tokens_revoked", "", "", comment, map[string]any{"user": u.ID, "count": n, "because": because})
}

// ScanTokenExpiry tells owners, once per token, that a token expires within
// zhengxie.TokenReminderDays days. It runs beside the daily deadline scan.
func (s *Service) ScanTokenExpiry(ctx context.Context) (int, error) {
	cs, err := s.Store.Committees(ctx)
	if err != nil {
		return 0, err
	}
	now := s.now()
	window := zhengxie.TokenReminderDays * 24 * time.Hour
	sent := 0
	for _, c := range cs {
		toks, err := s.Store.TokensExpiringBy(ctx, c.ID, now, now.Add(window), window)
		if err != nil {
			return sent, err
		}
		loc := c.Location()
		for _, tok := range toks {
			told := false
			err := s.Store.InTx(ctx, func(tx *store.Tx) error {
				fresh, err := tx.MarkTokenReminded(tok.ID)
				if err != nil || !fresh {
					return err
				}
				told = true
				due := zhengxie.DateOf(tok.ExpiresAt, loc)
				return s.send(tx, Notice{CommitteeID: c.ID, Template: ntf.TokenExpiring, Link: "/me#tokens", To: toUsers(tok.UserID),
					Dedupe: fmt.Sprintf("token:%d", tok.ID),
					Data:   ntf.Data{Committee: c.Name, Title: tok.Name, Due: due, DaysLeft: due.Sub(zhengxie.DateOf(now, loc))}})
			})
			if err != nil {
				return sent, fmt.Errorf("token %d: %w", tok.ID, err)
			}
			if told {
				sent++
			}
		}
	}
	return sent, nil
}
