package demo

import (
	"context"
	"fmt"
	"time"

	"zhengxie"
	"zhengxie/app"
)

// The demo committee's contact with the people: reception days at the
// stations and the studio (held and coming), citizens' matters in every
// state of the flow, messages from the public box (one answered and
// published), opinion reports at every step, adopted at several levels,
// and an issue of 《社情民意》. Every text here is our own.

type demoMatter struct {
	title, body, category, name, phone string
	unit                               int    // index into unitNames, -1: answered by the station
	answer                             string // the unit's or the station's answer
	end                                string // where the story stops: received, forwarded, handling, answered, settled, disputed, closed, report, draft
}

var demoMatters = []demoMatter{
	{"文明路人行道地砖松动", "文明路东段人行道有十多块地砖松动，下雨后踩上去泥水四溅，老人容易滑倒，希望尽快修补。", "城乡建设", "郑阿姨", "13700001001", 10,
		"经现场查看，已安排养护单位对文明路东段松动地砖全部重新铺设，并对排水不畅处加装了盲沟。", "settled"},
	{"小区周边夜间施工噪音扰民", "城东花园旁的工地经常晚上十一点后还在施工，噪音很大，影响居民休息，多次反映没有改善。", "环境保护", "林先生", "13700001002", 9,
		"已约谈施工单位，明确夜间22时后禁止高噪声作业；执法人员将不定时夜查，居民可随时拨打执法热线。", "answered"},
	{"学校门口上下学时段交通拥堵", "城东小学门口每天上下学时段车辆乱停，接送学生的家长和过往车辆堵成一团，存在安全隐患。", "交通运输", "黄女士", "13700001003", 11, "", "handling"},
	{"老旧小区加装电梯审批慢", "我们小区是九十年代的老楼，居民都同意加装电梯，但是申请材料交上去两个月了还没有回音。", "城乡建设", "周先生", "13700001004", 10, "", "forwarded"},
	{"社区卫生服务站药品不全", "西湖镇社区卫生服务站常用的降压药经常缺货，老人要跑到区医院去开药，很不方便。", "卫生计生", "吴大爷", "13700001005", 15,
		"已协调医药配送企业将该服务站常用慢性病药品纳入优先配送目录，每周补货两次。", "disputed"},
	{"农贸市场周边占道经营", "西湖镇农贸市场周边每天早上都有摊贩占道经营，车辆和行人都过不去，环境卫生也差。", "商贸旅游", "", "", -1, "", "report"},
	{"农村留守老人助餐服务不足", "村里留守老人多，很多老人吃饭凑合，希望像城里社区一样办长者饭堂。", "劳动和社会保障", "陈大姐", "13700001007", -1, "", "draft"},
	{"公园健身器材损坏", "滨江公园的几台健身器材坏了半年，螺丝都掉了，孩子在上面玩很危险。", "教育文体", "何先生", "13700001008", -1,
		"已联系公园管理处，损坏的健身器材已于本周拆除更换，管理处将每月巡检一次。", "closed"},
	{"楼道堆放杂物存在消防隐患", "我住的楼栋楼道里堆满了旧家具和纸箱，万一着火人都下不来，物业一直不管。", "城乡建设", "刘女士", "13700001009", -1, "", "received"},
}

var demoMessages = []struct{ title, body, name, phone string }{
	{"公交站台缺少遮阳棚", "西湖大道公交站夏天没有任何遮挡，等车的人只能站在太阳底下晒，希望加装遮阳棚和座椅。", "许同学", "13700002001"},
	{"建议增设社区儿童阅览角", "社区里小朋友放学后没地方看书写作业，希望党群服务中心能开设一个儿童阅览角。", "", ""},
	{"河道漂浮垃圾较多", "城东涌靠近菜市场的一段河面经常漂着塑料袋和泡沫盒，气味难闻，希望加强清理。", "梁先生", "13700002003"},
}

var demoReports = []struct {
	title, body, sources string
	level                string // adopted at this level ("" not adopted)
	place                string
	instruct             string
	end                  string // submitted, rejected, compiled, adopted
}{
	{"关于加快老旧小区加装电梯审批的建议",
		"近年来我区老旧小区居民加装电梯意愿强烈，但在实际推进中，审批涉及规划、住建、市场监管等多个部门，材料要求不统一，平均审批周期超过三个月；" +
			"低层住户补偿缺少参照标准，协商难以达成一致；维保责任主体不明确，居民担心后期费用。建议：一是由区住建局牵头设立加装电梯“一站式”受理窗口，压缩审批时限至三十个工作日以内；" +
			"二是制定低层住户补偿参考指引；三是明确产权人为维保责任主体，探索“电梯+保险”模式。", "城东街道委员联络站接访、走访三个小区",
		"provincial", "省政协办公厅《社情民意》", "请区住建局会同规划分局认真研究，一个月内拿出优化审批流程的具体方案。", "adopted"},
	{"关于在农村推广长者饭堂的建议",
		"我区农村留守老人约一千二百人，其中独居老人占三成。调研发现，不少老人一日三餐简单凑合，营养不良问题突出。城市社区长者饭堂运行良好，但尚未覆盖农村。" +
			"建议：一是依托村党群服务中心和闲置村小建设农村长者饭堂；二是采取“政府补一点、村集体出一点、老人付一点”的方式保障运营；三是引导乡贤和志愿者参与送餐服务。", "西湖镇委员联络站接访",
		"city", "市政协办公厅《社情民意》第12期", "", "adopted"},
	{"关于规范农贸市场周边经营秩序的建议",
		"西湖镇农贸市场周边长期存在占道经营现象，早市时段尤为严重，既影响交通，又造成环境脏乱。原因在于市场内摊位租金偏高，部分菜农转向路边摆卖。" +
			"建议：一是在市场内划出免费的农户自产自销区；二是错时开放周边空地作为临时早市；三是加强城管与市场管理方的联合巡查。", "群众留言",
		"district", "区委办公室《每日要情》", "", "adopted"},
	{"关于加强校园周边交通秩序管理的建议",
		"每天上下学高峰时段，城东小学等多所学校门口接送车辆乱停乱放，家长、学生和过往车辆混行，存在安全隐患。建议在学校周边设置临时停车接送区，高峰时段安排交警和志愿者疏导，并推广错峰放学。", "接访",
		"", "", "", "compiled"},
	{"关于社区活动场地不足的情况反映",
		"多个社区反映居民文体活动场地不足，广场舞、太极拳等活动只能在停车场进行，与车辆争抢空间。建议盘活辖区闲置用地和学校体育场地，分时段向居民开放。", "走访",
		"", "", "", "submitted"},
	{"关于某小区物业费上涨的情况反映",
		"有居民反映小区物业费上涨幅度较大，业主委员会与物业公司协商未果。该事项属于业主与物业之间的民事纠纷，已有相应的协商和调解渠道。", "群众来电",
		"", "", "", "rejected"},
}

// seedContact fills the contact module of the demo committee.
func seedContact(ctx context.Context, svc *app.Service, committeeID int64, now time.Time, members []*zhengxie.User, office *zhengxie.User,
	org *orgSeed, units []*zhengxie.Unit, unitUsers map[int]*zhengxie.User) error {
	at := func(daysAgo int) { svc.Clock = func() time.Time { return now.AddDate(0, 0, -daysAgo) } }
	off := zhengxie.ActorOf(office)
	staff := zhengxie.ActorOf(org.staff)
	loc := zhengxie.ChinaTime()
	day := func(daysAgo int) zhengxie.Date { return zhengxie.DateOf(now.AddDate(0, 0, -daysAgo), loc) }
	schedule := func(daysAgo int, st *zhengxie.Station, who []*zhengxie.User, topic string) (*zhengxie.Reception, error) {
		a := off
		if st.ID == org.stations[0].ID {
			a = staff
		}
		r := &zhengxie.Reception{StationID: st.ID, Day: day(daysAgo), Start: "09:00", End: "11:30", Place: st.Address, Topic: topic}
		for _, m := range who {
			r.MemberIDs = append(r.MemberIDs, m.ID)
		}
		at(daysAgo + 7)
		if err := svc.ScheduleReception(ctx, a, r); err != nil {
			return nil, fmt.Errorf("reception at %s: %w", st.Name, err)
		}
		return r, nil
	}
	east, west, studio := org.stations[0], org.stations[1], org.stations[2]
	r1, err := schedule(40, east, []*zhengxie.User{members[0], members[2]}, "城市更新与老旧小区改造")
	if err != nil {
		return err
	}
	r2, err := schedule(25, west, []*zhengxie.User{members[1], members[3]}, "协商进社区：乡村养老")
	if err != nil {
		return err
	}
	r3, err := schedule(18, studio, []*zhengxie.User{members[5]}, "基层医疗服务")
	if err != nil {
		return err
	}
	for _, up := range []struct {
		st    *zhengxie.Station
		in    int
		who   []*zhengxie.User
		topic string
	}{{east, 5, []*zhengxie.User{members[4], members[6]}, "社区治理"}, {west, 12, []*zhengxie.User{members[7]}, "农村人居环境整治"}, {studio, 9, []*zhengxie.User{members[5], members[11]}, "义诊与健康咨询"}} {
		if _, err := schedule(-up.in, up.st, up.who, up.topic); err != nil {
			return err
		}
	}
	// The matters of the held days, each walked to where its story stops.
	recs := []*zhengxie.Reception{r1, r1, r1, r1, r3, r2, r2, r1, r1}
	days := []int{40, 40, 40, 40, 18, 25, 25, 40, 40}
	for i, dm := range demoMatters {
		r := recs[i]
		at(days[i])
		member := zhengxie.Actor{}
		for _, m := range members {
			if m.ID == r.MemberIDs[0] {
				member = zhengxie.ActorOf(m)
			}
		}
		m, err := svc.LogMatter(ctx, member, r.ID, app.MatterInput{Title: dm.title, Body: dm.body, Category: dm.category, CitizenName: dm.name, CitizenPhone: dm.phone})
		if err != nil {
			return fmt.Errorf("matter %s: %w", dm.title, err)
		}
		handler := off
		if r.StationID == east.ID {
			handler = staff
		}
		act := func(daysAgo int, a zhengxie.Actor, action zhengxie.MatterAction, in app.MatterActInput) error {
			at(daysAgo)
			_, err := svc.MatterAct(ctx, a, m.ID, action, in)
			if err != nil {
				return fmt.Errorf("matter %s, %s: %w", dm.title, action, err)
			}
			return nil
		}
		d := days[i]
		switch dm.end {
		case "received":
			continue
		case "report":
			if err := act(d-1, member, zhengxie.MatterActToReport, app.MatterActInput{}); err != nil {
				return err
			}
			continue
		case "draft":
			if err := act(d-1, member, zhengxie.MatterActToDraft, app.MatterActInput{}); err != nil {
				return err
			}
			continue
		}
		if dm.unit < 0 {
			if err := act(d-2, handler, zhengxie.MatterActAnswer, app.MatterActInput{Answer: dm.answer}); err != nil {
				return err
			}
			if dm.end == "closed" {
				if err := act(d-20, off, zhengxie.MatterActClose, app.MatterActInput{}); err != nil {
					return err
				}
				if err := act(d-20, off, zhengxie.MatterActPublish, app.MatterActInput{}); err != nil {
					return err
				}
			}
			continue
		}
		if err := act(d-1, handler, zhengxie.MatterActForward, app.MatterActInput{UnitID: units[dm.unit].ID}); err != nil {
			return err
		}
		if dm.end == "forwarded" {
			continue
		}
		unit := zhengxie.ActorOf(unitUsers[dm.unit])
		if err := act(d-2, unit, zhengxie.MatterActSign, app.MatterActInput{}); err != nil {
			return err
		}
		if dm.end == "handling" {
			continue
		}
		if err := act(d-9, unit, zhengxie.MatterActReply, app.MatterActInput{Answer: dm.answer}); err != nil {
			return err
		}
		at(d - 12)
		switch dm.end {
		case "settled":
			if _, err := svc.CitizenFeedback(ctx, m.Code, true, "修得很好，谢谢！"); err != nil {
				return err
			}
			if err := act(d-12, off, zhengxie.MatterActPublish, app.MatterActInput{}); err != nil {
				return err
			}
		case "disputed":
			if _, err := svc.CitizenFeedback(ctx, m.Code, false, "还是经常缺药，上周又没买到。"); err != nil {
				return err
			}
			if err := act(d-14, unit, zhengxie.MatterActReply, app.MatterActInput{Answer: "已将补货频次提高到每周三次，并开通缺药登记、次日配送。"}); err != nil {
				return err
			}
			at(d - 15)
			if _, err := svc.CitizenFeedback(ctx, m.Code, false, "登记了两次都没有次日送到。"); err != nil {
				return err
			}
		}
	}
	for _, r := range []*zhengxie.Reception{r1, r2, r3} {
		at(int(zhengxie.DateOf(now, loc).Sub(r.Day)))
		var who zhengxie.Actor
		for _, m := range members {
			if m.ID == r.MemberIDs[0] {
				who = zhengxie.ActorOf(m)
			}
		}
		if _, err := svc.ReceptionAct(ctx, who, r.ID, zhengxie.ActHoldReception, 6+len(r.MemberIDs)*4, ""); err != nil {
			return fmt.Errorf("hold reception: %w", err)
		}
	}
	// Messages from the public box.
	for i, msg := range demoMessages {
		at(30 - i*6)
		st := []*zhengxie.Station{west, east, east}[i]
		m, err := svc.LeaveMessage(ctx, committeeID, app.MatterInput{StationID: st.ID, Title: msg.title, Body: msg.body, CitizenName: msg.name, CitizenPhone: msg.phone})
		if err != nil {
			return fmt.Errorf("message %s: %w", msg.title, err)
		}
		switch i {
		case 0:
			at(28)
			if _, err := svc.MatterAct(ctx, off, m.ID, zhengxie.MatterActForward, app.MatterActInput{UnitID: units[11].ID}); err != nil {
				return err
			}
			at(27)
			u := zhengxie.ActorOf(unitUsers[11])
			if _, err := svc.MatterAct(ctx, u, m.ID, zhengxie.MatterActSign, app.MatterActInput{}); err != nil {
				return err
			}
			at(20)
			if _, err := svc.MatterAct(ctx, u, m.ID, zhengxie.MatterActReply, app.MatterActInput{Answer: "西湖大道公交站已列入今年候车亭改造计划，遮阳棚和座椅将于下月底前安装完成。"}); err != nil {
				return err
			}
			if _, err := svc.MatterAct(ctx, off, m.ID, zhengxie.MatterActPublish, app.MatterActInput{}); err != nil {
				return err
			}
		case 2:
			at(17)
			if _, err := svc.MatterAct(ctx, staff, m.ID, zhengxie.MatterActForward, app.MatterActInput{UnitID: units[9].ID}); err != nil {
				return err
			}
		}
	}
	// Opinion reports through the office to adoption.
	var compiled []int64
	var reps []*zhengxie.Report
	for i, dr := range demoReports {
		at(60 - i*5)
		rep, err := svc.FileReport(ctx, zhengxie.ActorOf(members[(i*5)%len(members)]), app.ReportInput{Title: dr.title, Body: dr.body, Sources: dr.sources})
		if err != nil {
			return fmt.Errorf("report %s: %w", dr.title, err)
		}
		reps = append(reps, rep)
		switch dr.end {
		case "rejected":
			at(50 - i*5)
			if _, err := svc.ReportAct(ctx, off, rep.ID, zhengxie.ReportActReject, app.ReportActInput{Note: "所反映事项属业主与物业公司之间的民事纠纷，建议通过业主大会和人民调解渠道解决。"}); err != nil {
				return err
			}
		case "compiled", "adopted":
			compiled = append(compiled, rep.ID)
		}
		if i == 0 {
			at(55)
			if _, err := svc.ReportAct(ctx, off, rep.ID, zhengxie.ReportActEdit, app.ReportActInput{Title: dr.title, Body: dr.body + "（编者按：本文所涉审批时限数据经区住建局核实。）", Note: "补充编者按"}); err != nil {
				return err
			}
		}
	}
	at(35)
	iss := &zhengxie.Issue{Title: "民生实事专刊", Recipients: zhengxie.DefaultRecipients, ReportIDs: compiled}
	if err := svc.CompileIssue(ctx, off, iss); err != nil {
		return fmt.Errorf("issue: %w", err)
	}
	if _, err := svc.SendIssue(ctx, off, iss.ID); err != nil {
		return err
	}
	for i, dr := range demoReports {
		if dr.level == "" {
			continue
		}
		at(30 - i*3)
		if _, err := svc.ReportAct(ctx, off, reps[i].ID, zhengxie.ReportActAdopt, app.ReportActInput{Record: zhengxie.ReportRecord{Level: dr.level, Place: dr.place}}); err != nil {
			return fmt.Errorf("adopt %s: %w", dr.title, err)
		}
		if dr.instruct != "" {
			at(26 - i*3)
			if _, err := svc.ReportAct(ctx, off, reps[i].ID, zhengxie.ReportActInstruct, app.ReportActInput{Record: zhengxie.ReportRecord{Person: "区委书记", Text: dr.instruct}}); err != nil {
				return err
			}
			at(10)
			if _, err := svc.ReportAct(ctx, off, reps[i].ID, zhengxie.ReportActFeedback, app.ReportActInput{Record: zhengxie.ReportRecord{Place: "区住房和城乡建设局", Text: "已设立加装电梯一站式受理窗口，审批时限压缩至二十五个工作日。"}}); err != nil {
				return err
			}
		}
	}
	svc.Clock = func() time.Time { return now }
	return nil
}
