package web

import (
	"encoding/json"
	"net/http"
	"strconv"

	"zhengxie"
	"zhengxie/app"
	"zhengxie/store"
)

func requireAdmin(r *http.Request) error {
	if err := requireUser(r); err != nil {
		return err
	}
	if actorOf(r).Role != zhengxie.RoleAdmin {
		return zhengxie.Errorf(zhengxie.EForbidden, "只有系统管理员可以管理用户")
	}
	return nil
}

type adminUsersData struct {
	Users    []zhengxie.User
	Units    []zhengxie.Unit
	Roles    []zhengxie.Role
	Events   []zhengxie.Event
	TempUser string
	TempPW   string
	Tokens   map[int64]int // live API tokens per user
	Err      formErr
	Form     map[string]string
}

func (s *Server) renderAdminUsers(w http.ResponseWriter, r *http.Request, status int, d *adminUsersData) {
	a := actorOf(r)
	var err error
	if d.Users, err = s.Svc.Store.Users(r.Context(), store.UserFilter{CommitteeID: a.CommitteeID}); err != nil {
		s.fail(w, r, err)
		return
	}
	if d.Units, err = s.Svc.Store.Units(r.Context(), a.CommitteeID); err != nil {
		s.fail(w, r, err)
		return
	}
	if d.Events, err = s.Svc.Store.AccountEvents(r.Context(), a.CommitteeID, 50); err != nil {
		s.fail(w, r, err)
		return
	}
	toks, err := s.Svc.APITokens(r.Context(), a, 0, true)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d.Tokens = map[int64]int{}
	for _, t := range toks {
		if !t.Expired(s.Svc.Clock()) {
			d.Tokens[t.UserID]++
		}
	}
	d.Roles = zhengxie.Roles
	page := &Page{Title: "用户管理", Nav: "admin", D: d}
	if d.Err.Msg != "" {
		page.Error = d.Err.Msg
	}
	if status != http.StatusOK {
		w.WriteHeader(status)
	}
	s.render(w, r, "admin_users", page)
}

func (s *Server) adminUsers(w http.ResponseWriter, r *http.Request) {
	if err := requireAdmin(r); err != nil {
		s.fail(w, r, err)
		return
	}
	s.renderAdminUsers(w, r, http.StatusOK, &adminUsersData{})
}

func (s *Server) adminCreateUser(w http.ResponseWriter, r *http.Request) {
	if err := requireAdmin(r); err != nil {
		s.fail(w, r, err)
		return
	}
	form := map[string]string{}
	for _, k := range []string{"username", "name", "role", "unit", "phone", "email"} {
		v, err := formText(r, k)
		if err != nil {
			s.renderAdminUsers(w, r, http.StatusUnprocessableEntity, &adminUsersData{Err: formErrOf(err), Form: form})
			return
		}
		form[k] = v
	}
	unit, _ := strconv.ParseInt(form["unit"], 10, 64)
	u := &zhengxie.User{Username: form["username"], Name: form["name"], Role: zhengxie.Role(form["role"]), UnitID: unit, Phone: form["phone"], Email: form["email"]}
	var err error
	switch {
	case u.Username == "" || len(u.Username) > 64:
		err = zhengxie.FieldError("username", "请填写用户名（不超过64个字符）")
	case u.Name == "":
		err = zhengxie.FieldError("name", "请填写姓名")
	case u.Role == zhengxie.RoleUnit && unit == 0:
		err = zhengxie.FieldError("unit", "承办单位用户须选择所属单位")
	}
	pw := app.TempPassword()
	if err == nil {
		err = s.Svc.CreateUser(r.Context(), actorOf(r), u, pw)
	}
	if err != nil {
		if zhengxie.ErrorCode(err) == zhengxie.EConflict {
			err = zhengxie.FieldError("username", "用户名已被使用")
		}
		s.renderAdminUsers(w, r, statusOf[zhengxie.ErrorCode(err)], &adminUsersData{Err: formErrOf(err), Form: form})
		return
	}
	s.renderAdminUsers(w, r, http.StatusOK, &adminUsersData{TempUser: u.Username, TempPW: pw})
}

func (s *Server) adminUserAction(w http.ResponseWriter, r *http.Request) {
	if err := requireAdmin(r); err != nil {
		s.fail(w, r, err)
		return
	}
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	a, ctx := actorOf(r), r.Context()
	d := &adminUsersData{}
	switch r.PathValue("action") {
	case "reset":
		var pw string
		if pw, err = s.Svc.ResetPassword(ctx, a, id); err == nil {
			u, _ := s.Svc.Store.User(ctx, id)
			d.TempUser, d.TempPW = u.Username, pw
		}
	case "logout":
		err = s.Svc.ForceLogout(ctx, a, id)
	case "disable":
		err = s.Svc.SetDisabled(ctx, a, id, true)
	case "enable":
		err = s.Svc.SetDisabled(ctx, a, id, false)
	case "role":
		unit, _ := strconv.ParseInt(r.FormValue("unit"), 10, 64)
		err = s.Svc.ChangeRole(ctx, a, id, zhengxie.Role(r.FormValue("role")), unit)
	case "totp_off":
		err = s.Svc.DisableTOTP(ctx, a, id)
	case "revoke_tokens":
		_, err = s.Svc.RevokeAPITokens(ctx, a, id)
	default:
		err = zhengxie.NotFound("操作")
	}
	if err != nil {
		if zhengxie.ErrorCode(err) == zhengxie.ENotFound {
			s.fail(w, r, err)
			return
		}
		d.Err = formErrOf(err)
		s.renderAdminUsers(w, r, statusOf[zhengxie.ErrorCode(err)], d)
		return
	}
	if d.TempPW != "" {
		s.renderAdminUsers(w, r, http.StatusOK, d)
		return
	}
	redirect(w, r, "/admin/users", "user_"+r.PathValue("action"))
}

type meData struct {
	User       *zhengxie.User
	Must       bool
	TOTP       bool
	Setup      *app.TOTPSetup
	Err        formErr
	CanTOTP    bool
	PWChanged  bool
	TOTPChange string
	Tokens     meTokens
}

func (s *Server) renderMe(w http.ResponseWriter, r *http.Request, status int, d *meData) {
	v := viewerOf(r)
	d.User = v.User
	d.Must, _ = s.Svc.Store.MustChangePassword(r.Context(), v.User.ID)
	sec, _ := s.Svc.Store.TOTPSecret(r.Context(), v.User.ID)
	d.TOTP = sec != ""
	s.loadMeTokens(r, d)
	d.CanTOTP = v.User.Role == zhengxie.RoleOffice || v.User.Role == zhengxie.RoleAdmin || v.User.Role == zhengxie.RoleLeader
	page := &Page{Title: "账号设置", Nav: "me", D: d}
	if d.Err.Msg != "" {
		page.Error = d.Err.Msg
	}
	if status != http.StatusOK {
		w.WriteHeader(status)
	}
	s.render(w, r, "me", page)
}

func (s *Server) mePage(w http.ResponseWriter, r *http.Request) {
	if err := requireUser(r); err != nil {
		s.fail(w, r, err)
		return
	}
	s.renderMe(w, r, http.StatusOK, &meData{})
}

func (s *Server) meChangePassword(w http.ResponseWriter, r *http.Request) {
	if err := requireUser(r); err != nil {
		s.fail(w, r, err)
		return
	}
	if r.FormValue("password") != r.FormValue("password2") {
		s.renderMe(w, r, http.StatusUnprocessableEntity, &meData{Err: formErr{Field: "password2", Msg: "两次输入的新密码不一致"}})
		return
	}
	if err := s.Svc.ChangePassword(r.Context(), actorOf(r), r.FormValue("old"), r.FormValue("password")); err != nil {
		s.renderMe(w, r, statusOf[zhengxie.ErrorCode(err)], &meData{Err: formErrOf(err)})
		return
	}
	redirect(w, r, "/me", "password_changed")
}

func (s *Server) meTOTP(w http.ResponseWriter, r *http.Request) {
	if err := requireUser(r); err != nil {
		s.fail(w, r, err)
		return
	}
	a, ctx := actorOf(r), r.Context()
	switch r.FormValue("step") {
	case "begin":
		setup, err := s.Svc.BeginTOTP(ctx, a)
		if err != nil {
			s.renderMe(w, r, statusOf[zhengxie.ErrorCode(err)], &meData{Err: formErrOf(err)})
			return
		}
		s.renderMe(w, r, http.StatusOK, &meData{Setup: setup})
	case "enable":
		secret := r.FormValue("secret")
		if err := s.Svc.EnableTOTP(ctx, a, secret, r.FormValue("code")); err != nil {
			setup := &app.TOTPSetup{Secret: secret}
			s.renderMe(w, r, statusOf[zhengxie.ErrorCode(err)], &meData{Setup: setup, Err: formErrOf(err)})
			return
		}
		redirect(w, r, "/me", "totp_enabled")
	case "disable":
		if err := s.Svc.DisableTOTP(ctx, a, a.UserID); err != nil {
			s.renderMe(w, r, statusOf[zhengxie.ErrorCode(err)], &meData{Err: formErrOf(err)})
			return
		}
		redirect(w, r, "/me", "totp_disabled")
	default:
		s.fail(w, r, zhengxie.NotFound("操作"))
	}
}

// meExport downloads everything the system holds about the user.
func (s *Server) meExport(w http.ResponseWriter, r *http.Request) {
	if err := requireUser(r); err != nil {
		s.fail(w, r, err)
		return
	}
	d, err := s.Svc.ExportMyData(r.Context(), actorOf(r))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="my-data.json"`)
	w.Header().Set("Cache-Control", "no-store")
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.Encode(d)
}
