package web

import (
	"net/http"

	"zhengxie"
	"zhengxie/store"
)

// publicCommittee is the committee whose published proposals the public
// sees: ?c=<code>, or the first committee of the deployment.
func (s *Server) publicCommittee(r *http.Request) (*zhengxie.Committee, error) {
	if code := r.URL.Query().Get("c"); code != "" {
		return s.Svc.Store.CommitteeByCode(r.Context(), code)
	}
	if u := viewerOf(r).User; u != nil {
		return s.Svc.Store.Committee(r.Context(), u.CommitteeID)
	}
	cs, err := s.Svc.Store.Committees(r.Context())
	if err != nil {
		return nil, err
	}
	if len(cs) == 0 {
		return nil, zhengxie.NotFound("政协委员会")
	}
	return &cs[0], nil
}

// publicFilterOf selects the published proposals of committee c that the
// public list's query asks for.
func publicFilterOf(r *http.Request, c *zhengxie.Committee) store.ProposalFilter {
	q := r.URL.Query()
	return store.ProposalFilter{CommitteeID: c.ID, Published: true, Category: q.Get("category"), TitleLike: q.Get("q"),
		Limit: perPage, Offset: (pageOf(r) - 1) * perPage}
}

func (s *Server) publicList(w http.ResponseWriter, r *http.Request) {
	c, err := s.publicCommittee(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	q := r.URL.Query()
	f := publicFilterOf(r, c)
	f.Brief = true // the list shows titles only
	ps, total, err := s.Svc.Store.Proposals(r.Context(), f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, "public", &Page{Title: "公开提案", Nav: "public", D: map[string]any{
		"Committee": c, "Proposals": ps, "Pager": newPager(r, total, perPage), "Q": q, "Categories": zhengxie.Categories}})
}

func (s *Server) publicShow(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	// The public page shows the published version to everyone, logged in or not.
	v, err := s.Svc.Proposal(r.Context(), zhengxie.Actor{}, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, "public_proposal", &Page{Title: v.P.Title, Nav: "public", D: v})
}
