package web

import (
	"net/http"

	"zhengxie"
	"zhengxie/app"
)

// Exports of the duty and contact lists (members, activities, matters,
// opinion reports) with the filters of their pages, through the same
// reads as the pages, so that an export shows exactly what its list shows
// to the same person. A matter's citizen (name, phone, address) is never
// exported: the contact module keeps it to those who handle the matter.

// exportMembers exports the member list (/duty/members?q=&sector=&special_committee=&station=).
func (s *Server) exportMembers(w http.ResponseWriter, r *http.Request) {
	if err := requireStaff(r); err != nil {
		s.fail(w, r, err)
		return
	}
	a := actorOf(r)
	ps, err := s.Svc.Store.Profiles(r.Context(), profileFilterOf(r, a.CommitteeID))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	sectors, err := s.Svc.Store.Sectors(r.Context(), a.CommitteeID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	names := map[int64]string{}
	for _, se := range sectors {
		names[se.ID] = se.Name
	}
	out, err := newRowWriter(w, r, "委员名单", len(ps), []string{"用户ID", "姓名", "性别", "界别", "工作单位及职务", "常委", "届别"})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	for i := range ps {
		p := &ps[i]
		if err = out.Row([]any{p.User.ID, p.User.Name, p.Gender, names[p.User.SectorID], p.Employer, p.Standing, p.Term}); err != nil {
			break
		}
	}
	s.closeExport(r, out, err)
}

// exportActivities exports the activity list (/activities?year=&kind=&state=).
func (s *Server) exportActivities(w http.ResponseWriter, r *http.Request) {
	if err := requireUser(r); err != nil {
		s.fail(w, r, err)
		return
	}
	f, _, err := s.activityFilter(r)
	if err == nil {
		f.Limit = 1000
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	acts, err := s.Svc.Store.Activities(r.Context(), f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	out, err := newRowWriter(w, r, "履职活动", len(acts), []string{"活动ID", "年度", "类型", "名称", "状态", "开始时间", "结束时间", "地点", "组织者"})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	for _, x := range acts {
		if err = out.Row([]any{x.ID, x.Year, x.Kind.Name(), x.Title, x.State.Name(), x.StartsAt, x.EndsAt, x.Place, x.OrganizerName}); err != nil {
			break
		}
	}
	s.closeExport(r, out, err)
}

// exportMatters exports the matter list (/matters?state=&open=&overdue=&station=).
func (s *Server) exportMatters(w http.ResponseWriter, r *http.Request) {
	if err := requireUser(r); err != nil {
		s.fail(w, r, err)
		return
	}
	q := r.URL.Query()
	ms, err := s.Svc.Matters(r.Context(), actorOf(r), app.MatterQuery{State: zhengxie.MatterState(q.Get("state")), Open: q.Get("open") == "1",
		Overdue: q.Get("overdue") == "1", StationID: parseID(q.Get("station"))})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	out, err := newRowWriter(w, r, "群众诉求", len(ms), []string{"诉求ID", "查询码", "标题", "类别", "来源站点", "状态", "承办单位", "答复期限", "登记时间", "答复时间", "按期答复"})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	for i := range ms {
		m := &ms[i]
		station := m.StationName
		if m.StationID == 0 {
			station = "政协机关留言箱"
		}
		if err = out.Row([]any{m.ID, m.Code, m.Title, m.Category, station, m.State.Name(), m.UnitName, m.Due, m.CreatedAt, m.AnsweredAt,
			!m.AnsweredAt.IsZero() && m.OnTime}); err != nil {
			break
		}
	}
	s.closeExport(r, out, err)
}

// exportReports exports the opinion report list (/reports?state=).
func (s *Server) exportReports(w http.ResponseWriter, r *http.Request) {
	if err := requireUser(r); err != nil {
		s.fail(w, r, err)
		return
	}
	rs, err := s.Svc.Reports(r.Context(), actorOf(r), zhengxie.ReportState(r.URL.Query().Get("state")))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	out, err := newRowWriter(w, r, "社情民意信息", len(rs), []string{"信息ID", "标题", "报送人", "以…名义报送", "状态", "已编入《社情民意》", "报送时间"})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	for _, x := range rs {
		if err = out.Row([]any{x.ID, x.Title, x.ReporterName, x.OnBehalf, x.State.Name(), x.IssueID != 0, x.CreatedAt}); err != nil {
			break
		}
	}
	s.closeExport(r, out, err)
}

func (s *Server) closeExport(r *http.Request, out rowWriter, err error) {
	if err == nil {
		err = out.Close()
	}
	if err != nil {
		// The answer has begun: all that is left is to log and cut it short.
		s.Log.Warn("export", "path", r.URL.Path, "err", err)
	}
}
