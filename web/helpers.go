package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"

	"zhengxie"
)

// pathID parses the {id} of a route; a malformed id is simply not found.
func pathID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, zhengxie.NotFound("对象")
	}
	return id, nil
}

// requireUser fails with 401 for the public.
func requireUser(r *http.Request) error {
	if viewerOf(r).User == nil {
		return zhengxie.Errorf(zhengxie.EUnauthorized, "请先登录")
	}
	return nil
}

// formText returns a trimmed form value; invalid UTF-8 is an error so that
// mis-encoded input gets a clear answer instead of garbage in the store.
func formText(r *http.Request, name string) (string, error) {
	v := strings.TrimSpace(r.FormValue(name))
	if !utf8.ValidString(v) {
		return "", zhengxie.FieldError(name, "内容包含无效字符（编码错误），请重新输入")
	}
	return v, nil
}

// formErr is a message to show next to a form field.
type formErr struct{ Field, Msg string }

func formErrOf(err error) formErr {
	return formErr{Field: zhengxie.ErrorField(err), Msg: zhengxie.ErrorMessage(err)}
}

// redirect answers a successful form post with a see-other to url, carrying
// a flash message key.
func redirect(w http.ResponseWriter, r *http.Request, to, flash string) {
	if flash != "" {
		sep := "?"
		if strings.Contains(to, "?") {
			sep = "&"
		}
		to += sep + "flash=" + url.QueryEscape(flash)
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
}

// pager is the data of the pagination partial.
type pager struct {
	Page, Pages, Total int
	Base               string
}

func newPager(r *http.Request, total, per int) pager {
	q := r.URL.Query()
	page := pageOf(r)
	q.Del("page")
	q.Del("flash")
	base := r.URL.Path + "?"
	if enc := q.Encode(); enc != "" {
		base += enc + "&"
	}
	pages := (total + per - 1) / per
	return pager{Page: page, Pages: pages, Total: total, Base: base}
}

func pageOf(r *http.Request) int {
	p, err := strconv.Atoi(r.URL.Query().Get("page"))
	if err != nil || p < 1 {
		return 1
	}
	if p > 100000 {
		p = 100000
	}
	return p
}
