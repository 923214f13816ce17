// Package shared locates the real texts of ../shared/data (beside the
// repository, never in it) for tests. It imports nothing of Zhengxie, so
// that every package's tests can use it, including those that
// internal/testenv itself depends on (the domain, search, the corpus).
package shared

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

// Required reports whether a missing data folder must fail the test rather
// than skip it: always in CI, and where ZHENGXIE_REQUIRE_DATA is set.
func Required() bool {
	return os.Getenv("CI") != "" || os.Getenv("ZHENGXIE_REQUIRE_DATA") != ""
}

// root is the repository root: two levels above this file, or, in a build
// without source paths (-trimpath), the nearest folder holding go.mod above
// the working directory.
func root() string {
	if _, file, _, ok := runtime.Caller(0); ok && filepath.IsAbs(file) {
		return filepath.Dir(filepath.Dir(filepath.Dir(filepath.Dir(file))))
	}
	dir, err := os.Getwd()
	if err != nil {
		return ""
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return ""
		}
		dir = parent
	}
}

// folder is ZHENGXIE_SHARED_DATA when set (a git worktree elsewhere than
// beside shared/ names it so), else <repo root>/../shared/data.
func folder() string {
	if d := os.Getenv("ZHENGXIE_SHARED_DATA"); d != "" {
		return d
	}
	return filepath.Join(root(), "..", "shared", "data")
}

// Dir returns the data folder, or skips the test (fails it where Required)
// when the folder or the file check inside it is absent.
func Dir(t testing.TB, check string) string {
	t.Helper()
	Path(t, check)
	return folder()
}

// Path returns the path of one file of the data folder, or skips the test
// (fails it where Required) when the file is absent.
func Path(t testing.TB, name string) string {
	t.Helper()
	p := filepath.Join(folder(), name)
	if _, err := os.Stat(p); err != nil {
		if Required() {
			t.Fatalf("real data %s is missing, and CI (or ZHENGXIE_REQUIRE_DATA) does not allow this test to skip", p)
		}
		t.Skipf("real data %s is absent: this test reads ../shared/data at test time", p)
	}
	return p
}
