package demo

import (
	"context"
	"fmt"
	"time"

	"zhengxie"
	"zhengxie/app"
)

// The demo committee's topic orders (订单式提案): a dozen subjects the
// district's departments want advice on, in every state of the flow — one
// still a draft, one waiting for review, one returned, published ones
// claimed alone, jointly and for a sector, one with a joint study agreed,
// one whose proposal was accepted and answered with class A (采纳), one
// withdrawn and one closed after its deadline. Every text here is our own.
// (demo/topics.go is something else: the search key terms of proposals.)

type demoOrder struct {
	unit             int // index into unitNames
	title, bg, needs string
	contact, phone   string
	deadline         int    // days from now (negative: past)
	end              string // draft, pending, returned, published, claimed, joint, sector, study, adopted, withdrawn, closed
}

var demoOrders = []demoOrder{
	{15, "社区嵌入式养老服务站如何在老旧小区落地", "全区60岁以上户籍老人占比已超过两成，老旧小区内缺少可用房屋，现有养老服务站点多集中在新建小区。",
		"希望委员就老旧小区养老服务站的用房来源、运营补贴和医养结合方式提出可操作的建议。", "卫健局老龄健康科 赵科长", "020-83001501", 60, "adopted"},
	{11, "中心城区早晚高峰公交准点率提升", "早晚高峰主干道公交车平均时速不足15公里，乘客反映等车时间长、换乘不便。",
		"希望委员就公交专用道布局、线网优化和地铁接驳提出建议。", "交通运输局公交科 钱科长", "020-83001101", 45, "study"},
	{1, "义务教育阶段课后服务质量提升", "全区中小学已普遍开展课后服务，但内容以作业辅导为主，家长希望增加体育、艺术和科技类活动。",
		"希望委员就引入社会资源、保障教师待遇和评价课后服务质量提出建议。", "教育局基础教育科 孙科长", "020-83000201", 40, "joint"},
	{12, "高标准农田建成后的管护机制", "近三年新建高标准农田四万余亩，部分地块出现沟渠淤塞、机耕路损坏，管护责任不清。",
		"希望委员就管护资金来源、村集体和种植大户的责任分工提出建议。", "农业农村局农田建设科 李科长", "020-83001201", 50, "sector"},
	{10, "城中村消防安全隐患整治", "城中村出租屋密集，电动自行车室内充电、通道堵塞等隐患反复出现。",
		"希望委员就集中充电设施建设、出租屋分级管理和群防群治提出建议。", "住建局城中村改造科 周科长", "020-83001001", 30, "claimed"},
	{13, "夜间经济街区的规范与培育", "区内三条夜市街区客流回升，但噪音、油烟和占道问题投诉较多。",
		"希望委员就夜间经济街区的准入标准、错时管理和配套停车提出建议。", "商务局商贸科 吴科长", "020-83001301", 35, "published"},
	{9, "城东涌黑臭水体治理后的长效管护", "城东涌经整治已消除黑臭，但雨季溢流和沿岸垃圾仍会造成水质反复。",
		"希望委员就雨污分流改造、河长巡查和群众参与提出建议。", "生态环境分局水环境科 郑科长", "020-83000901", 55, "published"},
	{3, "中小制造企业数字化转型的难点", "区内规模以上制造企业数字化改造比例不足三成，中小企业普遍反映“不会转、不敢转”。",
		"希望委员就诊断服务、改造补贴和人才培养提出建议。", "工信局产业科 王科长", "020-83000301", 70, "pending"},
	{7, "灵活就业人员参加社会保险", "快递、网约车等灵活就业人员增长较快，参保率偏低，部分人员对政策不了解。",
		"希望委员就参保宣传、缴费方式和职业伤害保障提出建议。", "人社局社保科 冯科长", "020-83000701", 65, "returned"},
	{14, "乡村文化旅游精品线路打造", "西湖镇古村落和农业园区资源丰富，但游客停留时间短、消费少。",
		"希望委员就线路串联、民宿规范和文化活动策划提出建议。", "文广旅体局旅游科 陈科长", "020-83001401", 80, "draft"},
	{16, "老旧工业厂房安全生产隐患排查", "部分老旧厂房改作仓储和小作坊使用，存在违规用电和消防通道不畅等问题。",
		"希望委员就排查机制和改造引导提出建议。", "应急管理局 何科长", "020-83001601", 30, "withdrawn"},
	{17, "校园周边食品安全监管", "校园周边小餐饮、流动摊贩较多，学生饮食安全受到家长关注。",
		"希望委员就校园周边食品经营准入、快检和社会监督提出建议。", "市场监管局食品科 林科长", "020-83001701", -10, "closed"},
}

// seedTopic fills the topic orders of the demo committee.
func seedTopic(ctx context.Context, svc *app.Service, now time.Time, members []*zhengxie.User, office *zhengxie.User, units []*zhengxie.Unit,
	unitUsers map[int]*zhengxie.User) error {
	at := func(daysAgo int) { svc.Clock = func() time.Time { return now.AddDate(0, 0, -daysAgo) } }
	off := zhengxie.ActorOf(office)
	day := func(d int) string { return zhengxie.DateOf(now.AddDate(0, 0, d), zhengxie.ChinaTime()).String() }
	sectors, err := svc.Store.Sectors(ctx, office.CommitteeID)
	if err != nil {
		return err
	}
	for i, d := range demoOrders {
		at(40 - i)
		poster := zhengxie.ActorOf(unitUsers[d.unit])
		in := app.TopicInput{Title: d.title, Background: d.bg, Needs: d.needs, Deadline: day(d.deadline), ContactName: d.contact, ContactPhone: d.phone}
		if d.end == "pending" {
			poster, in.UnitID = off, units[d.unit].ID // the office posts for the department
		}
		o, err := svc.PostTopic(ctx, poster, in)
		if err != nil {
			return fmt.Errorf("order %q: %w", d.title, err)
		}
		step := func(a zhengxie.TopicAction, who zhengxie.Actor, reason string) error {
			_, err := svc.TopicAct(ctx, who, o.ID, a, app.TopicActInput{Reason: reason})
			return err
		}
		if d.end == "draft" {
			continue
		}
		if err := step(zhengxie.TopicActSubmit, poster, ""); err != nil {
			return fmt.Errorf("order %q: %w", d.title, err)
		}
		switch d.end {
		case "pending":
			continue
		case "returned":
			if err := step(zhengxie.TopicActReturn, off, "请把“需求”写得更具体：希望委员重点研究哪一类灵活就业人员、哪些环节。"); err != nil {
				return err
			}
			continue
		}
		at(38 - i)
		if err := step(zhengxie.TopicActPublish, off, ""); err != nil {
			return fmt.Errorf("order %q: %w", d.title, err)
		}
		m := func(k int) zhengxie.Actor { return zhengxie.ActorOf(members[(i*5+k)%len(members)]) }
		switch d.end {
		case "withdrawn":
			err = step(zhengxie.TopicActWithdraw, poster, "")
		case "closed":
			at(0) // after the deadline
			err = step(zhengxie.TopicActClose, off, "征集期内无委员认领，已转交相关专门委员会研究。")
		case "claimed":
			_, err = svc.ClaimTopic(ctx, m(0), o.ID, app.ClaimInput{Note: "拟结合所在街道的出租屋管理工作开展调研。"})
		case "joint":
			_, err = svc.ClaimTopic(ctx, m(0), o.ID, app.ClaimInput{Kind: zhengxie.ClaimJoint, MemberIDs: []int64{m(1).UserID, m(2).UserID}})
			if err == nil {
				_, err = svc.ClaimTopic(ctx, m(3), o.ID, app.ClaimInput{Note: "从家长角度提出建议。"})
			}
		case "sector":
			_, err = svc.ClaimTopic(ctx, m(0), o.ID, app.ClaimInput{Kind: zhengxie.ClaimSector, SectorID: sectors[len(sectors)/2].ID, MemberIDs: []int64{m(1).UserID}})
		case "study":
			if _, err = svc.ClaimTopic(ctx, m(0), o.ID, app.ClaimInput{}); err == nil {
				var st *zhengxie.TopicStudy
				if st, err = svc.RequestStudy(ctx, m(0), o.ID, "希望与公交科一同乘坐三条主干线，在早高峰实地了解站点和换乘情况。"); err == nil {
					at(30 - i)
					_, err = svc.AnswerStudy(ctx, poster, o.ID, st.ID, app.StudyAnswer{Accept: true, Date: day(7), Note: "请于当日7时在区交通运输局一楼集合。"})
				}
			}
		case "adopted":
			err = adoptedOrder(ctx, svc, at, off, poster, m(0), o, units[d.unit], unitUsers[d.unit])
		}
		if err != nil {
			return fmt.Errorf("order %q: %w", d.title, err)
		}
	}
	return nil
}

// adoptedOrder walks an order's proposal from the claim to a class A reply.
func adoptedOrder(ctx context.Context, svc *app.Service, at func(int), off, poster, member zhengxie.Actor, o *zhengxie.TopicOrder, unit *zhengxie.Unit,
	unitUser *zhengxie.User) error {
	if _, err := svc.ClaimTopic(ctx, member, o.ID, app.ClaimInput{Note: "本人长期关注社区养老，已走访五个老旧小区。"}); err != nil {
		return err
	}
	at(34)
	p, err := svc.CreateDraftFromTopic(ctx, member, o.ID, zhengxie.Draft{Title: "关于在老旧小区推进嵌入式养老服务站建设的建议", Category: "社会事业",
		Body: "调研情况：走访五个老旧小区发现，老人就近养老需求强烈，但小区内缺少可用房屋，已建站点运营依赖补贴。\n" +
			"问题分析：闲置公房底数不清，站点运营收支难以平衡，医疗服务未能进站。\n" +
			"具体建议：一是摸清辖区闲置公房和配套用房，优先用于养老服务站；二是按服务人次给予运营补贴；三是推动社区卫生服务中心医生定期进站。"})
	if err != nil {
		return err
	}
	if _, err := svc.Submit(ctx, member, p.ID); err != nil {
		return err
	}
	at(32)
	if _, err := svc.Accept(ctx, off, p.ID, ""); err != nil {
		return err
	}
	if _, err := svc.Assign(ctx, off, p.ID, nil, "订单式提案，由提出需求的区卫生健康局主办。"); err != nil {
		return err
	}
	ts, err := svc.Store.Tasks(ctx, p.ID)
	if err != nil || len(ts) == 0 {
		return fmt.Errorf("no task for the order's proposal (%v)", err)
	}
	u := zhengxie.ActorOf(unitUser)
	at(30)
	if _, err := svc.AcceptTask(ctx, u, ts[0].ID); err != nil {
		return err
	}
	if _, err := svc.RecordContact(ctx, u, ts[0].ID, "面商", zhengxie.DateOf(svc.Clock(), zhengxie.ChinaTime()).String(), "与提案人当面商量站点选址。"); err != nil {
		return err
	}
	at(20)
	_, err = svc.Reply(ctx, u, ts[0].ID, zhengxie.Reply{ResultClass: "A",
		Text: unit.Name + "经研究采纳建议：已梳理出七处闲置公房，年内建成三个嵌入式养老服务站，并由社区卫生服务中心每周派医生进站。"}, nil)
	return err
}
