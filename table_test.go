package zhengxie

import (
	"strings"
	"testing"
)

type lampState string
type lampAction string

var lamp = Table[lampState, lampAction]{
	Subject: "灯",
	Rows: []Row[lampState, lampAction]{
		{"off", "switch_on", PartyOffice, "on"},
		{"on", "switch_off", PartyOffice, "off"},
		{"on", "dim", PartyLeader, "on"},
		{"on", "burn_out", PartySystem, "broken"},
	},
	StateName: func(s lampState) string { return map[lampState]string{"off": "关", "on": "开", "broken": "坏"}[s] },
	ActionName: func(a lampAction) string {
		return map[lampAction]string{"switch_on": "开灯", "switch_off": "关灯", "dim": "调暗", "burn_out": "烧坏", "fly": "飞"}[a]
	},
}

func TestTableOrderOfAnswers(t *testing.T) {
	cases := []struct {
		from    lampState
		action  lampAction
		parties []Party
		to      lampState
		code    string
		says    string
	}{
		{"off", "switch_on", []Party{PartyOffice}, "on", "", ""},
		{"on", "dim", []Party{PartyLeader, PartyOffice}, "on", "", ""},
		// May never: forbidden whatever the state, naming who may.
		{"off", "dim", []Party{PartyOffice}, "off", EForbidden, "只有领导可以调暗"},
		{"broken", "switch_on", []Party{PartyProposer}, "broken", EForbidden, "只有提案委员会可以开灯"},
		// May, but not now: illegal, listing only what this party may do now.
		{"on", "switch_on", []Party{PartyOffice}, "on", EIllegal, "您现在可以进行的操作：“关灯”"},
		{"broken", "switch_off", []Party{PartyOffice}, "broken", EIllegal, "不能对它进行任何操作"},
		{"on", "burn_out", []Party{PartyOffice}, "on", EForbidden, "由系统自动完成"},
		{"on", "fly", []Party{PartyOffice}, "on", EIllegal, "不支持"},
	}
	for _, c := range cases {
		to, err := lamp.Next(c.from, c.action, c.parties...)
		if to != c.to || ErrorCode(err) != c.code || !strings.Contains(ErrorMessage(err)+"", c.says) {
			t.Errorf("%s %s by %v: got %s, %v; want %s, %s containing %q", c.from, c.action, c.parties, to, err, c.to, c.code, c.says)
		}
	}
	// The leader's list in state on must not offer the office's 关灯.
	_, err := lamp.Next("on", "switch_on", PartyLeader, PartyProposer)
	if ErrorCode(err) != EForbidden {
		t.Errorf("leader switching on: %v", err)
	}
	if got := lamp.Allowed("on", PartyLeader); len(got) != 1 || got[0] != "dim" {
		t.Errorf("Allowed(on, leader) = %v", got)
	}
	if got := lamp.Allowed("on", PartySystem); len(got) != 0 {
		t.Errorf("system actions offered as buttons: %v", got)
	}
	if !lamp.May("dim", PartyLeader) || lamp.May("dim", PartyOffice) {
		t.Error("May is wrong")
	}
	if got := lamp.States(); len(got) != 3 {
		t.Errorf("States = %v", got)
	}
}
