package zhengxie_test

import (
	"testing"

	"zhengxie"
)

// TestSupervisionTables walks the extension and key-proposal tables in the
// order of answers, as the lifecycle's.
func TestSupervisionTables(t *testing.T) {
	parties := append([][]zhengxie.Party{nil}, partySingles()...)
	checkOrder(t, zhengxie.ExtensionTable, []zhengxie.ExtState{zhengxie.ExtNone, zhengxie.ExtPending, zhengxie.ExtApproved, zhengxie.ExtRefused},
		[]zhengxie.ExtAction{zhengxie.ExtActRequest, zhengxie.ExtActApprove, zhengxie.ExtActRefuse}, parties)
	checkOrder(t, zhengxie.KeyTable, []zhengxie.KeyState{zhengxie.KeyNone, zhengxie.KeyProposed, zhengxie.KeyApproved, zhengxie.KeyRefused},
		[]zhengxie.KeyAction{zhengxie.KeyActPropose, zhengxie.KeyActApprove, zhengxie.KeyActRefuse}, parties)
	// Decided once.
	if _, err := zhengxie.ExtensionTable.Next(zhengxie.ExtApproved, zhengxie.ExtActRefuse, zhengxie.PartyOffice); zhengxie.ErrorCode(err) != zhengxie.EIllegal {
		t.Errorf("refusing an approved extension: %v", err)
	}
	if _, err := zhengxie.KeyTable.Next(zhengxie.KeyProposed, zhengxie.KeyActApprove, zhengxie.PartyOffice); zhengxie.ErrorCode(err) != zhengxie.EForbidden {
		t.Errorf("the office approving a key proposal: %v", err)
	}
}

// TestCheckKeyProposal: only proposals still in work may become key; one
// concluded before the council decides is refused.
func TestCheckKeyProposal(t *testing.T) {
	for _, s := range zhengxie.States {
		want := s == zhengxie.StateAccepted || s == zhengxie.StateHandling || s == zhengxie.StateReplied
		for _, a := range []zhengxie.KeyAction{zhengxie.KeyActPropose, zhengxie.KeyActApprove} {
			if err := zhengxie.CheckKeyProposal(s, a); (err == nil) != want {
				t.Errorf("%s %s: %v", a, s, err)
			}
		}
		if err := zhengxie.CheckKeyProposal(s, zhengxie.KeyActRefuse); err != nil {
			t.Errorf("refusing in %s: %v", s, err)
		}
	}
}

func TestCheckExtensionTask(t *testing.T) {
	open := &zhengxie.Task{State: zhengxie.TaskAccepted}
	if err := zhengxie.CheckExtensionTask(zhengxie.StateHandling, open); err != nil {
		t.Error(err)
	}
	if err := zhengxie.CheckExtensionTask(zhengxie.StateConcluded, open); zhengxie.ErrorCode(err) != zhengxie.EIllegal {
		t.Errorf("concluded: %v", err)
	}
	for _, s := range []zhengxie.TaskState{zhengxie.TaskReplied, zhengxie.TaskClosed, zhengxie.TaskCancelled, zhengxie.TaskReturned} {
		if err := zhengxie.CheckExtensionTask(zhengxie.StateHandling, &zhengxie.Task{State: s}); zhengxie.ErrorCode(err) != zhengxie.EIllegal {
			t.Errorf("%s: %v", s, err)
		}
	}
}
