package main

import (
	"flag"
	"os"
	"strings"
	"testing"
	"time"

	"zhengxie/notify"
)

func TestNotifyFlags(t *testing.T) {
	t.Setenv("ZHENGXIE_SMTP_HOST", "smtp.example.gov.cn")
	t.Setenv("ZHENGXIE_SMTP_FROM", "区政协提案委员会 <tian@example.gov.cn>")
	t.Setenv("ZHENGXIE_SMTP_PASSWORD_FILE", writeTemp(t, "口令-s3cret\n"))
	t.Setenv("ZHENGXIE_SMS", "http")
	t.Setenv("ZHENGXIE_SMS_URL", "https://sms.example.gov.cn/send")
	t.Setenv("ZHENGXIE_WEBHOOK_TIMEOUT", "3s")
	var n notifyFlags
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	n.register(fs)
	if err := fs.Parse([]string{"-smtp-tls", "implicit", "-base-url", "https://zx.example.gov.cn/"}); err != nil {
		t.Fatal(err)
	}
	c, err := n.channels()
	if err != nil {
		t.Fatal(err)
	}
	if !c.MailOn() || c.Mailer.Password != "口令-s3cret" || !c.Mailer.ImplicitTLS || c.Mailer.Host != "smtp.example.gov.cn" {
		t.Errorf("mailer %+v", c.Mailer)
	}
	if g, ok := c.SMS.(*notify.HTTPGateway); !ok || g.URL != "https://sms.example.gov.cn/send" {
		t.Errorf("sms %#v", c.SMS)
	}
	if c.BaseURL != "https://zx.example.gov.cn" || c.Webhook.Timeout != 3*time.Second {
		t.Errorf("base %q, webhook timeout %v", c.BaseURL, c.Webhook.Timeout)
	}
	for _, bad := range [][]string{{"-smtp-from", ""}, {"-smtp-tls", "ssl"}, {"-sms", "pigeon"}, {"-sms", "http", "-sms-url", ""}} {
		var n notifyFlags
		fs := flag.NewFlagSet("serve", flag.ContinueOnError)
		n.register(fs)
		fs.Parse(bad)
		if _, err := n.channels(); err == nil || !strings.Contains(err.Error(), "-") {
			t.Errorf("%v: %v", bad, err)
		}
	}
}

func writeTemp(t *testing.T, s string) string {
	t.Helper()
	f := t.TempDir() + "/secret"
	if err := os.WriteFile(f, []byte(s), 0o600); err != nil {
		t.Fatal(err)
	}
	return f
}
