package web

import "net/http"

// dutyRoutes registers the duty module (履职) and the committee's
// organisation it rests on: pages and the JSON API.
func (s *Server) dutyRoutes(m *http.ServeMux) {
	// Like superviseRoutes: the module's jobs join the runner and the scan.
	s.Svc.EnableDuty()

	// Organisation.
	m.HandleFunc("GET /duty/org", s.dutyOrgPage)
	m.HandleFunc("POST /duty/org/{kind}", s.dutyOrgSave)
	m.HandleFunc("POST /duty/org/{kind}/{id}", s.dutyOrgSave)
	m.HandleFunc("GET /duty/members", s.dutyMembersPage)
	m.HandleFunc("POST /duty/members/import", s.dutyMembersImport)
	m.HandleFunc("GET /duty/members/{id}/edit", s.dutyMemberEditPage)
	m.HandleFunc("POST /duty/members/{id}/edit", s.dutyMemberUpdate)

	// Activities, attendance and QR sign-in.
	m.HandleFunc("GET /activities", s.activityList)
	m.HandleFunc("GET /activities/new", s.activityNew)
	m.HandleFunc("POST /activities", s.activityCreate)
	m.HandleFunc("GET /activities/{id}", s.activityShow)
	m.HandleFunc("POST /activities/{id}/{action}", s.activityAction)
	m.HandleFunc("GET /activities/{id}/qr", s.activityQRPage)
	m.HandleFunc("GET /activities/{id}/qr.png", s.activityQRImage)
	m.HandleFunc("GET /activities/{id}/signin", s.activitySignInPage)
	m.HandleFunc("POST /activities/{id}/signin", s.activitySignIn)
	m.HandleFunc("GET /activity-files/{id}", s.activityFile)

	// Records, points, the checklist and the ranked table.
	m.HandleFunc("GET /duty", s.dutyHome)
	m.HandleFunc("GET /duty/record", s.dutyRecordPage)
	m.HandleFunc("GET /duty/ranking", s.dutyRankingPage)
	m.HandleFunc("GET /duty/ranking.xlsx", s.dutyRankingXLSX)
	m.HandleFunc("GET /duty/rules", s.dutyRulesPage)
	m.HandleFunc("POST /duty/rules", s.dutyRulesSave)
	m.HandleFunc("GET /duty/rules/progress", s.dutyProgress)
	m.HandleFunc("POST /duty/recompute", s.dutyRecompute)
	m.HandleFunc("GET /duty/records", s.dutyRecordsPage)
	m.HandleFunc("POST /duty/records", s.dutyRecordCreate)

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

	m.HandleFunc("GET /api/v1/activities", s.apiActivities)
	m.HandleFunc("POST /api/v1/activities", s.apiCreateActivity)
	m.HandleFunc("GET /api/v1/activities/{id}", s.apiActivity)
	m.HandleFunc("PUT /api/v1/activities/{id}", s.apiUpdateActivity)
	m.HandleFunc("POST /api/v1/activities/{id}/publish", s.apiActivityAct)
	m.HandleFunc("POST /api/v1/activities/{id}/hold", s.apiActivityAct)
	m.HandleFunc("POST /api/v1/activities/{id}/close", s.apiActivityAct)
	m.HandleFunc("POST /api/v1/activities/{id}/cancel", s.apiActivityAct)
	m.HandleFunc("POST /api/v1/activities/{id}/invite", s.apiActivityAct)
	m.HandleFunc("GET /api/v1/activities/{id}/attendance", s.apiActivityAttendance)
	m.HandleFunc("POST /api/v1/activities/{id}/attendance", s.apiAttendanceAct)
	m.HandleFunc("POST /api/v1/activities/{id}/answer", s.apiAttendanceAct)
	m.HandleFunc("POST /api/v1/activities/{id}/signin", s.apiAttendanceAct)
	m.HandleFunc("GET /api/v1/activities/{id}/signin-token", s.apiSignInToken)
	m.HandleFunc("GET /api/v1/duty/record", s.apiDutyRecord)
	m.HandleFunc("GET /api/v1/duty/ranking", s.apiDutyRanking)
	m.HandleFunc("GET /api/v1/duty/ranking/export", s.dutyRankingXLSX)
	m.HandleFunc("GET /api/v1/duty/rules", s.apiDutyRules)
	m.HandleFunc("PUT /api/v1/duty/rules", s.apiSaveDutyRules)
	m.HandleFunc("GET /api/v1/duty/recompute", s.apiDutyRun)
	m.HandleFunc("POST /api/v1/duty/recompute", s.apiDutyRun)
	m.HandleFunc("GET /api/v1/duty/records", s.apiDutyRecords)
	m.HandleFunc("POST /api/v1/duty/records", s.apiCreateDutyRecord)
}
