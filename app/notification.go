package app

import (
	"context"
	"net/mail"
	"strings"

	"zhengxie"
	"zhengxie/store"
)

// ---------- notification settings ----------

// NotifySettings is a user's settings page.
type NotifySettings struct {
	User    *zhengxie.User
	Prefs   store.NotifyPrefs
	MailOn  bool
	SMSOn   bool
	SMSName string
}

// NotifySettings returns the actor's channels.
func (s *Service) NotifySettings(ctx context.Context, a zhengxie.Actor) (*NotifySettings, error) {
	if a.IsAnonymous() {
		return nil, zhengxie.Errorf(zhengxie.EUnauthorized, "请先登录")
	}
	u, err := s.Store.User(ctx, a.UserID)
	if err != nil {
		return nil, err
	}
	p, err := s.Store.NotifyPrefs(ctx, a.UserID)
	if err != nil {
		return nil, err
	}
	ch := s.Jobs().Channels()
	return &NotifySettings{User: u, Prefs: p, MailOn: ch.MailOn(), SMSOn: ch.SMSOn(), SMSName: ch.SMSName}, nil
}

// SaveNotifySettings stores the actor's channels with the e-mail address
// and mobile number they go to.
func (s *Service) SaveNotifySettings(ctx context.Context, a zhengxie.Actor, email, phone string, wantEmail, wantSMS bool) error {
	if a.IsAnonymous() {
		return zhengxie.Errorf(zhengxie.EUnauthorized, "请先登录")
	}
	email, phone = strings.TrimSpace(email), strings.TrimSpace(phone)
	if email != "" {
		addr, err := mail.ParseAddress(email)
		if err != nil || addr.Address != email || len(email) > 200 {
			return zhengxie.FieldError("email", "邮箱地址“%s”格式不正确，应类似 name@example.gov.cn", email)
		}
	}
	if phone != "" {
		digits := strings.NewReplacer(" ", "", "-", "").Replace(strings.TrimPrefix(phone, "+"))
		ok := len(digits) >= 5 && len(digits) <= 15
		for _, r := range digits {
			ok = ok && r >= '0' && r <= '9'
		}
		if !ok {
			return zhengxie.FieldError("phone", "手机号码“%s”格式不正确，应类似 13800138000", phone)
		}
	}
	if wantEmail && email == "" {
		return zhengxie.FieldError("email", "选择邮件通知时，请填写邮箱地址")
	}
	if wantSMS && phone == "" {
		return zhengxie.FieldError("phone", "选择短信通知时，请填写手机号码")
	}
	return s.Store.InTx(ctx, func(tx *store.Tx) error {
		if err := tx.SetContactDetails(a.UserID, email, phone); err != nil {
			return err
		}
		if err := tx.SaveNotifyPrefs(a.CommitteeID, store.NotifyPrefs{UserID: a.UserID, Email: wantEmail, SMS: wantSMS}); err != nil {
			return err
		}
		return s.event(tx, a, a.CommitteeID, 0, 0, "notify_settings", "", "", "", map[string]bool{"email": wantEmail, "sms": wantSMS})
	})
}
