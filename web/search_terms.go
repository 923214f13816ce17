package web

import (
	"encoding/json"
	"math"
	"net/url"
	"strconv"

	"zhengxie/app"
)

// Key terms: what a session's proposals, or one proposal, are about.

// termRow is one key term of a session, scaled for a bar.
type termRow struct {
	Term   string
	Weight float64
	Pct    int // 1–100, of the strongest term
	URL    string
}

func termRows(t *app.SessionTerms, sessionID int64) []termRow {
	var out []termRow
	for _, tw := range t.Terms {
		top := t.Terms[0].Weight
		pct := 100
		if top > 0 {
			pct = max(1, int(math.Round(100*tw.Weight/top)))
		}
		q := url.Values{"q": {tw.Term}}
		if sessionID != 0 {
			q.Set("session", strconv.FormatInt(sessionID, 10))
		}
		out = append(out, termRow{Term: tw.Term, Weight: tw.Weight, Pct: pct, URL: "/search?" + q.Encode()})
	}
	return out
}

// termChart is the ECharts option of the terms' bar chart (app.js draws
// it; the list inside the element stays as the fallback).
func termChart(rows []termRow) string {
	var terms []string
	var pcts []int
	for _, r := range rows {
		terms = append(terms, r.Term)
		pcts = append(pcts, r.Pct)
	}
	opt := map[string]any{
		"grid":    map[string]any{"left": 100, "right": 24, "top": 8, "bottom": 8},
		"tooltip": map[string]any{},
		"xAxis":   map[string]any{"type": "value", "show": false, "max": 100},
		"yAxis":   map[string]any{"type": "category", "inverse": true, "data": terms},
		"series":  []any{map[string]any{"type": "bar", "name": "代表性（最高为100）", "data": pcts}},
	}
	b, _ := json.Marshal(opt)
	return string(b)
}

// API representations of search.
