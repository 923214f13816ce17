package web

import (
	"net/http"
	"strconv"
	"strings"

	"zhengxie"
	"zhengxie/app"
	"zhengxie/store"
)

// Supervision pages (督办): the dashboard, the overdue board, deadlines and
// extensions, key proposals, the evaluation of units, notification
// settings, and the admin pages of jobs, webhooks and the holiday calendar.

func init() {
	for k, v := range map[string]string{
		"sv_extension_requested": "延期申请已提交，等待提案委员会审批。",
		"sv_extension_approved":  "已同意延期，新的办理期限已生效并通知承办单位。",
		"sv_extension_refused":   "已作不同意延期处理，理由已告知承办单位。",
		"sv_key_proposed":        "已提交重点提案建议，等待主席会议审定。",
		"sv_key_decided":         "重点提案审定结果已保存并通知有关单位。",
		"sv_key_saved":           "督办信息已保存。",
		"sv_criteria":            "考评指标已保存，排名已按新指标计算。",
		"sv_notify":              "通知设置已保存。",
		"sv_retry":               "任务已重新排队，将立即执行。",
		"sv_webhook_saved":       "Webhook订阅已保存。",
		"sv_webhook_deleted":     "Webhook订阅已删除。",
		"sv_ping":                "测试消息已排队发送，请稍后刷新查看投递记录。",
		"sv_redeliver":           "已重新排队投递，请稍后刷新查看结果。",
		"sv_holidays":            "办理期限规则和节假日安排已保存。",
		"sv_unit_leader":         "单位督办领导已保存。",
	} {
		flashes[k] = v
	}
	funcs["svPercent"] = app.Percent
	funcs["svScore"] = app.Score
	funcs["svJobKind"] = app.JobKindName
	funcs["svJobState"] = app.JobStateName
	funcs["svEvent"] = app.WebhookEventName
	funcs["svBucket"] = app.BucketName
	funcs["svNeg"] = func(n int) int { return -n }
	funcs["svHasEvent"] = func(events []string, e string) bool {
		for _, x := range events {
			if x == e {
				return true
			}
		}
		return false
	}
	funcs["svAlertKind"] = func(k string) string {
		switch k {
		case store.AlertRemind:
			return "到期提醒"
		case store.AlertOverdue:
			return "超期通知"
		case store.AlertEscalate:
			return "报督办领导"
		}
		return k
	}
	funcs["svMask"] = func(secret string) string {
		if len(secret) <= 4 {
			return "****"
		}
		return secret[:4] + strings.Repeat("*", 8)
	}
}

// svForm keeps what the user typed, to fill the form again after an error.
func svForm(r *http.Request) map[string]string {
	out := map[string]string{}
	for k, vs := range r.PostForm {
		if k != csrfField && len(vs) > 0 {
			out[k] = vs[0]
		}
	}
	return out
}

// svPostErr answers a failed form post: errors the user can fix are shown
// on the page again (rerender), others are the error page.
func (s *Server) svPostErr(w http.ResponseWriter, r *http.Request, err error, rerender func(status int, fe formErr)) {
	switch zhengxie.ErrorCode(err) {
	case zhengxie.EInvalid, zhengxie.EIllegal, zhengxie.EConflict:
		rerender(statusOf[zhengxie.ErrorCode(err)], formErrOf(err))
	default:
		s.fail(w, r, err)
	}
}

func svID(r *http.Request, name string) int64 {
	id, _ := strconv.ParseInt(r.PathValue(name), 10, 64)
	return id
}

func svQueryID(r *http.Request, name string) int64 {
	id, _ := strconv.ParseInt(r.URL.Query().Get(name), 10, 64)
	return id
}

func (s *Server) svPage(w http.ResponseWriter, r *http.Request, status int, name, title, nav string, fe formErr, d any) {
	p := &Page{Title: title, Nav: nav, D: d}
	if fe.Msg != "" && fe.Field == "" {
		p.Error = fe.Msg
	} else if fe.Msg != "" {
		p.Error = "请检查下面标出的内容：" + fe.Msg
	}
	if status != 0 && status != http.StatusOK {
		w.WriteHeader(status)
	}
	s.render(w, r, name, p)
}
