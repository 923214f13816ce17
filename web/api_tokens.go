package web

import (
	"net/http"
	"strconv"
	"time"

	"zhengxie"
	"zhengxie/app"
)

// API tokens over the JSON API: each user lists, makes and revokes their
// own; the committee's admin those of anyone in it. The secret appears in
// the answer that makes the token and nowhere else.

type apiToken struct {
	ID         int64     `json:"id"`
	UserID     int64     `json:"user_id"`
	UserName   string    `json:"user_name"`
	Name       string    `json:"name"`
	Scopes     []string  `json:"scopes"`
	CreatedAt  time.Time `json:"created_at"`
	LastUsedAt time.Time `json:"last_used_at,omitzero"`
	ExpiresAt  time.Time `json:"expires_at"`
	Expired    bool      `json:"expired"`
}

type apiTokenInput struct {
	Name          string   `json:"name"`
	UserID        int64    `json:"user_id"`
	Scopes        []string `json:"scopes"`
	ExpiresInDays int      `json:"expires_in_days"`
}

type apiNewToken struct {
	Token string `json:"token"`
	apiToken
}

func toAPIToken(t *zhengxie.APIToken, now time.Time) apiToken {
	out := apiToken{ID: t.ID, UserID: t.UserID, UserName: t.UserName, Name: t.Name, Scopes: []string{}, CreatedAt: t.CreatedAt,
		LastUsedAt: t.LastUsedAt, ExpiresAt: t.ExpiresAt, Expired: t.Expired(now)}
	for _, s := range t.Scopes {
		out.Scopes = append(out.Scopes, string(s))
	}
	return out
}

// tokenUserParam reads ?user_id= (0 when absent).
func tokenUserParam(r *http.Request) (int64, error) {
	v := r.URL.Query().Get("user_id")
	if v == "" {
		return 0, nil
	}
	id, err := strconv.ParseInt(v, 10, 64)
	if err != nil || id <= 0 {
		return 0, zhengxie.FieldError("user_id", "user_id 应为用户编号（正整数）")
	}
	return id, nil
}

func (s *Server) apiTokens(w http.ResponseWriter, r *http.Request) {
	if err := requireUser(r); err != nil {
		s.fail(w, r, err)
		return
	}
	uid, err := tokenUserParam(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	all := false
	switch r.URL.Query().Get("all") {
	case "", "false", "0":
	case "true", "1":
		all = true
	default:
		s.fail(w, r, zhengxie.FieldError("all", "all 只能是 true 或 false"))
		return
	}
	toks, err := s.Svc.APITokens(r.Context(), actorOf(r), uid, all)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	now := s.Svc.Clock()
	items := make([]apiToken, 0, len(toks))
	for i := range toks {
		items = append(items, toAPIToken(&toks[i], now))
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": items, "total": len(items)})
}

func (s *Server) apiCreateToken(w http.ResponseWriter, r *http.Request) {
	if err := requireUser(r); err != nil {
		s.fail(w, r, err)
		return
	}
	var in apiTokenInput
	if err := decode(w, r, &in); err != nil {
		s.fail(w, r, err)
		return
	}
	spec := app.TokenSpec{UserID: in.UserID, Name: in.Name, Scopes: in.Scopes, Days: in.ExpiresInDays}
	if t := viewerOf(r).APIToken; t != nil {
		spec.Within = t.Scopes
	}
	secret, tok, err := s.Svc.CreateAPIToken(r.Context(), actorOf(r), spec)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusCreated, apiNewToken{Token: secret, apiToken: toAPIToken(tok, s.Svc.Clock())})
}

func (s *Server) apiRevokeToken(w http.ResponseWriter, r *http.Request) {
	if err := requireUser(r); err != nil {
		s.fail(w, r, err)
		return
	}
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.Svc.RevokeAPIToken(r.Context(), actorOf(r), id); err != nil {
		s.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) apiRevokeTokens(w http.ResponseWriter, r *http.Request) {
	if err := requireUser(r); err != nil {
		s.fail(w, r, err)
		return
	}
	uid, err := tokenUserParam(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	n, err := s.Svc.RevokeAPITokens(r.Context(), actorOf(r), uid)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]int{"revoked": n})
}

// Pages: 账号设置 lists, makes and revokes the user's own tokens; the
// admin's 用户管理 revokes a user's (adminUserAction, "revoke_tokens").

// meTokens is the tokens part of the 账号设置 page.
type meTokens struct {
	List    []zhengxie.APIToken
	Scopes  []zhengxie.Scope
	Now     time.Time
	Secret  string // the new token, shown this once
	Created *zhengxie.APIToken
	Days    int // the default lifetime
	Max     int
}

func (s *Server) loadMeTokens(r *http.Request, d *meData) {
	a := actorOf(r)
	toks, err := s.Svc.APITokens(r.Context(), a, a.UserID, false)
	if err != nil {
		s.Log.Warn("my tokens", "err", err)
	}
	days := s.Svc.Config.TokenDays
	if days <= 0 || days > zhengxie.MaxTokenDays {
		days = zhengxie.DefaultTokenDays
	}
	d.Tokens.List, d.Tokens.Scopes, d.Tokens.Now, d.Tokens.Days, d.Tokens.Max = toks, zhengxie.Scopes, s.Svc.Clock(), days, zhengxie.MaxTokenDays
}

func (s *Server) meCreateToken(w http.ResponseWriter, r *http.Request) {
	if err := requireUser(r); err != nil {
		s.fail(w, r, err)
		return
	}
	name, err := formText(r, "name")
	if err != nil {
		s.renderMe(w, r, http.StatusUnprocessableEntity, &meData{Err: formErrOf(err)})
		return
	}
	spec := app.TokenSpec{Name: name, Scopes: r.Form["scopes"]}
	if v := r.FormValue("expires_in_days"); v != "" {
		if spec.Days, err = strconv.Atoi(v); err != nil || spec.Days <= 0 {
			s.renderMe(w, r, http.StatusUnprocessableEntity, &meData{Err: formErr{Field: "expires_in_days", Msg: "有效期应为1至365之间的整数天数"}})
			return
		}
	}
	secret, tok, err := s.Svc.CreateAPIToken(r.Context(), actorOf(r), spec)
	if err != nil {
		s.renderMe(w, r, statusOf[zhengxie.ErrorCode(err)], &meData{Err: formErrOf(err)})
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	d := &meData{}
	d.Tokens.Secret, d.Tokens.Created = secret, tok
	s.renderMe(w, r, http.StatusOK, d)
}

func (s *Server) meRevokeToken(w http.ResponseWriter, r *http.Request) {
	if err := requireUser(r); err != nil {
		s.fail(w, r, err)
		return
	}
	id, err := pathID(r)
	if err == nil {
		err = s.Svc.RevokeAPIToken(r.Context(), actorOf(r), id)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	redirect(w, r, "/me#tokens", "token_revoked")
}

func (s *Server) meRevokeTokens(w http.ResponseWriter, r *http.Request) {
	if err := requireUser(r); err != nil {
		s.fail(w, r, err)
		return
	}
	if _, err := s.Svc.RevokeAPITokens(r.Context(), actorOf(r), 0); err != nil {
		s.fail(w, r, err)
		return
	}
	redirect(w, r, "/me#tokens", "tokens_revoked")
}
