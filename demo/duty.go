package demo

import (
	"context"
	"fmt"
	"time"

	"zhengxie"
	"zhengxie/app"
	"zhengxie/store"
)

// The demo committee's organisation and duty year: every member gets a
// sector, a special committee, a liaison station (two of them) and a
// profile; a sector studio serves the medical members; a station's staff
// member organises the station's activities.

var specialCommittees = []string{"提案委员会", "经济委员会", "人口资源环境委员会", "文化文史和学习委员会", "社会和法制委员会"}

var employers = []string{"区人民医院副院长", "区第一中学校长", "示范区科技有限公司董事长", "区律师协会副会长", "区农业技术推广中心主任",
	"区文化馆馆长", "示范区建设集团总经理", "区中医院主任医师", "区职业技术学校教师", "区工商联副主席"}

// seedOrg gives the members their organisation and returns the logins
// worth printing (the station staff account).
func seedOrg(ctx context.Context, svc *app.Service, committeeID int64, members []*zhengxie.User) ([]Login, *orgSeed, error) {
	st := svc.Store
	sys := zhengxie.SystemActor(committeeID)
	o := &orgSeed{}
	sectors, err := st.Sectors(ctx, committeeID)
	if err != nil {
		return nil, nil, err
	}
	for _, n := range specialCommittees {
		sc, err := svc.SaveSpecialCommittee(ctx, sys, 0, n)
		if err != nil {
			return nil, nil, err
		}
		o.committees = append(o.committees, sc)
	}
	var medical int64
	for _, se := range sectors {
		if se.Name == "医药卫生界" {
			medical = se.ID
		}
	}
	for _, s := range []zhengxie.Station{
		{Kind: zhengxie.StationLiaison, Name: "城东街道委员联络站", Address: "示范区城东街道文明路18号党群服务中心二楼", Phone: "020-80001001"},
		{Kind: zhengxie.StationLiaison, Name: "西湖镇委员联络站", Address: "示范区西湖镇政府一楼", Phone: "020-80001002"},
		{Kind: zhengxie.StationStudio, Name: "医药卫生界委员工作室", SectorID: medical, Address: "区人民医院门诊楼五楼", Phone: "020-80001003"},
	} {
		s := s
		if err := svc.SaveStation(ctx, sys, &s); err != nil {
			return nil, nil, err
		}
		o.stations = append(o.stations, &s)
	}
	staff := &zhengxie.User{Username: "station-east", Name: "城东联络站 赵站长", Role: zhengxie.RoleStation, Phone: "13800008001", Email: "station-east@demo.zhengxie.local"}
	if err := svc.CreateUser(ctx, sys, staff, Password); err != nil {
		return nil, nil, err
	}
	o.staff = staff
	for i, m := range members {
		p, err := st.Profile(ctx, committeeID, m.ID)
		if err != nil {
			return nil, nil, err
		}
		p.User.SectorID = sectors[i%len(sectors)].ID
		p.Gender = []string{zhengxie.GenderMale, zhengxie.GenderFemale}[(i*7)%2]
		p.Employer = employers[i%len(employers)]
		p.Term = "第二届"
		p.Standing = i%8 == 0
		role := zhengxie.OrgRoleMember
		if i < len(specialCommittees) {
			role = zhengxie.OrgRoleConvener
		}
		p.Memberships = []zhengxie.Membership{
			{OrgKind: zhengxie.OrgSpecialCommittee, OrgID: o.committees[i%len(o.committees)].ID, Role: role},
			{OrgKind: zhengxie.OrgStation, OrgID: o.stations[i%2].ID, Role: zhengxie.OrgRoleMember},
		}
		if p.User.SectorID == medical || i%6 == 5 {
			p.Memberships = append(p.Memberships, zhengxie.Membership{OrgKind: zhengxie.OrgStation, OrgID: o.stations[2].ID, Role: zhengxie.OrgRoleMember})
		}
		if err := svc.UpdateMember(ctx, sys, p); err != nil {
			return nil, nil, fmt.Errorf("member %s: %w", m.Name, err)
		}
	}
	err = st.InTx(ctx, func(tx *store.Tx) error {
		p, err := tx.Profile(committeeID, staff.ID)
		if err != nil {
			return err
		}
		p.Memberships = []zhengxie.Membership{{CommitteeID: committeeID, OrgKind: zhengxie.OrgStation, OrgID: o.stations[0].ID, Role: zhengxie.OrgRoleStaff}}
		return tx.SaveProfile(p)
	})
	if err != nil {
		return nil, nil, err
	}
	return []Login{{staff.Username, staff.Name, zhengxie.RoleName(staff.Role)}}, o, nil
}

type orgSeed struct {
	committees []*zhengxie.SpecialCommittee
	stations   []*zhengxie.Station
	staff      *zhengxie.User
}

// demoActivities is the year's programme, written for the demo.
var demoActivities = []struct {
	kind  zhengxie.ActivityKind
	title string
	place string
	who   string // "all", "station0", "station1", "studio", "sc<i>", "some"
}{
	{zhengxie.ActivityPlenary, "政协示范区第二届委员会第三次会议", "区会议中心", "all"},
	{zhengxie.ActivityStudy, "新任委员履职能力培训班", "区委党校", "all"},
	{zhengxie.ActivityInspection, "视察城区河涌综合整治工程", "沙河涌、车陂涌沿线", "sc2"},
	{zhengxie.ActivityCommunity, "协商进社区：老旧小区停车难怎么解", "城东街道幸福里社区", "station0"},
	{zhengxie.ActivityTopic, "优化营商环境专题协商会", "区政协三楼会议室", "sc1"},
	{zhengxie.ActivityMeeting, "提案工作座谈会", "区政协三楼会议室", "sc0"},
	{zhengxie.ActivityConsultation, "基层医疗服务能力提升协商座谈", "区人民医院", "studio"},
	{zhengxie.ActivityInspection, "调研乡村振兴示范村建设", "西湖镇三个示范村", "station1"},
	{zhengxie.ActivityStudy, "学习贯彻全会精神专题报告会", "区会议中心", "all"},
	{zhengxie.ActivityCommunity, "协商进社区：农贸市场升级改造", "西湖镇农贸市场", "station1"},
	{zhengxie.ActivityTopic, "义务教育学位供给专题协商", "区教育局", "sc3"},
	{zhengxie.ActivityInspection, "视察重点民生实事项目进展", "全区", "some"},
	{zhengxie.ActivityConsultation, "社区居家养老服务协商", "城东街道党群服务中心", "sc4"},
	{zhengxie.ActivityMeeting, "界别委员活动日", "各界别委员工作室", "some"},
	{zhengxie.ActivityCommunity, "协商进社区：加装电梯后续管理", "城东街道文明路社区", "station0"},
	{zhengxie.ActivityInspection, "调研科技企业孵化载体建设", "示范区科技园", "sc1"},
	{zhengxie.ActivityStudy, "文史资料征编工作培训", "区档案馆", "sc3"},
	{zhengxie.ActivityConsultation, "生态环境保护民主监督协商会", "区生态环境分局", "sc2"},
	{zhengxie.ActivityMeeting, "常委会议：审议年度协商计划执行情况", "区政协三楼会议室", "some"},
	{zhengxie.ActivityTopic, "交通拥堵治理专题协商", "区交通运输局", "some"},
	{zhengxie.ActivityCommunity, "协商进社区：社区食堂怎么办", "城东街道东风社区", "station0"},
	{zhengxie.ActivityInspection, "视察冬季安全生产工作", "全区重点企业", "some"},
}

var leaveReasons = []string{"出差在外，无法参加", "单位有重要会议", "身体不适", "参加市里培训", "家中有事"}

var demoRecords = []struct {
	kind        zhengxie.RecordKind
	title       string
	beneficiary string
}{
	{zhengxie.RecordSpeechPlenary, "关于推动老旧小区改造提质增效的发言", ""},
	{zhengxie.RecordSpeechPlenary, "以数字化赋能基层治理的几点建议", ""},
	{zhengxie.RecordSpeechWritten, "关于完善社区嵌入式养老服务的书面发言", ""},
	{zhengxie.RecordSpeechWritten, "关于加强中小学生心理健康教育的书面发言", ""},
	{zhengxie.RecordSpeechWritten, "关于盘活农村闲置宅基地的书面发言", ""},
	{zhengxie.RecordResearch, "全区农贸市场改造情况调研报告", ""},
	{zhengxie.RecordResearch, "关于民营企业融资难的调研报告", ""},
	{zhengxie.RecordSectorConsult, "医药卫生界：家庭医生签约服务的协商发言", ""},
	{zhengxie.RecordDeed, "协调修复小区积水路段", "幸福里社区居民"},
	{zhengxie.RecordDeed, "组织义诊进村", "西湖镇东村村民"},
	{zhengxie.RecordDeed, "帮助解决困难学生助学问题", "区第一中学三名学生家庭"},
	{zhengxie.RecordDeed, "推动公交站台增设遮雨棚", "文明路沿线居民"},
	{zhengxie.RecordDeed, "为企业对接法律咨询服务", "示范区十余家小微企业"},
	{zhengxie.RecordDeed, "协调解决农产品滞销", "西湖镇种植户"},
}

// seedDuty fills the year so far with activities, answers, QR sign-ins,
// the organiser's marks, speeches, reports and deeds, then computes the
// year's points. The clock walks through the year; Seed restores it.
func seedDuty(ctx context.Context, svc *app.Service, committeeID int64, now time.Time, members []*zhengxie.User, office *zhengxie.User, org *orgSeed) error {
	st := svc.Store
	loc := zhengxie.ChinaTime()
	year := now.In(loc).Year()
	jan := time.Date(year, 1, 8, 9, 0, 0, 0, loc)
	span := now.Add(-72*time.Hour).Sub(jan) / time.Duration(len(demoActivities))
	if span < 24*time.Hour {
		span = 24 * time.Hour
	}
	officeA := zhengxie.ActorOf(office)
	staffA := zhengxie.ActorOf(org.staff)
	profiles, err := st.Profiles(ctx, store.ProfileFilter{CommitteeID: committeeID})
	if err != nil {
		return err
	}
	at := func(t time.Time) { svc.Clock = func() time.Time { return t } }
	rnd := uint32(7)
	next := func(n int) int { rnd = rnd*1103515245 + 12345; return int((rnd >> 8) % uint32(n)) }
	for i, d := range demoActivities {
		start := jan.Add(time.Duration(i) * span)
		if start.After(now) {
			break
		}
		act := &zhengxie.Activity{Kind: d.kind, Title: d.title, Place: d.place, StartsAt: start, EndsAt: start.Add(3 * time.Hour),
			RegisterBy: start.Add(-24 * time.Hour), Description: "请受邀委员提前十分钟到场，现场扫码签到。", OrganizerKind: app.OrganizerOffice}
		inv := app.Invitation{}
		organiser := officeA
		switch {
		case d.who == "all":
			inv.All = true
		case d.who == "station0":
			act.OrganizerKind, act.OrganizerID = zhengxie.OrgStation, org.stations[0].ID
			inv.StationIDs = []int64{org.stations[0].ID}
			organiser = staffA
		case d.who == "station1":
			act.OrganizerKind, act.OrganizerID = zhengxie.OrgStation, org.stations[1].ID
			inv.StationIDs = []int64{org.stations[1].ID}
		case d.who == "studio":
			act.OrganizerKind, act.OrganizerID = zhengxie.OrgStation, org.stations[2].ID
			inv.StationIDs = []int64{org.stations[2].ID}
		case len(d.who) == 3 && d.who[:2] == "sc":
			sc := org.committees[int(d.who[2]-'0')]
			act.OrganizerKind, act.OrganizerID = zhengxie.OrgSpecialCommittee, sc.ID
			inv.SpecialCommitteeID = []int64{sc.ID}
		default:
			for j, p := range profiles {
				if (j+i)%3 != 0 {
					inv.UserIDs = append(inv.UserIDs, p.User.ID)
				}
			}
		}
		at(start.Add(-7 * 24 * time.Hour))
		if err := svc.CreateActivity(ctx, organiser, act, inv); err != nil {
			return fmt.Errorf("activity %s: %w", d.title, err)
		}
		if _, err := svc.ActOnActivity(ctx, organiser, act.ID, zhengxie.ActPublishActivity, app.ActivityInput{}); err != nil {
			return err
		}
		rows, err := st.Attendance(ctx, committeeID, act.ID)
		if err != nil {
			return err
		}
		at(start.Add(-3 * 24 * time.Hour))
		leave := map[int64]bool{}
		for _, r := range rows {
			m := zhengxie.Actor{UserID: r.UserID, CommitteeID: committeeID, Role: zhengxie.RoleMember, Name: r.UserName}
			switch k := next(100); {
			case k < 12:
				leave[r.UserID] = true
				if _, err := svc.Answer(ctx, m, act.ID, zhengxie.ActLeave, leaveReasons[next(len(leaveReasons))]); err != nil {
					return err
				}
			case k < 85:
				if _, err := svc.Answer(ctx, m, act.ID, zhengxie.ActAttend, ""); err != nil {
					return err
				}
			}
		}
		at(start.Add(-10 * time.Minute))
		tok, _, err := svc.SignInToken(ctx, organiser, act.ID)
		if err != nil {
			return err
		}
		// A few members never sign in: some are absent, and the organiser
		// marks one who could not scan.
		absentEvery := 9 + i%5
		for j, r := range rows {
			if leave[r.UserID] || (j+i)%absentEvery == 0 {
				continue
			}
			m := zhengxie.Actor{UserID: r.UserID, CommitteeID: committeeID, Role: zhengxie.RoleMember, Name: r.UserName}
			if j%17 == 5 {
				if _, err := svc.MarkAttendance(ctx, organiser, act.ID, r.UserID, zhengxie.ActMarkPresent, "手机没电未能扫码，经签到表核实到会"); err != nil {
					return err
				}
				continue
			}
			if _, err := svc.SignIn(ctx, m, act.ID, tok); err != nil {
				return fmt.Errorf("sign in %s: %w", r.UserName, err)
			}
		}
		at(start.Add(4 * time.Hour))
		if _, err := svc.ActOnActivity(ctx, organiser, act.ID, zhengxie.ActHoldActivity, app.ActivityInput{}); err != nil {
			return err
		}
		if start.Before(now.Add(-20 * 24 * time.Hour)) {
			minutes := "与会委员围绕“" + d.title + "”深入交流，听取了有关部门的情况介绍，提出了具体的意见建议，会后由组织方整理报送。"
			sugg := "一是明确责任分工；二是加大资金保障；三是建立跟踪问效机制。"
			if _, err := svc.ActOnActivity(ctx, organiser, act.ID, zhengxie.ActCloseActivity, app.ActivityInput{Minutes: &minutes, Suggestions: &sugg}); err != nil {
				return err
			}
		}
	}
	// The office's records: speeches at the plenary, written speeches,
	// research reports, sector contributions and deeds for the people.
	for i := range members {
		for k := 0; k < 1+next(3); k++ {
			r := demoRecords[(i*5+k*3+next(4))%len(demoRecords)]
			if i%4 == 3 && r.kind == zhengxie.RecordDeed {
				continue // some members are behind on their deeds
			}
			on := zhengxie.DateOf(jan.Add(time.Duration(next(int(now.Sub(jan)/(24*time.Hour))+1))*24*time.Hour), loc)
			if on.In(loc).After(now) {
				on = zhengxie.DateOf(now, loc)
			}
			at(on.In(loc).Add(10 * time.Hour))
			rec := &zhengxie.DutyRecord{UserID: members[i].ID, Kind: r.kind, Title: r.title, Beneficiary: r.beneficiary, On: on,
				Detail: "由政协机关根据会议记录和委员报送材料登记。"}
			if err := svc.AddDutyRecord(ctx, officeA, rec); err != nil {
				return fmt.Errorf("record %s: %w", r.title, err)
			}
		}
	}
	at(now)
	_, err = svc.RecomputeYear(ctx, committeeID, year, nil)
	return err
}
