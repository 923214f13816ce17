package web

import (
	"bytes"
	"context"
	"fmt"
	"os/exec"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"zhengxie/internal/testenv"
)

// pdfPages counts the page objects of a PDF (Chromium writes them plainly).
func pdfPages(pdf []byte) int {
	return len(regexp.MustCompile(`/Type\s*/Page[^s]`).FindAll(pdf, -1))
}

// pdfText is the text of a PDF by pdftotext, or "" where it is not installed.
func pdfText(t *testing.T, pdf []byte) string {
	bin, err := exec.LookPath("pdftotext")
	if err != nil {
		return ""
	}
	cmd := exec.Command(bin, "-layout", "-", "-")
	cmd.Stdin = bytes.NewReader(pdf)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return string(out)
}

// TestBrowserPrintDocuments prints the 提案登记表, the 答复函, the 办理情况反馈表
// and the annual report to PDF in Chromium with the page's own A4 size and
// checks the pages and the text; it also opens the statistics page and sees
// its charts drawn without a CSP violation.
func TestBrowserPrintDocuments(t *testing.T) {
	browser := e2eBrowser(t, 1280, 900)
	env := newE2EEnv(t)
	d := testenv.SeedStats(t, env.Fx)
	tasks, err := env.Fx.Svc.Store.Tasks(context.Background(), d.Keys[0])
	if err != nil {
		t.Fatal(err)
	}
	key, err := env.Fx.Svc.Store.Proposal(context.Background(), env.Fx.Committee.ID, d.Keys[0])
	if err != nil {
		t.Fatal(err)
	}
	number := fmt.Sprintf("%04d", key.Number)
	tab := newE2ETab(t, browser, env.URL, true, 90*time.Second)
	tab.login("office", testenv.Password)

	yes := true
	for _, c := range []struct {
		path     string
		maxPages int
		wants    []string
	}{
		{"/proposals/" + sid(d.Keys[0]) + "/print", 2, []string{"提 案 登 记 表", "关于推进城市更新中历史街区保护的建议", "陈委员", "黄委员", "立案", "区交通运输局", "第" + number + "号"}},
		{"/tasks/" + sid(tasks[0].ID) + "/reply-form", 2, []string{"区交通运输局", "关于二届三次会议第" + number + "号提案的答复", "陈委员委员", "（盖章）"}},
		{"/tasks/" + sid(tasks[0].ID) + "/feedback-form", 1, []string{"提案办理情况反馈表", "满意", "提案者签名"}},
		{"/reports/annual/print?year=2026", 4, []string{"政协测试区委员会关于2026年度提案工作情况的报告", "一、总体情况", "七、下一步工作"}},
	} {
		tab.open(c.path)
		text := tab.pageText()
		for _, w := range c.wants {
			if !strings.Contains(text, w) {
				t.Errorf("%s does not show %q", c.path, w)
			}
		}
		res, err := chromedp.Call(tab.ctx, page.PrintToPDF, page.PrintToPDFParams{PreferCSSPageSize: &yes})
		if err != nil {
			t.Fatalf("print %s: %v", c.path, err)
		}
		pdf := res.Data
		n := pdfPages(pdf)
		if n < 1 || n > c.maxPages {
			t.Errorf("%s prints on %d pages, want 1 to %d", c.path, n, c.maxPages)
		}
		if !regexp.MustCompile(`/MediaBox\s*\[\s*0 0 59[45]\.?\d*\s+84[12]\.?\d*`).Match(pdf) {
			t.Errorf("%s is not printed on A4", c.path)
		}
		if pt := pdfText(t, pdf); pt != "" {
			flat := strings.Join(strings.Fields(pt), "")
			for _, w := range c.wants {
				if !strings.Contains(flat, strings.Join(strings.Fields(w), "")) {
					t.Errorf("the PDF of %s lacks %q", c.path, w)
				}
			}
		} else if len(pdf) < 5000 {
			t.Errorf("the PDF of %s is only %d bytes: no text printed?", c.path, len(pdf))
		}
		t.Logf("%s: %d page(s), %d bytes", c.path, n, len(pdf))
	}

	// A list export with its progress display: rows counted against
	// X-Total-Count, then the file is handed to the browser.
	tab.open("/proposals")
	tab.do("export CSV", chromedp.Click(chromedp.CSS(`a[data-export][href^="/proposals/export.csv"]`)))
	done := false
	for i := 0; i < 100 && !done; i++ {
		done = e2eEval[string](tab, `document.querySelector('.export-status').textContent`) == "导出完成"
		time.Sleep(100 * time.Millisecond)
	}
	if !done {
		t.Errorf("export progress shows %q", e2eEval[string](tab, `document.querySelector('.export-status').textContent`))
	}
	if v := e2eEval[float64](tab, `document.querySelector('.export-progress progress').value`); v != 1 {
		t.Errorf("progress bar at %v after the export", v)
	}

	tab.open("/stats?year=2026")
	tab.sees("#fig-received", "6")
	tab.do("charts drawn", chromedp.WaitVisible(chromedp.CSS(`[data-chart-ready="1"] .chart-canvas canvas`)))
	if n := e2eEval[int](tab, `document.querySelectorAll('[data-chart-ready="1"]').length`); n < 5 {
		t.Errorf("%d charts drawn", n)
	}
	// A click on a bar opens the list behind it.
	tab.do("wait for the chart", chromedp.WaitVisible(chromedp.CSS(`#table-by_category .chart-linked canvas`)))
	if _, err := chromedp.Run(tab.ctx, chromedp.WaitEvent(page.LoadEventFired, nil, chromedp.Evaluate[bool](
		`(function(){var c=echarts.getInstanceByDom(document.querySelector('#table-by_category .chart-canvas'));c.dispatchAction({type:'highlight',dataIndex:0});c.trigger('click',{dataIndex:0});return true})()`))); err == nil {
		tab.settled()
		if loc, _ := chromedp.Run(tab.ctx, chromedp.Location()); !strings.Contains(loc, "/proposals?category=") {
			t.Errorf("the chart click went to %s", loc)
		}
	} else {
		t.Errorf("chart click: %v", err)
	}
}
