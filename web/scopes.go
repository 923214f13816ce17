package web

import (
	"net/http"
	"strings"

	"zhengxie"
)

// scopeRule says which scope a bearer token needs for the requests of one
// route. Method "*" is any method; HEAD is read as GET. In a path, a
// {name} segment stands for any one segment and a final "/**" for anything
// below (the path itself included).
type scopeRule struct {
	method, path string
	scope        zhengxie.Scope // "" when any valid token may
}

// tokenScopeRules is the one table of what an API token's scopes let it do.
// The first row that matches a request decides. A route nobody wrote a row
// for falls to the last rows: reading needs read_committee, anything else
// admin, so that a new route is never more open to tokens than intended.
// Scopes only ever take away: the user's role is checked after them, so a
// token never exceeds its user.
var tokenScopeRules = []scopeRule{
	// Who the token is, and its own management: revoking only ever takes
	// power away; making a token needs admin, so that a leaked token
	// cannot renew itself.
	{"GET", "/api/openapi.json", ""},
	{"POST", "/api/v1/login", ""},
	{"POST", "/api/v1/logout", ""},
	{"GET", "/api/v1/me", ""},
	{"DELETE", "/api/v1/tokens", ""},
	{"DELETE", "/api/v1/tokens/{id}", ""},
	{"POST", "/api/v1/tokens", zhengxie.ScopeAdmin},
	// What the public may read.
	{"GET", "/api/v1/public/**", zhengxie.ScopeReadPublic},
	{"GET", "/public/**", zhengxie.ScopeReadPublic},
	// The public's message box and tracking: what anyone may do without an
	// account, a token that may read what is public may do as well.
	{"POST", "/api/v1/public/messages", zhengxie.ScopeReadPublic},
	{"POST", "/api/v1/public/matters/{code}/feedback", zhengxie.ScopeReadPublic},
	{"GET", "/messages/new", zhengxie.ScopeReadPublic},
	{"POST", "/messages", zhengxie.ScopeReadPublic},
	{"GET", "/track", zhengxie.ScopeReadPublic},
	{"POST", "/track/feedback", zhengxie.ScopeReadPublic},
	{"GET", "/contact/stations/{id}", zhengxie.ScopeReadPublic},
	// A unit's task actions (and the proposer's 测评 of a reply).
	{"POST", "/api/v1/tasks/{id}/{action}", zhengxie.ScopeUnit},
	{"POST", "/tasks/{id}/{action}", zhengxie.ScopeUnit},
	// Marking one's own notices read changes nothing of the committee's.
	{"POST", "/api/v1/notifications/**", zhengxie.ScopeReadCommittee},
	// Everything else: reads of the committee, and every other write.
	{"GET", "/**", zhengxie.ScopeReadCommittee},
	{"*", "/**", zhengxie.ScopeAdmin},
}

// requiredScope returns the scope a token needs for r.
func requiredScope(method, path string) zhengxie.Scope {
	if method == http.MethodHead {
		method = http.MethodGet
	}
	for _, rule := range tokenScopeRules {
		if (rule.method == "*" || rule.method == method) && scopePathMatches(rule.path, path) {
			return rule.scope
		}
	}
	return zhengxie.ScopeAdmin
}

func scopePathMatches(pattern, path string) bool {
	if prefix, ok := strings.CutSuffix(pattern, "/**"); ok {
		return path == prefix || strings.HasPrefix(path, prefix+"/") || prefix == ""
	}
	ps, xs := strings.Split(pattern, "/"), strings.Split(path, "/")
	if len(ps) != len(xs) {
		return false
	}
	for i := range ps {
		if ps[i] != xs[i] && !(strings.HasPrefix(ps[i], "{") && xs[i] != "") {
			return false
		}
	}
	return true
}

// tokenScopes refuses a bearer-token request its token's scopes do not
// cover, before any handler runs, with the missing scope named.
func (s *Server) tokenScopes(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if t := viewerOf(r).APIToken; t != nil {
			if need := requiredScope(r.Method, r.URL.Path); !zhengxie.HasScope(t.Scopes, need) {
				s.fail(w, r, zhengxie.Errorf(zhengxie.EForbidden, "此API令牌没有“%s”（%s）权限范围，不能进行此操作；请创建包含该权限范围的令牌", need.Name(), need))
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}
