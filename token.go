package zhengxie

import (
	"slices"
	"strings"
	"time"
)

// Scope limits what an API token may do. It is a ceiling, never a grant:
// a token with the admin scope of a member can still do only what a member
// may do, because every request is also checked against its user's role.
type Scope string

const (
	ScopeReadPublic    Scope = "read_public"    // what the public may read
	ScopeReadCommittee Scope = "read_committee" // every read of the user's committee (covers read_public)
	ScopeUnit          Scope = "unit"           // a unit's task actions (签收、退回、沟通、答复) and the member's 测评
	ScopeAdmin         Scope = "admin"          // every other write: proposals, the office's steps, administration
)

// Scopes lists every scope in the order pages show them.
var Scopes = []Scope{ScopeReadPublic, ScopeReadCommittee, ScopeUnit, ScopeAdmin}

var scopeNames = map[Scope]string{ScopeReadPublic: "读取公开信息", ScopeReadCommittee: "读取本委员会数据",
	ScopeUnit: "办理任务操作", ScopeAdmin: "管理及其他写操作"}

// Name is the Chinese name of the scope.
func (s Scope) Name() string {
	if n, ok := scopeNames[s]; ok {
		return n
	}
	return string(s)
}

// DefaultScopes are given to a token created without naming any: reading only.
var DefaultScopes = []Scope{ScopeReadPublic, ScopeReadCommittee}

// Token lifetimes, in days.
const (
	DefaultTokenDays  = 90
	MaxTokenDays      = 365
	TokenReminderDays = 7 // the owner is told this many days before the expiry
)

// ParseScopes checks scope names and returns them without duplicates, in
// the order of Scopes. No name at all gives DefaultScopes.
func ParseScopes(names []string) ([]Scope, error) {
	if len(names) == 0 {
		return slices.Clone(DefaultScopes), nil
	}
	seen := map[Scope]bool{}
	for _, n := range names {
		sc := Scope(strings.TrimSpace(n))
		if _, ok := scopeNames[sc]; !ok {
			return nil, FieldError("scopes", "权限范围“%s”不存在，可选：read_public（读取公开信息）、read_committee（读取本委员会数据）、unit（办理任务操作）、admin（管理及其他写操作）", n)
		}
		seen[sc] = true
	}
	var out []Scope
	for _, sc := range Scopes {
		if seen[sc] {
			out = append(out, sc)
		}
	}
	return out, nil
}

// HasScope reports whether scopes allow what need asks; the empty need is
// allowed to every token. Reading the committee covers reading what is public.
func HasScope(scopes []Scope, need Scope) bool {
	if need == "" || slices.Contains(scopes, need) {
		return true
	}
	return need == ScopeReadPublic && slices.Contains(scopes, ScopeReadCommittee)
}

// APIToken is an integration's credential. Only the hash of its secret is
// kept; the secret is shown once, when the token is made.
type APIToken struct {
	ID          int64
	CommitteeID int64
	UserID      int64
	UserName    string
	Name        string
	Scopes      []Scope
	CreatedAt   time.Time
	LastUsedAt  time.Time // zero when never used
	ExpiresAt   time.Time
	RevokedAt   time.Time // zero while valid
}

// Expired reports whether the token's time is up at now.
func (t *APIToken) Expired(now time.Time) bool { return !now.Before(t.ExpiresAt) }
