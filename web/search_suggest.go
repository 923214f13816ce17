package web

import (
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"

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

// ---- API ----

type apiSuggestion struct {
	Value      string  `json:"value"`
	Label      string  `json:"label"`
	Confidence float64 `json:"confidence"`
}

type apiSuggestions struct {
	Category      []apiSuggestion `json:"category"`
	Units         []apiSuggestion `json:"units"`
	CategoryBasis int             `json:"category_basis"`
	UnitBasis     int             `json:"unit_basis"`
}

func toAPISuggestions(xs []app.Suggestion) []apiSuggestion {
	out := []apiSuggestion{}
	for _, x := range xs {
		out = append(out, apiSuggestion{x.Value, x.Label, math.Round(x.Confidence*1000) / 1000})
	}
	return out
}

// officeProposal returns a proposal the caller may see, for the office's
// helpers: who may see it comes first (404), then whether they are the
// office or a leader (403).
func (s *Server) officeProposal(r *http.Request, a zhengxie.Actor) (*zhengxie.Proposal, error) {
	id, err := pathID(r)
	if err != nil {
		return nil, err
	}
	v, err := s.Svc.Proposal(r.Context(), a, id)
	if err != nil {
		return nil, err
	}
	if a.Role != zhengxie.RoleOffice && a.Role != zhengxie.RoleLeader {
		return nil, zhengxie.Errorf(zhengxie.EForbidden, "类别和承办单位建议供提案委员会和领导使用")
	}
	return v.P, nil
}

// apiSuggestions is GET /api/v1/proposals/{id}/suggestions: the suggested
// category (under review) or lead units (accepted, in handling), learned
// from past decisions; empty lists when there is too little to learn from.
func (s *Server) apiSuggestions(w http.ResponseWriter, r *http.Request) {
	s.apiAnswer(w, r, http.StatusOK, func(a zhengxie.Actor) (any, error) {
		p, err := s.officeProposal(r, a)
		if err != nil {
			return nil, err
		}
		sg, err := s.Svc.Suggest(r.Context(), a, p)
		if err != nil {
			return nil, err
		}
		return apiSuggestions{toAPISuggestions(sg.Category), toAPISuggestions(sg.Units), sg.CategoryBasis, sg.UnitBasis}, nil
	})
}

type apiCategoryInput struct {
	Category  string `json:"category"`
	Suggested bool   `json:"suggested"`
}

// apiSetCategory is PUT /api/v1/proposals/{id}/category: the office sets
// the category (suggested: it took the suggestion, which is recorded).
func (s *Server) apiSetCategory(w http.ResponseWriter, r *http.Request) {
	s.apiAnswer(w, r, http.StatusOK, func(a zhengxie.Actor) (any, error) {
		id, err := pathID(r)
		if err != nil {
			return nil, err
		}
		in, err := apiInput[apiCategoryInput](w, r)
		if err != nil {
			return nil, err
		}
		p, err := s.Svc.SetCategory(r.Context(), a, id, strings.TrimSpace(in.Category), in.Suggested)
		if err != nil {
			return nil, err
		}
		return toAPIProposal(p, false), nil
	})
}

type apiMergeCandidate struct {
	Proposal apiProposal `json:"proposal"`
	Score    float64     `json:"score"`
}

type apiMergeGroup struct {
	Score  float64             `json:"score"`
	Into   apiProposal         `json:"into"`
	Others []apiMergeCandidate `json:"others"`
}

// apiMergeSuggestions is GET /api/v1/review/merge-suggestions: groups of
// near-duplicate proposals under review, each with the one filed first
// (which the others would be merged into).
func (s *Server) apiMergeSuggestions(w http.ResponseWriter, r *http.Request) {
	s.apiAnswer(w, r, http.StatusOK, func(a zhengxie.Actor) (any, error) {
		if a.Role != zhengxie.RoleOffice && a.Role != zhengxie.RoleLeader {
			return nil, zhengxie.Errorf(zhengxie.EForbidden, "并案建议供提案委员会和领导使用")
		}
		gs, err := s.Svc.MergeSuggestions(r.Context(), a)
		if err != nil {
			return nil, err
		}
		items := []apiMergeGroup{}
		for _, g := range gs {
			mg := apiMergeGroup{Score: math.Round(g.Score*1000) / 1000, Into: toAPIProposal(&g.Into, false), Others: []apiMergeCandidate{}}
			for _, o := range g.Others {
				mg.Others = append(mg.Others, apiMergeCandidate{toAPIProposal(&o.P, false), math.Round(o.Score*1000) / 1000})
			}
			items = append(items, mg)
		}
		return map[string]any{"items": items}, nil
	})
}
