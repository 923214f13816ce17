package web

import (
	"net/http"
	"strconv"

	"zhengxie"
	"zhengxie/store"
)

const perPage = 20

// filterOf reads a proposal list's filters from the query string.
func filterOf(r *http.Request) store.ProposalFilter {
	q := r.URL.Query()
	f := store.ProposalFilter{Viewer: actorOf(r), Category: q.Get("category"), TitleLike: q.Get("q"), Mine: q.Get("mine") == "1", Key: q.Get("key") == "1"}
	if st := q.Get("state"); st != "" {
		f.States = []zhengxie.State{zhengxie.State(st)}
	}
	f.SessionID, _ = strconv.ParseInt(q.Get("session"), 10, 64)
	f.UnitID, _ = strconv.ParseInt(q.Get("unit"), 10, 64)
	statsFilterOf(r, &f)
	f.Limit = perPage
	f.Offset = (pageOf(r) - 1) * perPage
	return f
}

func (s *Server) proposalList(w http.ResponseWriter, r *http.Request) {
	if err := requireUser(r); err != nil {
		s.fail(w, r, err)
		return
	}
	f := filterOf(r)
	f.Brief = true
	ps, total, err := s.Svc.Store.Proposals(r.Context(), f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	units, err := s.Svc.Store.Units(r.Context(), f.Viewer.CommitteeID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	sessions, err := s.Svc.Store.Sessions(r.Context(), f.Viewer.CommitteeID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, "proposals", &Page{Title: "提案", Nav: "proposals", D: map[string]any{
		"Proposals": ps, "Pager": newPager(r, total, perPage), "Q": r.URL.Query(), "States": zhengxie.States,
		"Categories": zhengxie.Categories, "Units": units, "Sessions": sessions,
	}})
}
