package web

import (
	"math"
	"net/http"
	"strconv"
	"unicode/utf8"

	"zhengxie"
)

// Similar proposals, shown while a member writes one.

type apiSimilarItem struct {
	ID     int64   `json:"id"`
	Title  string  `json:"title"`
	Number string  `json:"number"`
	Score  float64 `json:"score"`
	URL    string  `json:"url"`
}

// maxSimilarRunes bounds the text compared: the form sends the title and
// the start of the body, and more would only cost segmentation time.
const maxSimilarRunes = 5000

// apiSimilar is GET /api/v1/proposals/similar?title=&body=&exclude=: the
// proposals most like the one being written, for the hint under the form.
func (s *Server) apiSimilar(w http.ResponseWriter, r *http.Request) {
	if err := requireUser(r); err != nil {
		s.fail(w, r, err)
		return
	}
	q := r.URL.Query()
	title, body := q.Get("title"), q.Get("body")
	if !utf8.ValidString(title) || !utf8.ValidString(body) {
		s.fail(w, r, zhengxie.FieldError("title", "内容包含无效字符（编码错误）"))
		return
	}
	if rs := []rune(body); len(rs) > maxSimilarRunes {
		body = string(rs[:maxSimilarRunes])
	}
	var exclude int64
	if v := q.Get("exclude"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			s.fail(w, r, zhengxie.FieldError("exclude", "exclude 应为提案序号"))
			return
		}
		exclude = n
	}
	k := 5
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 20 {
			s.fail(w, r, zhengxie.FieldError("limit", "limit 应为1到20"))
			return
		}
		k = n
	}
	hits, err := s.Svc.Similar(r.Context(), actorOf(r), title, body, exclude, k)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	items := []apiSimilarItem{}
	for _, h := range hits {
		items = append(items, apiSimilarItem{ID: h.P.ID, Title: h.P.Title, Number: h.P.NumberText(), Score: math.Round(h.Score*1000) / 1000,
			URL: "/proposals/" + strconv.FormatInt(h.P.ID, 10)})
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": items})
}
