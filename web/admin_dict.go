package web

import (
	"fmt"
	"net/http"
	"strconv"

	"zhengxie"
	"zhengxie/app"
	"zhengxie/store"
)

// The segmentation dictionary (分词词典): the admin adds a committee's
// words, and the search index is rebuilt in the background with its
// progress on the page (which polls the JSON endpoint) and in the API.

// rebuildJSON is a rebuild as the API and the page's script see it.
type rebuildJSON struct {
	*store.IndexRebuild
	Percent int    `json:"percent"`
	Active  bool   `json:"active"`
	Message string `json:"message"`
}

func rebuildOf(rb *store.IndexRebuild) *rebuildJSON {
	if rb == nil {
		return nil
	}
	out := &rebuildJSON{IndexRebuild: rb, Active: rb.State == store.RebuildPending || rb.State == store.RebuildRunning}
	switch {
	case rb.State == store.RebuildDone:
		out.Percent = 100
	case rb.Total > 0:
		out.Percent = min(100, rb.Done*100/rb.Total)
	}
	switch rb.State {
	case store.RebuildPending:
		out.Message = "索引重建已排队，稍后开始。"
	case store.RebuildRunning:
		out.Message = fmt.Sprintf("正在重建索引：已处理%d件，共%d件（%d%%）。重建期间检索照常可用。", rb.Done, rb.Total, out.Percent)
	case store.RebuildDone:
		out.Message = fmt.Sprintf("索引已于%s重建完成，共%d件提案按新词典分词。", rb.FinishedAt.In(zhengxie.ChinaTime()).Format("2006-01-02 15:04"), rb.Total)
	case store.RebuildFailed:
		out.Message = rb.Error
	}
	return out
}

type dictData struct {
	Words   []store.DictWord
	Rebuild *rebuildJSON
	Text    string
	Err     formErr
}

func (s *Server) renderDict(w http.ResponseWriter, r *http.Request, status int, d *dictData) {
	v, err := s.Svc.Dictionary(r.Context(), actorOf(r))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d.Words, d.Rebuild = v.Words, rebuildOf(v.Rebuild)
	page := &Page{Title: "分词词典", Nav: "dictionary", D: d, Error: d.Err.Msg}
	if n, err := strconv.Atoi(r.URL.Query().Get("added")); err == nil && status == http.StatusOK {
		page.Flash = fmt.Sprintf("已加入%d个新词，检索索引正在后台重建。", n)
	}
	if status != http.StatusOK {
		w.WriteHeader(status)
	}
	s.render(w, r, "admin_dictionary", page)
}

func (s *Server) dictPage(w http.ResponseWriter, r *http.Request) {
	s.renderDict(w, r, http.StatusOK, &dictData{})
}

func (s *Server) dictAdd(w http.ResponseWriter, r *http.Request) {
	if err := requireUser(r); err != nil {
		s.fail(w, r, err)
		return
	}
	text := r.FormValue("words")
	if len([]rune(text)) > app.MaxDictWords*(32+1) {
		s.svPostErr(w, r, zhengxie.FieldError("words", "一次最多添加%d个词", app.MaxDictWords), func(status int, fe formErr) { s.renderDict(w, r, status, &dictData{Err: fe}) })
		return
	}
	added, _, err := s.Svc.AddDictWords(r.Context(), actorOf(r), []string{text})
	if err != nil {
		s.svPostErr(w, r, err, func(status int, fe formErr) { s.renderDict(w, r, status, &dictData{Text: text, Err: fe}) })
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/admin/dictionary?added=%d#rebuild", len(added)), http.StatusSeeOther)
}

func (s *Server) dictRebuild(w http.ResponseWriter, r *http.Request) {
	if _, err := s.Svc.RequestRebuild(r.Context(), actorOf(r)); err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/admin/dictionary#rebuild", http.StatusSeeOther)
}

type dictWordJSON struct {
	Word      string `json:"word"`
	CreatedAt string `json:"created_at"`
}

func (s *Server) apiDictionary(w http.ResponseWriter, r *http.Request) {
	v, err := s.Svc.Dictionary(r.Context(), actorOf(r))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	words := []dictWordJSON{}
	for _, x := range v.Words {
		words = append(words, dictWordJSON{x.Word, x.CreatedAt.UTC().Format("2006-01-02T15:04:05Z")})
	}
	writeJSON(w, http.StatusOK, map[string]any{"words": words, "rebuild": rebuildOf(v.Rebuild)})
}

func (s *Server) apiDictAdd(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Words []string `json:"words"`
	}
	if err := decode(w, r, &in); err != nil {
		s.fail(w, r, err)
		return
	}
	added, rb, err := s.Svc.AddDictWords(r.Context(), actorOf(r), in.Words)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if added == nil {
		added = []string{}
	}
	writeJSON(w, http.StatusAccepted, map[string]any{"added": added, "rebuild": rebuildOf(rb)})
}

func (s *Server) apiDictRebuildStatus(w http.ResponseWriter, r *http.Request) {
	rb, err := s.Svc.RebuildStatus(r.Context(), actorOf(r))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"rebuild": rebuildOf(rb)})
}

func (s *Server) apiDictRebuild(w http.ResponseWriter, r *http.Request) {
	rb, err := s.Svc.RequestRebuild(r.Context(), actorOf(r))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusAccepted, map[string]any{"rebuild": rebuildOf(rb)})
}
