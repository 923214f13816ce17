package web

import (
	"encoding/json"
	"net/http"

	"zhengxie"
)

// statusOf maps the domain's error codes to HTTP: the one table.
var statusOf = map[string]int{
	zhengxie.EInvalid:      http.StatusUnprocessableEntity,
	zhengxie.ENotFound:     http.StatusNotFound,
	zhengxie.EForbidden:    http.StatusForbidden,
	zhengxie.EUnauthorized: http.StatusUnauthorized,
	zhengxie.EConflict:     http.StatusConflict,
	zhengxie.EIllegal:      http.StatusConflict,
	zhengxie.ETooMany:      http.StatusTooManyRequests,
	zhengxie.EInternal:     http.StatusInternalServerError,
}

// apiError is the JSON body of every API error.
type apiError struct {
	Error struct {
		Code    string `json:"code"`
		Message string `json:"message"`
		Field   string `json:"field,omitempty"`
		// Errors lists every field error when the input had several; the
		// first is the one in code, message and field.
		Errors []apiFieldError `json:"errors,omitempty"`
	} `json:"error"`
}

type apiFieldError struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

// apiErrorOf is the JSON body of err.
func apiErrorOf(err error) apiError {
	var body apiError
	body.Error.Code, body.Error.Message, body.Error.Field = zhengxie.ErrorCode(err), zhengxie.ErrorMessage(err), zhengxie.ErrorField(err)
	if fs := zhengxie.FieldErrors(err); len(fs) > 1 {
		for _, f := range fs {
			body.Error.Errors = append(body.Error.Errors, apiFieldError{Field: f.Field, Message: f.Message})
		}
	}
	return body
}

// fail answers with err: JSON for the API, a page for people. Only internal
// errors are logged; their text never reaches the user.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	code := zhengxie.ErrorCode(err)
	status := statusOf[code]
	if status == 0 {
		status = http.StatusInternalServerError
	}
	switch {
	case code != zhengxie.EInternal:
	case r.Context().Err() != nil:
		// The browser went away (a page left while its lookup ran): nothing
		// failed on our side, and nobody reads the answer.
		s.Log.Debug("request abandoned by the client", "method", r.Method, "path", r.URL.Path, "err", err)
	default:
		s.Log.Error("internal error", "method", r.Method, "path", r.URL.Path, "err", err)
	}
	if isAPI(r) || viewerOf(r).API {
		writeJSON(w, status, apiErrorOf(err))
		return
	}
	if status == http.StatusUnauthorized && r.Method == http.MethodGet {
		http.Redirect(w, r, "/login?next="+r.URL.RequestURI(), http.StatusSeeOther)
		return
	}
	w.WriteHeader(status)
	s.render(w, r, "error", map[string]any{"Status": status, "Message": zhengxie.ErrorMessage(err), "Code": code})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(true)
	enc.Encode(v)
}
