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

var _ = time.Now

// seedDuty fills the year of activities, attendance, speeches and deeds.
func seedDuty(ctx context.Context, svc *app.Service, committeeID int64, now time.Time, members []*zhengxie.User, office *zhengxie.User, org *orgSeed) error {
	return nil
}
