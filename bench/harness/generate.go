package harness

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"runtime"
	"strings"
	"sync"
	"time"

	"zhengxie"
	"zhengxie/app"
	"zhengxie/bench/corpus"
	"zhengxie/bench/load"
	"zhengxie/search"
	"zhengxie/store"
)

// GenOptions tune a generation.
type GenOptions struct {
	Seed    int64
	Workers int       // goroutines that write texts and segment them; GOMAXPROCS if 0
	Quiet   bool      // no progress bar
	Now     time.Time // the present of the corpus; time.Now() if zero
	// ReuseTokens segments only a pool of texts per worker and gives every
	// other proposal the tokens of one from the pool, shuffled and cut to
	// its length, instead of segmenting its own text. The stored texts stay
	// all different; only the index words are borrowed. For when
	// segmentation, not the database, would set the pace.
	ReuseTokens bool
	// Log, if set, gets a line at every tenth of the way, for runs whose
	// standard error is not a terminal and so shows no progress bar.
	Log io.Writer
}

// GenStats says what a generation wrote and how fast.
type GenStats struct {
	Committees, Users, Proposals, Tasks, Events, Cosigners int64
	Activities, Attendance, DutyRecords                    int64 // the first committee's duty year
	Rows                                                   int64 // rows in all tables
	Elapsed                                                time.Duration
}

// Rate is proposals per second.
func (g GenStats) Rate() float64 { return float64(g.Proposals) / g.Elapsed.Seconds() }

func (g GenStats) String() string {
	return fmt.Sprintf("%d 个委员会、%d 个用户、%d 件提案、%d 个办理任务、%d 个附议人、%d 条事件、%d 场履职活动、%d 条出勤、%d 条履职记录，共 %d 行，用时 %v（%.0f 件/秒）",
		g.Committees, g.Users, g.Proposals, g.Tasks, g.Cosigners, g.Events, g.Activities, g.Attendance, g.DutyRecords, g.Rows, g.Elapsed.Round(time.Millisecond), g.Rate())
}

// committee is a generated committee with the ids its proposals refer to.
type committee struct {
	k        int
	c        zhengxie.Committee
	level    string
	sessions []zhengxie.Session // oldest first, one a year
	members  []zhengxie.User
	units    []zhengxie.Unit
	unitUser []zhengxie.User // one per unit, same order
	office   zhengxie.User
	// kept by the writer
	seq      int64
	hash     string
	counters map[int64]int
}

// chunk is a run of proposals of one committee and year, planned by a worker
// and written, in order, by the writer.
type chunk struct {
	c     *committee
	year  int // index into c.sessions
	first int // index of the first proposal within the committee-year
	n     int // proposals
	total int // proposals of the committee-year
	seed  uint64
	out   []plan
	done  chan struct{}
}

const chunkSize = 100

// Generate writes a corpus of scale sc into an empty store: committees with
// sessions, sectors, units and users, and proposals in every state with
// co-signers, tasks, replies, ratings, their events chained by hash, and
// their full-text entries. Workers write the texts and segment them;
// one writer numbers proposals, seals the events and bulk-inserts.
func Generate(ctx context.Context, st *store.Store, sc Scale, opt GenOptions) (*GenStats, error) {
	start := time.Now()
	if opt.Now.IsZero() {
		opt.Now = time.Now()
	}
	if opt.Workers <= 0 {
		opt.Workers = runtime.GOMAXPROCS(0)
	}
	bl, err := st.NewBulkLoader(ctx)
	if err != nil {
		return nil, err
	}
	ok := false
	defer func() {
		if !ok {
			bl.Abort()
		}
	}()
	stats := &GenStats{}
	cs, err := setUp(bl, sc, opt, stats)
	if err != nil {
		return nil, err
	}
	bar := load.NewProgress(int64(sc.Proposals), "生成 "+sc.Name+" 语料", opt.Quiet)
	defer bar.Finish()

	// Chunks in the order the writer needs them: committee by committee,
	// year by year, so that each committee's chain grows in time order.
	var chunks []*chunk
	for _, c := range cs {
		per := sc.Proposals / sc.Committees
		if c.k < sc.Proposals%sc.Committees {
			per++
		}
		for y := range c.sessions {
			n := per / sc.Years
			if y < per%sc.Years {
				n++
			}
			for first := 0; first < n; first += chunkSize {
				chunks = append(chunks, &chunk{c: c, year: y, first: first, n: min(chunkSize, n-first), total: n,
					seed: uint64(opt.Seed)<<32 ^ uint64(len(chunks)+1)*0x9e3779b97f4a7c15, done: make(chan struct{})})
			}
		}
	}
	ctx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	defer func() {
		cancel()
		wg.Wait()
	}()
	// At most this many chunks are planned ahead of the writer, to bound memory.
	ahead := make(chan struct{}, 4*opt.Workers)
	jobs := make(chan *chunk)
	go func() {
		defer close(jobs)
		for _, ch := range chunks {
			select {
			case ahead <- struct{}{}:
			case <-ctx.Done():
				return
			}
			select {
			case jobs <- ch:
			case <-ctx.Done():
				return
			}
		}
	}()
	for w := 0; w < opt.Workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			pl := newPlanner(opt)
			for ch := range jobs {
				pl.plan(ch, sc)
				close(ch.done)
			}
		}()
	}
	for _, ch := range chunks {
		select {
		case <-ch.done:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
		if err := write(bl, ch, stats); err != nil {
			return nil, err
		}
		ch.out = nil
		<-ahead
		bar.Add(ch.n)
		if opt.Log != nil && stats.Proposals*10/int64(sc.Proposals) != (stats.Proposals-int64(ch.n))*10/int64(sc.Proposals) {
			fmt.Fprintf(opt.Log, "  已生成 %d/%d 件提案，%v，%d 行\n", stats.Proposals, sc.Proposals, time.Since(start).Round(time.Second), bl.Rows)
		}
	}
	for _, c := range cs {
		for _, se := range c.sessions {
			if n := c.counters[se.ID]; n > 0 {
				if err := bl.AddNumberCounter(c.c.ID, se.ID, n); err != nil {
					return nil, err
				}
			}
		}
		if err := bl.SetChainHead(c.c.ID, c.seq, c.hash); err != nil {
			return nil, err
		}
	}
	bar.Describe("写入索引与统计信息")
	if err := bl.Close(); err != nil {
		return nil, err
	}
	ok = true
	stats.Rows = bl.Rows
	bar.Describe("写入履职年度数据")
	if err := genDuty(ctx, st, cs[0], sc, opt, stats); err != nil {
		return nil, err
	}
	stats.Elapsed = time.Since(start)
	return stats, nil
}

// setUp adds the committees with their sessions, sectors, units and users.
func setUp(bl *store.BulkLoader, sc Scale, opt GenOptions, stats *GenStats) ([]*committee, error) {
	// One hash for every user: argon2id is made to be slow, and a
	// benchmark logs in as a handful of them.
	hash := app.HashPassword(Password)
	created := time.Date(opt.Now.Year()-sc.Years, 12, 1, 9, 0, 0, 0, zhengxie.ChinaTime())
	var cs []*committee
	for k := 0; k < sc.Committees; k++ {
		g := corpus.New(opt.Seed*7919 + int64(k))
		level := sc.levelOf(k)
		g.SetLevel(level)
		c := &committee{k: k, level: level, counters: map[int64]int{}}
		c.c = zhengxie.Committee{ID: bl.NextID("committees"), Code: sc.Code(k), Level: committeeLevel(level), TimeZone: "Asia/Shanghai",
			Name: fmt.Sprintf("政协基准测试%s第%d委员会", level, k+1)}
		if err := bl.AddCommittee(&c.c, created.UnixMilli()); err != nil {
			return nil, err
		}
		stats.Committees++
		first := opt.Now.Year() - sc.Years + 1
		for y := 0; y < sc.Years; y++ {
			// Terms of five years, the first of this corpus beginning in 2003.
			off := max(0, first+y-2003)
			term, num := off/5+1, off%5+1
			se := zhengxie.Session{ID: bl.NextID("sessions"), CommitteeID: c.c.ID, Term: term, Number: num, Year: first + y,
				Name: fmt.Sprintf("%d年（第%s届第%s次会议）", first+y, chineseNumber(term), chineseNumber(num)), Current: y == sc.Years-1}
			if err := bl.AddSession(&se); err != nil {
				return nil, err
			}
			c.sessions = append(c.sessions, se)
		}
		var sectorIDs []int64
		for _, name := range corpus.Sectors {
			se := zhengxie.Sector{ID: bl.NextID("sectors"), CommitteeID: c.c.ID, Name: name}
			if err := bl.AddSector(&se); err != nil {
				return nil, err
			}
			sectorIDs = append(sectorIDs, se.ID)
		}
		user := func(who, name string, role zhengxie.Role, unit, sector int64) (zhengxie.User, error) {
			u := zhengxie.User{ID: bl.NextID("users"), CommitteeID: c.c.ID, Username: Username(k, who), Name: name, Role: role,
				UnitID: unit, SectorID: sector, CreatedAt: created}
			if role == zhengxie.RoleMember {
				u.Phone = fmt.Sprintf("139%08d", (int64(k)*100000+u.ID)%100000000)
				u.Email = u.Username + "@example.test"
			}
			stats.Users++
			return u, bl.AddUser(&u, hash)
		}
		var err error
		if c.office, err = user("office", "提案委员会办公室", zhengxie.RoleOffice, 0, 0); err != nil {
			return nil, err
		}
		for _, who := range []struct {
			name, title string
			role        zhengxie.Role
		}{{"leader", g.Name() + "（副主席）", zhengxie.RoleLeader}, {"admin", "系统管理员", zhengxie.RoleAdmin}} {
			if _, err := user(who.name, who.title, who.role, 0, 0); err != nil {
				return nil, err
			}
		}
		for i, name := range corpus.Units(level) {
			u := zhengxie.Unit{ID: bl.NextID("units"), CommitteeID: c.c.ID, Name: name}
			if err := bl.AddUnit(&u); err != nil {
				return nil, err
			}
			uu, err := user(fmt.Sprintf("unit%02d", i+1), name+"提案办理专员", zhengxie.RoleUnit, u.ID, 0)
			if err != nil {
				return nil, err
			}
			c.units = append(c.units, u)
			c.unitUser = append(c.unitUser, uu)
		}
		for i := 0; i < sc.Members; i++ {
			m, err := user(fmt.Sprintf("member%04d", i+1), g.Name(), zhengxie.RoleMember, 0, sectorIDs[i%len(sectorIDs)])
			if err != nil {
				return nil, err
			}
			c.members = append(c.members, m)
		}
		cs = append(cs, c)
	}
	return cs, nil
}

func chineseNumber(n int) string {
	digits := []string{"零", "一", "二", "三", "四", "五", "六", "七", "八", "九", "十"}
	switch {
	case n <= 10:
		return digits[n]
	case n < 20:
		return "十" + digits[n-10]
	case n%10 == 0:
		return digits[n/10] + "十"
	}
	return digits[n/10] + "十" + digits[n%10]
}

// plan is one proposal as a worker planned it: everything but the ids,
// numbers and hashes, which the writer gives in order.
type plan struct {
	p        zhengxie.Proposal
	numbered bool
	mergeTo  int // index within the chunk of the proposal this one was merged into, -1 for none
	cosign   []zhengxie.Cosigner
	tasks    []taskPlan
	events   []eventPlan
	doc      store.SearchDoc
}

type taskPlan struct {
	t       zhengxie.Task
	updated time.Time
}

type eventPlan struct {
	task int // index into tasks, -1 for the proposal's own
	e    zhengxie.Event
}

// planner is one worker's state: its text generators (one per level) and
// random source, reseeded per chunk so that the corpus does not depend on
// which worker planned which chunk.
type planner struct {
	r     *rand.Rand
	reuse bool
	pool  [][]string // token lists to borrow, with ReuseTokens
	now   time.Time
	rules zhengxie.DeadlineRules
	cal   *zhengxie.Calendar
}

func newPlanner(opt GenOptions) *planner {
	return &planner{reuse: opt.ReuseTokens, now: opt.Now,
		rules: zhengxie.DefaultDeadlineRules(), cal: zhengxie.DefaultCalendar()}
}

// The states proposals end in. A past year's proposals are nearly all done
// with; this year's are spread over the whole lifecycle.
var (
	pastStates = weighted[zhengxie.State]{
		{zhengxie.StateArchived, 55}, {zhengxie.StateConcluded, 23}, {zhengxie.StateReplied, 2}, {zhengxie.StateHandling, 2},
		{zhengxie.StateRejected, 6}, {zhengxie.StateConverted, 6}, {zhengxie.StateMerged, 3}, {zhengxie.StateWithdrawn, 3},
	}
	currentStates = weighted[zhengxie.State]{
		{zhengxie.StateDraft, 4}, {zhengxie.StateSubmitted, 4}, {zhengxie.StateUnderReview, 8}, {zhengxie.StateAccepted, 5},
		{zhengxie.StateHandling, 25}, {zhengxie.StateReplied, 14}, {zhengxie.StateConcluded, 22},
		{zhengxie.StateRejected, 6}, {zhengxie.StateConverted, 6}, {zhengxie.StateMerged, 3}, {zhengxie.StateWithdrawn, 3},
	}
	resultClasses = weighted[string]{{"A", 55}, {"B", 35}, {"C", 10}}
	ratings       = weighted[string]{{zhengxie.FeedbackSatisfied, 72}, {zhengxie.FeedbackBasically, 24}, {zhengxie.FeedbackUnsatisfied, 6}}
	// After re-handling the proposer rates again; some stay unsatisfied.
	secondRatings = weighted[string]{{zhengxie.FeedbackSatisfied, 20}, {zhengxie.FeedbackBasically, 65}, {zhengxie.FeedbackUnsatisfied, 15}}
)

type weighted[T any] []struct {
	v T
	w int
}

func (ws weighted[T]) draw(r *rand.Rand) T {
	total := 0
	for _, x := range ws {
		total += x.w
	}
	n := r.IntN(total)
	for _, x := range ws {
		if n < x.w {
			return x.v
		}
		n -= x.w
	}
	return ws[len(ws)-1].v
}

// stage orders the states along the main path, to ask "did it get that far".
var stage = map[zhengxie.State]int{
	zhengxie.StateDraft: 0, zhengxie.StateSubmitted: 1, zhengxie.StateUnderReview: 2, zhengxie.StateAccepted: 3,
	zhengxie.StateHandling: 4, zhengxie.StateReplied: 5, zhengxie.StateConcluded: 6, zhengxie.StateArchived: 7,
}

func (pl *planner) plan(ch *chunk, sc Scale) {
	c := ch.c
	// A generator carries its own source; a fresh one per chunk keeps the
	// corpus the same whichever worker plans the chunk.
	g := corpus.New(int64(ch.seed)).SetLevel(c.level)
	pl.r = rand.New(rand.NewPCG(ch.seed, ch.seed>>7|1))
	r := pl.r
	se := c.sessions[ch.year]
	current := ch.year == len(c.sessions)-1
	loc := zhengxie.ChinaTime()
	opening := time.Date(se.Year, 1, 10, 9, 0, 0, 0, loc)
	ch.out = make([]plan, 0, ch.n)
	for i := 0; i < ch.n; i++ {
		idx := ch.first + i
		var final zhengxie.State
		if current {
			final = currentStates.draw(r)
		} else {
			final = pastStates.draw(r)
		}
		text := g.Proposal()
		who := g.Proposer()
		lead := c.members[r.IntN(len(c.members))]
		p := zhengxie.Proposal{CommitteeID: c.c.ID, SessionID: se.ID, Title: text.Title, Body: text.Body, Category: text.Category,
			Kind: who.Kind, ProposerID: lead.ID, ProposerName: lead.Name, State: final}
		if who.Kind == corpus.KindBody {
			p.BodyName = who.Body
			p.ProposerName = who.Body
		}
		pp := plan{mergeTo: -1}
		// Filed in the weeks around the plenary session, in index order, so
		// that official numbers follow filing.
		submitted := opening.Add(time.Duration(float64(idx)/float64(ch.total)*40*24) * time.Hour).Add(time.Duration(r.IntN(3600)) * time.Second)
		if final == zhengxie.StateSubmitted {
			// Still waiting for co-signers: filed in the last days, or the
			// server's first deadline round would close them all at once.
			submitted = pl.now.Add(-time.Duration(1+r.IntN(5*24)) * time.Hour)
		}
		created := submitted.Add(-time.Duration(1+r.IntN(240)) * time.Hour)
		p.CreatedAt = created
		clock := created
		at := func(t time.Time) time.Time {
			if t.After(pl.now) {
				t = pl.now.Add(-time.Duration(r.IntN(3600)) * time.Second)
			}
			if t.Before(clock) {
				t = clock.Add(time.Second)
			}
			clock = t
			return t.Truncate(time.Millisecond)
		}
		ev := func(task int, a zhengxie.User, action, from, to, comment string, payload any, t time.Time) {
			e := zhengxie.Event{CommitteeID: c.c.ID, ActorID: a.ID, ActorName: a.Name, Action: action, FromState: from, ToState: to,
				Comment: comment, CreatedAt: t}
			if payload != nil {
				b, _ := json.Marshal(payload)
				e.Payload = string(b)
			}
			pp.events = append(pp.events, eventPlan{task: task, e: e})
		}
		system := zhengxie.User{Name: "系统"}
		office := c.office
		ev(-1, lead, string(zhengxie.ActCreate), "", string(zhengxie.StateDraft), "", nil, at(created))
		st := zhengxie.StateDraft
		move := func(a zhengxie.User, action zhengxie.Action, to zhengxie.State, comment string, payload any, t time.Time) {
			ev(-1, a, string(action), string(st), string(to), comment, payload, t)
			st = to
		}
		if final == zhengxie.StateDraft {
			p.State, p.UpdatedAt = st, clock
			pp.p = p
			pp.doc = pl.doc(g, &p, nil)
			ch.out = append(ch.out, pp)
			continue
		}
		// Submission, and co-signers for a joint proposal.
		p.SubmittedAt = at(submitted)
		if who.Kind == corpus.KindJoint {
			seen := map[int64]bool{lead.ID: true}
			for len(pp.cosign) < who.Signers-1 && len(seen) < len(c.members) {
				m := c.members[r.IntN(len(c.members))]
				if seen[m.ID] {
					continue
				}
				seen[m.ID] = true
				pp.cosign = append(pp.cosign, zhengxie.Cosigner{UserID: m.ID, Name: m.Name, Status: zhengxie.CosignInvited})
			}
		}
		move(lead, zhengxie.ActSubmit, zhengxie.SubmitTarget(len(pp.cosign)), "", nil, p.SubmittedAt)
		if len(pp.cosign) > 0 {
			p.CosignDue = p.SubmittedAt.AddDate(0, 0, 7)
			for j := range pp.cosign {
				x := &pp.cosign[j]
				if final == zhengxie.StateSubmitted && r.IntN(2) == 0 {
					continue // still to answer
				}
				action, status := zhengxie.ActCosign, zhengxie.CosignConfirmed
				if r.IntN(10) == 0 {
					action, status = zhengxie.ActDeclineCosig, zhengxie.CosignDeclined
				}
				x.Status, x.RespondedAt = status, at(clock.Add(time.Duration(1+r.IntN(40))*time.Hour))
				ev(-1, zhengxie.User{ID: x.UserID, Name: x.Name}, string(action), string(st), string(st), "", nil, x.RespondedAt)
			}
			if final != zhengxie.StateSubmitted {
				move(system, zhengxie.ActCloseCosign, zhengxie.StateUnderReview, "", nil, at(clock.Add(time.Hour)))
			}
		}
		review := at(clock.Add(time.Duration(5*24+r.IntN(20*24)) * time.Hour))
		switch final {
		case zhengxie.StateSubmitted, zhengxie.StateUnderReview:
		case zhengxie.StateWithdrawn:
			move(lead, zhengxie.ActWithdraw, final, "经与有关方面沟通，问题已在推进中，撤回本提案。", nil, review)
		case zhengxie.StateRejected:
			p.Reason = "所提问题属于个人诉求或具体事务，不符合提案立案标准，建议通过信访渠道反映。"
			move(office, zhengxie.ActReject, final, p.Reason, nil, review)
		case zhengxie.StateConverted:
			p.Reason = "内容较为具体，转为意见建议送有关部门参考。"
			move(office, zhengxie.ActConvert, final, p.Reason, nil, review)
		case zhengxie.StateMerged:
			// Into the last proposal of this chunk that was numbered, if any.
			for j := len(ch.out) - 1; j >= 0; j-- {
				if ch.out[j].numbered {
					pp.mergeTo = j
					break
				}
			}
			if pp.mergeTo < 0 {
				p.Reason = "内容较为具体，转为意见建议送有关部门参考。"
				move(office, zhengxie.ActConvert, zhengxie.StateConverted, p.Reason, nil, review)
				break
			}
			p.Reason = fmt.Sprintf("并入《%s》", ch.out[pp.mergeTo].p.Title)
			move(office, zhengxie.ActMerge, final, "", nil, review)
		}
		if stage[final] >= stage[zhengxie.StateAccepted] && final != zhengxie.StateWithdrawn {
			pl.handle(&pp, &p, g, c, final, lead, review, at, move, ev)
		}
		p.State, p.UpdatedAt = st, clock
		pp.p = p
		var replies []string
		for _, t := range pp.tasks {
			if t.t.ReplyText != "" {
				replies = append(replies, t.t.ReplyText)
			}
		}
		pp.doc = pl.doc(g, &p, replies)
		ch.out = append(ch.out, pp)
	}
}

// handle takes an accepted proposal as far as final: assignment, the units'
// work, replies, ratings, conclusion, publication and archiving.
func (pl *planner) handle(pp *plan, p *zhengxie.Proposal, g *corpus.Generator, c *committee, final zhengxie.State, lead zhengxie.User,
	review time.Time, at func(time.Time) time.Time,
	move func(zhengxie.User, zhengxie.Action, zhengxie.State, string, any, time.Time),
	ev func(int, zhengxie.User, string, string, string, string, any, time.Time)) {
	r := pl.r
	office := c.office
	system := zhengxie.User{Name: "系统"}
	loc := zhengxie.ChinaTime()
	pp.numbered = true
	p.AcceptedAt = review
	move(office, zhengxie.ActAccept, zhengxie.StateAccepted, "", nil, review)
	if r.IntN(100) < 3 {
		p.Key = true
		ev(-1, office, string(zhengxie.ActMarkKey), string(zhengxie.StateAccepted), string(zhengxie.StateAccepted), "列为年度重点提案", map[string]bool{"key": true}, at(review.Add(time.Hour)))
	}
	publish := func(st zhengxie.State) {
		p.Published, p.PublishedAt = true, at(p.AcceptedAt.Add(time.Duration(1+r.IntN(10*24))*time.Hour))
		if p.PublishedAt.Before(p.AcceptedAt) {
			p.PublishedAt = p.AcceptedAt
		}
		ev(-1, office, string(zhengxie.ActPublish), string(st), string(st), "", nil, p.PublishedAt)
	}
	if final == zhengxie.StateAccepted {
		if r.IntN(10) == 0 {
			publish(final)
		}
		return
	}
	// 交办: a lead unit with co-handlers now and then, or separate units.
	assigned := at(review.Add(time.Duration(1+r.IntN(7*24)) * time.Hour))
	leadUnit := r.IntN(len(c.units))
	for j, u := range c.units {
		if u.Name == g.UnitFor(p.Category) {
			leadUnit = j
			break
		}
	}
	kinds := map[int]string{leadUnit: zhengxie.TaskLead}
	switch x := r.IntN(100); {
	case x < 8:
		kinds[leadUnit] = zhengxie.TaskSeparate
		kinds[r.IntN(len(c.units))] = zhengxie.TaskSeparate
	case x < 40:
		for n := 1 + r.IntN(2); n > 0; n-- {
			if j := r.IntN(len(c.units)); kinds[j] == "" {
				kinds[j] = zhengxie.TaskCo
			}
		}
	}
	day := zhengxie.DateOf(assigned, loc)
	var as []zhengxie.Assignment
	for j := range c.units {
		kind := kinds[j]
		if kind == "" {
			continue
		}
		due := zhengxie.TaskDue(pl.rules, pl.cal, day)
		if kind == zhengxie.TaskCo {
			due = zhengxie.CoHandleDue(pl.rules, pl.cal, day)
		}
		t := zhengxie.Task{CommitteeID: c.c.ID, UnitID: c.units[j].ID, UnitName: c.units[j].Name, Kind: kind,
			State: zhengxie.TaskPending, AssignedAt: assigned, Due: due}
		pp.tasks = append(pp.tasks, taskPlan{t: t, updated: assigned})
		as = append(as, zhengxie.Assignment{UnitID: t.UnitID, Kind: kind})
	}
	move(office, zhengxie.ActAssign, zhengxie.StateHandling, "", as, assigned)
	// The units' work, task by task.
	to := lead.Name + "委员"
	if p.Kind == corpus.KindBody {
		to = p.BodyName
	}
	replied := stage[final] >= stage[zhengxie.StateReplied]
	for j := range pp.tasks {
		tp := &pp.tasks[j]
		t := &tp.t
		uu := c.unitUser[indexOfUnit(c, t.UnitID)]
		tev := func(action zhengxie.TaskAction, to zhengxie.TaskState, comment string, when time.Time) {
			ev(j, uu, string(action), string(t.State), string(to), comment, nil, when)
			t.State, tp.updated = to, when
		}
		if final == zhengxie.StateHandling && r.IntN(4) == 0 {
			continue // not yet signed for
		}
		tev(zhengxie.TaskActAccept, zhengxie.TaskAccepted, "", at(assigned.Add(time.Duration(1+r.IntN(5*24))*time.Hour)))
		if t.Kind != zhengxie.TaskCo && r.IntN(10) < 8 {
			t.Contacted = true
			tev(zhengxie.TaskActContact, zhengxie.TaskContacted, "电话沟通：与提案人交换了办理思路。", at(tp.updated.Add(time.Duration(5+r.IntN(30))*24*time.Hour)))
		}
		if !replied && (t.Kind == zhengxie.TaskCo || r.IntN(2) == 0) {
			continue
		}
		// Nine replies in ten come before the deadline.
		days := 30 + r.IntN(60)
		if r.IntN(10) == 0 {
			days = 92 + r.IntN(40)
		}
		when := at(assigned.Add(time.Duration(days)*24*time.Hour + time.Duration(r.IntN(8*3600))*time.Second))
		if t.Kind == zhengxie.TaskCo {
			t.ReplyText = g.Reply(corpus.Proposal{Title: p.Title, Body: p.Body, Category: p.Category}, c.units[leadUnit].Name, t.UnitName, "B")
		} else {
			t.ResultClass = resultClasses.draw(r)
			t.ReplyText = g.Reply(corpus.Proposal{Title: p.Title, Body: p.Body, Category: p.Category}, to, t.UnitName, t.ResultClass)
		}
		t.RepliedAt = when
		tev(zhengxie.TaskActReply, zhengxie.TaskReplied, "", when)
	}
	if final == zhengxie.StateHandling {
		if r.IntN(4) == 0 {
			publish(zhengxie.StateHandling)
		}
		return
	}
	move(system, zhengxie.ActAllReplied, zhengxie.StateReplied, "", nil, at(lastEvent(pp)))
	if final == zhengxie.StateReplied {
		if r.IntN(4) == 0 {
			publish(zhengxie.StateReplied)
		}
		return
	}
	// Ratings; 不满意 sends the task back once, and the second reply is rated again.
	for j := range pp.tasks {
		tp := &pp.tasks[j]
		t := &tp.t
		if !t.Counts() {
			continue
		}
		rating := ratings.draw(r)
		when := at(t.RepliedAt.Add(time.Duration(3+r.IntN(20)) * 24 * time.Hour))
		note := ""
		if rating != zhengxie.FeedbackSatisfied {
			note = g.Feedback(rating)
		}
		ev(j, lead, string(zhengxie.TaskActFeedback), string(t.State), string(t.State), note, map[string]string{"feedback": rating}, when)
		t.Feedback, t.FeedbackNote, t.FeedbackAt, tp.updated = rating, note, when, when
		if rating == zhengxie.FeedbackUnsatisfied {
			t.Rehandled = true
			t.State = zhengxie.TaskAccepted
			move(system, zhengxie.ActRehandle, zhengxie.StateHandling, "", nil, when)
			again := at(when.Add(time.Duration(20+r.IntN(40)) * 24 * time.Hour))
			t.ReplyText = g.Reply(corpus.Proposal{Title: p.Title, Body: p.Body, Category: p.Category}, to, t.UnitName, "B")
			t.ResultClass, t.RepliedAt = "B", again
			ev(j, c.unitUser[indexOfUnit(c, t.UnitID)], string(zhengxie.TaskActReply), string(zhengxie.TaskAccepted), string(zhengxie.TaskReplied), "", nil, again)
			t.State = zhengxie.TaskReplied
			move(system, zhengxie.ActAllReplied, zhengxie.StateReplied, "", nil, again)
			rating = secondRatings.draw(r)
			when = at(again.Add(time.Duration(3+r.IntN(10)) * 24 * time.Hour))
			ev(j, lead, string(zhengxie.TaskActFeedback), string(t.State), string(t.State), "", map[string]string{"feedback": rating}, when)
			t.Feedback, t.FeedbackNote, t.FeedbackAt, tp.updated = rating, "", when, when
		}
	}
	p.ConcludedAt = at(lastEvent(pp).Add(time.Duration(5+r.IntN(25)) * 24 * time.Hour))
	move(office, zhengxie.ActConclude, zhengxie.StateConcluded, "", nil, p.ConcludedAt)
	if r.IntN(10) < 8 {
		publish(zhengxie.StateConcluded)
	}
	if final == zhengxie.StateArchived {
		year := zhengxie.DateOf(p.SubmittedAt, loc).Year
		end := time.Date(year, 12, 20, 10, 0, 0, 0, loc)
		move(office, zhengxie.ActArchive, zhengxie.StateArchived, "", nil, at(end))
	}
}

// lastEvent is the time of the proposal's latest event.
func lastEvent(pp *plan) time.Time {
	var t time.Time
	for _, e := range pp.events {
		if e.e.CreatedAt.After(t) {
			t = e.e.CreatedAt
		}
	}
	return t
}

func indexOfUnit(c *committee, id int64) int {
	for i, u := range c.units {
		if u.ID == id {
			return i
		}
	}
	return 0
}

// doc segments a proposal's texts for the full-text index, as the services
// do on every write, or borrows a pool's tokens with ReuseTokens.
func (pl *planner) doc(g *corpus.Generator, p *zhengxie.Proposal, replies []string) store.SearchDoc {
	if !pl.reuse || len(pl.pool) < 256 {
		d := store.SearchDoc{Title: search.Tokens(p.Title), Body: search.Tokens(p.Body)}
		if len(replies) > 0 {
			d.Replies = search.Tokens(strings.Join(replies, "\n"))
		}
		if pl.reuse {
			pl.pool = append(pl.pool, d.Body)
		}
		return d
	}
	// The title is short and cheap: always its own words, so that searches
	// on titles find what the stored title says.
	d := store.SearchDoc{Title: search.Tokens(p.Title)}
	src := pl.pool[pl.r.IntN(len(pl.pool))]
	n := min(len(src), max(20, len(src)*len([]rune(p.Body))/max(1, 1600)))
	d.Body = make([]string, n)
	for i := range d.Body {
		d.Body[i] = src[pl.r.IntN(len(src))]
	}
	if len(replies) > 0 {
		d.Replies = search.Tokens(strings.Join(replies, "\n"))
	}
	return d
}

// write gives a planned chunk its ids, numbers and chain links and hands
// its rows to the loader.
func write(bl *store.BulkLoader, ch *chunk, stats *GenStats) error {
	c := ch.c
	ids := make([]int64, len(ch.out))
	for i := range ch.out {
		pp := &ch.out[i]
		p := &pp.p
		p.ID = bl.NextID("proposals")
		ids[i] = p.ID
		if pp.numbered {
			c.counters[p.SessionID]++
			p.Number = c.counters[p.SessionID]
		}
		if pp.mergeTo >= 0 {
			p.MergedInto = ids[pp.mergeTo]
		}
		if err := bl.AddProposal(p); err != nil {
			return err
		}
		for j := range pp.cosign {
			pp.cosign[j].ProposalID = p.ID
			if err := bl.AddCosigner(c.c.ID, &pp.cosign[j]); err != nil {
				return err
			}
		}
		for j := range pp.tasks {
			t := &pp.tasks[j].t
			t.ID, t.ProposalID = bl.NextID("tasks"), p.ID
			if err := bl.AddTask(t, pp.tasks[j].updated.UnixMilli()); err != nil {
				return err
			}
		}
		for j := range pp.events {
			e := &pp.events[j].e
			e.ID, e.ProposalID = bl.NextID("events"), p.ID
			if k := pp.events[j].task; k >= 0 {
				e.TaskID = pp.tasks[k].t.ID
			}
			e.Seal(c.seq, c.hash)
			c.seq, c.hash = e.Seq, e.Hash
			if err := bl.AddEvent(e); err != nil {
				return err
			}
		}
		pp.doc.ProposalID, pp.doc.CommitteeID = p.ID, p.CommitteeID
		if err := bl.AddSearchDoc(pp.doc); err != nil {
			return err
		}
		stats.Proposals++
		stats.Tasks += int64(len(pp.tasks))
		stats.Events += int64(len(pp.events))
		stats.Cosigners += int64(len(pp.cosign))
	}
	return nil
}
