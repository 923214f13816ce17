package zhengxie

import (
	"sort"
	"strings"
)

// Row is one row of a transition table: in state From, Party may do
// Action, and the subject moves to To (To == From for an action that
// changes no state).
type Row[S, A ~string] struct {
	From   S
	Action A
	Party  Party
	To     S
}

// Table is the transition table of one kind of subject (a proposal, a task,
// an activity, a matter, a report …): the one place that says who may do
// what when. Every module declares its own table of this type; guards that
// need input (a reason, a target) stay functions of the module beside it.
type Table[S, A ~string] struct {
	Subject    string // the subject in messages: 提案, 任务, 活动 …
	Rows       []Row[S, A]
	StateName  func(S) string
	ActionName func(A) string
}

// Next returns the state after parties do action on a subject in state
// from. It answers in the order a caller must learn things: an action the
// parties may never take is EForbidden (naming who may), whatever the
// state; an action they may take, but not now, is EIllegal, listing only
// what these parties may do in this state.
func (t *Table[S, A]) Next(from S, action A, parties ...Party) (S, error) {
	var who []Party
	mayEver := false
	for _, r := range t.Rows {
		if r.Action != action {
			continue
		}
		if hasParty(parties, r.Party) {
			if r.From == from {
				return r.To, nil
			}
			mayEver = true
			continue
		}
		who = append(who, r.Party)
	}
	if !mayEver && len(who) > 0 {
		return from, t.forbidden(action, who)
	}
	if !mayEver {
		return from, &Error{Code: EIllegal, Message: "不支持“" + t.ActionName(action) + "”操作。"}
	}
	return from, t.illegal(from, action, parties)
}

// Allowed lists the actions parties may take in state from, in table order,
// without the ones only the system takes.
func (t *Table[S, A]) Allowed(from S, parties ...Party) []A {
	var out []A
	seen := map[A]bool{}
	for _, r := range t.Rows {
		if r.From == from && r.Party != PartySystem && hasParty(parties, r.Party) && !seen[r.Action] {
			seen[r.Action] = true
			out = append(out, r.Action)
		}
	}
	return out
}

// May reports whether parties may ever take action, in some state.
func (t *Table[S, A]) May(action A, parties ...Party) bool {
	for _, r := range t.Rows {
		if r.Action == action && hasParty(parties, r.Party) {
			return true
		}
	}
	return false
}

// States lists every state the table mentions, in order of appearance.
func (t *Table[S, A]) States() []S {
	var out []S
	seen := map[S]bool{}
	for _, r := range t.Rows {
		for _, s := range []S{r.From, r.To} {
			if !seen[s] {
				seen[s] = true
				out = append(out, s)
			}
		}
	}
	return out
}

func (t *Table[S, A]) illegal(from S, action A, parties []Party) *Error {
	var names []string
	for _, a := range t.Allowed(from, parties...) {
		names = append(names, "“"+t.ActionName(a)+"”")
	}
	sort.Strings(names)
	msg := t.Subject + "当前状态为“" + t.StateName(from) + "”，不能" + t.ActionName(action) + "。"
	if len(names) > 0 {
		msg += "您现在可以进行的操作：" + strings.Join(names, "、") + "。"
	} else {
		msg += "您现在不能对它进行任何操作。"
	}
	return &Error{Code: EIllegal, Message: msg}
}

func (t *Table[S, A]) forbidden(action A, who []Party) *Error {
	var names []string
	for _, p := range who {
		if p != PartySystem {
			names = append(names, partyNames[p])
		}
	}
	names = dedupe(names)
	if len(names) == 0 {
		return &Error{Code: EForbidden, Message: "“" + t.ActionName(action) + "”由系统自动完成，不能手动操作。"}
	}
	return &Error{Code: EForbidden, Message: "只有" + strings.Join(names, "或") + "可以" + t.ActionName(action) + "。"}
}
