package testenv

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"zhengxie"
	"zhengxie/store"
)

// StatsData is a year of proposal work in a seeded committee, for the
// statistics and the annual report: proposals of every outcome, replies on
// time and late, each result class, ratings with a re-handling, key
// proposals, a joint proposal, members in two sectors, and last year's
// session with proposals of its own for the comparison.
type StatsData struct {
	Prev      *zhengxie.Session // last year's session (2025)
	Sectors   []*zhengxie.Sector
	Keys      []int64 // key proposals, most co-signed first
	Published []int64
	Rejected  int64
	Late      int64 // the proposal whose reply came after the deadline
	Open      int64 // the proposal whose task is still open (overdue at the end)
	Now       time.Time
}

// SeedStats builds the year on f with a clock it moves; afterwards the
// service's clock stays at StatsData.Now (2026-08-03, China time).
func SeedStats(t testing.TB, f *Fixture) *StatsData {
	t.Helper()
	ctx := context.Background()
	svc, st := f.Svc, f.Svc.Store
	now := time.Date(2026, 3, 2, 10, 0, 0, 0, zhengxie.ChinaTime())
	svc.Clock = func() time.Time { return now }
	d := &StatsData{}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	err := st.InTx(ctx, func(tx *store.Tx) error {
		d.Prev = &zhengxie.Session{CommitteeID: f.Committee.ID, Term: 2, Number: 2, Name: "二届二次会议", Year: 2025}
		if err := tx.CreateSession(d.Prev); err != nil {
			return err
		}
		for _, n := range []string{"经济界", "医药卫生界"} {
			se := &zhengxie.Sector{CommitteeID: f.Committee.ID, Name: n}
			if err := tx.CreateSector(se); err != nil {
				return err
			}
			d.Sectors = append(d.Sectors, se)
		}
		return nil
	})
	must(err)
	db := st.DB()
	for i, m := range f.Members[:3] {
		_, err := db.ExecContext(ctx, Rebind(st, `UPDATE users SET sector_id = ? WHERE id = ?`), d.Sectors[i%2].ID, m.ID)
		must(err)
	}
	office := f.Actor(f.Office)
	member := func(i int) zhengxie.Actor { return f.Actor(f.Members[i]) }
	unit := func(i int) zhengxie.Actor { return f.Actor(f.UnitUsers[i]) }
	file := func(i int, title, category string, cosigners ...int64) *zhengxie.Proposal {
		t.Helper()
		dr := Draft(title, cosigners...)
		dr.Category = category
		p, err := svc.CreateDraft(ctx, member(i), dr)
		must(err)
		p, err = svc.Submit(ctx, member(i), p.ID)
		must(err)
		for _, c := range cosigners {
			for j, m := range f.Members {
				if m.ID == c {
					p, err = svc.Cosign(ctx, member(j), p.ID, true)
					must(err)
				}
			}
		}
		if p.State == zhengxie.StateSubmitted {
			p, err = svc.CloseCosign(ctx, office, p.ID)
			must(err)
		}
		return p
	}
	accept := func(p *zhengxie.Proposal, as ...zhengxie.Assignment) []zhengxie.Task {
		t.Helper()
		_, err := svc.Accept(ctx, office, p.ID, "符合立案标准，予以立案")
		must(err)
		if len(as) == 0 {
			return nil
		}
		_, err = svc.Assign(ctx, office, p.ID, as, "")
		must(err)
		ts, err := st.Tasks(ctx, p.ID)
		must(err)
		return ts
	}
	lead := func(i int) zhengxie.Assignment {
		return zhengxie.Assignment{UnitID: f.Units[i].ID, Kind: zhengxie.TaskLead}
	}
	co := func(i int) zhengxie.Assignment {
		return zhengxie.Assignment{UnitID: f.Units[i].ID, Kind: zhengxie.TaskCo}
	}
	reply := func(u int, task int64, class string) {
		t.Helper()
		_, err := svc.AcceptTask(ctx, unit(u), task)
		if zhengxie.ErrorCode(err) != zhengxie.EIllegal { // a re-handled task is accepted already
			must(err)
		}
		_, err = svc.Reply(ctx, unit(u), task, zhengxie.Reply{ResultClass: class, Text: "经认真研究，答复如下：已制定工作方案，明确责任分工，分步推进落实。"}, nil)
		must(err)
	}
	feedback := func(i int, task int64, v string) {
		t.Helper()
		note := ""
		if v == zhengxie.FeedbackUnsatisfied {
			note = "答复未回应具体建议，请重新研究"
		}
		_, err := svc.Feedback(ctx, member(i), task, v, note)
		must(err)
	}

	markKey := func(id int64) {
		t.Helper()
		// The only way a proposal becomes key: the office proposes, the
		// chairs' council (a leader) approves.
		k, err := svc.ProposeKey(ctx, office, id, f.Leader.ID, "主席会议确定")
		must(err)
		_, err = svc.DecideKeys(ctx, zhengxie.ActorOf(f.Leader), []int64{k.ID}, true, "同意")
		must(err)
	}

	// Last year's session: two proposals, one accepted, one rejected.
	p := file(0, "关于加快老旧小区改造的建议", "城乡建设")
	accept(p)
	q := file(1, "关于设立社区图书角的建议", "文化宣传")
	_, err = svc.Reject(ctx, office, q.ID, "属于社区自治事项，建议通过社情民意渠道反映")
	must(err)
	for _, id := range []int64{p.ID, q.ID} {
		_, err := db.ExecContext(ctx, Rebind(st, `UPDATE proposals SET session_id = ? WHERE id = ?`), d.Prev.ID, id)
		must(err)
	}

	// This year.
	p1 := file(0, "关于推进城市更新中历史街区保护的建议", "城乡建设", f.Members[2].ID, f.Members[3].ID)
	t1 := accept(p1, lead(0), co(1))
	markKey(p1.ID)
	reply(1, t1[1].ID, "") // the co-handling unit's opinion comes before the lead unit's reply
	reply(0, t1[0].ID, "A")
	feedback(0, t1[0].ID, zhengxie.FeedbackSatisfied)
	_, err = svc.Conclude(ctx, office, p1.ID, "")
	must(err)
	_, err = svc.Publish(ctx, office, p1.ID)
	must(err)
	d.Published = append(d.Published, p1.ID)

	p2 := file(1, "关于推动义务教育优质均衡发展的建议", "教育事业")
	t2 := accept(p2, lead(1))
	markKey(p2.ID)
	reply(1, t2[0].ID, "C")
	feedback(1, t2[0].ID, zhengxie.FeedbackUnsatisfied) // re-handled
	reply(1, t2[0].ID, "B")
	feedback(1, t2[0].ID, zhengxie.FeedbackBasically)

	p3 := file(2, "关于完善基层医疗卫生服务体系的建议", "医卫体育", f.Members[4].ID)
	accept(p3, lead(2))
	d.Open = p3.ID

	p4 := file(3, "关于优化公交线网提升出行便利度的建议", "城乡建设")
	t4 := accept(p4, lead(0))
	d.Late = p4.ID

	p5 := file(4, "关于在全区推广垃圾分类积分制的建议", "资源环境")
	_, err = svc.Reject(ctx, office, p5.ID, "与已立案提案内容重复，已并入相关提案一并办理")
	must(err)
	d.Rejected = p5.ID

	p6 := file(0, "关于加强中小学生心理健康教育的建议", "教育事业")
	t6 := accept(p6, lead(2))
	markKey(p6.ID)
	reply(2, t6[0].ID, "A")
	_, err = svc.Publish(ctx, office, p6.ID)
	must(err)
	d.Published = append(d.Published, p6.ID)

	d.Keys = []int64{p1.ID, p2.ID, p6.ID} // p1 has two co-signers, the others none (then by number)

	// Four months on: p4's reply comes late, p3's task is overdue.
	now = now.AddDate(0, 5, 0)
	reply(0, t4[0].ID, "A")
	d.Now = now
	return d
}

// Rebind turns ? placeholders into $1, $2… on PostgreSQL, for the few
// statements tests write directly.
func Rebind(st *store.Store, q string) string {
	if st.Engine() != "postgres" {
		return q
	}
	var b strings.Builder
	n := 0
	for _, r := range q {
		if r == '?' {
			n++
			fmt.Fprintf(&b, "$%d", n)
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}
