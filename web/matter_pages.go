package web

import (
	"html/template"
	"io"
	"net/http"
	"strconv"
	"strings"

	"zhengxie"
	"zhengxie/app"
)

// Matters for those who handle them: the list of one's matters (station
// staff, the member on duty, the unit, the office) and one matter with
// what the viewer may do now.

func formInt(r *http.Request, name string) int64 {
	n, _ := strconv.ParseInt(strings.TrimSpace(r.FormValue(name)), 10, 64)
	return n
}

// readPhotos reads the photos of a multipart form (the csrf middleware has
// parsed it with the upload limit).
func readPhotos(r *http.Request) ([]app.Upload, error) {
	if r.MultipartForm == nil {
		return nil, nil
	}
	var out []app.Upload
	for _, fh := range r.MultipartForm.File["photos"] {
		if fh.Size == 0 {
			continue
		}
		f, err := fh.Open()
		if err != nil {
			return nil, zhengxie.FieldError("file", "照片读取失败，请重新选择")
		}
		data, err := io.ReadAll(io.LimitReader(f, app.MaxUpload+1))
		f.Close()
		if err != nil {
			return nil, zhengxie.FieldError("file", "照片读取失败，请重新选择")
		}
		out = append(out, app.Upload{Name: fh.Filename, Data: data})
	}
	return out, nil
}

func matterInputOf(r *http.Request) (app.MatterInput, error) {
	in := app.MatterInput{StationID: formInt(r, "station_id"), MemberID: formInt(r, "member_id")}
	var err error
	for _, f := range []struct {
		dst  *string
		name string
	}{{&in.Title, "title"}, {&in.Body, "body"}, {&in.Category, "category"}, {&in.Urgency, "urgency"},
		{&in.CitizenName, "citizen_name"}, {&in.CitizenPhone, "citizen_phone"}, {&in.Address, "address"}} {
		if *f.dst, err = formText(r, f.name); err != nil {
			return in, err
		}
	}
	in.Files, err = readPhotos(r)
	return in, err
}

type matterListData struct {
	ExportQuery template.URL // the list's filters, for its export links
	Matters     []zhengxie.Matter
	States      []zhengxie.MatterState
	State       string
	Open        bool
	Overdue     bool
	// The supervision board's filters: forwarded matters waiting for a
	// unit, by deadline bucket and unit.
	Forwarded bool
	Bucket    string
	Buckets   any
	UnitID    int64
	UnitName  string
	Counts    *app.MatterCounts
	Stations  []zhengxie.Station
}

func (s *Server) matterList(w http.ResponseWriter, r *http.Request) {
	if err := requireUser(r); err != nil {
		s.fail(w, r, err)
		return
	}
	a := actorOf(r)
	q := r.URL.Query()
	mq := app.MatterQuery{State: zhengxie.MatterState(q.Get("state")), Open: q.Get("open") == "1", Overdue: q.Get("overdue") == "1",
		StationID: parseID(q.Get("station")), UnitID: parseID(q.Get("unit")), Forwarded: q.Get("forwarded") == "1", Bucket: q.Get("bucket")}
	if app.BucketName(mq.Bucket) == mq.Bucket {
		mq.Bucket = "" // an unknown bucket filters nothing on the page
	}
	ms, err := s.Svc.Matters(r.Context(), a, mq)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d := &matterListData{Matters: ms, States: zhengxie.MatterStates, State: q.Get("state"), Open: q.Get("open") == "1", Overdue: q.Get("overdue") == "1",
		Forwarded: mq.Forwarded, Bucket: mq.Bucket, Buckets: app.Buckets, UnitID: mq.UnitID, ExportQuery: template.URL(r.URL.RawQuery)}
	if mq.UnitID != 0 {
		if u, err := s.Svc.Store.Unit(r.Context(), a.CommitteeID, mq.UnitID); err == nil {
			d.UnitName = u.Name
		}
	}
	s.render(w, r, "matter_list", &Page{Title: "群众诉求", Nav: "matters", D: d})
}

func parseID(v string) int64 {
	n, _ := strconv.ParseInt(v, 10, 64)
	if n < 0 {
		return 0
	}
	return n
}

type matterShowData struct {
	V           *app.MatterView
	Units       []zhengxie.Unit
	Categories  []string
	Suggestions []app.Suggestion
	Err         formErr
}

func (s *Server) loadMatter(r *http.Request, id int64) (*matterShowData, error) {
	a := actorOf(r)
	v, err := s.Svc.Matter(r.Context(), a, id)
	if err != nil {
		return nil, err
	}
	d := &matterShowData{V: v, Categories: zhengxie.MatterCategories}
	if hasMatterAction(v.Allowed, zhengxie.MatterActForward) {
		if d.Units, err = s.Svc.Store.Units(r.Context(), a.CommitteeID); err != nil {
			return nil, err
		}
	}
	if hasMatterAction(v.Allowed, zhengxie.MatterActCategory) {
		d.Suggestions, _ = s.Svc.SuggestMatterCategory(r.Context(), a.CommitteeID, v.M.Title, v.M.Body)
	}
	return d, nil
}

func hasMatterAction(l []zhengxie.MatterAction, a zhengxie.MatterAction) bool {
	for _, x := range l {
		if x == a {
			return true
		}
	}
	return false
}

func (s *Server) matterShow(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err == nil {
		err = requireUser(r)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d, err := s.loadMatter(r, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, "matter_show", &Page{Title: d.V.M.Title, Nav: "matters", D: d})
}

func matterActInputOf(r *http.Request) (app.MatterActInput, error) {
	in := app.MatterActInput{UnitID: formInt(r, "unit_id")}
	var err error
	for _, f := range []struct {
		dst  *string
		name string
	}{{&in.Comment, "comment"}, {&in.Answer, "answer"}, {&in.Due, "due"}, {&in.Category, "category"}} {
		if *f.dst, err = formText(r, f.name); err != nil {
			return in, err
		}
	}
	return in, nil
}

func (s *Server) matterAction(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err == nil {
		err = requireUser(r)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var action zhengxie.MatterAction
	switch r.PathValue("action") {
	case "set_category", "answer", "forward", "sign", "return", "reply", "decide", "close", "reject", "publish", "unpublish", "to_report", "to_draft":
		action = zhengxie.MatterAction(r.PathValue("action"))
	default:
		s.fail(w, r, zhengxie.NotFound("操作"))
		return
	}
	in, err := matterActInputOf(r)
	var m *zhengxie.Matter
	if err == nil {
		m, err = s.Svc.MatterAct(r.Context(), actorOf(r), id, action, in)
	}
	if err != nil {
		if zhengxie.ErrorCode(err) != zhengxie.EInvalid {
			s.fail(w, r, err)
			return
		}
		d, lerr := s.loadMatter(r, id)
		if lerr != nil {
			s.fail(w, r, lerr)
			return
		}
		d.Err = formErrOf(err)
		w.WriteHeader(http.StatusUnprocessableEntity)
		s.render(w, r, "matter_show", &Page{Title: d.V.M.Title, Nav: "matters", D: d, Error: d.Err.Msg})
		return
	}
	switch {
	case action == zhengxie.MatterActToReport:
		redirect(w, r, "/reports/"+strconv.FormatInt(m.ReportID, 10), "report_filed")
	case action == zhengxie.MatterActToDraft:
		redirect(w, r, "/proposals/"+strconv.FormatInt(m.ProposalID, 10)+"/edit", "")
	default:
		redirect(w, r, "/matters/"+strconv.FormatInt(id, 10), "matter_done")
	}
}

// matterFile serves a matter's photo to those who may see the matter.
func (s *Server) matterFile(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err == nil {
		err = requireUser(r)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	a := actorOf(r)
	f, err := s.Svc.Store.MatterFile(r.Context(), a.CommitteeID, id)
	if err == nil {
		_, err = s.Svc.Matter(r.Context(), a, f.MatterID)
	}
	if err != nil {
		s.fail(w, r, zhengxie.NotFound("附件"))
		return
	}
	rc, err := s.Svc.Files.Open(f.SHA256)
	if err != nil {
		s.fail(w, r, zhengxie.NotFound("附件"))
		return
	}
	defer rc.Close()
	w.Header().Set("Content-Type", f.MIME)
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Cache-Control", "private, no-store")
	io.Copy(w, rc)
}
