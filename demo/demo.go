// Package demo fills an empty database with a demonstration district
// committee: people of every role, handling units and proposals in every
// state of the lifecycle, all written by the Zhengxie team.
package demo

import (
	"context"
	"fmt"
	"strings"
	"time"

	"zhengxie"
	"zhengxie/app"
	"zhengxie/store"
)

// Password of every demo account.
const Password = "demo2026"

// Login is one demo account to print.
type Login struct {
	Username, Name, Role string
}

var unitNames = []string{"区发展和改革局", "区教育局", "区科学技术局", "区工业和信息化局", "区公安分局", "区民政局", "区财政局",
	"区人力资源和社会保障局", "区规划和自然资源分局", "区生态环境分局", "区住房和城乡建设局", "区交通运输局", "区农业农村局",
	"区商务局", "区文化广电旅游体育局", "区卫生健康局", "区应急管理局", "区市场监督管理局"}

var unitCodes = []string{"fgj", "jyj", "kjj", "gxj", "gaj", "mzj", "czj", "rsj", "ghj", "sthj", "zjj", "jtj", "nyj", "swj", "wgl", "wjj", "yjj", "scj"}

var sectors = []string{"中共", "民革", "民盟", "民建", "民进", "农工党", "致公党", "九三学社", "无党派人士", "共青团", "工会", "妇联",
	"工商联", "科技界", "经济界", "农业界", "教育界", "文化艺术界", "医药卫生界", "体育界", "新闻出版界", "社会福利和社会保障界"}

var surnames = []string{"陈", "林", "黄", "李", "张", "王", "刘", "吴", "周", "郑", "梁", "何", "罗", "谢", "冯", "邓", "曾", "彭", "许", "苏"}
var given = []string{"建华", "晓明", "丽娟", "志强", "海燕", "文杰", "秀英", "国平", "嘉欣", "伟东", "慧敏", "振宇", "雪梅", "子轩", "永红", "思远", "春燕", "立新", "佩玲", "俊杰"}

// Seeded reports whether the database already holds a committee.
func Seeded(ctx context.Context, st *store.Store) (bool, error) {
	cs, err := st.Committees(ctx)
	return len(cs) > 0, err
}

// Seed creates the demo committee and walks its proposals through the
// lifecycle. It moves the service's clock back in time while it works so
// that deadlines fall in the past where the story needs them, and restores it.
func Seed(ctx context.Context, svc *app.Service) ([]Login, error) {
	realClock := svc.Clock
	defer func() { svc.Clock = realClock }()
	now := realClock()
	at := func(daysAgo int) { svc.Clock = func() time.Time { return now.AddDate(0, 0, -daysAgo) } }
	at(200)

	c := &zhengxie.Committee{Code: "demo", Name: "政协示范区委员会", Level: zhengxie.LevelDistrict}
	var units []*zhengxie.Unit
	err := svc.Store.InTx(ctx, func(tx *store.Tx) error {
		if err := tx.CreateCommittee(c); err != nil {
			return err
		}
		year := now.Year()
		for i, name := range []string{"二届一次会议", "二届二次会议", "二届三次会议"} {
			se := &zhengxie.Session{CommitteeID: c.ID, Term: 2, Number: i + 1, Name: name, Year: year - 2 + i, Current: i == 2}
			if err := tx.CreateSession(se); err != nil {
				return err
			}
		}
		for _, n := range sectors {
			if err := tx.CreateSector(&zhengxie.Sector{CommitteeID: c.ID, Name: n}); err != nil {
				return err
			}
		}
		for _, n := range unitNames {
			u := &zhengxie.Unit{CommitteeID: c.ID, Name: n}
			if err := tx.CreateUnit(u); err != nil {
				return err
			}
			units = append(units, u)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	sys := zhengxie.SystemActor(c.ID)
	var logins []Login
	made := 0 // every account gets its own phone number, shown or not
	mk := func(username, name string, role zhengxie.Role, unit int64, show bool) (*zhengxie.User, error) {
		made++
		u := &zhengxie.User{Username: username, Name: name, Role: role, UnitID: unit,
			Phone: fmt.Sprintf("1380000%04d", made), Email: username + "@demo.zhengxie.local"}
		if err := svc.CreateUser(ctx, sys, u, Password); err != nil {
			return nil, fmt.Errorf("user %s: %w", username, err)
		}
		if show {
			logins = append(logins, Login{username, name, zhengxie.RoleName(role)})
		}
		return u, nil
	}
	office, err := mk("office", "提案委员会 王科长", zhengxie.RoleOffice, 0, true)
	if err != nil {
		return nil, err
	}
	if _, err := mk("leader", "区政协 李副主席", zhengxie.RoleLeader, 0, true); err != nil {
		return nil, err
	}
	if _, err := mk("admin", "系统管理员", zhengxie.RoleAdmin, 0, true); err != nil {
		return nil, err
	}
	var members []*zhengxie.User
	for i := 0; i < 40; i++ {
		name := surnames[i%len(surnames)] + given[(i*7+i/len(surnames))%len(given)]
		u, err := mk(fmt.Sprintf("member%02d", i+1), name, zhengxie.RoleMember, 0, i < 2)
		if err != nil {
			return nil, err
		}
		members = append(members, u)
	}
	unitUsers := map[int]*zhengxie.User{}
	for i, u := range units {
		uu, err := mk("unit-"+unitCodes[i], u.Name+"经办人", zhengxie.RoleUnit, u.ID, i == 11 || i == 4)
		if err != nil {
			return nil, err
		}
		unitUsers[i] = uu
	}
	orgLogins, org, err := seedOrg(ctx, svc, c.ID, members)
	if err != nil {
		return nil, fmt.Errorf("demo organisation: %w", err)
	}
	logins = append(logins, orgLogins...)
	w := &walker{ctx: ctx, svc: svc, office: zhengxie.ActorOf(office), units: units, unitUsers: unitUsers, at: at}
	for i, t := range topics {
		lead := members[(i*3)%len(members)]
		var cos []int64
		if i%3 == 0 {
			cos = []int64{members[(i*3+1)%len(members)].ID, members[(i*3+2)%len(members)].ID}
		}
		if err := w.story(i, t, lead, cos); err != nil {
			return nil, fmt.Errorf("demo proposal %d (%s): %w", i, t.Title, err)
		}
	}
	more, err := seedSupervision(ctx, svc, c.ID, now)
	if err != nil {
		return nil, fmt.Errorf("demo supervision: %w", err)
	}
	logins = append(logins, more...)
	if err := seedDuty(ctx, svc, c.ID, now, members, office, org); err != nil {
		return nil, fmt.Errorf("demo duty: %w", err)
	}
	if err := seedContact(ctx, svc, c.ID, now, members, office, org, units, unitUsers); err != nil {
		return nil, fmt.Errorf("demo contact: %w", err)
	}
	if err := seedTopic(ctx, svc, now, members, office, units, unitUsers); err != nil {
		return nil, fmt.Errorf("demo topic orders: %w", err)
	}
	return logins, nil
}

type walker struct {
	ctx       context.Context
	svc       *app.Service
	office    zhengxie.Actor
	units     []*zhengxie.Unit
	unitUsers map[int]*zhengxie.User
	at        func(daysAgo int)
	merged    int64
}

func body(t topic) string {
	var b strings.Builder
	b.WriteString("调研情况：" + t.Research + "\n问题分析：" + t.Analysis + "\n具体建议：")
	nums := []string{"一是", "二是", "三是", "四是", "五是"}
	for i, a := range t.Advice {
		b.WriteString(nums[i] + a)
	}
	return b.String()
}

// story walks topic i to the state its place in the list gives it.
func (w *walker) story(i int, t topic, lead *zhengxie.User, cos []int64) error {
	ctx, s := w.ctx, w.svc
	me := zhengxie.ActorOf(lead)
	kind := zhengxie.KindIndividual
	if len(cos) > 0 {
		kind = zhengxie.KindJoint
	}
	d := zhengxie.Draft{Title: t.Title, Body: body(t), Category: t.Category, Kind: kind, Cosigners: cos}
	if i == 7 {
		d.Kind, d.BodyName, d.Cosigners = zhengxie.KindBody, "民建区委会", nil
	}
	// How long ago the story starts: older stories are further along.
	w.at(190 - i*5)
	p, err := s.CreateDraft(ctx, me, d)
	if err != nil || i == 11 {
		return err
	}
	if _, err := s.Submit(ctx, me, p.ID); err != nil {
		return err
	}
	for _, uid := range d.Cosigners {
		if i == 10 {
			break // still waiting for its co-signers
		}
		if _, err := s.Cosign(ctx, zhengxie.Actor{UserID: uid, CommitteeID: p.CommitteeID, Role: zhengxie.RoleMember, Name: "附议委员"}, p.ID, true); err != nil {
			return err
		}
	}
	switch i {
	case 10, 7, 8:
		return nil
	case 16:
		_, err := s.Withdraw(ctx, me, p.ID, "拟进一步调研后再提交")
		return err
	case 12:
		_, err := s.Reject(ctx, w.office, p.ID, "所提事项属于具体个案诉求，建议通过信访渠道反映。")
		return err
	case 14:
		_, err := s.Convert(ctx, w.office, p.ID, "建议内容较为具体，转为意见建议交有关部门参考。")
		return err
	}
	if i == 13 {
		if w.merged == 0 {
			return nil
		}
		_, err := s.Merge(ctx, w.office, p.ID, w.merged, "两件提案内容相近")
		return err
	}
	if _, err := s.Accept(ctx, w.office, p.ID, ""); err != nil {
		return err
	}
	if i == 6 || i == 15 {
		if i == 6 {
			w.merged = p.ID
		}
		return nil
	}
	as := []zhengxie.Assignment{{UnitID: w.units[t.Unit].ID, Kind: zhengxie.TaskLead}}
	if t.Co >= 0 {
		as = append(as, zhengxie.Assignment{UnitID: w.units[t.Co].ID, Kind: zhengxie.TaskCo})
	}
	if _, err := s.Assign(ctx, w.office, p.ID, as, ""); err != nil {
		return err
	}
	ts, err := s.Store.Tasks(ctx, p.ID)
	if err != nil {
		return err
	}
	leadUser := zhengxie.ActorOf(w.unitUsers[t.Unit])
	leadTask := ts[0].ID
	if i == 4 {
		return nil // pending and overdue
	}
	if i == 9 {
		_, err := s.ReturnTask(ctx, leadUser, leadTask, "该事项主要职责不在我单位，建议改由区住房和城乡建设局主办。")
		return err
	}
	if _, err := s.AcceptTask(ctx, leadUser, leadTask); err != nil {
		return err
	}
	if t.Co >= 0 {
		coUser := zhengxie.ActorOf(w.unitUsers[t.Co])
		if _, err := s.AcceptTask(ctx, coUser, ts[1].ID); err != nil {
			return err
		}
		if _, err := s.Reply(ctx, coUser, ts[1].ID, zhengxie.Reply{Text: "我单位同意主办单位的办理意见，将在职责范围内配合推进。"}, nil); err != nil {
			return err
		}
	}
	if i == 5 {
		return nil // accepted and overdue
	}
	today := zhengxie.DateOf(s.Clock(), zhengxie.ChinaTime()).String()
	if _, err := s.RecordContact(ctx, leadUser, leadTask, "面商", today, "与提案人当面沟通了办理思路和时间安排。"); err != nil {
		return err
	}
	if i == 3 {
		return nil
	}
	w.at(100 - i*3)
	reply := "尊敬的委员：您提出的《" + t.Title + "》收悉。我单位高度重视，经认真研究，现答复如下：" + t.Advice[0] + "目前已纳入年度工作计划，正在组织实施。感谢您对我区工作的关心和支持。"
	class := []string{"A", "B", "B", "A"}[i%4]
	if _, err := s.Reply(ctx, leadUser, leadTask, zhengxie.Reply{ResultClass: class, Text: reply}, nil); err != nil {
		return err
	}
	if i == 2 {
		return nil
	}
	if i == 17 {
		_, err := s.Feedback(ctx, me, leadTask, zhengxie.FeedbackUnsatisfied, "答复未明确实施时间表，希望进一步细化。")
		return err
	}
	fb := []string{zhengxie.FeedbackSatisfied, zhengxie.FeedbackBasically}[i%2]
	if _, err := s.Feedback(ctx, me, leadTask, fb, "感谢承办单位的认真办理。"); err != nil {
		return err
	}
	if i == 1 || i == 0 {
		if _, err := s.Conclude(ctx, w.office, p.ID, ""); err != nil {
			return err
		}
		if _, err := s.Publish(ctx, w.office, p.ID); err != nil {
			return err
		}
	}
	if i == 0 {
		_, err := s.Archive(ctx, w.office, p.ID)
		return err
	}
	return nil
}
