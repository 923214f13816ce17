package web

import (
	"net/http"

	"zhengxie"
	"zhengxie/web/assets"
)

// routes is the whole HTTP surface, module by module: each module's pages
// first, then its JSON API under /api/v1 (documented in openapi/<module>.json).
// Lifecycle steps are actions on a resource (POST /api/v1/proposals/{id}/accept),
// dispatched through the action tables of action.go for pages and API alike.
// Tests read this function's source (parseRoutes): a route added here without
// a row in the permission policy, the OpenAPI document or the page/API
// pairing fails them.
func (s *Server) routes() {
	m := s.mux
	// serve builds the web server before it starts the background loop:
	// this is where the deadline scan and the job workers join the loop.
	s.Svc.EnableSupervision()
	s.Svc.EnableDuty()

	// Infrastructure.
	m.Handle("GET /static/", assets.Handler())
	m.HandleFunc("GET /healthz", s.healthz)
	m.HandleFunc("GET /metrics", s.serveMetrics)
	m.HandleFunc("GET /api/openapi.json", s.openAPI)

	// Sessions and accounts.
	m.HandleFunc("GET /{$}", s.home)
	m.HandleFunc("GET /login", s.loginPage)
	m.HandleFunc("POST /login", s.loginSubmit)
	m.HandleFunc("POST /logout", s.logout)
	m.HandleFunc("GET /admin/users", s.adminUsers)
	m.HandleFunc("POST /admin/users", s.adminCreateUser)
	m.HandleFunc("POST /admin/users/{id}/{action}", s.adminUserAction)
	m.HandleFunc("GET /me", s.mePage)
	m.HandleFunc("POST /me/password", s.meChangePassword)
	m.HandleFunc("POST /me/totp", s.meTOTP)
	m.HandleFunc("GET /me/export", s.meExport)
	m.HandleFunc("POST /me/tokens", s.meCreateToken)
	m.HandleFunc("POST /me/tokens/revoke_all", s.meRevokeTokens)
	m.HandleFunc("POST /me/tokens/{id}/revoke", s.meRevokeToken)
	m.HandleFunc("POST /api/v1/login", s.apiLogin)
	m.HandleFunc("POST /api/v1/logout", s.apiLogout)
	m.HandleFunc("GET /api/v1/me", s.apiMe)
	m.HandleFunc("GET /api/v1/tokens", s.apiTokens)
	m.HandleFunc("POST /api/v1/tokens", s.apiCreateToken)
	m.HandleFunc("DELETE /api/v1/tokens", s.apiRevokeTokens)
	m.HandleFunc("DELETE /api/v1/tokens/{id}", s.apiRevokeToken)
	m.HandleFunc("GET /api/v1/units", s.apiUnits)
	m.HandleFunc("GET /api/v1/admin/users", s.apiAccounts)
	m.HandleFunc("POST /api/v1/admin/users", s.apiCreateAccount)
	m.HandleFunc("POST /api/v1/admin/users/{id}/reset", s.apiAccountReset())
	m.HandleFunc("POST /api/v1/admin/users/{id}/logout", s.apiAccountLogout())
	m.HandleFunc("POST /api/v1/admin/users/{id}/disable", s.apiAccountDisabled(true))
	m.HandleFunc("POST /api/v1/admin/users/{id}/enable", s.apiAccountDisabled(false))
	m.HandleFunc("POST /api/v1/admin/users/{id}/totp_off", s.apiAccountTOTPOff())
	m.HandleFunc("PUT /api/v1/admin/users/{id}/role", s.apiAccountRole())
	m.HandleFunc("POST /api/v1/me/password", s.apiChangePassword)
	m.HandleFunc("POST /api/v1/me/totp/begin", s.apiBeginTOTP)
	m.HandleFunc("POST /api/v1/me/totp/enable", s.apiEnableTOTP)
	m.HandleFunc("POST /api/v1/me/totp/disable", s.apiDisableTOTP)
	m.HandleFunc("GET /api/v1/me/export", s.apiExportMyData)

	// Proposals and their lifecycle.
	m.HandleFunc("GET /proposals", s.proposalList)
	m.HandleFunc("GET /proposals/new", s.proposalNew)
	m.HandleFunc("POST /proposals", s.proposalCreate)
	m.HandleFunc("GET /proposals/{id}", s.proposalShow)
	m.HandleFunc("GET /proposals/{id}/edit", s.proposalEdit)
	m.HandleFunc("POST /proposals/{id}/edit", s.proposalUpdate)
	m.HandleFunc("POST /proposals/{id}/attachments", s.attachmentUpload)
	m.HandleFunc("POST /proposals/{id}/{action}", s.proposalAction)
	m.HandleFunc("GET /review", s.reviewQueue)
	m.HandleFunc("GET /attachments/{id}", s.attachmentDownload)
	m.HandleFunc("GET /api/v1/proposals", s.apiProposals)
	m.HandleFunc("POST /api/v1/proposals", s.apiCreateProposal)
	m.HandleFunc("GET /api/v1/proposals/{id}", s.apiProposal)
	m.HandleFunc("PUT /api/v1/proposals/{id}", s.apiSaveProposal)
	m.HandleFunc("POST /api/v1/proposals/{id}/attachments", s.apiUpload)
	m.HandleFunc("POST /api/v1/proposals/{id}/{action}", s.apiProposalAction)

	// Units' tasks.
	m.HandleFunc("GET /tasks", s.taskList)
	m.HandleFunc("POST /tasks/{id}/{action}", s.taskAction)
	m.HandleFunc("GET /api/v1/tasks", s.apiTasks)
	m.HandleFunc("POST /api/v1/tasks/{id}/{action}", s.apiTaskAction)

	// The public.
	m.HandleFunc("GET /public", s.publicList)
	m.HandleFunc("GET /public/proposals/{id}", s.publicShow)
	m.HandleFunc("GET /api/v1/public/proposals", s.apiPublicProposals)
	m.HandleFunc("GET /api/v1/public/proposals/{id}", s.apiPublicProposal)

	// Notifications.
	m.HandleFunc("GET /notifications", s.notificationList)
	m.HandleFunc("GET /settings/notifications", s.svNotifySettings)
	m.HandleFunc("POST /settings/notifications", s.svSaveNotifySettings)
	m.HandleFunc("GET /api/v1/notifications", s.apiNotifications)
	m.HandleFunc("GET /api/v1/notifications/unread", s.apiUnreadCount)
	m.HandleFunc("POST /api/v1/notifications/read", s.apiMarkAllRead)
	m.HandleFunc("POST /api/v1/notifications/{id}/read", s.apiMarkRead)
	m.HandleFunc("GET /api/v1/me/notification-settings", s.apiNotifySettings)
	m.HandleFunc("PUT /api/v1/me/notification-settings", s.apiSaveNotifySettings)

	// Supervision: boards, deadlines and extensions.
	m.HandleFunc("GET /supervision", s.svDashboard)
	m.HandleFunc("GET /supervision/tasks", s.svTasks)
	m.HandleFunc("GET /supervision/overdue", s.svOverdue)
	m.HandleFunc("GET /supervision/deadlines", s.svDeadlines)
	m.HandleFunc("GET /supervision/tasks/{id}", s.svTask)
	m.HandleFunc("POST /supervision/tasks/{id}/extension", s.svRequestExtension)
	m.HandleFunc("GET /supervision/extensions", s.svExtensions)
	m.HandleFunc("POST /supervision/extensions/{id}/{decision}", s.svDecideExtension)
	m.HandleFunc("GET /api/v1/supervision/dashboard", s.apiDashboard)
	m.HandleFunc("GET /api/v1/supervision/tasks", s.apiSupervisionTasks)
	m.HandleFunc("GET /api/v1/supervision/overdue", s.apiOverdue)
	m.HandleFunc("GET /api/v1/supervision/due-soon", s.apiDueSoon)
	m.HandleFunc("GET /api/v1/tasks/{id}/deadline", s.apiTaskDeadline)
	m.HandleFunc("POST /api/v1/tasks/{id}/extensions", s.apiRequestExtension)
	m.HandleFunc("GET /api/v1/extensions", s.apiExtensions)
	m.HandleFunc("POST /api/v1/extensions/{id}/approve", s.apiDecideExtension(true))
	m.HandleFunc("POST /api/v1/extensions/{id}/refuse", s.apiDecideExtension(false))

	// Supervision: key proposals.
	m.HandleFunc("GET /key-proposals", s.svKeyBoard)
	m.HandleFunc("POST /key-proposals", s.svProposeKey)
	m.HandleFunc("POST /key-proposals/decide", s.svDecideKeys)
	m.HandleFunc("GET /key-proposals/{id}", s.svKey)
	m.HandleFunc("POST /key-proposals/{id}/leader", s.svKeyLeader)
	m.HandleFunc("POST /key-proposals/{id}/steps", s.svKeyStep)
	m.HandleFunc("POST /key-proposals/{id}/steps/{step}/done", s.svKeyStepDone)
	m.HandleFunc("POST /key-proposals/{id}/notes", s.svKeyNote)
	m.HandleFunc("GET /api/v1/key-proposals", s.apiKeyBoard)
	m.HandleFunc("POST /api/v1/key-proposals", s.apiProposeKey)
	m.HandleFunc("GET /api/v1/key-proposals/candidates", s.apiKeyCandidates)
	m.HandleFunc("POST /api/v1/key-proposals/decide", s.apiDecideKeys)
	m.HandleFunc("GET /api/v1/key-proposals/{id}", s.apiKey)
	m.HandleFunc("PUT /api/v1/key-proposals/{id}/leader", s.apiKeyLeader())
	m.HandleFunc("POST /api/v1/key-proposals/{id}/steps", s.apiKeyStep())
	m.HandleFunc("POST /api/v1/key-proposals/{id}/steps/{step}/done", s.apiKeyStepDone())
	m.HandleFunc("POST /api/v1/key-proposals/{id}/notes", s.apiKeyNote())

	// Supervision: evaluation of units.
	m.HandleFunc("GET /evaluation", s.svEvaluation)
	m.HandleFunc("GET /evaluation/export.xlsx", s.svEvaluationXLSX)
	m.HandleFunc("GET /evaluation/units/{id}", s.svEvaluationUnit)
	m.HandleFunc("POST /evaluation/criteria", s.svSaveCriteria)
	m.HandleFunc("GET /api/v1/evaluation", s.apiEvaluation)
	m.HandleFunc("GET /api/v1/evaluation/export.xlsx", s.apiEvaluationXLSX)
	m.HandleFunc("GET /api/v1/evaluation/units/{id}", s.apiEvaluationUnit)
	m.HandleFunc("GET /api/v1/evaluation/criteria", s.apiCriteria)
	m.HandleFunc("PUT /api/v1/evaluation/criteria", s.apiSaveCriteria)

	// Supervision: deadline rules, holidays, units' supervising leaders.
	m.HandleFunc("GET /admin/holidays", s.svHolidays)
	m.HandleFunc("POST /admin/holidays", s.svSaveHolidays)
	m.HandleFunc("POST /admin/units/{id}/leader", s.svUnitLeader)
	m.HandleFunc("GET /api/v1/admin/deadline-settings", s.apiDeadlineSettings)
	m.HandleFunc("PUT /api/v1/admin/deadline-settings", s.apiSaveDeadlineSettings)
	m.HandleFunc("PUT /api/v1/units/{id}/leader", s.apiUnitLeader)

	// Admin: background jobs and webhooks.
	m.HandleFunc("GET /admin/jobs", s.svJobs)
	m.HandleFunc("POST /admin/jobs/{id}/retry", s.svRetryJob)
	m.HandleFunc("GET /admin/webhooks", s.svWebhooks)
	m.HandleFunc("POST /admin/webhooks", s.svSaveWebhook)
	m.HandleFunc("GET /admin/webhooks/{id}", s.svWebhook)
	m.HandleFunc("POST /admin/webhooks/{id}", s.svSaveWebhook)
	m.HandleFunc("POST /admin/webhooks/{id}/delete", s.svDeleteWebhook)
	m.HandleFunc("POST /admin/webhooks/{id}/ping", s.svPingWebhook)
	m.HandleFunc("POST /admin/deliveries/{id}/redeliver", s.svRedeliver)
	m.HandleFunc("GET /api/v1/admin/jobs", s.apiJobs)
	m.HandleFunc("POST /api/v1/admin/jobs/{id}/retry", s.apiRetryJob)
	m.HandleFunc("GET /api/v1/admin/webhooks", s.apiWebhooks)
	m.HandleFunc("POST /api/v1/admin/webhooks", s.apiSaveWebhook)
	m.HandleFunc("GET /api/v1/admin/webhooks/{id}", s.apiWebhook)
	m.HandleFunc("PUT /api/v1/admin/webhooks/{id}", s.apiSaveWebhook)
	m.HandleFunc("DELETE /api/v1/admin/webhooks/{id}", s.apiDeleteWebhook)
	m.HandleFunc("GET /api/v1/admin/webhooks/{id}/deliveries", s.apiDeliveries)
	m.HandleFunc("POST /api/v1/admin/webhooks/{id}/ping", s.apiPingWebhook)
	m.HandleFunc("POST /api/v1/admin/deliveries/{id}/redeliver", s.apiRedeliver)

	// Search and the office's helpers.
	m.HandleFunc("GET /search", s.searchPage)
	m.HandleFunc("POST /proposals/{id}/category", s.setCategory)
	m.HandleFunc("GET /api/v1/search", s.apiSearch)
	m.HandleFunc("GET /api/v1/proposals/similar", s.apiSimilar)
	m.HandleFunc("GET /api/v1/review/merge-suggestions", s.apiMergeSuggestions)
	m.HandleFunc("GET /api/v1/proposals/{id}/suggestions", s.apiSuggestions)
	m.HandleFunc("PUT /api/v1/proposals/{id}/category", s.apiSetCategory)
	m.HandleFunc("GET /api/v1/proposals/{id}/terms", s.apiProposalTerms)
	m.HandleFunc("GET /api/v1/sessions", s.apiSessions)
	m.HandleFunc("GET /api/v1/sessions/{id}/terms", s.apiSessionTerms)

	// Member duty (履职) and the organisation it rests on: sectors, special
	// committees, stations and studios, members; activities with QR sign-in;
	// records, points, the checklist and the ranked table.
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
	m.HandleFunc("POST /api/v1/activities/{id}/files", s.apiActivityFileUpload)
	m.HandleFunc("GET /api/v1/duty/record", s.apiDutyRecord)
	m.HandleFunc("GET /api/v1/duty/ranking", s.apiDutyRanking)
	m.HandleFunc("GET /api/v1/duty/ranking/export", s.dutyRankingXLSX)
	m.HandleFunc("GET /api/v1/duty/rules", s.apiDutyRules)
	m.HandleFunc("PUT /api/v1/duty/rules", s.apiSaveDutyRules)
	m.HandleFunc("GET /api/v1/duty/recompute", s.apiDutyRun)
	m.HandleFunc("POST /api/v1/duty/recompute", s.apiDutyRun)
	m.HandleFunc("GET /api/v1/duty/records", s.apiDutyRecords)
	m.HandleFunc("POST /api/v1/duty/records", s.apiCreateDutyRecord)

	// Contact with the people (接访、群众留言、社情民意): pages for stations,
	// members, units, the office and the public, and the same over the API.
	// Reception days and the station's page.
	m.HandleFunc("GET /contact", s.contactHome)
	m.HandleFunc("GET /receptions/new", s.receptionNew)
	m.HandleFunc("POST /receptions", s.receptionCreate)
	m.HandleFunc("GET /receptions/{id}", s.receptionShow)
	m.HandleFunc("POST /receptions/{id}/matters", s.receptionLogMatter)
	m.HandleFunc("POST /receptions/{id}/{action}", s.receptionAction)
	m.HandleFunc("GET /contact/stations/{id}", s.stationPublic)
	m.HandleFunc("GET /contact/stats", s.contactStats)
	m.HandleFunc("GET /contact/stats.xlsx", s.contactStatsXLSX)

	// Matters.
	m.HandleFunc("GET /matters", s.matterList)
	m.HandleFunc("GET /matters/{id}", s.matterShow)
	m.HandleFunc("POST /matters/{id}/{action}", s.matterAction)
	m.HandleFunc("GET /matter-files/{id}", s.matterFile)

	// The public: message box, tracking, published answers.
	m.HandleFunc("GET /messages/new", s.messageNew)
	m.HandleFunc("POST /messages", s.messageCreate)
	m.HandleFunc("GET /track", s.trackPage)
	m.HandleFunc("POST /track/feedback", s.trackFeedback)
	m.HandleFunc("GET /public/messages", s.publicMessages)

	// Opinion reports and the issues of 《社情民意》.
	m.HandleFunc("GET /reports", s.reportList)
	m.HandleFunc("GET /reports/new", s.reportNew)
	m.HandleFunc("POST /reports", s.reportCreate)
	m.HandleFunc("GET /reports/{id}", s.reportShow)
	m.HandleFunc("POST /reports/{id}/{action}", s.reportAction)
	m.HandleFunc("GET /issues", s.issueList)
	m.HandleFunc("POST /issues", s.issueCreate)
	m.HandleFunc("GET /issues/{id}", s.issueShow)
	m.HandleFunc("POST /issues/{id}/send", s.issueSend)

	// API.
	m.HandleFunc("GET /api/v1/receptions", s.apiReceptions)
	m.HandleFunc("POST /api/v1/receptions", s.apiReceptionCreate)
	m.HandleFunc("GET /api/v1/receptions/{id}", s.apiReception)
	m.HandleFunc("POST /api/v1/receptions/{id}/matters", s.apiReceptionLogMatter)
	m.HandleFunc("POST /api/v1/receptions/{id}/{action}", s.apiReceptionAction)
	m.HandleFunc("GET /api/v1/matters", s.apiMatters)
	m.HandleFunc("POST /api/v1/matters/suggest-category", s.apiMatterSuggest)
	m.HandleFunc("GET /api/v1/matters/{id}", s.apiMatter)
	m.HandleFunc("POST /api/v1/matters/{id}/{action}", s.apiMatterAction)
	m.HandleFunc("POST /api/v1/public/messages", s.apiMessageCreate)
	m.HandleFunc("GET /api/v1/public/messages", s.apiPublicMessages)
	m.HandleFunc("GET /api/v1/public/matters/{code}", s.apiTrack)
	m.HandleFunc("POST /api/v1/public/matters/{code}/feedback", s.apiTrackFeedback)
	m.HandleFunc("GET /api/v1/public/stations/{id}", s.apiPublicStation)
	m.HandleFunc("GET /api/v1/reports", s.apiReports)
	m.HandleFunc("POST /api/v1/reports", s.apiReportCreate)
	m.HandleFunc("GET /api/v1/reports/{id}", s.apiReport)
	m.HandleFunc("GET /api/v1/reports/{id}/similar", s.apiReportSimilar)
	m.HandleFunc("POST /api/v1/reports/{id}/{action}", s.apiReportAction)
	m.HandleFunc("GET /api/v1/opinion-issues", s.apiIssues)
	m.HandleFunc("POST /api/v1/opinion-issues", s.apiIssueCreate)
	m.HandleFunc("GET /api/v1/opinion-issues/{id}", s.apiIssue)
	m.HandleFunc("POST /api/v1/opinion-issues/{id}/send", s.apiIssueSend)
	m.HandleFunc("GET /api/v1/contact/stats", s.apiContactStats)
	m.HandleFunc("GET /api/v1/contact/stats/export", s.contactStatsXLSX)

	// Statistics, the annual work report, print documents, list exports and open data.
	m.HandleFunc("GET /stats", s.statsPage)
	m.HandleFunc("GET /stats/export.xlsx", s.statsXLSX)
	m.HandleFunc("GET /public/stats", s.publicStatsPage)
	m.HandleFunc("GET /api/v1/stats", s.apiStats)
	m.HandleFunc("GET /api/v1/public/stats", s.apiPublicStats)

	m.HandleFunc("GET /reports/annual", s.reportPage)
	m.HandleFunc("POST /reports/annual", s.reportSave)
	m.HandleFunc("GET /reports/annual.docx", s.reportDOCX)
	m.HandleFunc("GET /reports/annual/print", s.reportPrint)
	m.HandleFunc("GET /api/v1/reports/annual", s.apiAnnualReport)
	m.HandleFunc("PUT /api/v1/reports/annual", s.apiAnnualReportSave)

	m.HandleFunc("GET /proposals/{id}/print", s.printRegister)
	m.HandleFunc("GET /tasks/{id}/reply-form", s.printReplyForm)
	m.HandleFunc("GET /tasks/{id}/feedback-form", s.printFeedbackForm)

	m.HandleFunc("GET /proposals/export.csv", s.exportProposals)
	m.HandleFunc("GET /proposals/export.xlsx", s.exportProposals)
	m.HandleFunc("GET /tasks/export.csv", s.exportTasks)
	m.HandleFunc("GET /tasks/export.xlsx", s.exportTasks)
	m.HandleFunc("GET /supervision/overdue/export.csv", s.exportOverdue)
	m.HandleFunc("GET /supervision/overdue/export.xlsx", s.exportOverdue)

	m.HandleFunc("GET /public/feed.atom", s.publicFeed)
	m.HandleFunc("GET /public/open-data", s.openDataPage)
	m.HandleFunc("GET /public/open-data/proposals.csv", s.openDataProposals)
	m.HandleFunc("GET /public/open-data/proposals.xlsx", s.openDataProposals)
	m.HandleFunc("GET /public/open-data/proposals.json", s.openDataProposals)

	m.HandleFunc("/api/", func(w http.ResponseWriter, r *http.Request) { s.fail(w, r, zhengxie.NotFound("接口")) })
	// Any other path gets a page in the layout instead of the mux's bare
	// "404 page not found".
	m.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		s.fail(w, r, zhengxie.Errorf(zhengxie.ENotFound, "您要找的页面不存在：网址可能有误，或页面已被移除。请从首页或上方的导航进入。"))
	})
}
