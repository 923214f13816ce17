package main

import (
	"flag"
	"fmt"
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"

	"zhengxie/app"
	"zhengxie/notify"
)

// Notification channels: the SMTP server for e-mail, the SMS gateway, the
// site's address for links in messages, and the webhook timeout. Every
// option is a flag and a ZHENGXIE_* environment variable (secrets may come
// from a *_FILE variable):
//
//	-smtp-host      ZHENGXIE_SMTP_HOST      mail server; empty turns e-mail off
//	-smtp-port      ZHENGXIE_SMTP_PORT      0: 465 with -smtp-tls=implicit, else 25
//	-smtp-user      ZHENGXIE_SMTP_USER      login name, empty for none
//	-smtp-password  ZHENGXIE_SMTP_PASSWORD  (or ZHENGXIE_SMTP_PASSWORD_FILE)
//	-smtp-from      ZHENGXIE_SMTP_FROM      e.g. "区政协提案委员会 <tian@zx.example.cn>"
//	-smtp-tls       ZHENGXIE_SMTP_TLS       starttls (used when offered) or implicit
//	-sms            ZHENGXIE_SMS            log (development: written to the log), http, or off
//	-sms-url        ZHENGXIE_SMS_URL        the gateway's HTTP endpoint (for -sms=http)
//	-sms-template   ZHENGXIE_SMS_TEMPLATE   request body with {{.Phone}} {{.Text}} {{.Sign}} {{.Timestamp}}
//	-sms-content-type ZHENGXIE_SMS_CONTENT_TYPE
//	-sms-sign       ZHENGXIE_SMS_SIGN       the carriers' signature, e.g. 【某某区政协】
//	-sms-secret     ZHENGXIE_SMS_SECRET     HMAC key of the request (or ZHENGXIE_SMS_SECRET_FILE)
//	-base-url       ZHENGXIE_BASE_URL       the site as users reach it, for links in e-mails
//	-webhook-timeout ZHENGXIE_WEBHOOK_TIMEOUT one delivery's limit, e.g. 15s
//
// serveFlags.register registers them for serve and demo, and serve hands
// the channels they build to the service's job runner: nothing reads them
// behind the command's back.
type notifyFlags struct {
	smtpHost, smtpUser, smtpPassword, smtpFrom, smtpTLS string
	smtpPort                                            int
	sms, smsURL, smsTemplate, smsContentType            string
	smsSign, smsSecret                                  string
	baseURL                                             string
	webhookTimeout                                      time.Duration
}

func (n *notifyFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&n.smtpHost, "smtp-host", envOr("ZHENGXIE_SMTP_HOST", ""), "邮件服务器地址；为空则不发送邮件（环境变量 ZHENGXIE_SMTP_HOST）")
	fs.IntVar(&n.smtpPort, "smtp-port", envInt("ZHENGXIE_SMTP_PORT", 0), "邮件服务器端口；0 表示 25（-smtp-tls=implicit 时为 465）")
	fs.StringVar(&n.smtpUser, "smtp-user", envOr("ZHENGXIE_SMTP_USER", ""), "邮件服务器登录名（ZHENGXIE_SMTP_USER）")
	fs.StringVar(&n.smtpPassword, "smtp-password", envOr("ZHENGXIE_SMTP_PASSWORD", ""), "邮件服务器密码（ZHENGXIE_SMTP_PASSWORD 或 ZHENGXIE_SMTP_PASSWORD_FILE）")
	fs.StringVar(&n.smtpFrom, "smtp-from", envOr("ZHENGXIE_SMTP_FROM", ""), "发件人，如“区政协提案委员会 <tian@zx.example.cn>”（ZHENGXIE_SMTP_FROM）")
	fs.StringVar(&n.smtpTLS, "smtp-tls", envOr("ZHENGXIE_SMTP_TLS", "starttls"), "加密方式：starttls（服务器支持时使用）或 implicit（ZHENGXIE_SMTP_TLS）")
	fs.StringVar(&n.sms, "sms", envOr("ZHENGXIE_SMS", "log"), "短信通道：log（开发模式，只写日志）、http（短信网关）或 off（ZHENGXIE_SMS）")
	fs.StringVar(&n.smsURL, "sms-url", envOr("ZHENGXIE_SMS_URL", ""), "短信网关地址（ZHENGXIE_SMS_URL）")
	fs.StringVar(&n.smsTemplate, "sms-template", envOr("ZHENGXIE_SMS_TEMPLATE", ""), "短信网关请求模板（ZHENGXIE_SMS_TEMPLATE），默认 "+notify.DefaultSMSTemplate)
	fs.StringVar(&n.smsContentType, "sms-content-type", envOr("ZHENGXIE_SMS_CONTENT_TYPE", ""), "短信网关请求类型，默认 application/json（ZHENGXIE_SMS_CONTENT_TYPE）")
	fs.StringVar(&n.smsSign, "sms-sign", envOr("ZHENGXIE_SMS_SIGN", ""), "短信签名，如【某某区政协】（ZHENGXIE_SMS_SIGN）")
	fs.StringVar(&n.smsSecret, "sms-secret", envOr("ZHENGXIE_SMS_SECRET", ""), "短信网关请求签名密钥（ZHENGXIE_SMS_SECRET 或 ZHENGXIE_SMS_SECRET_FILE）")
	fs.StringVar(&n.baseURL, "base-url", envOr("ZHENGXIE_BASE_URL", ""), "用户访问本系统的地址，用于邮件中的链接（ZHENGXIE_BASE_URL）")
	fs.DurationVar(&n.webhookTimeout, "webhook-timeout", envDuration("ZHENGXIE_WEBHOOK_TIMEOUT", 15*time.Second), "每次Webhook投递的超时（ZHENGXIE_WEBHOOK_TIMEOUT）")
}

// channels builds the senders from the options.
func (n *notifyFlags) channels() (app.Channels, error) {
	var c app.Channels
	if n.smtpHost != "" {
		if n.smtpFrom == "" {
			return c, fmt.Errorf("已设置邮件服务器（-smtp-host），请同时设置发件人（-smtp-from）")
		}
		switch n.smtpTLS {
		case "starttls", "implicit":
		default:
			return c, fmt.Errorf("-smtp-tls 应为 starttls 或 implicit，而不是 %q", n.smtpTLS)
		}
		c.Mailer = &notify.Mailer{Host: n.smtpHost, Port: n.smtpPort, Username: n.smtpUser, Password: n.smtpPassword, From: n.smtpFrom,
			ImplicitTLS: n.smtpTLS == "implicit", Timeout: 30 * time.Second}
	}
	switch n.sms {
	case "log", "":
		c.SMS, c.SMSName = notify.LogSMS{}, "开发模式（仅写入日志，不实际发送）"
	case "http":
		if n.smsURL == "" {
			return c, fmt.Errorf("短信通道为 http 时请设置网关地址（-sms-url）")
		}
		c.SMS = &notify.HTTPGateway{URL: n.smsURL, Template: n.smsTemplate, ContentType: n.smsContentType, Signature: n.smsSign, Secret: n.smsSecret}
		c.SMSName = "短信网关"
	case "off":
	default:
		return c, fmt.Errorf("-sms 应为 log、http 或 off，而不是 %q", n.sms)
	}
	c.BaseURL = strings.TrimRight(n.baseURL, "/")
	if n.webhookTimeout > 0 {
		// Redirects are not followed: a moved endpoint is for the admin to see.
		c.Webhook = &http.Client{Timeout: n.webhookTimeout, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	}
	return c, nil
}

func envInt(key string, def int) int {
	if v := envOr(key, ""); v != "" {
		if n, err := strconv.Atoi(v); err == nil {
			return n
		}
		fmt.Fprintf(os.Stderr, "环境变量 %s=%q 不是整数，使用默认值 %d\n", key, v, def)
	}
	return def
}

func envDuration(key string, def time.Duration) time.Duration {
	if v := envOr(key, ""); v != "" {
		if d, err := time.ParseDuration(v); err == nil {
			return d
		}
		fmt.Fprintf(os.Stderr, "环境变量 %s=%q 不是时长（如 15s），使用默认值 %s\n", key, v, def)
	}
	return def
}
