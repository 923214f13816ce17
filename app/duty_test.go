package app_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"zhengxie"
	"zhengxie/app"
	"zhengxie/internal/testenv"
	"zhengxie/store"
)

// TestDutyWebhooksAndReminders: publishing an activity and signing in
// deliver activity.created and attendance.recorded; the checklist reminder
// of a day goes, once, to the members behind, and a day taken out of the
// rules sends nothing.
func TestDutyWebhooksAndReminders(t *testing.T) {
	ctx := context.Background()
	st := testenv.Open(t, testenv.SQLiteDSN(t))
	f := testenv.Seed(t, st)
	svc := f.Svc
	svc.EnableDuty()
	var mu sync.Mutex
	var got []string
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		got = append(got, r.Header.Get("X-Zhengxie-Event")+" "+string(b))
		mu.Unlock()
	}))
	defer hook.Close()
	admin, office := f.Actor(f.Admin), f.Actor(f.Office)
	if err := svc.SaveWebhook(ctx, admin, &store.WebhookSubscription{Name: "门户网站", URL: hook.URL, Events: []string{"activity.created", "attendance.recorded"}, Active: true}); err != nil {
		t.Fatal(err)
	}
	act := &zhengxie.Activity{Kind: zhengxie.ActivityMeeting, Title: "季度委员座谈会", StartsAt: time.Now().Add(20 * time.Minute)}
	if err := svc.CreateActivity(ctx, office, act, app.Invitation{All: true}); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.ActOnActivity(ctx, office, act.ID, zhengxie.ActPublishActivity, app.ActivityInput{}); err != nil {
		t.Fatal(err)
	}
	tok, _, err := svc.SignInToken(ctx, office, act.ID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.SignIn(ctx, f.Actor(f.Members[0]), act.ID, tok); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Jobs().RunDue(ctx); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	all := strings.Join(got, "\n")
	mu.Unlock()
	for _, want := range []string{"activity.created", "季度委员座谈会", "attendance.recorded", `"state":"signed_in"`} {
		if !strings.Contains(all, want) {
			t.Errorf("webhooks lack %q:\n%s", want, all)
		}
	}
	// Reminders: today is a reminder day; member1 has done one duty, all are behind.
	loc := zhengxie.ChinaTime()
	now := time.Now().In(loc)
	today := now.Format("01-02")
	rules := zhengxie.DefaultDutyRules(now.Year())
	rules.ReminderDates = []string{today}
	rules.Tasks = rules.Tasks[:2] // 为群众办实事, 提交提案
	if err := svc.SaveDutyRules(ctx, admin, &rules); err != nil {
		t.Fatal(err)
	}
	if err := svc.AddDutyRecord(ctx, office, &zhengxie.DutyRecord{UserID: f.Members[0].ID, Kind: zhengxie.RecordDeed, Title: "帮助社区修缮健身路径", Beneficiary: "东风社区居民",
		On: zhengxie.DateOf(now, loc)}); err != nil {
		t.Fatal(err)
	}
	// The job runs at nine; run the day's sending as the job would.
	n, err := svc.SendDutyReminders(ctx, f.Committee.ID, now.Year(), today)
	if err != nil || n != len(f.Members) {
		t.Fatalf("reminded %d members (%v), want all %d", n, err, len(f.Members))
	}
	ns, err := st.Notifications(ctx, f.Members[0].ID, 20)
	if err != nil {
		t.Fatal(err)
	}
	var text string
	for _, x := range ns {
		if strings.Contains(x.Title, "履职提醒") {
			text = x.Body
		}
	}
	if !strings.Contains(text, "提交提案（还差1件）") || strings.Contains(text, "为群众办实事") {
		t.Errorf("member1's reminder lists the wrong duties:\n%s", text)
	}
	jobs, _, err := st.Jobs(ctx, store.JobFilter{CommitteeID: f.Committee.ID, Kind: app.JobDutyReminder})
	if err != nil || len(jobs) != 1 {
		t.Errorf("reminder jobs: %d (%v), want the one of today", len(jobs), err)
	}
	rules.ReminderDates = []string{"12-31"}
	if now.Format("01-02") == "12-31" {
		rules.ReminderDates = []string{"12-30"}
	}
	if err := svc.SaveDutyRules(ctx, admin, &rules); err != nil {
		t.Fatal(err)
	}
	if n, _ := svc.SendDutyReminders(ctx, f.Committee.ID, now.Year(), today); n != 0 {
		t.Errorf("a day taken out of the rules still reminded %d members", n)
	}
}
