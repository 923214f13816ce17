package web

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"strings"
	"time"

	"zhengxie"
	"zhengxie/app"
	"zhengxie/web/assets"
)

//go:embed templates
var templateFS embed.FS

// pages holds one template set per page: the layout plus the page.
type pages struct{ set map[string]*template.Template }

var funcs = template.FuncMap{
	"asset":        assets.URL,
	"stateName":    func(s zhengxie.State) string { return s.Name() },
	"taskState":    func(s zhengxie.TaskState) string { return s.Name() },
	"kindName":     zhengxie.KindName,
	"taskKindName": zhengxie.TaskKindName,
	"resultName":   zhengxie.ResultClassName,
	"feedbackName": zhengxie.FeedbackName,
	"actionName":   func(a string) string { return zhengxie.Action(a).Name() },
	"roleName":     func(r zhengxie.Role) string { return zhengxie.RoleName(r) },
	"number":       zhengxie.FormatNumber,
	"datetime": func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.In(zhengxie.ChinaTime()).Format("2006-01-02 15:04")
	},
	"date": func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.In(zhengxie.ChinaTime()).Format("2006-01-02")
	},
	"paragraphs": func(s string) []string {
		var out []string
		for _, line := range strings.Split(s, "\n") {
			if line = strings.TrimSpace(line); line != "" {
				out = append(out, line)
			}
		}
		return out
	},
	"has": func(list any, x string) bool {
		switch l := list.(type) {
		case []zhengxie.Action:
			for _, a := range l {
				if string(a) == x {
					return true
				}
			}
		case []zhengxie.TaskAction:
			for _, a := range l {
				if string(a) == x {
					return true
				}
			}
		}
		return false
	},
	// submitProblems are what still stops a draft from being submitted, so
	// that its page says so instead of asking to confirm a doomed submission.
	"submitProblems": func(p *zhengxie.Proposal, cs []zhengxie.Cosigner) []string {
		var out []string
		for _, e := range zhengxie.DraftProblems(app.DraftOf(p, cs), true) {
			out = append(out, e.Message)
		}
		return out
	},
	"add":  func(a, b int) int { return a + b },
	"size": func(n int64) string { return humanSize(n) },
	"dict": func(kv ...any) map[string]any {
		m := map[string]any{}
		for i := 0; i+1 < len(kv); i += 2 {
			m[fmt.Sprint(kv[i])] = kv[i+1]
		}
		return m
	},
}

func humanSize(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.0f KB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d B", n)
}

func mustParsePages() *pages {
	ps := &pages{set: map[string]*template.Template{}}
	names, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		panic(err)
	}
	base := template.Must(template.New("").Funcs(funcs).ParseFS(templateFS, "templates/layout/*.html"))
	for _, n := range names {
		name := strings.TrimSuffix(strings.TrimPrefix(n, "templates/"), ".html")
		t := template.Must(template.Must(base.Clone()).ParseFS(templateFS, n))
		ps.set[name] = t
	}
	return ps
}

// Page is what every page template gets.
type Page struct {
	V      *Viewer
	Title  string
	Unread int
	Nav    string
	Flash  string
	Error  string
	D      any
}

var flashes = map[string]string{
	"saved": "草稿已保存。", "submitted": "提案已提交。", "withdrawn": "提案已撤回。", "cosign": "已确认附议。",
	"decline_cosign": "已谢绝附议。", "accept": "已立案。", "reject": "已作不予立案处理，理由已告知提案人。",
	"merge": "已并案。", "convert": "已转为意见建议。", "assign": "已交办。", "conclude": "已办结。",
	"publish": "已公开。", "unpublish": "已撤销公开。", "archive": "已归档，案卷不可再更改。", "accept_task": "已签收。",
	"return_task": "已退回，等待提案委员会改办。", "contact": "沟通记录已保存。", "reply": "答复已提交。", "release_lead": "已准予主办单位先行答复。",
	"feedback": "测评已提交，谢谢。", "uploaded": "附件已上传。", "close_cosign": "附议已截止，提案进入审查。",
	"loggedout":   "您已退出登录。",
	"user_logout": "已强制该用户下线，其API令牌已全部撤销。", "user_revoke_tokens": "已撤销该用户的全部API令牌。",
	"token_revoked": "API令牌已撤销，使用它的集成系统将立即无法调用接口。", "tokens_revoked": "您的全部API令牌已撤销。", "user_disable": "账号已停用。", "user_enable": "账号已启用。", "user_role": "角色已调整，该用户需重新登录，其API令牌已撤销。",
	"user_totp_off": "已关闭该用户的动态验证码。", "password_changed": "密码已修改。", "totp_enabled": "动态验证码已启用。", "totp_disabled": "动态验证码已关闭。",
}

// render writes a page with the layout. data is the page's own data, or a
// *Page when the handler sets title and flash itself.
func (s *Server) render(w http.ResponseWriter, r *http.Request, name string, data any) {
	t, ok := s.pages.set[name]
	if !ok {
		panic("no template " + name)
	}
	p, ok := data.(*Page)
	if !ok {
		p = &Page{D: data}
	}
	p.V = viewerOf(r)
	if p.Flash == "" {
		p.Flash = flashes[r.URL.Query().Get("flash")]
	}
	if p.V.User != nil {
		p.Unread, _ = s.Svc.Store.UnreadCount(r.Context(), p.V.User.ID)
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", p); err != nil {
		s.Log.Error("render", "page", name, "err", err)
		http.Error(w, "页面生成失败", http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	w.Write(buf.Bytes())
}
