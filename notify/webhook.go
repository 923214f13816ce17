package notify

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Headers of an outbound webhook request.
const (
	SignatureHeader = "X-Zhengxie-Signature" // t=<unix seconds>,v1=<hex HMAC-SHA256>
	EventHeader     = "X-Zhengxie-Event"     // e.g. proposal.accepted
	DeliveryHeader  = "X-Zhengxie-Delivery"  // the same on every retry of one delivery
)

const userAgent = "Zhengxie-Notify/1"

// DefaultTolerance is the age Verify accepts when given no tolerance.
const DefaultTolerance = 5 * time.Minute

// Errors of Verify.
var (
	ErrNoSignature      = errors.New("缺少签名")
	ErrBadSignature     = errors.New("签名不正确")
	ErrSignatureExpired = errors.New("签名已过期")
)

// Sign returns the signature header value of body sent at ts. The timestamp
// is part of the signed text, so a captured request cannot be replayed
// later with a fresh timestamp.
func Sign(secret, body []byte, ts time.Time) string {
	t := ts.Unix()
	return "t=" + strconv.FormatInt(t, 10) + ",v1=" + hex.EncodeToString(mac(secret, t, body))
}

func mac(secret []byte, t int64, body []byte) []byte {
	h := hmac.New(sha256.New, secret)
	h.Write([]byte(strconv.FormatInt(t, 10)))
	h.Write([]byte{'.'})
	h.Write(body)
	return h.Sum(nil)
}

// Verify checks a signature header made by Sign, as a receiver does. It
// accepts several v1 values (sent while a secret is being rotated) and
// refuses timestamps further than tolerance from now (DefaultTolerance if
// tolerance <= 0).
func Verify(secret []byte, header string, body []byte, now time.Time, tolerance time.Duration) error {
	if strings.TrimSpace(header) == "" {
		return ErrNoSignature
	}
	if tolerance <= 0 {
		tolerance = DefaultTolerance
	}
	var (
		t     int64
		haveT bool
		sigs  [][]byte
	)
	for _, part := range strings.Split(header, ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(part), "=")
		if !ok {
			return fmt.Errorf("%w：无法解析“%s”", ErrBadSignature, part)
		}
		switch k {
		case "t":
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil {
				return fmt.Errorf("%w：时间戳“%s”无效", ErrBadSignature, v)
			}
			t, haveT = n, true
		case "v1":
			if s, err := hex.DecodeString(v); err == nil {
				sigs = append(sigs, s)
			}
		}
	}
	if !haveT || len(sigs) == 0 {
		return ErrNoSignature
	}
	if age := now.Sub(time.Unix(t, 0)); age > tolerance || age < -tolerance {
		return fmt.Errorf("%w：签名时间与当前时间相差%s", ErrSignatureExpired, age.Round(time.Second))
	}
	want := mac(secret, t, body)
	for _, s := range sigs {
		if hmac.Equal(s, want) {
			return nil
		}
	}
	return ErrBadSignature
}

// webhookClient does not follow redirects: a redirect would turn the POST
// into a GET without the body, and a moved endpoint is something the admin
// should see and fix.
var webhookClient = &http.Client{
	Timeout: 15 * time.Second,
	CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	},
}

// Deliver posts body (JSON) to url as event eventType with a new delivery
// ID. Retries of the same delivery should use DeliverWithID with the first
// ID, so that the receiver can tell a retry from a new event.
func Deliver(ctx context.Context, client *http.Client, url string, secret []byte, eventType string, body []byte) (status int, err error) {
	return DeliverWithID(ctx, client, url, secret, NewDeliveryID(), eventType, body)
}

// DeliverWithID posts one webhook delivery and returns the response status
// (0 if there was no response). A status outside 2xx is an error carrying
// the start of the response, for the delivery log. A nil client means one
// with a 15 s timeout that does not follow redirects.
func DeliverWithID(ctx context.Context, client *http.Client, url string, secret []byte, id, eventType string, body []byte) (status int, err error) {
	if client == nil {
		client = webhookClient
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return 0, Permanent(fmt.Errorf("webhook 地址“%s”无效：%w", url, err))
	}
	req.Header.Set("Content-Type", "application/json; charset=utf-8")
	req.Header.Set("User-Agent", userAgent)
	req.Header.Set(EventHeader, eventType)
	req.Header.Set(DeliveryHeader, id)
	req.Header.Set(SignatureHeader, Sign(secret, body, time.Now()))
	resp, err := client.Do(req)
	if err != nil {
		return 0, fmt.Errorf("webhook 发送失败：%w", err)
	}
	defer resp.Body.Close()
	snippet := readSnippet(resp.Body)
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return resp.StatusCode, fmt.Errorf("webhook 接收方返回 %d：%s", resp.StatusCode, snippet)
	}
	return resp.StatusCode, nil
}
