package web

import (
	"io"
	"mime"
	"net/http"
	"strconv"

	"zhengxie"
	"zhengxie/app"
)

func (s *Server) attachmentUpload(w http.ResponseWriter, r *http.Request) {
	if err := requireUser(r); err != nil {
		s.fail(w, r, err)
		return
	}
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	f, h, err := r.FormFile("file")
	if err != nil {
		s.renderShow(w, r, id, http.StatusUnprocessableEntity, "请选择要上传的文件", formErr{Field: "file", Msg: "请选择要上传的文件"}, 0)
		return
	}
	data, err := io.ReadAll(io.LimitReader(f, app.MaxUpload+1))
	f.Close()
	if err == nil {
		_, err = s.Svc.AddAttachment(r.Context(), actorOf(r), id, &app.Upload{Name: h.Filename, Data: data})
	}
	if err != nil {
		s.renderShow(w, r, id, statusOf[zhengxie.ErrorCode(err)], zhengxie.ErrorMessage(err), formErrOf(err), 0)
		return
	}
	redirect(w, r, "/proposals/"+strconv.FormatInt(id, 10), "uploaded")
}

// attachmentDownload serves a file as a download, never inline: a file
// cannot run as a page of this site.
func (s *Server) attachmentDownload(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	att, err := s.Svc.Store.Attachment(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.Svc.CanDownload(r.Context(), actorOf(r), att); err != nil {
		s.fail(w, r, err)
		return
	}
	f, err := s.Svc.Files.Open(att.SHA256)
	if err != nil {
		s.fail(w, r, zhengxie.NotFound("附件"))
		return
	}
	defer f.Close()
	h := w.Header()
	h.Set("Content-Type", att.MIME)
	h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": att.Name}))
	h.Set("Cache-Control", "private, no-store")
	http.ServeContent(w, r, "", att.CreatedAt, f)
}
