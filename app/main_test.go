package app_test

import (
	"os"
	"testing"

	"zhengxie/internal/testenv/smtpd"
)

// TestMain lets the test binary also be the SMTP server of the e-mail tests.
func TestMain(m *testing.M) {
	smtpd.ServeIfChild()
	os.Exit(m.Run())
}
