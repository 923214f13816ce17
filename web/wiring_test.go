package web

import (
	"testing"

	"zhengxie/internal/testenv"
)

// TestServerStartsNothing: building the web server and its routes adds no
// background work to the service; the command that serves starts it.
func TestServerStartsNothing(t *testing.T) {
	st := testenv.Open(t, testenv.SQLiteDSN(t))
	f := testenv.Seed(t, st)
	before := len(f.Svc.Periodic)
	New(f.Svc, nil).Handler()
	if n := len(f.Svc.Periodic); n != before {
		t.Fatalf("building the web server added %d periodic jobs to the service", n-before)
	}
}
