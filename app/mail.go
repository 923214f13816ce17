package app

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	ntf "zhengxie/notify"
	"zhengxie/store"
)

// E-mail jobs: a notice's letter to one user (notice.go queues them).

type emailPayload struct {
	UserID  int64  `json:"user_id,omitempty"`
	To      string `json:"to,omitempty"` // when no user: a fixed address
	Subject string `json:"subject"`
	Text    string `json:"text"`
}

func (r *JobRunner) sendEmail(ctx context.Context, j *store.Job) error {
	var p emailPayload
	if err := json.Unmarshal([]byte(j.Payload), &p); err != nil {
		return ntf.Permanent(fmt.Errorf("任务内容无法解析：%w", err))
	}
	ch := r.Channels()
	if !ch.MailOn() {
		return errors.New("未配置邮件服务器（SMTP），配置后将自动重试")
	}
	to := p.To
	if p.UserID != 0 {
		// The address is read now, not when queued: an address corrected
		// after a failure is used by the next retry.
		u, err := r.svc.Store.User(ctx, p.UserID)
		if err != nil {
			return ntf.Permanent(fmt.Errorf("收件用户不存在：%w", err))
		}
		to = u.Email
	}
	if to == "" {
		return ntf.Permanent(errors.New("收件人未填写邮箱地址"))
	}
	return ch.Mailer.Send(ctx, ntf.Message{To: to, Subject: p.Subject, Text: p.Text})
}
