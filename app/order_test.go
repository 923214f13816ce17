package app_test

import (
	"strings"
	"testing"

	"zhengxie"
	"zhengxie/internal/testenv"
)

// TestWhoBeforeWhatEverywhere tries every action × role × state through the
// service and asserts the order of answers: not found when the caller may
// not see the object (another unit's task included), forbidden when the
// caller may never take the action, and only then illegal_state, listing
// no action the caller may never take.
func TestWhoBeforeWhatEverywhere(t *testing.T) {
	testenv.Engines(t, func(t *testing.T, dsn string) {
		w := newWorld(t, dsn)
		s := w.svc
		reply := zhengxie.Reply{ResultClass: "A", Text: "经研究，已将建议纳入年度工作计划。"}
		coReply := zhengxie.Reply{Text: "会办意见：同意主办单位意见。"}

		type subject struct {
			p          *zhengxie.Proposal
			lead, co   int64
			hasTaskIDs bool
		}
		n := 0
		build := func(state zhengxie.State) subject {
			n++
			title := "关于完善社区养老服务设施的建议" + strings.Repeat("（续）", n%3)
			switch state {
			case zhengxie.StateUnderReview:
				return subject{p: w.underReview(0, title)}
			case zhengxie.StateAccepted:
				return subject{p: w.accepted(0, title)}
			}
			p, ts := w.handling(0, title, w.lead(0), w.co(1))
			sub := subject{p: p, lead: ts[0].ID, co: ts[1].ID, hasTaskIDs: true}
			if state == zhengxie.StateHandling {
				return sub
			}
			_, err := s.AcceptTask(w.ctx, w.unit(1), sub.co)
			w.must(err)
			_, err = s.Reply(w.ctx, w.unit(1), sub.co, coReply, nil)
			w.must(err)
			_, err = s.AcceptTask(w.ctx, w.unit(0), sub.lead)
			w.must(err)
			_, err = s.Reply(w.ctx, w.unit(0), sub.lead, reply, nil)
			w.must(err)
			if state == zhengxie.StateReplied {
				return sub
			}
			_, err = s.Feedback(w.ctx, w.member(0), sub.lead, zhengxie.FeedbackSatisfied, "")
			w.must(err)
			_, err = s.Conclude(w.ctx, w.office(), p.ID, "")
			w.must(err)
			if state == zhengxie.StateConcluded {
				return sub
			}
			_, err = s.Archive(w.ctx, w.office(), p.ID)
			w.must(err)
			return sub
		}

		roles := map[string]zhengxie.Actor{
			"proposer": w.member(0), "member": w.member(1), "office": w.office(), "leader": w.f.Actor(w.f.Leader),
			"lead unit": w.unit(0), "co unit": w.unit(1), "stranger unit": w.unit(2), "public": w.public(),
		}
		type action struct {
			name  string
			task  string   // "", "lead" or "co": the task acted on
			who   []string // the roles that may ever take it
			label string   // its Chinese name in a list of allowed actions
			do    func(a zhengxie.Actor, sub subject) error
		}
		actions := []action{
			{"submit", "", []string{"proposer"}, "提交", func(a zhengxie.Actor, sub subject) error { _, err := s.Submit(w.ctx, a, sub.p.ID); return err }},
			{"withdraw", "", []string{"proposer"}, "撤回", func(a zhengxie.Actor, sub subject) error {
				_, err := s.Withdraw(w.ctx, a, sub.p.ID, "")
				return err
			}},
			{"accept", "", []string{"office"}, "立案", func(a zhengxie.Actor, sub subject) error { _, err := s.Accept(w.ctx, a, sub.p.ID, ""); return err }},
			{"reject", "", []string{"office"}, "不予立案", func(a zhengxie.Actor, sub subject) error {
				_, err := s.Reject(w.ctx, a, sub.p.ID, "不属于提案受理范围。")
				return err
			}},
			{"assign", "", []string{"office"}, "交办", func(a zhengxie.Actor, sub subject) error {
				_, err := s.Assign(w.ctx, a, sub.p.ID, []zhengxie.Assignment{w.lead(2)}, "")
				return err
			}},
			{"conclude", "", []string{"office"}, "办结", func(a zhengxie.Actor, sub subject) error { _, err := s.Conclude(w.ctx, a, sub.p.ID, ""); return err }},
			{"publish", "", []string{"office"}, "公开", func(a zhengxie.Actor, sub subject) error { _, err := s.Publish(w.ctx, a, sub.p.ID); return err }},
			{"archive", "", []string{"office"}, "归档", func(a zhengxie.Actor, sub subject) error { _, err := s.Archive(w.ctx, a, sub.p.ID); return err }},
			{"accept_task", "lead", []string{"lead unit"}, "签收", func(a zhengxie.Actor, sub subject) error {
				_, err := s.AcceptTask(w.ctx, a, sub.lead)
				return err
			}},
			{"accept co task", "co", []string{"co unit"}, "签收", func(a zhengxie.Actor, sub subject) error {
				_, err := s.AcceptTask(w.ctx, a, sub.co)
				return err
			}},
			{"return_task", "lead", []string{"lead unit"}, "退回", func(a zhengxie.Actor, sub subject) error {
				_, err := s.ReturnTask(w.ctx, a, sub.lead, "不属于本单位职责。")
				return err
			}},
			{"reply", "lead", []string{"lead unit"}, "答复", func(a zhengxie.Actor, sub subject) error {
				_, err := s.Reply(w.ctx, a, sub.lead, reply, nil)
				return err
			}},
			{"feedback", "lead", []string{"proposer"}, "测评", func(a zhengxie.Actor, sub subject) error {
				_, err := s.Feedback(w.ctx, a, sub.lead, zhengxie.FeedbackBasically, "")
				return err
			}},
			{"release", "lead", []string{"office"}, "准予主办单位先行答复", func(a zhengxie.Actor, sub subject) error {
				_, err := s.ReleaseLead(w.ctx, a, sub.lead, "会办单位已口头同意。")
				return err
			}},
		}
		states := []zhengxie.State{zhengxie.StateUnderReview, zhengxie.StateAccepted, zhengxie.StateHandling,
			zhengxie.StateReplied, zhengxie.StateConcluded, zhengxie.StateArchived}
		tried := map[string]int{}
		for _, st := range states {
			sub := build(st)
			for _, act := range actions {
				if act.task != "" && !sub.hasTaskIDs {
					continue
				}
				for role, a := range roles {
					_, seeErr := s.Proposal(w.ctx, a, sub.p.ID)
					visible := seeErr == nil
					if act.task != "" && a.Role == zhengxie.RoleUnit {
						own := (role == "lead unit" && act.task == "lead") || (role == "co unit" && act.task == "co")
						visible = visible && own
					}
					may := false
					for _, r := range act.who {
						may = may || r == role
					}
					err := act.do(a, sub)
					code := zhengxie.ErrorCode(err)
					what := string(st) + " / " + act.name + " by " + role
					switch {
					case !visible:
						tried["not_found"]++
						if code != zhengxie.ENotFound {
							t.Errorf("%s: got %v, want not_found", what, err)
						}
					case !may:
						tried["forbidden"]++
						if code != zhengxie.EForbidden {
							t.Errorf("%s: got %v, want forbidden", what, err)
						}
					case err == nil:
						tried["done"]++
						sub = build(st) // the action moved it on: start again from the same state
					default:
						tried[code]++
						if code != zhengxie.EIllegal && code != zhengxie.EInvalid {
							t.Errorf("%s: got %v, want illegal_state or invalid", what, err)
						}
					}
					if code == zhengxie.EIllegal {
						msg := zhengxie.ErrorMessage(err)
						if strings.Contains(msg, "已已") {
							t.Errorf("%s: %q", what, msg)
						}
						_, list, _ := strings.Cut(msg, "可以进行的操作：")
						mayLabel := map[string]bool{}
						for _, other := range actions {
							for _, r := range other.who {
								mayLabel[other.label] = mayLabel[other.label] || r == role
							}
						}
						for label, ok := range mayLabel {
							if !ok && strings.Contains(list, "“"+label+"”") {
								t.Errorf("%s: %q lists %s, which %s may never do", what, msg, label, role)
							}
						}
					}
				}
			}
		}
		for _, k := range []string{"not_found", "forbidden", zhengxie.EIllegal, "done"} {
			if tried[k] == 0 {
				t.Errorf("no combination answered %s: %v", k, tried)
			}
		}
	})
}
