package web

import (
	"net/http"

	"zhengxie"
	"zhengxie/store"
)

// reviewQueue is the office's desk: what waits for a decision.
func (s *Server) reviewQueue(w http.ResponseWriter, r *http.Request) {
	if err := requireUser(r); err != nil {
		s.fail(w, r, err)
		return
	}
	a := actorOf(r)
	if a.Role != zhengxie.RoleOffice && a.Role != zhengxie.RoleLeader {
		s.fail(w, r, zhengxie.Errorf(zhengxie.EForbidden, "审查交办由提案委员会办理"))
		return
	}
	ctx := r.Context()
	d := map[string]any{}
	for key, st := range map[string]zhengxie.State{"Review": zhengxie.StateUnderReview, "Assign": zhengxie.StateAccepted,
		"Conclude": zhengxie.StateReplied, "Cosign": zhengxie.StateSubmitted, "Archive": zhengxie.StateConcluded} {
		ps, total, err := s.Svc.Store.Proposals(ctx, store.ProposalFilter{Viewer: a, States: []zhengxie.State{st}, Limit: 50, Brief: true})
		if err != nil {
			s.fail(w, r, err)
			return
		}
		d[key], d[key+"Total"] = ps, total
	}
	returned, err := s.Svc.Store.TaskRows(ctx, store.TaskFilter{CommitteeID: a.CommitteeID, States: []zhengxie.TaskState{zhengxie.TaskReturned}})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d["Returned"] = returned
	if d["Merge"], err = s.Svc.MergeSuggestions(ctx, a); err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, "review", &Page{Title: "审查交办", Nav: "review", D: d})
}
