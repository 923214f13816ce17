package web

import (
	"encoding/json"
	"math"
	"net/http"
	"net/url"
	"strconv"

	"zhengxie"
	"zhengxie/app"
)

// Key terms: what a session's proposals, or one proposal, are about.

// termRow is one key term of a session, scaled for a bar.
type termRow struct {
	Term   string
	Weight float64
	Pct    int // 1–100, of the strongest term
	URL    string
}

func termRows(t *app.SessionTerms, sessionID int64) []termRow {
	var out []termRow
	for _, tw := range t.Terms {
		top := t.Terms[0].Weight
		pct := 100
		if top > 0 {
			pct = max(1, int(math.Round(100*tw.Weight/top)))
		}
		q := url.Values{"q": {tw.Term}}
		if sessionID != 0 {
			q.Set("session", strconv.FormatInt(sessionID, 10))
		}
		out = append(out, termRow{Term: tw.Term, Weight: tw.Weight, Pct: pct, URL: "/search?" + q.Encode()})
	}
	return out
}

// termChart is the ECharts option of the terms' bar chart (app.js draws
// it; the list inside the element stays as the fallback).
func termChart(rows []termRow) string {
	var terms []string
	var pcts []int
	for _, r := range rows {
		terms = append(terms, r.Term)
		pcts = append(pcts, r.Pct)
	}
	opt := map[string]any{
		"grid":    map[string]any{"left": 100, "right": 24, "top": 8, "bottom": 8},
		"tooltip": map[string]any{},
		"xAxis":   map[string]any{"type": "value", "show": false, "max": 100},
		"yAxis":   map[string]any{"type": "category", "inverse": true, "data": terms},
		"series":  []any{map[string]any{"type": "bar", "name": "代表性（最高为100）", "data": pcts}},
	}
	b, _ := json.Marshal(opt)
	return string(b)
}

// API representations of search.

// ---- API ----

// apiProposalTerms is GET /api/v1/proposals/{id}/terms?limit=: the words
// that characterise one proposal, for whoever may see it.
func (s *Server) apiProposalTerms(w http.ResponseWriter, r *http.Request) {
	s.apiAnswer(w, r, http.StatusOK, func(a zhengxie.Actor) (any, error) {
		id, err := pathID(r)
		if err != nil {
			return nil, err
		}
		k, err := queryInt(r, "limit", 8, 1, 50)
		if err != nil {
			return nil, err
		}
		v, err := s.Svc.Proposal(r.Context(), a, id)
		if err != nil {
			return nil, err
		}
		terms, err := s.Svc.KeyTerms(r.Context(), v.P, k)
		if err != nil {
			return nil, err
		}
		return map[string]any{"proposal_id": id, "terms": append([]string{}, terms...)}, nil
	})
}

type apiTermWeight struct {
	Term   string  `json:"term"`
	Weight float64 `json:"weight"`
}

// apiSessionTerms is GET /api/v1/sessions/{id}/terms?limit=: what a
// session's proposals are about (0: all sessions), for the office and leaders.
func (s *Server) apiSessionTerms(w http.ResponseWriter, r *http.Request) {
	s.apiAnswer(w, r, http.StatusOK, func(a zhengxie.Actor) (any, error) {
		id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
		if err != nil || id < 0 {
			return nil, zhengxie.NotFound("届次")
		}
		k, err := queryInt(r, "limit", 30, 1, 100)
		if err != nil {
			return nil, err
		}
		if id != 0 {
			if err := s.sessionOf(r, a, id); err != nil {
				return nil, err
			}
		}
		t, err := s.Svc.TopTerms(r.Context(), a, id, k)
		if err != nil {
			return nil, err
		}
		out := []apiTermWeight{}
		for _, tw := range t.Terms {
			out = append(out, apiTermWeight{tw.Term, math.Round(tw.Weight*10000) / 10000})
		}
		return map[string]any{"session_id": id, "proposals": t.Proposals, "terms": out}, nil
	})
}

// sessionOf fails with 404 unless the session is the caller's committee's.
func (s *Server) sessionOf(r *http.Request, a zhengxie.Actor, id int64) error {
	ss, err := s.Svc.Store.Sessions(r.Context(), a.CommitteeID)
	if err != nil {
		return err
	}
	for _, se := range ss {
		if se.ID == id {
			return nil
		}
	}
	return zhengxie.NotFound("届次")
}

// apiSessions is GET /api/v1/sessions: the committee's sessions (届次), for
// the filters of search and the key terms.
func (s *Server) apiSessions(w http.ResponseWriter, r *http.Request) {
	s.apiAnswer(w, r, http.StatusOK, func(a zhengxie.Actor) (any, error) {
		ss, err := s.Svc.Store.Sessions(r.Context(), a.CommitteeID)
		if err != nil {
			return nil, err
		}
		out := []map[string]any{}
		for _, se := range ss {
			out = append(out, map[string]any{"id": se.ID, "name": se.Name})
		}
		return map[string]any{"items": out}, nil
	})
}
