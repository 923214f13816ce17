package web

import (
	"net/http"
	"sync"
	"time"

	"zhengxie"
)

// contactRoutes registers the contact module (接访、群众留言、社情民意):
// pages for stations, members, units, the office and the public, and the
// same over the JSON API.
func (s *Server) contactRoutes(m *http.ServeMux) {
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
}

func init() {
	funcs["matterState"] = func(s zhengxie.MatterState) string { return s.Name() }
	funcs["matterAction"] = func(a zhengxie.MatterAction) string { return a.Name() }
	funcs["receptionState"] = func(s zhengxie.ReceptionState) string { return s.Name() }
	funcs["reportState"] = func(s zhengxie.ReportState) string { return s.Name() }
	funcs["reportAction"] = func(a zhengxie.ReportAction) string { return a.Name() }
	funcs["levelName"] = zhengxie.LevelName
	funcs["urgencyName"] = zhengxie.UrgencyName
	funcs["maskPhone"] = zhengxie.MaskPhone
	funcs["hasAction"] = func(list any, x string) bool {
		switch l := list.(type) {
		case []zhengxie.MatterAction:
			for _, a := range l {
				if string(a) == x {
					return true
				}
			}
		case []zhengxie.ReportAction:
			for _, a := range l {
				if string(a) == x {
					return true
				}
			}
		case []zhengxie.ReceptionAction:
			for _, a := range l {
				if string(a) == x {
					return true
				}
			}
		}
		return false
	}
	for k, v := range map[string]string{
		"reception_created": "接访活动已安排，已通知值班委员。", "reception_hold": "已确认接访，计入值班委员履职。", "reception_cancel": "接访已取消，已通知值班委员。",
		"matter_logged": "群众诉求已登记，查询码已发送给群众。", "matter_done": "已完成。", "report_filed": "社情民意信息已报送。",
		"report_done": "已保存。", "issue_created": "本期《社情民意》已编发。", "issue_sent": "已登记报送。", "feedback_thanks": "感谢您的反馈，我们会继续跟进。",
	} {
		flashes[k] = v
	}
}

// publicLimits are the per-address limits of what the public may do
// without an account: leave messages, look codes up.
type publicLimits struct {
	messages, lookups *limiter
}

var contactLimits sync.Map // *Server → *publicLimits

func (s *Server) limits() *publicLimits {
	if v, ok := contactLimits.Load(s); ok {
		return v.(*publicLimits)
	}
	v, _ := contactLimits.LoadOrStore(s, &publicLimits{messages: newLimiter(5, 10*time.Minute), lookups: newLimiter(30, 10*time.Minute)})
	return v.(*publicLimits)
}
