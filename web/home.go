package web

import (
	"net/http"

	"zhengxie"
	"zhengxie/store"
)

// home is each role's workbench.
func (s *Server) home(w http.ResponseWriter, r *http.Request) {
	v := viewerOf(r)
	if v.User == nil {
		http.Redirect(w, r, "/public", http.StatusSeeOther)
		return
	}
	ctx := r.Context()
	a := v.Actor()
	d := map[string]any{}
	counts, err := s.Svc.Store.StateCounts(ctx, store.ProposalFilter{Viewer: a, Mine: a.Role == zhengxie.RoleMember})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	type stat struct {
		State zhengxie.State
		N     int
	}
	var stats []stat
	for _, st := range zhengxie.States {
		if counts[st] > 0 {
			stats = append(stats, stat{st, counts[st]})
		}
	}
	d["Stats"] = stats
	switch a.Role {
	case zhengxie.RoleMember:
		mine, _, err := s.Svc.Store.Proposals(ctx, store.ProposalFilter{Viewer: a, Mine: true, Limit: 10, Brief: true})
		if err != nil {
			s.fail(w, r, err)
			return
		}
		inv, err := s.Svc.Store.CosignInvitations(ctx, a)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		d["Mine"], d["Invitations"] = mine, inv
	case zhengxie.RoleUnit:
		tasks, err := s.Svc.Store.TaskRows(ctx, store.TaskFilter{CommitteeID: a.CommitteeID, UnitID: a.UnitID,
			States: []zhengxie.TaskState{zhengxie.TaskPending, zhengxie.TaskAccepted, zhengxie.TaskContacted}, Limit: 20})
		if err != nil {
			s.fail(w, r, err)
			return
		}
		d["Tasks"] = tasks
	case zhengxie.RoleLeader:
		// The chairs' council decides the key proposals: what waits for that
		// decision comes first on a leader's desk.
		pending, err := s.Svc.Store.KeyProposals(ctx, a.CommitteeID, store.KeyProposed)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		d["KeyPending"] = pending
		fallthrough
	default:
		recent, _, err := s.Svc.Store.Proposals(ctx, store.ProposalFilter{Viewer: a, Limit: 10, Brief: true})
		if err != nil {
			s.fail(w, r, err)
			return
		}
		d["Recent"] = recent
	}
	s.render(w, r, "home", &Page{Title: "工作台", Nav: "home", D: d})
}
