package zhengxie

import (
	"strings"
	"testing"
	"time"
)

// Benchmarks of the domain's hot functions: every page asks the transition
// tables which buttons to show, and every write seals an event.

func BenchmarkNext(b *testing.B) {
	cases := []struct {
		from   State
		action Action
		party  Party
	}{
		{StateUnderReview, ActAccept, PartyOffice},
		{StateAccepted, ActAssign, PartyOffice},
		{StateDraft, ActSubmit, PartyProposer},
		{StateHandling, ActAccept, PartyProposer}, // illegal: builds the Chinese message
	}
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		c := cases[i%len(cases)]
		Next(c.from, c.action, c.party)
	}
}

func BenchmarkAllowed(b *testing.B) {
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		Allowed(States[i%len(States)], PartyOffice, PartyProposer)
	}
}

func BenchmarkNextTask(b *testing.B) {
	tasks := []Task{{State: TaskPending, Kind: TaskLead}, {State: TaskAccepted, Kind: TaskLead}, {State: TaskReplied, Kind: TaskCo}}
	actions := []TaskAction{TaskActAccept, TaskActReply, TaskActFeedback}
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		NextTask(&tasks[i%len(tasks)], actions[i%len(actions)], PartyUnit, PartyProposer)
	}
}

// BenchmarkComputeHash hashes an event the size of a typical one: an
// assignment with its JSON payload and a comment.
func BenchmarkComputeHash(b *testing.B) {
	e := &Event{CommitteeID: 3, Seq: 123456, ProposalID: 98765, TaskID: 4321, ActorID: 17, ActorName: "提案委员会办公室",
		Action: string(ActAssign), FromState: string(StateAccepted), ToState: string(StateHandling),
		Comment: strings.Repeat("请按期办理。", 8), Payload: `[{"UnitID":12,"Kind":"lead","Due":""},{"UnitID":15,"Kind":"co","Due":""}]`,
		CreatedAt: time.Date(2026, 3, 1, 9, 30, 0, 123e6, time.UTC), PrevHash: GenesisHash}
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		e.ComputeHash()
	}
}

// BenchmarkVerifyChain checks a chain of 1,000 events, as `audit verify` does.
func BenchmarkVerifyChain(b *testing.B) {
	events := make([]Event, 1000)
	var seq int64
	last := ""
	for i := range events {
		e := &events[i]
		*e = Event{CommitteeID: 1, ProposalID: int64(i / 10), ActorName: "委员", Action: string(ActSubmit),
			CreatedAt: time.Unix(1767225600+int64(i), 0)}
		e.Seal(seq, last)
		seq, last = e.Seq, e.Hash
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		var v ChainVerifier
		for j := range events {
			if br := v.Next(&events[j]); br != nil {
				b.Fatal(br.Reason)
			}
		}
	}
}
