package app_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"zhengxie/app"
	"zhengxie/internal/testenv"
	"zhengxie/notify"
	"zhengxie/store"
)

// TestNoticeReturnedTaskReachesEveryChannel: a unit's 退回 was an in-app
// message only. Now it is one notice, rendered once from its template,
// that reaches the office in the app, by e-mail and by SMS, and the
// integrations by webhook, all from the one job row written with the
// return; running that job twice sends nothing twice.
func TestNoticeReturnedTaskReachesEveryChannel(t *testing.T) {
	port, dir := svStartSMTP(t)
	w := newSvWorld(t, testenv.SQLiteDSN(t))
	ctx, s := w.ctx, w.svc
	s.Jobs().SetChannels(app.Channels{SMS: w.sms, SMSName: "测试", Mailer: &notify.Mailer{Host: "127.0.0.1", Port: port,
		Username: svSMTPUser, Password: svSMTPPass, From: "提案委员会 <tian@zx.example.cn>", Timeout: 5 * time.Second}})
	var mu sync.Mutex
	var hooks []map[string]any
	recv := httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		var m map[string]any
		json.Unmarshal(b, &m)
		mu.Lock()
		hooks = append(hooks, m)
		mu.Unlock()
	}))
	defer recv.Close()
	w.must(s.SaveWebhook(ctx, w.actor(w.f.Admin), &store.WebhookSubscription{Name: "政协云平台", URL: recv.URL, Events: []string{"task.returned"}, Active: true}))
	office := w.f.Office
	w.must(s.SaveNotifySettings(ctx, w.actor(office), office.Email, office.Phone, true, true))
	// Nobody else takes e-mail or SMS, so that what arrives is the return.
	for _, m := range w.f.Members[:1] {
		w.must(s.SaveNotifySettings(ctx, w.actor(m), m.Email, "", false, false))
	}
	w.must(s.SaveNotifySettings(ctx, w.unit(0), w.f.UnitUsers[0].Email, "", false, false))

	_, ts := w.assigned(0, "关于规范共享单车停放管理的建议", w.lead(0))
	if _, err := s.Jobs().RunDue(ctx); err != nil {
		t.Fatal(err)
	}
	before := len(w.jobs("", ""))
	reason := "共享单车停放管理属城市管理部门职责，建议改由区城市管理局主办。"
	if _, err := s.ReturnTask(ctx, w.unit(0), ts[0].ID, reason); err != nil {
		t.Fatal(err)
	}
	// One job row for the return, written in its transaction.
	notices := w.jobs(app.JobNotice, store.JobPending)
	if len(notices) != 1 || len(w.jobs("", "")) != before+1 {
		t.Fatalf("the return queued %d jobs (%d notices)", len(w.jobs("", ""))-before, len(notices))
	}
	ns, err := w.st.Notifications(ctx, office.ID, 10)
	w.must(err)
	if len(ns) == 0 || !strings.HasPrefix(ns[0].Title, "交办退回：") || !strings.Contains(ns[0].Body, reason) {
		t.Fatalf("the office's in-app notice: %+v", ns)
	}
	inApp := ns[0]
	for i := range 2 {
		if _, err := s.Jobs().RunDue(ctx); err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			// Run the notice again, as after a crash between its fan-out
			// and its completion: the keys of its deliveries stop repeats.
			_, err := w.st.DB().ExecContext(ctx, `UPDATE jobs SET state = 'pending', run_at = 0 WHERE id = ?`, notices[0].ID)
			w.must(err)
		}
	}
	if j, err := w.st.Job(ctx, w.f.Committee.ID, notices[0].ID); err != nil || j.Attempts != 2 || j.State != store.JobDone {
		t.Fatalf("the notice did not run twice: %+v %v", j, err)
	}
	// The same rendering everywhere: the SMS is the subject, the mail the letter.
	svWant(t, "SMS", w.sms.messages(), []string{office.Phone + " " + inApp.Title})
	mails := svMails(t, dir)
	if len(mails) != 1 || mails[0].To[0] != office.Email {
		t.Fatalf("mails: %+v", mails)
	}
	subject, body := svDecode(t, mails[0].Data)
	if subject != inApp.Title || body != inApp.Body {
		t.Errorf("mail differs from the in-app notice:\n%s\n%s\nin-app:\n%s\n%s", subject, body, inApp.Title, inApp.Body)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(hooks) != 1 || hooks[0]["event"] != "task.returned" {
		t.Fatalf("webhooks: %+v", hooks)
	}
	data, _ := hooks[0]["data"].(map[string]any)
	if data["reason"] != reason || data["task_id"] != float64(ts[0].ID) {
		t.Errorf("task.returned data: %+v", data)
	}
}
