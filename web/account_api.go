package web

import (
	"net/http"
	"strings"
	"time"

	"zhengxie"
	"zhengxie/app"
	"zhengxie/store"
)

// The accounts over the API, as 用户管理 and 账号设置 offer them: the admin
// manages the committee's users; everyone changes their own password,
// second factor, and downloads their own data.

// apiAccount is a user as the admin sees it.
type apiAccount struct {
	ID        int64     `json:"id"`
	Username  string    `json:"username"`
	Name      string    `json:"name"`
	Role      string    `json:"role"`
	UnitID    int64     `json:"unit_id,omitempty"`
	SectorID  int64     `json:"sector_id,omitempty"`
	Phone     string    `json:"phone,omitempty"`
	Email     string    `json:"email,omitempty"`
	Disabled  bool      `json:"disabled"`
	CreatedAt time.Time `json:"created_at"`
}

func toAPIAccount(u *zhengxie.User) apiAccount {
	return apiAccount{ID: u.ID, Username: u.Username, Name: u.Name, Role: string(u.Role), UnitID: u.UnitID, SectorID: u.SectorID,
		Phone: u.Phone, Email: u.Email, Disabled: u.Disabled, CreatedAt: u.CreatedAt}
}

// apiAccounts is GET /api/v1/admin/users: the committee's users and the
// latest account events (logins, changes of rights), as 用户管理 shows.
func (s *Server) apiAccounts(w http.ResponseWriter, r *http.Request) {
	s.apiAnswer(w, r, http.StatusOK, func(a zhengxie.Actor) (any, error) {
		if err := requireAdmin(r); err != nil {
			return nil, err
		}
		us, err := s.Svc.Store.Users(r.Context(), store.UserFilter{CommitteeID: a.CommitteeID})
		if err != nil {
			return nil, err
		}
		evs, err := s.Svc.Store.AccountEvents(r.Context(), a.CommitteeID, 50)
		if err != nil {
			return nil, err
		}
		items := []apiAccount{}
		for i := range us {
			items = append(items, toAPIAccount(&us[i]))
		}
		events := []apiEvent{}
		for _, e := range evs {
			events = append(events, apiEvent{Seq: e.Seq, Action: e.Action, Name: zhengxie.Action(e.Action).Name(), Actor: e.ActorName,
				Comment: e.Comment, At: e.CreatedAt})
		}
		return map[string]any{"items": items, "events": events}, nil
	})
}

type apiAccountInput struct {
	Username string `json:"username"`
	Name     string `json:"name"`
	Role     string `json:"role"`
	UnitID   int64  `json:"unit_id"`
	Phone    string `json:"phone"`
	Email    string `json:"email"`
}

// apiCreateAccount is POST /api/v1/admin/users: a new user with a temporary
// password, shown once, which the user must change at the first login.
func (s *Server) apiCreateAccount(w http.ResponseWriter, r *http.Request) {
	s.apiAnswer(w, r, http.StatusCreated, func(a zhengxie.Actor) (any, error) {
		if err := requireAdmin(r); err != nil {
			return nil, err
		}
		in, err := apiInput[apiAccountInput](w, r)
		if err != nil {
			return nil, err
		}
		u := &zhengxie.User{Username: strings.TrimSpace(in.Username), Name: strings.TrimSpace(in.Name), Role: zhengxie.Role(in.Role), UnitID: in.UnitID,
			Phone: strings.TrimSpace(in.Phone), Email: strings.TrimSpace(in.Email)}
		switch {
		case u.Username == "" || len(u.Username) > 64:
			return nil, zhengxie.FieldError("username", "请填写用户名（不超过64个字符）")
		case u.Name == "":
			return nil, zhengxie.FieldError("name", "请填写姓名")
		case u.Role == zhengxie.RoleUnit && u.UnitID == 0:
			return nil, zhengxie.FieldError("unit_id", "承办单位用户须选择所属单位")
		}
		pw := app.TempPassword()
		if err := s.Svc.CreateUser(r.Context(), a, u, pw); err != nil {
			if zhengxie.ErrorCode(err) == zhengxie.EConflict {
				err = zhengxie.FieldError("username", "用户名已被使用")
			}
			return nil, err
		}
		return map[string]any{"user": toAPIAccount(u), "temp_password": pw}, nil
	})
}

// apiAccountStep is one of the admin's steps on a user; the answer is the
// user as they are afterwards.
func (s *Server) apiAccountStep(do func(w http.ResponseWriter, r *http.Request, a zhengxie.Actor, id int64) (string, error)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		s.apiAnswer(w, r, http.StatusOK, func(a zhengxie.Actor) (any, error) {
			if err := requireAdmin(r); err != nil {
				return nil, err
			}
			id, err := pathID(r)
			if err != nil {
				return nil, err
			}
			pw, err := do(w, r, a, id)
			if err != nil {
				return nil, err
			}
			u, err := s.Svc.Store.User(r.Context(), id)
			if err != nil {
				return nil, err
			}
			out := map[string]any{"user": toAPIAccount(u)}
			if pw != "" {
				out["temp_password"] = pw
			}
			return out, nil
		})
	}
}

type apiRoleInput struct {
	Role   string `json:"role"`
	UnitID int64  `json:"unit_id"`
}

// The admin's steps: a temporary password, a forced logout, disabling and
// enabling, another role, the second factor turned off.
func (s *Server) apiAccountReset() http.HandlerFunc {
	return s.apiAccountStep(func(w http.ResponseWriter, r *http.Request, a zhengxie.Actor, id int64) (string, error) {
		return s.Svc.ResetPassword(r.Context(), a, id)
	})
}

func (s *Server) apiAccountLogout() http.HandlerFunc {
	return s.apiAccountStep(func(w http.ResponseWriter, r *http.Request, a zhengxie.Actor, id int64) (string, error) {
		return "", s.Svc.ForceLogout(r.Context(), a, id)
	})
}

func (s *Server) apiAccountDisabled(disabled bool) http.HandlerFunc {
	return s.apiAccountStep(func(w http.ResponseWriter, r *http.Request, a zhengxie.Actor, id int64) (string, error) {
		return "", s.Svc.SetDisabled(r.Context(), a, id, disabled)
	})
}

func (s *Server) apiAccountTOTPOff() http.HandlerFunc {
	return s.apiAccountStep(func(w http.ResponseWriter, r *http.Request, a zhengxie.Actor, id int64) (string, error) {
		return "", s.Svc.DisableTOTP(r.Context(), a, id)
	})
}

func (s *Server) apiAccountRole() http.HandlerFunc {
	return s.apiAccountStep(func(w http.ResponseWriter, r *http.Request, a zhengxie.Actor, id int64) (string, error) {
		in := &apiRoleInput{}
		if err := decode(w, r, in); err != nil {
			return "", err
		}
		return "", s.Svc.ChangeRole(r.Context(), a, id, zhengxie.Role(in.Role), in.UnitID)
	})
}

type apiPasswordInput struct {
	Old      string `json:"old"`
	Password string `json:"password"`
}

// apiChangePassword is POST /api/v1/me/password.
func (s *Server) apiChangePassword(w http.ResponseWriter, r *http.Request) {
	s.apiAnswer(w, r, 0, func(a zhengxie.Actor) (any, error) {
		in, err := apiInput[apiPasswordInput](w, r)
		if err != nil {
			return nil, err
		}
		return nil, s.Svc.ChangePassword(r.Context(), a, in.Old, in.Password)
	})
}

type apiTOTPSetup struct {
	Secret string `json:"secret"`
	URL    string `json:"url"`
}

// apiBeginTOTP is POST /api/v1/me/totp/begin: a new secret to put in the
// authenticator; it takes effect once confirmed with a code.
func (s *Server) apiBeginTOTP(w http.ResponseWriter, r *http.Request) {
	s.apiAnswer(w, r, http.StatusOK, func(a zhengxie.Actor) (any, error) {
		setup, err := s.Svc.BeginTOTP(r.Context(), a)
		if err != nil {
			return nil, err
		}
		return apiTOTPSetup{setup.Secret, setup.URL}, nil
	})
}

type apiTOTPInput struct {
	Secret string `json:"secret"`
	Code   string `json:"code"`
}

// apiEnableTOTP is POST /api/v1/me/totp/enable.
func (s *Server) apiEnableTOTP(w http.ResponseWriter, r *http.Request) {
	s.apiAnswer(w, r, 0, func(a zhengxie.Actor) (any, error) {
		in, err := apiInput[apiTOTPInput](w, r)
		if err != nil {
			return nil, err
		}
		return nil, s.Svc.EnableTOTP(r.Context(), a, in.Secret, in.Code)
	})
}

// apiDisableTOTP is POST /api/v1/me/totp/disable.
func (s *Server) apiDisableTOTP(w http.ResponseWriter, r *http.Request) {
	s.apiAnswer(w, r, 0, func(a zhengxie.Actor) (any, error) { return nil, s.Svc.DisableTOTP(r.Context(), a, a.UserID) })
}

// apiExportMyData is GET /api/v1/me/export: everything the system holds
// about the caller, as the page's download.
func (s *Server) apiExportMyData(w http.ResponseWriter, r *http.Request) {
	s.apiAnswer(w, r, http.StatusOK, func(a zhengxie.Actor) (any, error) { return s.Svc.ExportMyData(r.Context(), a) })
}
