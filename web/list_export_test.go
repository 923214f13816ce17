package web

import (
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"zhengxie/internal/testenv"
)

// TestListExportsOfDutyAndContact: the member, activity, matter and report
// lists download as CSV (with a byte-order mark) and XLSX with the list's
// filters, show the same rows as the list to the same person, and never
// carry a citizen's name or phone, not even to the station's staff who may
// see them on the page.
func TestListExportsOfDutyAndContact(t *testing.T) {
	testenv.Engines(t, func(t *testing.T, dsn string) {
		w := newContactWorld(t, dsn)
		ts := w.ts
		office, staffA, staffB := ts.session(roleOffice), ts.session(roleStaffA), ts.session(roleStaffB)

		r := ts.do(req{Method: "GET", Path: "/matters", As: staffA})
		ts.expect(r, 200, `href="/matters/export.xlsx"`, `href="/matters/export.csv"`)
		for _, as := range []*caller{office, staffA} {
			r = ts.do(req{Method: "GET", Path: "/matters/export.csv", As: as})
			ts.expect(r, 200, "\xEF\xBB\xBF诉求ID", "城南路路灯不亮", "小区垃圾清运不及时")
			for _, leak := range []string{citizenName, citizenPhone, "赵先生", "13600000000"} {
				if strings.Contains(r.Body, leak) {
					t.Errorf("matters export carries %q", leak)
				}
			}
		}
		// Staff of station B sees only B's matters, in the list and the export.
		r = ts.do(req{Method: "GET", Path: "/matters/export.csv", As: staffB})
		ts.expect(r, 200, "菜市场周边占道经营")
		if strings.Contains(r.Body, "城南路路灯不亮") {
			t.Error("station B's export has station A's matter")
		}
		// Filters: only the forwarded matter.
		r = ts.do(req{Method: "GET", Path: "/matters/export.csv?state=forwarded", As: office})
		ts.expect(r, 200, "城南路路灯不亮")
		if strings.Contains(r.Body, "小区垃圾清运不及时") {
			t.Error("the state filter is not applied to the export")
		}
		r = ts.do(req{Method: "GET", Path: "/matters?state=forwarded", As: office})
		ts.expect(r, 200, `href="/matters/export.csv?state=forwarded"`)

		r = ts.do(req{Method: "GET", Path: "/reports/export.xlsx?state=compiled", As: office})
		ts.expect(r, 200)
		x, err := excelize.OpenReader(strings.NewReader(r.Body))
		if err != nil {
			t.Fatal(err)
		}
		rows, _ := x.GetRows("数据")
		if len(rows) != 2 || rows[1][1] != "关于加快老旧小区加装电梯的建议" {
			t.Errorf("compiled reports export: %v", rows)
		}
		r = ts.do(req{Method: "GET", Path: "/reports", As: office})
		ts.expect(r, 200, `href="/reports/export.xlsx"`)

		r = ts.do(req{Method: "GET", Path: "/duty/members/export.csv", As: office})
		ts.expect(r, 200, "\xEF\xBB\xBF用户ID", ts.F.Members[0].Name)
		r = ts.do(req{Method: "GET", Path: "/duty/members", As: office})
		ts.expect(r, 200, `href="/duty/members/export.csv"`)
		r = ts.do(req{Method: "GET", Path: "/activities/export.csv?year=2026", As: office})
		ts.expect(r, 200, "\xEF\xBB\xBF活动ID")
		r = ts.do(req{Method: "GET", Path: "/activities?year=2026", As: office})
		ts.expect(r, 200, `href="/activities/export.csv?year=2026"`)
	})
}
