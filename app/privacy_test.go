package app_test

import (
	"context"
	"testing"

	"zhengxie"
	"zhengxie/internal/testenv"
)

// TestProposerPhoneByRole: those who must reach the proposer see the number,
// a co-signer sees it masked, the public not at all.
func TestProposerPhoneByRole(t *testing.T) {
	ctx := context.Background()
	f := testenv.Seed(t, testenv.Open(t, testenv.SQLiteDSN(t)))
	s := f.Svc
	p, err := s.CreateDraft(ctx, f.Actor(f.Members[0]), testenv.Draft("关于联系电话显示规则的建议", f.Members[1].ID))
	if err != nil {
		t.Fatal(err)
	}
	s.Submit(ctx, f.Actor(f.Members[0]), p.ID)
	s.Cosign(ctx, f.Actor(f.Members[1]), p.ID, true)
	s.Accept(ctx, f.Actor(f.Office), p.ID, "")
	if _, err := s.Assign(ctx, f.Actor(f.Office), p.ID, []zhengxie.Assignment{{UnitID: f.Units[0].ID, Kind: zhengxie.TaskLead}}, ""); err != nil {
		t.Fatal(err)
	}
	s.Publish(ctx, f.Actor(f.Office), p.ID)
	full := f.Members[0].Phone
	for _, c := range []struct {
		who  string
		a    zhengxie.Actor
		want string
	}{
		{"office", f.Actor(f.Office), full},
		{"assigned unit", f.Actor(f.UnitUsers[0]), full},
		{"proposer", f.Actor(f.Members[0]), full},
		{"co-signer", f.Actor(f.Members[1]), zhengxie.MaskPhone(full)},
		{"other member (published)", f.Actor(f.Members[2]), ""},
		{"public", zhengxie.Actor{}, ""},
	} {
		v, err := s.Proposal(ctx, c.a, p.ID)
		if err != nil {
			t.Fatalf("%s: %v", c.who, err)
		}
		got := v.ProposerPhone
		if c.who == "other member (published)" {
			if !v.Public {
				t.Fatalf("another member sees the published version")
			}
		}
		if got != c.want {
			t.Errorf("%s sees phone %q, want %q", c.who, got, c.want)
		}
	}
}
