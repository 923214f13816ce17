package web

import (
	"net/http"
	"net/url"
	"strconv"

	"zhengxie"
	"zhengxie/app"
)

// The office's suggestions: a category at review, the lead unit at
// assignment, near-duplicates to merge in the review queue.

func init() { flashes["category"] = "类别已调整。" }

// setCategory is the office choosing a category, usually a suggested one.
func (s *Server) setCategory(w http.ResponseWriter, r *http.Request) {
	if err := requireUser(r); err != nil {
		s.fail(w, r, err)
		return
	}
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	category, err := formText(r, "category")
	if err == nil {
		_, err = s.Svc.SetCategory(r.Context(), actorOf(r), id, category, r.FormValue("suggested") == "1")
	}
	if err != nil {
		if c := zhengxie.ErrorCode(err); c == zhengxie.ENotFound || c == zhengxie.EInternal || c == zhengxie.EForbidden {
			s.fail(w, r, err)
			return
		}
		s.renderShow(w, r, id, statusOf[zhengxie.ErrorCode(err)], zhengxie.ErrorMessage(err), formErrOf(err), 0)
		return
	}
	redirect(w, r, "/proposals/"+strconv.FormatInt(id, 10), "category")
}

// proposalIntel is what the proposal page shows from the search helpers:
// the key terms, and for the office the suggested category or lead units.
type proposalIntel struct {
	Terms      []termLink
	Suggest    *app.Suggestions
	Categories []string
}

type termLink struct{ Term, URL string }

// proposalIntel gathers it; a failure costs the page only this box.
func (s *Server) proposalIntel(r *http.Request, v *app.ProposalView) *proposalIntel {
	ctx, a := r.Context(), actorOf(r)
	in := &proposalIntel{Categories: zhengxie.Categories}
	terms, err := s.Svc.KeyTerms(ctx, v.P, 8)
	if err != nil {
		s.Log.Warn("key terms", "proposal", v.P.ID, "err", err)
	}
	for _, t := range terms {
		in.Terms = append(in.Terms, termLink{Term: t, URL: "/search?" + url.Values{"q": {t}}.Encode()})
	}
	if in.Suggest, err = s.Svc.Suggest(ctx, a, v.P); err != nil {
		s.Log.Warn("suggestions", "proposal", v.P.ID, "err", err)
		in.Suggest = &app.Suggestions{}
	}
	return in
}

// prefillLead fills the 交办 form with the lead unit a person chose from
// the suggestions (?lead=<unit id>): the form is filled, not submitted.
func prefillLead(r *http.Request, form map[string]string) {
	if r.Method != http.MethodGet {
		return
	}
	if u := r.URL.Query().Get("lead"); u != "" {
		if _, err := strconv.ParseInt(u, 10, 64); err == nil {
			form["kind_"+u] = zhengxie.TaskLead
		}
	}
}
