package web

import "net/http"

// dutyRoutes registers the duty module (履职) and the committee's
// organisation it rests on: pages and the JSON API.
func (s *Server) dutyRoutes(m *http.ServeMux) {
	// Organisation.
	m.HandleFunc("GET /duty/org", s.dutyOrgPage)
	m.HandleFunc("POST /duty/org/{kind}", s.dutyOrgSave)
	m.HandleFunc("POST /duty/org/{kind}/{id}", s.dutyOrgSave)
	m.HandleFunc("GET /duty/members", s.dutyMembersPage)
	m.HandleFunc("POST /duty/members/import", s.dutyMembersImport)
	m.HandleFunc("GET /duty/members/{id}/edit", s.dutyMemberEditPage)
	m.HandleFunc("POST /duty/members/{id}/edit", s.dutyMemberUpdate)

	m.HandleFunc("GET /api/v1/sectors", s.apiOrgList)
	m.HandleFunc("POST /api/v1/sectors", s.apiOrgSave)
	m.HandleFunc("PUT /api/v1/sectors/{id}", s.apiOrgSave)
	m.HandleFunc("GET /api/v1/special-committees", s.apiOrgList)
	m.HandleFunc("POST /api/v1/special-committees", s.apiOrgSave)
	m.HandleFunc("PUT /api/v1/special-committees/{id}", s.apiOrgSave)
	m.HandleFunc("GET /api/v1/stations", s.apiOrgList)
	m.HandleFunc("POST /api/v1/stations", s.apiOrgSave)
	m.HandleFunc("PUT /api/v1/stations/{id}", s.apiOrgSave)
	m.HandleFunc("GET /api/v1/members", s.apiMembers)
	m.HandleFunc("POST /api/v1/members/import", s.apiImportMembers)
	m.HandleFunc("GET /api/v1/members/{id}", s.apiMember)
	m.HandleFunc("PUT /api/v1/members/{id}", s.apiUpdateMember)
}
