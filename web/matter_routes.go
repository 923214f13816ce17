package web

import (
	"sync"
	"time"

	"zhengxie"
)

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
