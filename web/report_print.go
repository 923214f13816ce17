package web

import (
	"net/http"

	"zhengxie"
	"zhengxie/app"
)

// Print pages: documents people print on A4 (stats.css has the page rules).
// Each is an ordinary page of the site whose print stylesheet drops the
// navigation, so the same URL serves the screen preview and the printer.

func init() {
	flashes["report_saved"] = "报告已保存。数字由系统按最新数据填写。"
	funcs["ordinal"] = zhengxie.ChineseOrdinal
}

// registerView is the 提案登记表 of one proposal.
type registerView struct {
	*app.ProposalView
	Session  string
	Review   *zhengxie.Event // the review decision (立案, 不予立案, 并案, 转意见建议)
	Assigned *zhengxie.Event // the assignment (交办)
	Today    zhengxie.Date
}

func (s *Server) printRegister(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := requireUser(r); err != nil {
		s.fail(w, r, err)
		return
	}
	v, err := s.Svc.Proposal(r.Context(), actorOf(r), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d := &registerView{ProposalView: v, Today: zhengxie.DateOf(s.Svc.Clock(), zhengxie.ChinaTime())}
	sessions, err := s.Svc.Store.Sessions(r.Context(), v.P.CommitteeID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	for _, se := range sessions {
		if se.ID == v.P.SessionID {
			d.Session = se.Name
		}
	}
	for i := range v.Events {
		e := &v.Events[i]
		switch zhengxie.Action(e.Action) {
		case zhengxie.ActAccept, zhengxie.ActReject, zhengxie.ActMerge, zhengxie.ActConvert:
			d.Review = e
		case zhengxie.ActAssign:
			d.Assigned = e
		}
	}
	s.render(w, r, "report_register", &Page{Title: "提案登记表 " + v.P.Title, Nav: "proposals", D: d})
}

// taskFormView is a task's 答复函 or 办理情况反馈表.
type taskFormView struct {
	*app.ProposalView
	Task    *zhengxie.Task
	Session string
	Today   zhengxie.Date
}

func (s *Server) taskForm(w http.ResponseWriter, r *http.Request, unitOnly bool) (*taskFormView, bool) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, err)
		return nil, false
	}
	if err := requireUser(r); err != nil {
		s.fail(w, r, err)
		return nil, false
	}
	a := actorOf(r)
	t, err := s.Svc.Store.Task(r.Context(), a.CommitteeID, id)
	if err != nil {
		s.fail(w, r, err)
		return nil, false
	}
	v, err := s.Svc.Proposal(r.Context(), a, t.ProposalID)
	if err != nil {
		s.fail(w, r, zhengxie.NotFound("办理任务"))
		return nil, false
	}
	// The letter is the unit's to write; the office and leaders may look.
	if unitOnly && !(a.Role == zhengxie.RoleUnit && a.UnitID == t.UnitID) && !zhengxie.SeesAll(a.Role) {
		if a.Role == zhengxie.RoleUnit {
			s.fail(w, r, zhengxie.NotFound("办理任务"))
		} else {
			s.fail(w, r, zhengxie.Errorf(zhengxie.EForbidden, "答复函由承办单位填写，提案者请在提案页面查看答复"))
		}
		return nil, false
	}
	if !unitOnly && a.Role == zhengxie.RoleUnit && a.UnitID != t.UnitID {
		s.fail(w, r, zhengxie.NotFound("办理任务"))
		return nil, false
	}
	d := &taskFormView{ProposalView: v, Today: zhengxie.DateOf(s.Svc.Clock(), zhengxie.ChinaTime())}
	for i := range v.Tasks {
		if v.Tasks[i].ID == t.ID {
			d.Task = &v.Tasks[i]
		}
	}
	if d.Task == nil {
		d.Task = t
	}
	sessions, err := s.Svc.Store.Sessions(r.Context(), v.P.CommitteeID)
	if err == nil {
		for _, se := range sessions {
			if se.ID == v.P.SessionID {
				d.Session = se.Name
			}
		}
	}
	return d, true
}

// printReplyForm is the 答复函 template: the unit fills it in (or prints it
// with what it has replied), stamps it and uploads the scan with its reply.
func (s *Server) printReplyForm(w http.ResponseWriter, r *http.Request) {
	d, ok := s.taskForm(w, r, true)
	if !ok {
		return
	}
	s.render(w, r, "report_reply", &Page{Title: "答复函 " + d.P.Title, Nav: "tasks", D: d})
}

// printFeedbackForm is the 办理情况反馈表 the proposer fills to rate a reply.
func (s *Server) printFeedbackForm(w http.ResponseWriter, r *http.Request) {
	d, ok := s.taskForm(w, r, false)
	if !ok {
		return
	}
	s.render(w, r, "report_feedback", &Page{Title: "办理情况反馈表 " + d.P.Title, Nav: "proposals", D: d})
}
