package demo

import (
	"context"
	"fmt"
	"time"

	"zhengxie"
	"zhengxie/app"
	"zhengxie/store"
)

// seedSupervision adds what supervision shows to the demo committee: the
// leaders who supervise the units, key proposals with their plans (one of
// them late, one waiting for the chairs' council), an approved and a
// pending extension, a task due in two days, a unit that takes SMS, an
// example webhook subscription, and the reminders, overdue notices and
// escalations the deadline scan sends on the day of the demo. It runs with
// the clock at now; Seed restores the real clock afterwards.
func seedSupervision(ctx context.Context, svc *app.Service, committeeID int64, now time.Time) ([]Login, error) {
	at := func(t time.Time) { svc.Clock = func() time.Time { return t } }
	at(now)
	st := svc.Store
	sys := zhengxie.SystemActor(committeeID)
	leader2 := &zhengxie.User{Username: "leader2", Name: "区政协 陈主席", Role: zhengxie.RoleLeader, Phone: "13800009001", Email: "leader2@demo.zhengxie.local"}
	if err := svc.CreateUser(ctx, sys, leader2, Password); err != nil {
		return nil, err
	}
	one := func(role zhengxie.Role) (zhengxie.Actor, error) {
		us, err := st.Users(ctx, store.UserFilter{CommitteeID: committeeID, Role: role})
		if err != nil || len(us) == 0 {
			return zhengxie.Actor{}, fmt.Errorf("no %s user: %v", role, err)
		}
		return zhengxie.ActorOf(&us[0]), nil
	}
	office, err := one(zhengxie.RoleOffice)
	if err != nil {
		return nil, err
	}
	leader, err := one(zhengxie.RoleLeader)
	if err != nil {
		return nil, err
	}
	admin, err := one(zhengxie.RoleAdmin)
	if err != nil {
		return nil, err
	}
	units, err := st.Units(ctx, committeeID)
	if err != nil {
		return nil, err
	}
	for i, u := range units {
		l := leader.UserID
		if i%2 == 1 {
			l = leader2.ID
		}
		if err := svc.SetUnitLeader(ctx, admin, u.ID, l); err != nil {
			return nil, err
		}
	}
	unitUser := func(i int) (zhengxie.Actor, error) {
		us, err := st.Users(ctx, store.UserFilter{CommitteeID: committeeID, Role: zhengxie.RoleUnit, UnitID: units[i].ID})
		if err != nil || len(us) == 0 {
			return zhengxie.Actor{}, fmt.Errorf("no user of %s: %v", units[i].Name, err)
		}
		return zhengxie.ActorOf(&us[0]), nil
	}
	ps, _, err := st.Proposals(ctx, store.ProposalFilter{Viewer: sys, Limit: 200})
	if err != nil {
		return nil, err
	}
	byTopic := func(i int) *zhengxie.Proposal {
		for k := range ps {
			if ps[k].Title == topics[i].Title {
				return &ps[k]
			}
		}
		return nil
	}
	p3, p5, p6, p15, p17 := byTopic(3), byTopic(5), byTopic(6), byTopic(15), byTopic(17)
	if p3 == nil || p5 == nil || p6 == nil || p15 == nil || p17 == nil {
		return nil, fmt.Errorf("demo proposals not found")
	}
	today := zhengxie.DateOf(now, zhengxie.ChinaTime())

	// Two proposals accepted earlier are assigned now: one the usual way,
	// one ten days ago with a deadline two days from today.
	if _, err := svc.Assign(ctx, office, p6.ID, []zhengxie.Assignment{{UnitID: units[topics[6].Unit].ID, Kind: zhengxie.TaskLead},
		{UnitID: units[topics[6].Co].ID, Kind: zhengxie.TaskCo}}, ""); err != nil {
		return nil, err
	}
	at(now.AddDate(0, 0, -10))
	if _, err := svc.Assign(ctx, office, p15.ID, []zhengxie.Assignment{{UnitID: units[topics[15].Unit].ID, Kind: zhengxie.TaskLead,
		Due: today.AddDays(2).String()}}, "食品安全事项时效性强，请从速办理。"); err != nil {
		return nil, err
	}
	at(now)

	// Extensions: one approved (the task is no longer overdue), one waiting.
	rules, _ := svc.Deadlines(ctx, committeeID)
	extend := func(p *zhengxie.Proposal, unit int, reason string, approve bool) error {
		ts, err := st.Tasks(ctx, p.ID)
		if err != nil || len(ts) == 0 {
			return fmt.Errorf("tasks of %s: %v", p.Title, err)
		}
		t := ts[0]
		limit := zhengxie.ExtensionLimit(rules, zhengxie.DateOf(t.AssignedAt, zhengxie.ChinaTime()))
		if !limit.After(today) {
			return nil // the demo runs long after its stories: nothing left to extend
		}
		u, err := unitUser(unit)
		if err != nil {
			return err
		}
		e, err := svc.RequestExtension(ctx, u, t.ID, limit.String(), reason)
		if err != nil || !approve {
			return err
		}
		_, err = svc.DecideExtension(ctx, office, e.ID, true, "同意延期，请抓紧办理并及时与提案者沟通。")
		return err
	}
	if err := extend(p3, topics[3].Unit, "本提案涉及医学检验机构的跨部门监管，需会同市场监管部门开展专项检查后再作答复。", true); err != nil {
		return nil, err
	}
	if err := extend(p5, topics[5].Unit, "书香街区改造方案正在征求街道和商户意见，预计下月定稿，申请延期答复。", false); err != nil {
		return nil, err
	}

	// Key proposals: two approved with plans, one waiting for the council.
	k6, err := svc.ProposeKey(ctx, office, p6.ID, leader.UserID, "碳达峰行动涉及全区产业结构调整，社会关注度高，建议由区政协领导领衔督办。")
	if err != nil {
		return nil, err
	}
	k17, err := svc.ProposeKey(ctx, office, p17.ID, leader2.ID, "夜间经济关系民生和营商环境，提案者对首次答复不满意，需重点跟进。")
	if err != nil {
		return nil, err
	}
	if _, err := svc.ProposeKey(ctx, office, p3.ID, 0, "第三方医学检验行业监管涉及多个部门，建议列为重点提案。"); err != nil {
		return nil, err
	}
	if _, err := svc.DecideKeys(ctx, leader, []int64{k6.ID, k17.ID}, true, "同意列为年度重点提案。"); err != nil {
		return nil, err
	}
	steps := []struct {
		key         int64
		kind, title string
		days        int
		done        string
	}{
		{k17.ID, "座谈", "召开夜间经济规范发展专题座谈会", -25, "区商务局、区文化广电旅游体育局和三个街道参加，形成问题清单十二项。"},
		{k17.ID, "视察", "视察重点夜间消费街区的噪声和停车管理", -6, ""},
		{k17.ID, "面商", "与提案者面商重新办理方案", 10, ""},
		{k6.ID, "调研", "赴重点用能企业调研节能降碳情况", 5, ""},
		{k6.ID, "座谈", "召开碳达峰行动方案专题协商座谈会", 30, ""},
	}
	for _, s := range steps {
		step, err := svc.AddKeyStep(ctx, office, s.key, s.kind, s.title, today.AddDays(s.days).String())
		if err != nil {
			return nil, err
		}
		if s.done != "" {
			if err := svc.CompleteKeyStep(ctx, office, s.key, step.ID, today.AddDays(s.days).String(), s.done); err != nil {
				return nil, err
			}
		}
	}
	if err := svc.AddKeyNote(ctx, leader, k6.ID, "已听取区生态环境分局关于碳达峰行动方案编制情况的汇报，要求在调研基础上细化重点行业措施。"); err != nil {
		return nil, err
	}

	// A unit that wants SMS as well, and an integration to look at.
	swj, err := unitUser(13)
	if err != nil {
		return nil, err
	}
	if err := svc.SaveNotifySettings(ctx, swj, "unit-swj@demo.zhengxie.local", "13800000123", true, true); err != nil {
		return nil, err
	}
	if err := svc.SaveWebhook(ctx, admin, &store.WebhookSubscription{Name: "区政协门户网站（示例，未启用）", URL: "https://www.example.gov.cn/zhengxie/webhook",
		Events: []string{"proposal.published", "proposal.concluded", "key_proposal.approved"}}); err != nil {
		return nil, err
	}

	// What the deadline scan sends today.
	if _, err := svc.ScanDeadlines(ctx); err != nil {
		return nil, err
	}
	return []Login{{leader2.Username, leader2.Name, zhengxie.RoleName(zhengxie.RoleLeader)}}, nil
}
