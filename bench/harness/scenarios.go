package harness

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"zhengxie"
	"zhengxie/bench/corpus"
	"zhengxie/bench/load"
)

// Scenario names, as printed in the table. The baseline's is what ratios
// are taken against.
const (
	ScBaseline      = "基线：读一行+小模板"
	ScDetail        = "提案详情页（已登录）"
	ScList          = "筛选列表页（每页20条）"
	ScPublic        = "公开提案页"
	ScAPI           = "JSON接口读取"
	ScWrite         = "写入：提交→立案→交办"
	ScSearch1       = "搜索：一个词"
	ScSearch2       = "搜索：两个词"
	ScSearchF       = "搜索：词+类别+届次"
	ScSimilar       = "相似提案"
	ScWarm          = "预热至空闲"
	ScAnnual        = "年度统计（一个委员会）"
	ScAnnualAll     = "年度统计（全部委员会）"
	ScStartup       = "启动（exec→/healthz）"
	ScGenerate      = "生成语料"
	ScServerPeakRSS = "服务进程峰值内存"
	ScDutyRecompute = "重算全年履职积分（进程内）"
	ScDutyRanking   = "委员履职排名（JSON接口）"
	ScDutyRecord    = "委员履职档案页（已登录）"
)

// session is a logged-in client: its cookie and CSRF token.
type session struct {
	cookie string
	csrf   string
}

// login opens a session through the API, as the browser does.
func login(ctx context.Context, client *http.Client, base, username string) (session, error) {
	body, _ := json.Marshal(map[string]string{"username": username, "password": Password})
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, base+"/api/v1/login", bytes.NewReader(body))
	if err != nil {
		return session{}, err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := client.Do(req)
	if err != nil {
		return session{}, err
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		return session{}, fmt.Errorf("以 %s 登录失败：%d %s", username, resp.StatusCode, b)
	}
	var out struct {
		CSRF string `json:"csrf_token"`
	}
	if err := json.Unmarshal(b, &out); err != nil {
		return session{}, err
	}
	for _, c := range resp.Cookies() {
		if c.Name == "zx_session" {
			return session{cookie: c.Name + "=" + c.Value, csrf: out.CSRF}, nil
		}
	}
	return session{}, fmt.Errorf("以 %s 登录后没有得到会话 Cookie", username)
}

func get(base, path string, s session) (*http.Request, error) {
	req, err := http.NewRequest(http.MethodGet, base+path, nil)
	if err == nil && s.cookie != "" {
		req.Header.Set("Cookie", s.cookie)
	}
	return req, err
}

func post(url string, s session, body any) (*http.Request, error) {
	b, err := json.Marshal(body)
	if err != nil {
		return nil, err
	}
	req, err := http.NewRequest(http.MethodPost, url, bytes.NewReader(b))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Cookie", s.cookie)
	req.Header.Set("X-CSRF-Token", s.csrf)
	return req, nil
}

// checkPage accepts a whole HTML page with a 200.
func checkPage(resp *http.Response, body []byte) error {
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("状态 %d：%.200s", resp.StatusCode, body)
	}
	if !bytes.Contains(body, []byte("</html>")) {
		return fmt.Errorf("页面不完整（%d 字节）", len(body))
	}
	return nil
}

func checkJSON(resp *http.Response, body []byte) error {
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("状态 %d：%.200s", resp.StatusCode, body)
	}
	if len(body) == 0 || body[0] != '{' {
		return fmt.Errorf("不是 JSON 对象：%.100s", body)
	}
	return nil
}

func pick[T any](xs []T, i int) T { return xs[(i*7919)%len(xs)] }

// detailTarget reads proposal pages as the office does.
func detailTarget(base string, info *Info, s session) load.Target {
	return load.Target{Name: ScDetail, Check: checkPage, Request: func(_, i int) (*http.Request, error) {
		return get(base, "/proposals/"+strconv.FormatInt(pick(info.DetailIDs, i), 10), s)
	}}
}

// listFilters are the list pages an office clerk opens: a category and a
// state, a few pages deep.
func listFilters(info *Info) []string {
	var out []string
	states := []zhengxie.State{zhengxie.StateHandling, zhengxie.StateConcluded, zhengxie.StateArchived, zhengxie.StateUnderReview}
	for i, c := range zhengxie.Categories {
		for j, st := range states {
			q := url.Values{"category": {c}, "state": {string(st)}}
			if page := (i + j) % 3; page > 0 {
				q.Set("page", strconv.Itoa(page+1))
			}
			out = append(out, "/proposals?"+q.Encode())
		}
	}
	return out
}

func listTarget(base string, info *Info, s session) load.Target {
	paths := listFilters(info)
	return load.Target{Name: ScList, Check: checkPage, Request: func(_, i int) (*http.Request, error) {
		return get(base, paths[i%len(paths)], s)
	}}
}

func publicTarget(base string, info *Info) load.Target {
	return load.Target{Name: ScPublic, Check: checkPage, Request: func(_, i int) (*http.Request, error) {
		return get(base, "/public/proposals/"+strconv.FormatInt(pick(info.PublishedIDs, i), 10), session{})
	}}
}

func apiTarget(base string, info *Info, s session) load.Target {
	return load.Target{Name: ScAPI, Check: checkJSON, Request: func(_, i int) (*http.Request, error) {
		return get(base, "/api/v1/proposals/"+strconv.FormatInt(pick(info.DetailIDs, i), 10), s)
	}}
}

func baselineTarget(base string, info *Info) load.Target {
	return load.Target{Name: ScBaseline, Request: func(_, i int) (*http.Request, error) {
		return get(base, "/baseline/"+strconv.FormatInt(pick(info.DetailIDs, i), 10), session{})
	}, Check: func(resp *http.Response, body []byte) error {
		if resp.StatusCode != http.StatusOK || !bytes.Contains(body, []byte("</html>")) {
			return fmt.Errorf("状态 %d：%.100s", resp.StatusCode, body)
		}
		return nil
	}}
}

// dutyRankingTarget asks for the year's ranked member table as the office
// does: every member, no filter, through the JSON API.
func dutyRankingTarget(base string, info *Info, s session) load.Target {
	path := "/api/v1/duty/ranking?year=" + strconv.Itoa(info.Year)
	return load.Target{Name: ScDutyRanking, Request: func(_, _ int) (*http.Request, error) {
		return get(base, path, s)
	}, Check: func(resp *http.Response, body []byte) error {
		if err := checkJSON(resp, body); err != nil {
			return err
		}
		// An empty table is fast and wrong: the scores must be there.
		if !bytes.Contains(body, []byte(`"rank":`)) {
			return fmt.Errorf("排名表为空：%.100s", body)
		}
		return nil
	}}
}

// dutyRecordTarget opens a member's own record page of the year, logged in
// as that member.
func dutyRecordTarget(base string, info *Info, s session) load.Target {
	path := "/duty/record?year=" + strconv.Itoa(info.Year)
	return load.Target{Name: ScDutyRecord, Check: checkPage, Request: func(_, _ int) (*http.Request, error) {
		return get(base, path, s)
	}}
}

// Search queries: words that the generated texts use often (one word, and
// two that must both match), and the one-word queries again narrowed to a
// category and the current session.
var (
	searchOne = []string{"养老", "教育", "交通", "医疗", "乡村", "垃圾", "停车", "就业"}
	searchTwo = []string{"养老 服务", "学校 教师", "交通 拥堵", "医疗 资源", "乡村 振兴", "垃圾 分类", "停车 管理", "就业 创业"}
)

// searchTarget searches through the JSON API as the office; it checks
// that most queries find something (a fast empty answer is no search).
func searchTarget(name, base string, info *Info, s session, words []string, sessionID int64) load.Target {
	return load.Target{Name: name, Check: checkJSON, Request: func(_, i int) (*http.Request, error) {
		q := url.Values{"q": {words[i%len(words)]}}
		if sessionID != 0 {
			q.Set("category", zhengxie.Categories[i%len(zhengxie.Categories)])
			q.Set("session", strconv.FormatInt(sessionID, 10))
		}
		return get(base, "/api/v1/search?"+q.Encode(), s)
	}}
}

// similarTarget asks for the proposals most like a new text, as the form
// does while a member writes.
func similarTarget(base string, info *Info, s session) load.Target {
	g := corpus.New(77).SetLevel(info.Scale.levelOf(0))
	var paths []string
	for i := 0; i < 64; i++ {
		p := g.Proposal()
		paths = append(paths, "/api/v1/proposals/similar?"+url.Values{"title": {p.Title}, "body": {p.Body}}.Encode())
	}
	return load.Target{Name: ScSimilar, Check: checkJSON, Request: func(_, i int) (*http.Request, error) {
		return get(base, paths[i%len(paths)], s)
	}}
}

// writeTarget files new proposals as a member (created and submitted in
// one call), and the chain transport accepts and assigns each as the
// office: one request of the run is one proposal through three steps, each
// with its event, notification and index entry.
func writeTarget(base string, info *Info, member, office session, workers int) (load.Target, http.RoundTripper) {
	gens := make([]*corpus.Generator, workers)
	level := info.Scale.levelOf(0)
	for w := range gens {
		gens[w] = corpus.New(int64(1000 + w)).SetLevel(level)
	}
	t := load.Target{Name: ScWrite, Check: checkJSON, Request: func(w, i int) (*http.Request, error) {
		p := gens[w].Proposal()
		return post(base+"/api/v1/proposals", member, map[string]any{"title": p.Title, "body": p.Body, "category": p.Category, "submit": true})
	}}
	return t, &chainTransport{next: load.NewClient(workers).Transport, base: base, office: office, units: info.Units}
}

type chainTransport struct {
	next   http.RoundTripper
	base   string
	office session
	units  []zhengxie.Unit
	n      atomic.Int64
}

func (c *chainTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := c.next.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusCreated {
		resp.Body = io.NopCloser(bytes.NewReader(body))
		return resp, nil
	}
	var p struct {
		ID    int64  `json:"id"`
		State string `json:"state"`
	}
	if err := json.Unmarshal(body, &p); err != nil || p.State != string(zhengxie.StateUnderReview) {
		return nil, fmt.Errorf("提交后状态为 %q（%v）", p.State, err)
	}
	unit := c.units[int(c.n.Add(1))%len(c.units)]
	steps := []struct {
		action string
		body   any
	}{
		{"accept", map[string]string{}},
		{"assign", map[string]any{"assignments": []map[string]any{{"unit_id": unit.ID, "kind": zhengxie.TaskLead}}}},
	}
	for i, st := range steps {
		r, err := post(fmt.Sprintf("%s/api/v1/proposals/%d/%s", c.base, p.ID, st.action), c.office, st.body)
		if err != nil {
			return nil, err
		}
		r = r.WithContext(req.Context())
		resp, err = c.next.RoundTrip(r)
		if err != nil || i == len(steps)-1 {
			return resp, err
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			resp.Body = io.NopCloser(bytes.NewReader(b))
			return resp, nil
		}
	}
	return resp, nil
}

// runFunc measures fn called in-process by conc goroutines, bounded like
// load.Run, and reports it as a load.Result.
func runFunc(ctx context.Context, name string, conc, maxReq int, dur time.Duration, fn func(worker, i int) error) load.Result {
	conc = max(conc, 1)
	var next atomic.Int64
	lat := make([][]time.Duration, conc)
	errs := make([]int, conc)
	var first atomic.Value
	start := time.Now()
	deadline := start.Add(dur)
	var wg sync.WaitGroup
	for w := 0; w < conc; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for ctx.Err() == nil {
				i := int(next.Add(1)) - 1
				if (maxReq > 0 && i >= maxReq) || (dur > 0 && time.Now().After(deadline)) {
					return
				}
				t0 := time.Now()
				err := fn(w, i)
				lat[w] = append(lat[w], time.Since(t0))
				if err != nil {
					errs[w]++
					first.CompareAndSwap(nil, err.Error())
				}
			}
		}(w)
	}
	wg.Wait()
	res := load.Result{Name: name, Elapsed: time.Since(start)}
	var all []time.Duration
	for w := range lat {
		all = append(all, lat[w]...)
		res.Errors += errs[w]
	}
	sort.Slice(all, func(i, j int) bool { return all[i] < all[j] })
	res.Requests = len(all)
	if len(all) > 0 {
		res.P50, res.P95, res.P99, res.Max = load.Percentile(all, 50), load.Percentile(all, 95), load.Percentile(all, 99), all[len(all)-1]
	}
	res.Throughput = float64(res.Requests-res.Errors) / res.Elapsed.Seconds()
	if f, ok := first.Load().(string); ok {
		res.FirstError = f
	}
	return res
}

// resultNote says what went wrong in a run, if anything.
func resultNote(r load.Result) string {
	var parts []string
	if r.Errors > 0 || r.Non2xx > 0 {
		parts = append(parts, fmt.Sprintf("失败 %d/%d：%.80s", r.Errors+r.Non2xx, r.Requests, strings.ReplaceAll(r.FirstError, "\n", " ")))
	}
	return strings.Join(parts, "；")
}
