package app

import (
	"bytes"
	"context"
	"fmt"

	"github.com/xuri/excelize/v2"

	"zhengxie"
	"zhengxie/store"
)

// The duty record for the office as XLSX: one row per member (the ranked
// table with attendance and checklist), or one sheet per member with every
// item and the points it earned.

// DutyXLSX writes the year of the members f selects. perMember puts each
// member on a sheet of their own (at most 300 members).
func (s *Service) DutyXLSX(ctx context.Context, a zhengxie.Actor, f store.ProfileFilter, year int, perMember bool) ([]byte, error) {
	rk, err := s.Ranking(ctx, a, f, year)
	if err != nil {
		return nil, err
	}
	x := excelize.NewFile()
	defer x.Close()
	head, _ := x.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Fill: excelize.Fill{Type: "pattern", Color: []string{"DDE6F3"}, Pattern: 1}})
	sheet := fmt.Sprintf("%d年度履职汇总", year)
	x.SetSheetName("Sheet1", sheet)
	header := []any{"排名", "姓名", "界别", "履职积分", "应出席", "出席", "请假", "缺席", "出勤率", "作业完成", "出勤提示"}
	if perMember {
		for _, t := range rk.Rules.Tasks {
			header = append(header, t.Name)
		}
	}
	x.SetSheetRow(sheet, "A1", &header)
	x.SetRowStyle(sheet, 1, 1, head)
	for i, r := range rk.Rows {
		row := []any{r.Rank, r.Name, r.SectorName, r.Points, r.Invited, r.Attended, r.Leaves, r.Absences, fmt.Sprintf("%d%%", r.Rate),
			fmt.Sprintf("%d/%d", r.TasksDone, r.TasksTotal), map[bool]string{true: "出勤率偏低", false: ""}[r.Low]}
		if !perMember {
			// The checklist columns need each member's items: only in the
			// per-member export, which computes them anyway.
			cell, _ := excelize.CoordinatesToCellName(1, i+2)
			x.SetSheetRow(sheet, cell, &row)
			continue
		}
		m, err := s.MemberYear(ctx, a, r.UserID, year)
		if err != nil {
			return nil, err
		}
		for _, t := range m.Checklist {
			row = append(row, fmt.Sprintf("%d/%d", t.Count, t.Task.Min))
		}
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		x.SetSheetRow(sheet, cell, &row)
		if i < 300 {
			if err := memberSheet(x, head, m, r.Rank); err != nil {
				return nil, err
			}
		}
	}
	x.SetColWidth(sheet, "B", "C", 14)
	var buf bytes.Buffer
	if err := x.Write(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func memberSheet(x *excelize.File, head int, m *MemberYear, rank int) error {
	name := fmt.Sprintf("%s-%d", m.Profile.User.Name, m.Profile.User.ID)
	if _, err := x.NewSheet(name); err != nil {
		return err
	}
	rows := [][]any{
		{"姓名", m.Profile.User.Name, "年度", m.Year},
		{"工作单位及职务", m.Profile.Employer, "履职积分", m.Score.Total},
		{"排名", rank, "出勤率", fmt.Sprintf("%d%%（应出席%d，出席%d，请假%d，缺席%d）", m.Attendance.Rate(), m.Attendance.Invited, m.Attendance.Attended, m.Attendance.Leaves, m.Attendance.Absences)},
		{},
		{"日期", "履职事项", "内容", "积分"},
	}
	for i, it := range m.Items {
		rows = append(rows, []any{it.At.In(zhengxie.ChinaTime()).Format("2006-01-02"), it.Kind.Name(), it.Title, m.ItemPoints[i]})
	}
	rows = append(rows, []any{}, []any{"10件作业", "要求", "完成", ""})
	for _, t := range m.Checklist {
		done := "未完成"
		if t.Done {
			done = "已完成"
		}
		rows = append(rows, []any{t.Task.Name, fmt.Sprintf("至少%d件", t.Task.Min), fmt.Sprintf("%d件", t.Count), done})
	}
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := x.SetSheetRow(name, cell, &r); err != nil {
			return err
		}
	}
	x.SetRowStyle(name, 5, 5, head)
	x.SetColWidth(name, "B", "C", 24)
	return nil
}
