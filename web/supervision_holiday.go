package web

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"zhengxie"
	"zhengxie/app"
	"zhengxie/store"
)

// The admin's deadline rules, holiday calendar and units' supervising leaders.

type svHolidaysData struct {
	*app.DeadlineSettings
	Remind  string
	Units   []zhengxie.Unit
	Leaders []zhengxie.User
	Err     formErr
	Form    map[string]string
	Text    string
}

func (s *Server) svRenderHolidays(w http.ResponseWriter, r *http.Request, status int, fe formErr) {
	if err := requireUser(r); err != nil {
		s.fail(w, r, err)
		return
	}
	a, ctx := actorOf(r), r.Context()
	ds, err := s.Svc.DeadlineSettings(ctx, a)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d := &svHolidaysData{DeadlineSettings: ds, Err: fe, Form: svForm(r), Text: zhengxie.InChineseWords(ds.CalendarText)}
	var nums []string
	for _, n := range ds.Rules.RemindDaysBefore {
		nums = append(nums, strconv.Itoa(n))
	}
	d.Remind = strings.Join(nums, ",")
	if t, ok := d.Form["calendar"]; ok {
		d.Text = t // what the admin typed stays after an error
	}
	if d.Units, err = s.Svc.Store.Units(ctx, a.CommitteeID); err != nil {
		s.fail(w, r, err)
		return
	}
	if d.Leaders, err = s.Svc.Store.Users(ctx, store.UserFilter{CommitteeID: a.CommitteeID, Role: zhengxie.RoleLeader}); err != nil {
		s.fail(w, r, err)
		return
	}
	s.svPage(w, r, status, "admin_holidays", "办理期限与节假日", "holidays", fe, d)
}

func (s *Server) svHolidays(w http.ResponseWriter, r *http.Request) {
	s.svRenderHolidays(w, r, 0, formErr{})
}

func (s *Server) svSaveHolidays(w http.ResponseWriter, r *http.Request) {
	if err := requireUser(r); err != nil {
		s.fail(w, r, err)
		return
	}
	n := func(k string) int { v, _ := strconv.Atoi(strings.TrimSpace(r.FormValue(k))); return v }
	rules := zhengxie.DeadlineRules{Counting: r.FormValue("counting"), TaskMonths: n("task_months"), CoHandleMonths: n("cohandle_months"),
		ReturnDays: n("return_days"), RehandleMonths: n("rehandle_months"), MaxMonths: n("max_months"), EscalateAfterDays: n("escalate_after_days")}
	for _, f := range strings.FieldsFunc(r.FormValue("remind_days_before"), func(r rune) bool { return r == ',' || r == '，' || r == ' ' || r == '、' }) {
		v, err := strconv.Atoi(f)
		if err != nil {
			s.svRenderHolidays(w, r, http.StatusUnprocessableEntity, formErr{Field: "remind_days_before", Msg: "提醒天数应为用逗号分隔的整数，如“15,3”"})
			return
		}
		rules.RemindDaysBefore = append(rules.RemindDaysBefore, v)
	}
	text := r.FormValue("calendar")
	if err := s.Svc.SaveDeadlineSettings(r.Context(), actorOf(r), rules, text); err != nil {
		s.svPostErr(w, r, err, func(status int, fe formErr) {
			if fe.Field == "" && strings.HasPrefix(fe.Msg, "节假日安排有误") {
				fe.Field = "calendar"
			}
			s.svRenderHolidays(w, r, status, fe)
		})
		return
	}
	redirect(w, r, "/admin/holidays", "sv_holidays")
}

func (s *Server) svUnitLeader(w http.ResponseWriter, r *http.Request) {
	if err := requireUser(r); err != nil {
		s.fail(w, r, err)
		return
	}
	leader, _ := strconv.ParseInt(r.FormValue("leader_id"), 10, 64)
	if err := s.Svc.SetUnitLeader(r.Context(), actorOf(r), svID(r, "id"), leader); err != nil {
		s.svPostErr(w, r, err, func(status int, fe formErr) { s.svRenderHolidays(w, r, status, fe) })
		return
	}
	redirect(w, r, "/admin/holidays", "sv_unit_leader")
}

// ---- API ----

type apiDeadlineRules struct {
	Counting          string `json:"counting"`
	TaskMonths        int    `json:"task_months"`
	CoHandleMonths    int    `json:"cohandle_months"`
	ReturnDays        int    `json:"return_days"`
	RehandleMonths    int    `json:"rehandle_months"`
	MaxMonths         int    `json:"max_months"`
	RemindDaysBefore  []int  `json:"remind_days_before"`
	EscalateAfterDays int    `json:"escalate_after_days"`
}

type apiDeadlineSettings struct {
	Rules      apiDeadlineRules `json:"rules"`
	Calendar   string           `json:"calendar"`
	Default    bool             `json:"default"`
	Year       int              `json:"year"`
	CoversYear bool             `json:"covers_year"`
	CoversNext bool             `json:"covers_next"`
	UpdatedAt  time.Time        `json:"updated_at,omitzero"`
}

type apiDeadlineSettingsInput struct {
	Rules    apiDeadlineRules `json:"rules"`
	Calendar string           `json:"calendar"`
}

func (s *Server) deadlineSettingsOf(r *http.Request, a zhengxie.Actor) (any, error) {
	ds, err := s.Svc.DeadlineSettings(r.Context(), a)
	if err != nil {
		return nil, err
	}
	ru := ds.Rules
	return apiDeadlineSettings{Rules: apiDeadlineRules{ru.Counting, ru.TaskMonths, ru.CoHandleMonths, ru.ReturnDays, ru.RehandleMonths, ru.MaxMonths,
		append([]int{}, ru.RemindDaysBefore...), ru.EscalateAfterDays}, Calendar: ds.CalendarText, Default: ds.Default, Year: ds.Year,
		CoversYear: ds.CoversYear, CoversNext: ds.CoversNext, UpdatedAt: ds.UpdatedAt}, nil
}

// apiDeadlineSettings is GET /api/v1/admin/deadline-settings: the rules
// that compute deadlines and reminders, and the holiday calendar's text.
func (s *Server) apiDeadlineSettings(w http.ResponseWriter, r *http.Request) {
	s.apiAnswer(w, r, http.StatusOK, func(a zhengxie.Actor) (any, error) { return s.deadlineSettingsOf(r, a) })
}

// apiSaveDeadlineSettings is PUT /api/v1/admin/deadline-settings (the admin).
func (s *Server) apiSaveDeadlineSettings(w http.ResponseWriter, r *http.Request) {
	s.apiAnswer(w, r, http.StatusOK, func(a zhengxie.Actor) (any, error) {
		in, err := apiInput[apiDeadlineSettingsInput](w, r)
		if err != nil {
			return nil, err
		}
		ru := in.Rules
		rules := zhengxie.DeadlineRules{Counting: ru.Counting, TaskMonths: ru.TaskMonths, CoHandleMonths: ru.CoHandleMonths, ReturnDays: ru.ReturnDays,
			RehandleMonths: ru.RehandleMonths, MaxMonths: ru.MaxMonths, RemindDaysBefore: ru.RemindDaysBefore, EscalateAfterDays: ru.EscalateAfterDays}
		if err := s.Svc.SaveDeadlineSettings(r.Context(), a, rules, in.Calendar); err != nil {
			return nil, err
		}
		return s.deadlineSettingsOf(r, a)
	})
}

type apiUnitLeaderInput struct {
	LeaderID int64 `json:"leader_id"`
}

// apiUnitLeader is PUT /api/v1/units/{id}/leader: the leader told when the
// unit's tasks fall overdue (0 for none).
func (s *Server) apiUnitLeader(w http.ResponseWriter, r *http.Request) {
	s.apiAnswer(w, r, 0, func(a zhengxie.Actor) (any, error) {
		id, err := idOf(r, "id")
		if err != nil {
			return nil, err
		}
		in, err := apiInput[apiUnitLeaderInput](w, r)
		if err != nil {
			return nil, err
		}
		return nil, s.Svc.SetUnitLeader(r.Context(), a, id, in.LeaderID)
	})
}
