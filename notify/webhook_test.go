package notify

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestSignVerify(t *testing.T) {
	secret := []byte("s3cret")
	body := []byte(`{"event":"proposal.accepted","number":"第0012号"}`)
	now := time.Unix(1772000000, 0)
	h := Sign(secret, body, now)
	// The wire format receivers implement: HMAC-SHA256 over "<t>.<body>"
	// (vector computed outside Go).
	if want := "t=1772000000,v1=dae208da74d970d9b6dbe2e96beeb1a9eb1e0858ad3beec0247b4e6cb1642bd5"; h != want {
		t.Fatalf("header = %s, want %s", h, want)
	}
	if err := Verify(secret, h, body, now.Add(time.Minute), 5*time.Minute); err != nil {
		t.Errorf("valid signature refused: %v", err)
	}
	other := Sign([]byte("old"), body, now)
	rotated := h + "," + strings.Split(other, ",")[1]
	if err := Verify([]byte("old"), rotated, body, now, 0); err != nil {
		t.Errorf("second v1 refused: %v", err)
	}
	tests := []struct {
		name   string
		secret []byte
		header string
		body   []byte
		now    time.Time
		want   error
	}{
		{"tampered body", secret, h, []byte(`{"event":"proposal.rejected"}`), now, ErrBadSignature},
		{"wrong secret", []byte("x"), h, body, now, ErrBadSignature},
		{"replayed with new time", secret, strings.Replace(h, "t=1772000000", "t=1772000600", 1), body, now.Add(10 * time.Minute), ErrBadSignature},
		{"too old", secret, h, body, now.Add(6 * time.Minute), ErrSignatureExpired},
		{"from the future", secret, h, body, now.Add(-6 * time.Minute), ErrSignatureExpired},
		{"missing", secret, "", body, now, ErrNoSignature},
		{"no v1", secret, "t=1772000000", body, now, ErrNoSignature},
		{"garbage", secret, "garbage", body, now, ErrBadSignature},
	}
	for _, tt := range tests {
		if err := Verify(tt.secret, tt.header, tt.body, tt.now, 5*time.Minute); !errors.Is(err, tt.want) {
			t.Errorf("%s: err = %v, want %v", tt.name, err, tt.want)
		}
	}
}

// The receiver checks the signature, fails twice, then accepts; the sender
// retries with the same delivery ID, as the job queue does.
func TestDeliverRetriesUntilAccepted(t *testing.T) {
	secret := []byte("hook-secret")
	body := []byte(`{"event":"task.overdue","proposal":"第0012号","days_overdue":3}`)
	var (
		mu       sync.Mutex
		attempts int
		ids      []string
	)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		if err := Verify(secret, r.Header.Get(SignatureHeader), b, time.Now(), time.Minute); err != nil {
			http.Error(w, err.Error(), http.StatusUnauthorized)
			return
		}
		if r.Header.Get(EventHeader) != "task.overdue" || r.Header.Get("Content-Type") != "application/json; charset=utf-8" {
			http.Error(w, "headers", http.StatusBadRequest)
			return
		}
		mu.Lock()
		defer mu.Unlock()
		attempts++
		ids = append(ids, r.Header.Get(DeliveryHeader))
		if attempts <= 2 {
			http.Error(w, "暂时无法处理", http.StatusServiceUnavailable)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	}))
	defer srv.Close()

	id := NewDeliveryID()
	var statuses []int
	for attempt := 1; attempt <= 5; attempt++ {
		status, err := DeliverWithID(context.Background(), nil, srv.URL, secret, id, "task.overdue", body)
		statuses = append(statuses, status)
		if err == nil {
			break
		}
		if status != http.StatusServiceUnavailable || !strings.Contains(err.Error(), "返回 503：暂时无法处理") || IsPermanent(err) {
			t.Fatalf("attempt %d: status %d, err %v", attempt, status, err)
		}
		if d := Backoff(attempt); d <= 0 {
			t.Fatalf("Backoff(%d) = %s", attempt, d)
		}
	}
	if len(statuses) != 3 || statuses[2] != http.StatusNoContent {
		t.Fatalf("statuses = %v", statuses)
	}
	for _, got := range ids {
		if got != id {
			t.Errorf("delivery IDs = %v, want %s each time", ids, id)
			break
		}
	}

	// The receiver refuses a delivery signed with another secret.
	status, err := Deliver(context.Background(), nil, srv.URL, []byte("other"), "task.overdue", body)
	if status != http.StatusUnauthorized || err == nil {
		t.Errorf("wrong secret: %d, %v", status, err)
	}
}

func TestDeliverUnreachableAndRedirect(t *testing.T) {
	srv := httptest.NewServer(http.RedirectHandler("/elsewhere", http.StatusFound))
	status, err := Deliver(context.Background(), nil, srv.URL, []byte("k"), "ping", []byte(`{}`))
	if status != http.StatusFound || err == nil {
		t.Errorf("redirect: %d, %v", status, err)
	}
	srv.Close()
	status, err = Deliver(context.Background(), nil, srv.URL, []byte("k"), "ping", []byte(`{}`))
	if status != 0 || err == nil || !strings.Contains(err.Error(), "webhook 发送失败") {
		t.Errorf("closed server: %d, %v", status, err)
	}
	if _, err := Deliver(context.Background(), nil, "://bad", []byte("k"), "ping", nil); !IsPermanent(err) {
		t.Errorf("bad URL: %v", err)
	}
}

func TestBackoff(t *testing.T) {
	for attempt := -1; attempt <= 100; attempt++ {
		ceil := min(backoffBase<<max(min(attempt, 20)-1, 0), backoffCap)
		if attempt > 20 {
			ceil = backoffCap
		}
		seen := map[time.Duration]bool{}
		for range 50 {
			d := Backoff(attempt)
			if d < ceil/2 || d > ceil {
				t.Fatalf("Backoff(%d) = %s, want in [%s, %s]", attempt, d, ceil/2, ceil)
			}
			seen[d] = true
		}
		if len(seen) < 10 {
			t.Errorf("Backoff(%d) has little jitter: %d distinct values in 50", attempt, len(seen))
		}
	}
	if Backoff(1) > time.Minute || Backoff(3) < time.Minute || Backoff(100) < 30*time.Minute {
		t.Errorf("schedule: %s %s %s", Backoff(1), Backoff(3), Backoff(100))
	}
}

func TestNewDeliveryID(t *testing.T) {
	a, b := NewDeliveryID(), NewDeliveryID()
	if a == b || len(a) != 36 || a[14] != '4' || strings.Count(a, "-") != 4 {
		t.Errorf("ids %s %s", a, b)
	}
}
