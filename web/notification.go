package web

import "net/http"

func (s *Server) notificationList(w http.ResponseWriter, r *http.Request) {
	if err := requireUser(r); err != nil {
		s.fail(w, r, err)
		return
	}
	u := viewerOf(r).User
	ns, err := s.Svc.Store.Notifications(r.Context(), u.ID, 100)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	page := &Page{Title: "消息", D: ns}
	// Showing the list marks it read; the badge of this page still shows the count before.
	s.render(w, r, "notifications", page)
	s.Svc.Store.MarkRead(r.Context(), u.ID)
}
