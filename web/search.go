package web

import (
	"html/template"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"zhengxie"
	"zhengxie/app"
	"zhengxie/search"
	"zhengxie/store"
)

// Search over HTTP: the search page and API (the office's helpers are in
// search_*.go).

// addPartials makes the partial templates matching pattern callable from
// every page (the review queue and the proposal page include them).
func (ps *pages) addPartials(pattern string) {
	for name, t := range ps.set {
		ps.set[name] = template.Must(t.ParseFS(templateFS, pattern))
	}
}

const searchPerPage = 20

// searchParams is a search as the query string gives it.
type searchParams struct {
	Q        string
	Session  int64
	Category string
	States   []zhengxie.State
	Unit     int64
	Proposer string
	Sector   int64
	Key      bool
	From, To string // YYYY-MM-DD as typed, for the form
	Page     int
	PerPage  int
}

// parseSearch reads the query string; a malformed filter is a field error.
func parseSearch(r *http.Request) (searchParams, error) {
	q := r.URL.Query()
	p := searchParams{Q: strings.TrimSpace(q.Get("q")), Category: strings.TrimSpace(q.Get("category")),
		Proposer: strings.TrimSpace(q.Get("proposer")), Key: q.Get("key") == "1" || q.Get("key") == "true",
		From: strings.TrimSpace(q.Get("from")), To: strings.TrimSpace(q.Get("to")), Page: pageOf(r), PerPage: searchPerPage}
	for _, v := range []string{p.Q, p.Category, p.Proposer} {
		if !utf8.ValidString(v) {
			return p, zhengxie.FieldError("q", "检索内容包含无效字符（编码错误），请重新输入")
		}
	}
	if utf8.RuneCountInString(p.Q) > 100 {
		return p, zhengxie.FieldError("q", "检索词不能超过100个字")
	}
	ids := map[string]*int64{"session": &p.Session, "unit": &p.Unit, "sector": &p.Sector}
	for name, dst := range ids {
		if v := q.Get(name); v != "" {
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil || n < 0 {
				return p, zhengxie.FieldError(name, "筛选条件“%s”无效", name)
			}
			*dst = n
		}
	}
	for _, st := range q["state"] {
		if st == "" {
			continue
		}
		known := false
		for _, x := range zhengxie.States {
			known = known || string(x) == st
		}
		if !known {
			return p, zhengxie.FieldError("state", "未知的状态“%s”", st)
		}
		p.States = append(p.States, zhengxie.State(st))
	}
	if v := q.Get("per_page"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 100 {
			return p, zhengxie.FieldError("per_page", "每页条数应为1到100")
		}
		p.PerPage = n
	}
	return p, nil
}

// filter turns the parameters into a store filter in the committee's time
// zone (dates are civil dates; "to" is inclusive).
func (p searchParams) filter(loc *time.Location) (store.ProposalFilter, error) {
	f := store.ProposalFilter{SessionID: p.Session, Category: p.Category, States: p.States, UnitID: p.Unit,
		ProposerName: p.Proposer, SectorID: p.Sector, Key: p.Key, Limit: p.PerPage, Offset: (p.Page - 1) * p.PerPage}
	if p.From != "" {
		d, err := zhengxie.ParseDate(p.From)
		if err != nil {
			return f, zhengxie.FieldError("from", "起始日期格式应为2019-01-31")
		}
		f.Since = d.In(loc)
	}
	if p.To != "" {
		d, err := zhengxie.ParseDate(p.To)
		if err != nil {
			return f, zhengxie.FieldError("to", "截止日期格式应为2019-12-31")
		}
		f.Until = d.AddDays(1).In(loc)
	}
	if !f.Since.IsZero() && !f.Until.IsZero() && !f.Since.Before(f.Until) {
		return f, zhengxie.FieldError("to", "截止日期不能早于起始日期")
	}
	return f, nil
}

// searchHit is one result as shown.
type searchHit struct {
	P       zhengxie.Proposal
	Title   template.HTML // highlighted
	Snippet template.HTML // highlighted
	Session string
	Score   float64
	URL     string
}

// facetItem is one value of a facet, with the link that filters by it.
type facetItem struct {
	Value, Label string
	Count        int
	Active       bool
	URL          string
}

type facet struct {
	Name, Label string
	Items       []facetItem
}

// searchOutcome is a search run for one viewer, ready for the page or the API.
type searchOutcome struct {
	Params    searchParams
	Committee *zhengxie.Committee
	Public    bool
	Terms     []string
	Total     int
	Estimated bool   // Total is an estimate (more than store.SearchCap matched)
	TotalText string // Total with thousands separators
	Hits      []searchHit
	Facets    []facet
	Sessions  []zhengxie.Session
	Units     []zhengxie.Unit
	Sectors   []zhengxie.Sector
}

// runSearch searches for the viewer: a member of the committee sees what
// the proposal list would show them, the public the published proposals of
// the committee named by ?c= (or the first).
func (s *Server) runSearch(r *http.Request, facets bool) (*searchOutcome, error) {
	p, err := parseSearch(r)
	if err != nil {
		return nil, err
	}
	a := actorOf(r)
	out := &searchOutcome{Params: p, Public: a.IsAnonymous()}
	if out.Public {
		out.Committee, err = s.publicCommittee(r)
	} else {
		out.Committee, err = s.Svc.Store.Committee(r.Context(), a.CommitteeID)
	}
	if err != nil {
		return nil, err
	}
	f, err := p.filter(out.Committee.Location())
	if err != nil {
		return nil, err
	}
	f.CommitteeID = out.Committee.ID
	ctx := r.Context()
	res, terms, err := s.Svc.Search(ctx, a, app.SearchQuery{Text: p.Q, Filter: f, Facets: facets})
	if err != nil {
		return nil, err
	}
	out.Terms, out.Total, out.Estimated, out.TotalText = terms, res.Total, res.Estimated, thousands(res.Total)
	if out.Sessions, err = s.Svc.Store.Sessions(ctx, out.Committee.ID); err != nil {
		return nil, err
	}
	if out.Units, err = s.Svc.Store.Units(ctx, out.Committee.ID); err != nil {
		return nil, err
	}
	if !out.Public {
		if out.Sectors, err = s.Svc.Store.Sectors(ctx, out.Committee.ID); err != nil {
			return nil, err
		}
	}
	sessionName := map[string]string{}
	for _, se := range out.Sessions {
		sessionName[strconv.FormatInt(se.ID, 10)] = se.Name
	}
	unitName := map[string]string{}
	for _, u := range out.Units {
		unitName[strconv.FormatInt(u.ID, 10)] = u.Name
	}
	for _, h := range res.Hits {
		body := h.Body
		// Contact details stay out of what is shown to those who see only
		// the published version (the proposal page redacts likewise).
		if out.Public || !(zhengxie.SeesAll(a.Role) || h.ProposerID == a.UserID) {
			body = zhengxie.Redact(body)
		}
		hit := searchHit{P: h.Proposal, Title: search.Highlight(h.Title, terms), Snippet: search.Snippet(body, terms, 120),
			Session: sessionName[strconv.FormatInt(h.SessionID, 10)], Score: math.Round(h.Rank*1000) / 1000,
			URL: "/proposals/" + strconv.FormatInt(h.ID, 10)}
		if out.Public {
			hit.URL = "/public/proposals/" + strconv.FormatInt(h.ID, 10)
		}
		hit.P.Body = ""
		out.Hits = append(out.Hits, hit)
	}
	if facets {
		base := r.URL.Query()
		base.Del("page")
		mk := func(name, label string, fs []store.Facet, labelOf func(string) string) {
			fc := facet{Name: name, Label: label}
			for _, x := range fs {
				l := labelOf(x.Value)
				if l == "" {
					continue
				}
				q := cloneValues(base)
				active := q.Get(name) == x.Value
				if active {
					q.Del(name)
				} else {
					q.Set(name, x.Value)
				}
				fc.Items = append(fc.Items, facetItem{Value: x.Value, Label: l, Count: x.Count, Active: active, URL: "?" + q.Encode()})
			}
			if len(fc.Items) > 0 {
				out.Facets = append(out.Facets, fc)
			}
		}
		same := func(v string) string { return v }
		mk("session", "届次", res.Sessions, func(v string) string { return sessionName[v] })
		mk("category", "类别", res.Categories, same)
		if !out.Public {
			mk("state", "状态", res.States, func(v string) string { return zhengxie.State(v).Name() })
		}
		mk("unit", "承办单位", res.Units, func(v string) string { return unitName[v] })
	}
	return out, nil
}

// thousands writes n with a comma every three digits (12,000).
func thousands(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0 && s[i-1] != '-'; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

func cloneValues(v url.Values) url.Values {
	out := url.Values{}
	for k, vs := range v {
		out[k] = append([]string(nil), vs...)
	}
	return out
}

// searchPage is 提案检索: one box, filters, facets, ranked hits; the office
// also sees what a session's proposals are about.
func (s *Server) searchPage(w http.ResponseWriter, r *http.Request) {
	out, err := s.runSearch(r, true)
	if err != nil {
		if zhengxie.ErrorCode(err) != zhengxie.EInvalid {
			s.fail(w, r, err)
			return
		}
		w.WriteHeader(http.StatusUnprocessableEntity)
		p, _ := parseSearch(r)
		s.render(w, r, "search", &Page{Title: "提案检索", Nav: "search", Error: zhengxie.ErrorMessage(err),
			D: map[string]any{"Out": &searchOutcome{Params: p}, "Q": r.URL.Query(), "States": zhengxie.States, "Categories": zhengxie.Categories}})
		return
	}
	d := map[string]any{"Out": out, "Q": r.URL.Query(), "States": zhengxie.States, "Categories": zhengxie.Categories, "SearchCap": thousands(store.SearchCap),
		"Pager": newPager(r, out.Total, out.Params.PerPage), "Advanced": out.Params.Session != 0 || out.Params.Unit != 0 ||
			out.Params.Proposer != "" || out.Params.Sector != 0 || out.Params.Key || out.Params.From != "" || out.Params.To != "" || len(out.Params.States) > 0}
	a := actorOf(r)
	if out.Params.Q == "" && (a.Role == zhengxie.RoleOffice || a.Role == zhengxie.RoleLeader) {
		sessionID := out.Params.Session
		if sessionID == 0 && len(out.Sessions) > 0 {
			if cur, err := s.Svc.Store.CurrentSession(r.Context(), a.CommitteeID); err == nil {
				sessionID = cur.ID
			}
		}
		terms, err := s.Svc.TopTerms(r.Context(), a, sessionID, 30)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		rows := termRows(terms, sessionID)
		d["Terms"], d["TermsChart"] = rows, termChart(rows)
		for _, se := range out.Sessions {
			if se.ID == sessionID {
				d["TermsSession"] = se.Name
			}
		}
		d["TermsCount"] = terms.Proposals
	}
	s.render(w, r, "search", &Page{Title: "提案检索", Nav: "search", D: d})
}

type apiSearchHit struct {
	ID           int64     `json:"id"`
	Number       int       `json:"number"`
	NumberText   string    `json:"number_text,omitempty"`
	Title        string    `json:"title"`
	TitleHTML    string    `json:"title_html"`
	SnippetHTML  string    `json:"snippet_html"`
	Category     string    `json:"category"`
	State        string    `json:"state"`
	StateName    string    `json:"state_name"`
	ProposerName string    `json:"proposer_name"`
	SessionID    int64     `json:"session_id"`
	Session      string    `json:"session"`
	Published    bool      `json:"published"`
	Key          bool      `json:"key"`
	SubmittedAt  time.Time `json:"submitted_at,omitzero"`
	Score        float64   `json:"score"`
	URL          string    `json:"url"`
}

type apiFacetValue struct {
	Value string `json:"value"`
	Label string `json:"label"`
	Count int    `json:"count"`
}

type apiSearchResult struct {
	Total int `json:"total"`
	// Estimated is true when Total is an estimate (more matched than are
	// counted one by one) and the facets count only the best hits.
	Estimated bool                       `json:"total_estimated"`
	Page      int                        `json:"page"`
	PerPage   int                        `json:"per_page"`
	Terms     []string                   `json:"terms"`
	Items     []apiSearchHit             `json:"items"`
	Facets    map[string][]apiFacetValue `json:"facets,omitempty"`
}

// apiSearch is GET /api/v1/search: the search page's results as JSON, for
// the logged-in (what they may see) and the public (published only).
func (s *Server) apiSearch(w http.ResponseWriter, r *http.Request) {
	out, err := s.runSearch(r, r.URL.Query().Get("facets") != "0")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	res := apiSearchResult{Total: out.Total, Estimated: out.Estimated, Page: out.Params.Page, PerPage: out.Params.PerPage, Terms: out.Terms, Items: []apiSearchHit{}}
	if res.Terms == nil {
		res.Terms = []string{}
	}
	for _, h := range out.Hits {
		res.Items = append(res.Items, apiSearchHit{ID: h.P.ID, Number: h.P.Number, NumberText: h.P.NumberText(), Title: h.P.Title,
			TitleHTML: string(h.Title), SnippetHTML: string(h.Snippet), Category: h.P.Category, State: string(h.P.State),
			StateName: h.P.State.Name(), ProposerName: h.P.ProposerName, SessionID: h.P.SessionID, Session: h.Session,
			Published: h.P.Published, Key: h.P.Key, SubmittedAt: h.P.SubmittedAt, Score: h.Score, URL: h.URL})
	}
	if len(out.Facets) > 0 {
		res.Facets = map[string][]apiFacetValue{}
		for _, f := range out.Facets {
			for _, it := range f.Items {
				res.Facets[f.Name] = append(res.Facets[f.Name], apiFacetValue{Value: it.Value, Label: it.Label, Count: it.Count})
			}
		}
	}
	writeJSON(w, http.StatusOK, res)
}
