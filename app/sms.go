package app

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	ntf "zhengxie/notify"
	"zhengxie/store"
)

// SMS jobs: a notice's subject line to one user's phone.

type smsPayload struct {
	UserID int64  `json:"user_id,omitempty"`
	Phone  string `json:"phone,omitempty"`
	Text   string `json:"text"`
}

func (r *JobRunner) sendSMS(ctx context.Context, j *store.Job) error {
	var p smsPayload
	if err := json.Unmarshal([]byte(j.Payload), &p); err != nil {
		return ntf.Permanent(fmt.Errorf("任务内容无法解析：%w", err))
	}
	ch := r.Channels()
	if !ch.SMSOn() {
		return errors.New("未配置短信网关，配置后将自动重试")
	}
	phone := p.Phone
	if p.UserID != 0 {
		u, err := r.svc.Store.User(ctx, p.UserID)
		if err != nil {
			return ntf.Permanent(fmt.Errorf("收信用户不存在：%w", err))
		}
		phone = u.Phone
	}
	if phone == "" {
		return ntf.Permanent(errors.New("收信人未填写手机号码"))
	}
	return ch.SMS.SendSMS(ctx, phone, p.Text)
}
