package web

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"zhengxie"
	"zhengxie/store"
)

// Open data (公开数据) and the Atom feed: what the committee has published,
// for the official website, aggregators and anyone who asks. Every answer
// carries an ETag and Last-Modified from the published set (count and last
// change), so that a poller that already has the data gets 304.

// notModified sets the validators and answers 304 when the client's copy
// is current.
func notModified(w http.ResponseWriter, r *http.Request, etag string, last time.Time) bool {
	h := w.Header()
	h.Set("ETag", etag)
	if !last.IsZero() {
		h.Set("Last-Modified", last.UTC().Format(http.TimeFormat))
	}
	h.Set("Cache-Control", "public, max-age=300")
	if inm := r.Header.Get("If-None-Match"); inm != "" {
		for _, t := range strings.Split(inm, ",") {
			if t = strings.TrimSpace(t); t == etag || t == "*" {
				w.WriteHeader(http.StatusNotModified)
				return true
			}
		}
		return false
	}
	if ims, err := http.ParseTime(r.Header.Get("If-Modified-Since")); err == nil && !last.IsZero() && !last.Truncate(time.Second).After(ims) {
		w.WriteHeader(http.StatusNotModified)
		return true
	}
	return false
}

func (s *Server) publishedValidator(r *http.Request, c *zhengxie.Committee, variant string) (string, time.Time, error) {
	n, last, err := s.Svc.Store.PublishedVersion(r.Context(), c.ID)
	if err != nil {
		return "", last, err
	}
	return fmt.Sprintf(`W/"%s-%d-%d-%x"`, c.Code, n, last.UnixMilli(), hashString(variant)), last, nil
}

func hashString(s string) uint32 {
	var h uint32 = 2166136261
	for i := 0; i < len(s); i++ {
		h ^= uint32(s[i])
		h *= 16777619
	}
	return h
}

// Atom (RFC 4287).
type atomFeed struct {
	XMLName xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
	Title   string      `xml:"title"`
	ID      string      `xml:"id"`
	Updated string      `xml:"updated"`
	Links   []atomLink  `xml:"link"`
	Author  atomAuthor  `xml:"author"`
	Entries []atomEntry `xml:"entry"`
}

type atomLink struct {
	Rel  string `xml:"rel,attr,omitempty"`
	Href string `xml:"href,attr"`
	Type string `xml:"type,attr,omitempty"`
}

type atomAuthor struct {
	Name string `xml:"name"`
}

type atomText struct {
	Type string `xml:"type,attr"`
	Body string `xml:",chardata"`
}

type atomEntry struct {
	Title    string        `xml:"title"`
	ID       string        `xml:"id"`
	Updated  string        `xml:"updated"`
	Link     atomLink      `xml:"link"`
	Author   atomAuthor    `xml:"author"`
	Category *atomCategory `xml:"category,omitempty"`
	Summary  atomText      `xml:"summary"`
	Content  atomText      `xml:"content"`
}

type atomCategory struct {
	Term string `xml:"term,attr"`
}

func absURL(r *http.Request, path string) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host + path
}

func firstRunes(s string, n int) string {
	rs := []rune(strings.TrimSpace(s))
	if len(rs) <= n {
		return string(rs)
	}
	return string(rs[:n]) + "……"
}

// publicFeed is the Atom feed of a committee's latest published proposals
// with their replies: ?c=CODE, optionally &category=.
func (s *Server) publicFeed(w http.ResponseWriter, r *http.Request) {
	c, err := s.publicCommittee(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	category := r.URL.Query().Get("category")
	etag, last, err := s.publishedValidator(r, c, "atom:"+category)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if notModified(w, r, etag, last) {
		return
	}
	ps, _, err := s.Svc.Store.Proposals(r.Context(), store.ProposalFilter{CommitteeID: c.ID, Published: true, Category: category, Limit: 50})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	self := "/public/feed.atom?c=" + url.QueryEscape(c.Code)
	title := c.Name + "公开提案"
	if category != "" {
		self += "&category=" + url.QueryEscape(category)
		title += "（" + category + "）"
	}
	updated := last
	if updated.IsZero() {
		updated = time.Unix(0, 0)
	}
	f := atomFeed{Title: title, ID: absURL(r, self), Updated: updated.UTC().Format(time.RFC3339), Author: atomAuthor{c.Name},
		Links: []atomLink{{Rel: "self", Href: absURL(r, self), Type: "application/atom+xml"}, {Rel: "alternate", Href: absURL(r, "/public?c="+url.QueryEscape(c.Code)), Type: "text/html"}}}
	for i := range ps {
		p := &ps[i]
		at := p.PublishedAt
		if p.UpdatedAt.After(at) {
			at = p.UpdatedAt
		}
		link := absURL(r, "/public/proposals/"+strconv.FormatInt(p.ID, 10))
		var content strings.Builder
		content.WriteString(zhengxie.Redact(p.Body))
		tasks, err := s.Svc.Store.Tasks(r.Context(), p.ID)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		for _, t := range tasks {
			if t.Counts() && t.State == zhengxie.TaskReplied && t.ReplyText != "" {
				fmt.Fprintf(&content, "\n\n【%s答复】%s", t.UnitName, zhengxie.Redact(t.ReplyText))
			}
		}
		proposer := p.ProposerName
		if p.Kind == zhengxie.KindBody && p.BodyName != "" {
			proposer = p.BodyName
		}
		e := atomEntry{Title: strings.TrimSpace(p.NumberText() + " " + p.Title), ID: link, Updated: at.UTC().Format(time.RFC3339),
			Link: atomLink{Rel: "alternate", Href: link, Type: "text/html"}, Author: atomAuthor{proposer},
			Summary: atomText{"text", firstRunes(zhengxie.Redact(p.Body), 200)}, Content: atomText{"text", content.String()}}
		if p.Category != "" {
			e.Category = &atomCategory{p.Category}
		}
		f.Entries = append(f.Entries, e)
	}
	var buf bytes.Buffer
	buf.WriteString(xml.Header)
	if err := xml.NewEncoder(&buf).Encode(f); err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/atom+xml; charset=utf-8")
	w.Write(buf.Bytes())
}

// openDataField documents one column of the open data.
type openDataField struct {
	Key, Name, Desc string
}

// openDataFields are the columns of the published proposals, named after
// OParl's Paper where a name fits.
var openDataFields = []openDataField{
	{"id", "ID", "提案在本平台的唯一编号（整数）"},
	{"legislativeSession", "会议", "提出提案的届次会议，如“二届三次会议”"},
	{"reference", "编号", "立案编号，如“第0001号”；未立案为空"},
	{"name", "案由", "提案标题"},
	{"category", "类别", "提案类别"},
	{"paperType", "提案类型", "个人提案、联名提案或集体提案"},
	{"originator", "提案者", "领衔提案人或提案单位"},
	{"state", "状态", "办理状态，如“已答复”“已办结”"},
	{"keyProposal", "重点提案", "是否为重点提案"},
	{"underDirectionOf", "主办（分办）单位", "负责答复的承办单位，以“、”分隔"},
	{"dateSubmitted", "提交时间", "北京时间，YYYY-MM-DD HH:MM"},
	{"dateAccepted", "立案时间", "北京时间"},
	{"dateConcluded", "办结时间", "北京时间"},
	{"datePublished", "公开时间", "北京时间"},
	{"web", "网址", "提案及答复全文的公开页面"},
}

func (s *Server) openDataPage(w http.ResponseWriter, r *http.Request) {
	c, err := s.publicCommittee(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	n, last, err := s.Svc.Store.PublishedVersion(r.Context(), c.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, "stats_opendata", &Page{Title: "公开数据", Nav: "public", D: map[string]any{
		"Committee": c, "Fields": openDataFields, "Count": n, "Last": last, "Categories": zhengxie.Categories}})
}

// openDataProposals downloads every published proposal of ?c= as CSV, XLSX
// or JSON. JSON pages with ?page=&per_page= (at most 1000) when asked.
func (s *Server) openDataProposals(w http.ResponseWriter, r *http.Request) {
	c, err := s.publicCommittee(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	etag, last, err := s.publishedValidator(r, c, r.URL.Path+"?"+r.URL.Query().Get("page")+"/"+r.URL.Query().Get("per_page"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if notModified(w, r, etag, last) {
		return
	}
	f := store.ProposalFilter{CommitteeID: c.ID, Published: true}
	row := func(e *store.ExportProposal) []any {
		return []any{e.ID, e.Session, zhengxie.FormatNumber(e.Number), e.Title, e.Category, zhengxie.KindName(e.Kind), e.Proposer, e.State.Name(),
			e.Key, e.Units, e.SubmittedAt, e.AcceptedAt, e.ConcludedAt, e.PublishedAt, absURL(r, "/public/proposals/"+strconv.FormatInt(e.ID, 10))}
	}
	if strings.HasSuffix(r.URL.Path, ".json") {
		s.openDataJSON(w, r, c, f, row)
		return
	}
	header := make([]string, len(openDataFields))
	for i, fd := range openDataFields {
		header[i] = fd.Name
	}
	total, _, _ := s.Svc.Store.PublishedVersion(r.Context(), c.ID)
	out, err := newRowWriter(w, r, c.Code+"-公开提案", total, header)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	// Cached downloads are fine here: this is public data with validators.
	w.Header().Set("Cache-Control", "public, max-age=300")
	err = s.Svc.Store.EachProposal(r.Context(), f, func(e *store.ExportProposal) error { return out.Row(row(e)) })
	if err == nil {
		err = out.Close()
	}
	if err != nil {
		s.Log.Warn("open data", "err", err)
	}
}

func (s *Server) openDataJSON(w http.ResponseWriter, r *http.Request, c *zhengxie.Committee, f store.ProposalFilter, row func(*store.ExportProposal) []any) {
	q := r.URL.Query()
	page, per := 0, 0
	if q.Get("page") != "" || q.Get("per_page") != "" {
		page = pageOf(r)
		per, _ = strconv.Atoi(q.Get("per_page"))
		if per <= 0 || per > 1000 {
			per = 100
		}
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	total, _, _ := s.Svc.Store.PublishedVersion(r.Context(), c.ID)
	fmt.Fprintf(w, `{"committee":%q,"total":%d,"page":%d,"per_page":%d,"items":[`, c.Code, total, page, per)
	i, n := 0, 0
	err := s.Svc.Store.EachProposal(r.Context(), f, func(e *store.ExportProposal) error {
		i++
		if per > 0 && (i <= (page-1)*per || i > page*per) {
			return nil
		}
		vals := row(e)
		m := make(map[string]any, len(vals))
		for j, fd := range openDataFields {
			switch v := vals[j].(type) {
			case time.Time:
				m[fd.Key] = exportText(v)
			default:
				m[fd.Key] = v
			}
		}
		b, err := json.Marshal(m)
		if err != nil {
			return err
		}
		if n > 0 {
			w.Write([]byte(","))
		}
		n++
		_, err = w.Write(b)
		return err
	})
	w.Write([]byte("]}\n"))
	if err != nil {
		s.Log.Warn("open data", "err", err)
	}
}
