// Package notify delivers one already-decided message over one channel:
// e-mail over SMTP, SMS through an HTTP gateway, and signed outbound
// webhooks; it also renders the Chinese message templates. It keeps no
// state and touches no database: the job queue decides what to send and
// when, calls a sender here, and uses Backoff and IsPermanent to schedule
// retries.
package notify

import (
	crand "crypto/rand"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"
)

// Message is one rendered notification for one recipient.
type Message struct {
	To      string // e-mail address, or phone number for SMS
	Subject string
	Text    string
}

// permanentError marks a failure that the same attempt cannot fix by
// retrying (a malformed address, a recipient the server refuses).
type permanentError struct{ err error }

func (e permanentError) Error() string { return e.err.Error() }
func (e permanentError) Unwrap() error { return e.err }

// Permanent marks err as not worth retrying automatically.
func Permanent(err error) error {
	if err == nil {
		return nil
	}
	return permanentError{err}
}

// IsPermanent reports whether err should stop automatic retries. Failures
// that come from configuration (wrong password, unreachable server) are not
// permanent: once the admin fixes the configuration, the queued retries go
// through without anyone having to resend them.
func IsPermanent(err error) bool {
	var p permanentError
	return errors.As(err, &p)
}

const (
	backoffBase = 30 * time.Second
	backoffCap  = time.Hour
)

// Backoff is the delay before retry number attempt (1 for the first retry):
// 30 s doubling up to one hour, with "equal jitter" (a random point in the
// upper half) so that jobs that failed together, say while the mail server
// was down, do not all come back at the same instant.
func Backoff(attempt int) time.Duration {
	attempt = max(attempt, 1)
	d := backoffCap
	if attempt < 20 { // beyond that the shift would overflow; the cap applies anyway
		d = min(backoffBase<<(attempt-1), backoffCap)
	}
	half := d / 2
	return half + rand.N(half+1)
}

// NewDeliveryID returns a random UUID (version 4) to identify a webhook
// delivery or an e-mail.
func NewDeliveryID() string {
	var b [16]byte
	_, _ = crand.Read(b[:]) // never fails since Go 1.24
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
}
