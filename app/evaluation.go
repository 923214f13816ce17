package app

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"time"

	"github.com/xuri/excelize/v2"

	"zhengxie"
	"zhengxie/store"
)

// Evaluation of handling units (考评): a yearly score per unit from
// weighted criteria that the office configures. The counts come from one
// SQL statement (store.UnitTallies), the rates, the score and the ranking
// from the domain (zhengxie.ScoreUnit, zhengxie.RankScores); the per-unit
// breakdown recounts in Go from the unit's tasks, so that a reader can
// check every number of the ranking, and the tests check that both agree.

// Criteria are the weights of the evaluation criteria. Weights are
// relative (they need not add up to 100); a criterion with weight 0 is not
// used. Basically is what a 基本满意 rating counts for, in percent of 满意.
type Criteria struct {
	OnTime       int `json:"on_time"`
	Contact      int `json:"contact"`
	Satisfaction int `json:"satisfaction"`
	Returns      int `json:"returns"`
	Rehandle     int `json:"rehandle"`
	Basically    int `json:"basically"`
}

// DefaultCriteria: timeliness and satisfaction weigh most, as in most
// committees' 提案办理考评办法.
func DefaultCriteria() Criteria {
	return Criteria{OnTime: 30, Contact: 20, Satisfaction: 30, Returns: 10, Rehandle: 10, Basically: 60}
}

// CriterionInfo describes a criterion on the pages and in the export.
type CriterionInfo struct {
	Code, Name, Rule string
	Weight           int
}

// Infos lists the criteria with their weights and rules.
func (c Criteria) Infos() []CriterionInfo {
	return []CriterionInfo{
		{"on_time", "按期答复率", "应答复的任务（已答复，或办理期限已过仍未答复）中，在办理期限内（含批准的延期）答复的比例", c.OnTime},
		{"contact", "沟通面商率", "已答复的主办、分办任务中，答复前与提案者有沟通或面商记录的比例", c.Contact},
		{"satisfaction", "满意度", fmt.Sprintf("提案者测评的平均：满意计100%%，基本满意计%d%%，不满意计0", c.Basically), c.Satisfaction},
		{"returns", "交办准确（无退回）", "1 − 承办单位申请退回的任务比例", c.Returns},
		{"rehandle", "一次办理成功率", "1 − 因提案者不满意而重新办理的任务比例", c.Rehandle},
	}
}

// Validate checks weights entered by the office.
func (c Criteria) Validate() error {
	for _, x := range []struct {
		v     int
		field string
	}{{c.OnTime, "on_time"}, {c.Contact, "contact"}, {c.Satisfaction, "satisfaction"}, {c.Returns, "returns"}, {c.Rehandle, "rehandle"}} {
		if x.v < 0 || x.v > 100 {
			return zhengxie.FieldError(x.field, "权重应为0到100之间的整数")
		}
	}
	if c.OnTime+c.Contact+c.Satisfaction+c.Returns+c.Rehandle == 0 {
		return zhengxie.FieldError("on_time", "至少要有一项指标的权重大于0")
	}
	if c.Basically < 0 || c.Basically > 100 {
		return zhengxie.FieldError("basically", "“基本满意”的折算比例应为0到100")
	}
	return nil
}

func (c Criteria) weights() zhengxie.EvalWeights {
	return zhengxie.EvalWeights{OnTime: float64(c.OnTime), Contact: float64(c.Contact), Satisfaction: float64(c.Satisfaction),
		Returns: float64(c.Returns), Rehandle: float64(c.Rehandle), Basically: float64(c.Basically) / 100}
}

// Criteria returns a committee's criteria.
func (s *Service) Criteria(ctx context.Context, committeeID int64) Criteria {
	c := DefaultCriteria()
	cs, err := s.Store.Settings(ctx, committeeID)
	if err == nil && cs.Criteria != "" {
		var saved Criteria
		if json.Unmarshal([]byte(cs.Criteria), &saved) == nil && saved.Validate() == nil {
			c = saved
		}
	}
	return c
}

// SaveCriteria stores a committee's criteria.
func (s *Service) SaveCriteria(ctx context.Context, a zhengxie.Actor, c Criteria) error {
	if err := requireRole(a, "设置考评指标", zhengxie.RoleOffice, zhengxie.RoleAdmin); err != nil {
		return err
	}
	if err := c.Validate(); err != nil {
		return err
	}
	b, _ := json.Marshal(c)
	return s.Store.InTx(ctx, func(tx *store.Tx) error {
		if err := tx.SaveSetting(a.CommitteeID, store.SettingCriteria, string(b), a.UserID); err != nil {
			return err
		}
		return s.event(tx, a, a.CommitteeID, 0, 0, "save_criteria", "", "", "", c)
	})
}

// EvalRow is a unit's line of the ranking.
type EvalRow struct {
	Rank int // 0: nothing measurable in the year (无可考评数据), not ranked
	store.UnitTally
}

// Evaluation is the ranking of one year.
type Evaluation struct {
	Year     int
	Today    zhengxie.Date
	Criteria Criteria
	Rows     []EvalRow
	Years    []int
}

func canEvaluate(a zhengxie.Actor) error {
	return requireRole(a, "查看承办单位考评", zhengxie.RoleOffice, zhengxie.RoleLeader, zhengxie.RoleAdmin)
}

// yearRange is the year in the committee's time zone, and its UTC offset.
func yearRange(year int, loc *time.Location) (from, to time.Time, offset int) {
	from = time.Date(year, 1, 1, 0, 0, 0, 0, loc)
	to = time.Date(year+1, 1, 1, 0, 0, 0, 0, loc)
	_, offset = time.Date(year, 7, 1, 0, 0, 0, 0, loc).Zone()
	return
}

// Evaluate ranks the units on the tasks assigned to them in year (0 for
// the current year).
func (s *Service) Evaluate(ctx context.Context, a zhengxie.Actor, year int) (*Evaluation, error) {
	if err := canEvaluate(a); err != nil {
		return nil, err
	}
	return s.evaluate(ctx, a.CommitteeID, year)
}

func (s *Service) evaluate(ctx context.Context, committeeID int64, year int) (*Evaluation, error) {
	loc := s.location(ctx, committeeID)
	today := zhengxie.DateOf(s.now(), loc)
	if year < 2000 || year > today.Year+1 {
		year = today.Year
	}
	e := &Evaluation{Year: year, Today: today, Criteria: s.Criteria(ctx, committeeID)}
	for y := today.Year; y > today.Year-5; y-- {
		e.Years = append(e.Years, y)
	}
	from, to, off := yearRange(year, loc)
	tallies, err := s.Store.UnitTallies(ctx, committeeID, from, to, today.String(), off)
	if err != nil {
		return nil, err
	}
	w := e.Criteria.weights()
	scores := make([]float64, len(tallies))
	for i := range tallies {
		tallies[i].EvalScore = zhengxie.ScoreUnit(tallies[i].EvalCounts, w)
		scores[i] = tallies[i].Score
	}
	ranks, order := zhengxie.RankScores(scores)
	for _, i := range order {
		e.Rows = append(e.Rows, EvalRow{Rank: ranks[i], UnitTally: tallies[i]})
	}
	return e, nil
}

// BreakdownTask is one task behind a unit's score.
type BreakdownTask struct {
	store.TaskRow
	RepliedOn    zhengxie.Date
	DueNow       bool // counts for 按期答复率
	OnTime       bool
	ContactBase  bool // counts for 沟通面商率
	Returned     bool
	RehandleBase bool
}

// Breakdown is a unit's evaluation with the tasks behind it.
type Breakdown struct {
	Evaluation *Evaluation
	Row        EvalRow
	Unit       *zhengxie.Unit
	Tasks      []BreakdownTask
	// Check is the same tally counted in Go from Tasks.
	Check store.UnitTally
}

// UnitBreakdown returns a unit's line of the ranking and its tasks. A unit's
// own staff may see their unit's breakdown.
func (s *Service) UnitBreakdown(ctx context.Context, a zhengxie.Actor, unitID int64, year int) (*Breakdown, error) {
	if !(a.Role == zhengxie.RoleUnit && a.UnitID == unitID) {
		if err := canEvaluate(a); err != nil {
			return nil, err
		}
	}
	u, err := s.Store.Unit(ctx, a.CommitteeID, unitID)
	if err != nil {
		return nil, err
	}
	e, err := s.evaluate(ctx, a.CommitteeID, year)
	if err != nil {
		return nil, err
	}
	b := &Breakdown{Evaluation: e, Unit: u}
	for _, r := range e.Rows {
		if r.UnitID == unitID {
			b.Row = r
		}
	}
	loc := s.location(ctx, a.CommitteeID)
	from, to, _ := yearRange(e.Year, loc)
	rows, err := s.Store.UnitTasks(ctx, a.CommitteeID, unitID, from, to)
	if err != nil {
		return nil, err
	}
	c := &b.Check
	c.UnitID, c.UnitName = u.ID, u.Name
	for _, r := range rows {
		t := BreakdownTask{TaskRow: r}
		due := r.Task.Due
		replied := r.State == zhengxie.TaskReplied
		if replied {
			t.RepliedOn = zhengxie.DateOf(r.RepliedAt, loc)
		}
		t.DueNow = replied || (isOpen(r.State) && due.Before(e.Today))
		t.OnTime = replied && !t.RepliedOn.After(due)
		t.ContactBase = replied && r.Kind != zhengxie.TaskCo
		t.Returned = r.ReturnReason != ""
		t.RehandleBase = r.Feedback != "" || r.Rehandled
		c.Assigned++
		c.Due += b2n(t.DueNow)
		c.OnTime += b2n(t.OnTime)
		c.Replied += b2n(t.ContactBase)
		c.Contacted += b2n(t.ContactBase && r.Contacted)
		c.Rated += b2n(r.Feedback != "")
		c.Satisfied += b2n(r.Feedback == zhengxie.FeedbackSatisfied)
		c.Basically += b2n(r.Feedback == zhengxie.FeedbackBasically)
		c.Unsatisfied += b2n(r.Feedback == zhengxie.FeedbackUnsatisfied)
		c.Returned += b2n(t.Returned)
		c.Rehandled += b2n(r.Rehandled)
		c.RehandleBase += b2n(t.RehandleBase)
		b.Tasks = append(b.Tasks, t)
	}
	return b, nil
}

func b2n(b bool) int {
	if b {
		return 1
	}
	return 0
}

// NoDataText is what a criterion without data shows: it is left out of
// the weighting.
const NoDataText = "无数据（不计权重）"

// NoScoreText is what a unit with nothing measurable shows instead of a score.
const NoScoreText = "无可考评数据"

// Percent formats a rate for the pages: "87.5%", or NoDataText when the
// criterion has nothing to count yet.
func Percent(rate float64) string {
	if rate < 0 {
		return NoDataText
	}
	return fmt.Sprintf("%.1f%%", rate*100)
}

// Score formats a score: "86.4", or NoScoreText for a unit with nothing
// measurable.
func Score(score float64) string {
	if score < 0 {
		return NoScoreText
	}
	return fmt.Sprintf("%.1f", score)
}

// EvaluationXLSX writes the ranking of a year as an Excel workbook: the
// ranking with every count, and the criteria it was computed with.
func (s *Service) EvaluationXLSX(ctx context.Context, a zhengxie.Actor, year int, w io.Writer) (*Evaluation, error) {
	e, err := s.Evaluate(ctx, a, year)
	if err != nil {
		return nil, err
	}
	f := excelize.NewFile()
	defer f.Close()
	const sheet = "考评排名"
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return nil, err
	}
	head, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"F3E2E3"}},
		Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true}})
	if err != nil {
		return nil, err
	}
	title := fmt.Sprintf("%d年度承办单位提案办理考评（截至%s）", e.Year, e.Today.Chinese())
	f.SetCellValue(sheet, "A1", title)
	header := []any{"排名", "承办单位", "综合得分", "按期答复率", "沟通面商率", "满意度", "交办准确（无退回）", "一次办理成功率",
		"交办件数", "应答复", "按期答复", "已答复（主办、分办）", "答复前沟通", "已测评", "满意", "基本满意", "不满意", "退回", "重新办理"}
	if err := f.SetSheetRow(sheet, "A2", &header); err != nil {
		return nil, err
	}
	f.SetCellStyle(sheet, "A2", "S2", head)
	pct := func(r float64) any {
		if r < 0 {
			return NoDataText
		}
		return math.Round(r*1000) / 10
	}
	for i, r := range e.Rows {
		rank, score := any(r.Rank), any(math.Round(r.Score*10)/10)
		if r.Rank == 0 {
			rank, score = "不排名", NoScoreText
		}
		row := []any{rank, r.UnitName, score, pct(r.OnTimeRate), pct(r.ContactRate), pct(r.SatisfactionRate), pct(r.ReturnRate), pct(r.RehandleRate),
			r.Assigned, r.Due, r.OnTime, r.Replied, r.Contacted, r.Rated, r.Satisfied, r.Basically, r.Unsatisfied, r.Returned, r.Rehandled}
		cell, _ := excelize.CoordinatesToCellName(1, i+3)
		if err := f.SetSheetRow(sheet, cell, &row); err != nil {
			return nil, err
		}
	}
	f.SetColWidth(sheet, "A", "A", 6)
	f.SetColWidth(sheet, "B", "B", 26)
	f.SetColWidth(sheet, "C", "S", 11)
	f.SetPanes(sheet, &excelize.Panes{Freeze: true, YSplit: 2, XSplit: 2, TopLeftCell: "C3", ActivePane: "bottomRight"})
	note, _ := excelize.CoordinatesToCellName(1, len(e.Rows)+4)
	f.SetCellValue(sheet, note, "比率以百分数表示；“"+NoDataText+"”表示该项尚无可计算的任务，不计入权重，综合得分按其余指标的权重折算；"+
		"“"+NoScoreText+"”的单位本年度尚无到期、答复、测评或退回的任务，不参加排名。")

	const rules = "评分标准"
	if _, err := f.NewSheet(rules); err != nil {
		return nil, err
	}
	f.SetSheetRow(rules, "A1", &[]any{"指标", "权重", "计算方法"})
	f.SetCellStyle(rules, "A1", "C1", head)
	for i, c := range e.Criteria.Infos() {
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		f.SetSheetRow(rules, cell, &[]any{c.Name, c.Weight, c.Rule})
	}
	f.SetColWidth(rules, "A", "A", 20)
	f.SetColWidth(rules, "C", "C", 80)
	return e, f.Write(w)
}
