package app_test

import (
	"encoding/csv"
	"os"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"zhengxie"
	"zhengxie/internal/testenv"
)

// readRows reads a CSV of ../shared/data into maps by column.
func readRows(t *testing.T, name string) []map[string]string {
	t.Helper()
	f, err := os.Open(testenv.SharedData(t, name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.LazyQuotes = true
	r.FieldsPerRecord = -1
	recs, err := r.ReadAll()
	if err != nil || len(recs) < 2 {
		t.Fatalf("%s: %v", name, err)
	}
	var out []map[string]string
	for _, rec := range recs[1:] {
		m := map[string]string{}
		for i, h := range recs[0] {
			if i < len(rec) {
				m[strings.TrimPrefix(strings.TrimSpace(h), "\ufeff")] = strings.TrimSpace(rec[i])
			}
		}
		out = append(out, m)
	}
	return out
}

// TestPublishRealTexts files a real proposal, to which its author added a
// contact line, gets a real government reply that gives an office's phone
// number, and publishes both: the public reads every word of the proposal
// and the reply except the contact details.
func TestPublishRealTexts(t *testing.T) {
	proposals := readRows(t, "proposals_jiangsu_2019.csv")
	replies := readRows(t, "citizen_messages_with_replies.csv")
	var d zhengxie.Draft
	for _, r := range proposals {
		d = zhengxie.Draft{Title: r["reason"], Body: r["content"], Category: r["type"]}
		d.Normalize()
		if zhengxie.ValidateSubmit(d) == nil && utf8.RuneCountInString(d.Body) > 2000 {
			break
		}
	}
	original := d.Body
	d.Body += "\n联系人：陈委员，手机13912345678，邮箱chenwy@example.com"
	phone := regexp.MustCompile(`(电话|咨询|致电)[：:]?\d{4}-\d{8}`)
	var reply string
	for _, r := range replies {
		if phone.MatchString(r["答复意见"]) && utf8.RuneCountInString(r["答复意见"]) > 100 {
			reply = r["答复意见"]
			break
		}
	}
	if reply == "" {
		t.Fatal("no real reply with a phone number found")
	}

	testenv.Engines(t, func(t *testing.T, dsn string) {
		w := newWorld(t, dsn)
		s := w.svc
		p, err := s.CreateDraft(w.ctx, w.member(0), d)
		w.must(err)
		_, err = s.Submit(w.ctx, w.member(0), p.ID)
		w.must(err)
		_, err = s.Accept(w.ctx, w.office(), p.ID, "")
		w.must(err)
		_, err = s.Assign(w.ctx, w.office(), p.ID, []zhengxie.Assignment{w.lead(0)}, "")
		w.must(err)
		tk := w.tasks(p.ID)[0]
		_, err = s.AcceptTask(w.ctx, w.unit(0), tk.ID)
		w.must(err)
		_, err = s.Reply(w.ctx, w.unit(0), tk.ID, zhengxie.Reply{ResultClass: "B", Text: reply}, nil)
		w.must(err)
		_, err = s.Feedback(w.ctx, w.member(0), tk.ID, zhengxie.FeedbackBasically, "")
		w.must(err)
		_, err = s.Conclude(w.ctx, w.office(), p.ID, "")
		w.must(err)
		_, err = s.Publish(w.ctx, w.office(), p.ID)
		w.must(err)

		pub, err := s.Proposal(w.ctx, w.public(), p.ID)
		w.must(err)
		if !strings.HasPrefix(pub.P.Body, original) {
			t.Errorf("the published body differs from what the member wrote near %q", diffAt(original, pub.P.Body))
		}
		for _, secret := range []string{"13912345678", "chenwy@example.com"} {
			if strings.Contains(pub.P.Body, secret) {
				t.Errorf("the published body contains %q", secret)
			}
		}
		if pub.P.Title != d.Title {
			t.Errorf("title %q, want %q", pub.P.Title, d.Title)
		}
		if len(pub.Tasks) != 1 {
			t.Fatalf("public tasks: %+v", pub.Tasks)
		}
		if m := phone.FindAllString(pub.Tasks[0].ReplyText, -1); len(m) > 0 {
			t.Errorf("the published reply contains phone numbers %q", m)
		}
		if n := utf8.RuneCountInString(pub.Tasks[0].ReplyText); n < utf8.RuneCountInString(reply)-40 {
			t.Errorf("the published reply lost text: %d of %d characters", n, utf8.RuneCountInString(reply))
		}
		// The proposer and the office still read what was written.
		own, err := s.Proposal(w.ctx, w.member(0), p.ID)
		w.must(err)
		if own.P.Body != d.Body || own.Tasks[0].ReplyText != reply {
			t.Error("the proposer's own view must not be redacted")
		}
	})
}

func diffAt(a, b string) string {
	ra, rb := []rune(a), []rune(b)
	i := 0
	for i < len(ra) && i < len(rb) && ra[i] == rb[i] {
		i++
	}
	return string(ra[max(i-10, 0):min(i+20, len(ra))])
}
