package store

import (
	"testing"

	"zhengxie"
)

// The store's untyped state names must stay the domain's.
func TestStateNamesAreTheDomains(t *testing.T) {
	for got, want := range map[zhengxie.ExtState]zhengxie.ExtState{ExtPending: zhengxie.ExtPending, ExtApproved: zhengxie.ExtApproved, ExtRefused: zhengxie.ExtRefused} {
		if got != want {
			t.Errorf("%s != %s", got, want)
		}
	}
	for got, want := range map[zhengxie.KeyState]zhengxie.KeyState{KeyProposed: zhengxie.KeyProposed, KeyApproved: zhengxie.KeyApproved, KeyRefused: zhengxie.KeyRefused} {
		if got != want {
			t.Errorf("%s != %s", got, want)
		}
	}
}
