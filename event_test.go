package zhengxie_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"zhengxie"
)

// chain returns n sealed events of one committee, as the store appends them.
func chain(n int) []zhengxie.Event {
	at := time.Date(2026, 3, 2, 9, 30, 0, 0, zhengxie.ChinaTime())
	steps := []struct{ action, from, to string }{
		{"create", "", "draft"}, {"submit", "draft", "under_review"}, {"accept", "under_review", "accepted"},
		{"assign", "accepted", "handling"}, {"reply", "accepted", "replied"}, {"feedback", "replied", "replied"},
	}
	var out []zhengxie.Event
	var seq int64
	var prev string
	for i := range n {
		s := steps[i%len(steps)]
		e := zhengxie.Event{CommitteeID: 7, ProposalID: int64(1 + i/len(steps)), ActorID: int64(100 + i), ActorName: "提案科王科长",
			Action: s.action, FromState: s.from, ToState: s.to, Comment: fmt.Sprintf("第%d步", i+1),
			Payload: `{"units":[3]}`, CreatedAt: at.Add(time.Duration(i) * time.Minute)}
		e.Seal(seq, prev)
		seq, prev = e.Seq, e.Hash
		out = append(out, e)
	}
	return out
}

// verify runs the verifier over es and returns the first break.
func verify(es []zhengxie.Event) (*zhengxie.ChainBreak, int64) {
	var v zhengxie.ChainVerifier
	for i := range es {
		if b := v.Next(&es[i]); b != nil {
			return b, v.Count
		}
	}
	return nil, v.Count
}

func TestSeal(t *testing.T) {
	es := chain(3)
	if es[0].Seq != 1 || es[0].PrevHash != zhengxie.GenesisHash {
		t.Errorf("first event: seq %d prev %s", es[0].Seq, es[0].PrevHash)
	}
	for i := 1; i < len(es); i++ {
		if es[i].Seq != int64(i+1) || es[i].PrevHash != es[i-1].Hash {
			t.Errorf("event %d is not chained to %d", i+1, i)
		}
	}
	if len(es[0].Hash) != 64 || es[0].Hash == es[1].Hash {
		t.Errorf("hashes: %q %q", es[0].Hash, es[1].Hash)
	}
}

func TestChainVerifies(t *testing.T) {
	es := chain(30)
	if b, n := verify(es); b != nil || n != 30 {
		t.Fatalf("intact chain: break %+v after %d", b, n)
	}
}

// TestChainDetectsTampering changes the log in the ways an insider with
// database access could, and expects the first broken link at the right place.
func TestChainDetectsTampering(t *testing.T) {
	cases := []struct {
		name    string
		tamper  func([]zhengxie.Event) []zhengxie.Event
		seq     int64
		because string
	}{
		{"modified comment", func(es []zhengxie.Event) []zhengxie.Event {
			es[4].Comment = "理由：经研究同意立案" // was 第5步
			return es
		}, 5, "该事件被修改"},
		{"modified actor", func(es []zhengxie.Event) []zhengxie.Event {
			es[2].ActorID = 999
			return es
		}, 3, "该事件被修改"},
		{"modified time", func(es []zhengxie.Event) []zhengxie.Event {
			es[7].CreatedAt = es[7].CreatedAt.Add(-24 * time.Hour)
			return es
		}, 8, "该事件被修改"},
		{"modified payload", func(es []zhengxie.Event) []zhengxie.Event {
			es[3].Payload = `{"units":[4]}`
			return es
		}, 4, "该事件被修改"},
		{"modified and re-sealed", func(es []zhengxie.Event) []zhengxie.Event {
			es[4].Comment = "改写"
			es[4].Hash = es[4].ComputeHash()
			return es
		}, 6, "前一事件的哈希不匹配"},
		{"removed event", func(es []zhengxie.Event) []zhengxie.Event {
			return append(es[:5:5], es[6:]...)
		}, 6, "序号不连续"},
		{"removed first event", func(es []zhengxie.Event) []zhengxie.Event {
			return es[1:]
		}, 1, "序号不连续"},
		{"reordered pair", func(es []zhengxie.Event) []zhengxie.Event {
			es[3], es[4] = es[4], es[3]
			return es
		}, 4, "序号不连续"},
		{"reordered pair with swapped numbers", func(es []zhengxie.Event) []zhengxie.Event {
			es[3], es[4] = es[4], es[3]
			es[3].Seq, es[4].Seq = 4, 5
			return es
		}, 4, ""},
		{"inserted event", func(es []zhengxie.Event) []zhengxie.Event {
			forged := es[2]
			forged.Comment = "伪造的审查意见"
			return append(es[:3:3], append([]zhengxie.Event{forged}, es[3:]...)...)
		}, 4, "序号不连续"},
		{"renumbered after a removal", func(es []zhengxie.Event) []zhengxie.Event {
			es = append(es[:5:5], es[6:]...)
			for i := 5; i < len(es); i++ {
				es[i].Seq--
			}
			return es
		}, 6, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			es := c.tamper(chain(12))
			b, n := verify(es)
			if b == nil {
				t.Fatalf("tampering not detected (%d events verified)", n)
			}
			if b.Seq != c.seq {
				t.Errorf("break reported at seq %d, want %d (%s)", b.Seq, c.seq, b.Reason)
			}
			if !strings.Contains(b.Reason, c.because) {
				t.Errorf("reason %q should say %q", b.Reason, c.because)
			}
			if n != c.seq-1 {
				t.Errorf("%d events counted as good before the break, want %d", n, c.seq-1)
			}
		})
	}
}

// TestHashFields: the hash covers every field that tells what happened, and
// field boundaries cannot be shifted to forge the same hash.
func TestHashFields(t *testing.T) {
	base := chain(1)[0]
	mods := map[string]func(*zhengxie.Event){
		"committee": func(e *zhengxie.Event) { e.CommitteeID++ },
		"seq":       func(e *zhengxie.Event) { e.Seq++ },
		"proposal":  func(e *zhengxie.Event) { e.ProposalID++ },
		"task":      func(e *zhengxie.Event) { e.TaskID++ },
		"actor":     func(e *zhengxie.Event) { e.ActorID++ },
		// The timeline shows the name, so it must be as tamper-evident as the id.
		"actor name": func(e *zhengxie.Event) { e.ActorName = "李副主席" },
		"action":     func(e *zhengxie.Event) { e.Action = "reject" },
		"from":       func(e *zhengxie.Event) { e.FromState = "accepted" },
		"to":         func(e *zhengxie.Event) { e.ToState = "rejected" },
		"comment":    func(e *zhengxie.Event) { e.Comment += "。" },
		"payload":    func(e *zhengxie.Event) { e.Payload = "{}" },
		"time":       func(e *zhengxie.Event) { e.CreatedAt = e.CreatedAt.Add(time.Millisecond) },
		"prev":       func(e *zhengxie.Event) { e.PrevHash = strings.Repeat("1", 64) },
		"shifted boundary": func(e *zhengxie.Event) {
			e.Comment, e.Payload = e.Comment+e.Payload[:1], e.Payload[1:]
		},
	}
	for name, mod := range mods {
		e := base
		mod(&e)
		if e.ComputeHash() == base.Hash {
			t.Errorf("changing %s leaves the hash unchanged", name)
		}
	}
	// The same instant written in another zone is the same event.
	e := base
	e.CreatedAt = e.CreatedAt.UTC()
	if e.ComputeHash() != base.Hash {
		t.Error("the hash depends on the time zone of CreatedAt")
	}
}

func TestEventSubjectIsHashed(t *testing.T) {
	base := zhengxie.Event{CommitteeID: 1, ActorID: 2, ActorName: "王", Action: "create", CreatedAt: time.UnixMilli(1700000000000)}
	base.Seal(0, "")
	a := base
	a.SubjectKind, a.SubjectID = "activity", 7
	a.Seal(0, "")
	b := a
	b.SubjectID = 8
	b.Seal(0, "")
	if a.Hash == base.Hash || a.Hash == b.Hash {
		t.Errorf("the subject does not change the hash: %s %s %s", base.Hash, a.Hash, b.Hash)
	}
	// Moving an event to another subject after sealing is detected.
	a.SubjectID = 9
	var v zhengxie.ChainVerifier
	if v.Next(&a) == nil {
		t.Error("an event moved to another subject still verifies")
	}
}
