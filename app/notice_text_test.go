package app_test

import (
	"strings"
	"testing"

	"zhengxie"
	"zhengxie/internal/testenv"
)

// TestNoticesNeverDoublePunctuation walks the actions whose notices quote
// what a person wrote (a reason, an opinion), each written as people write
// it, ending in 。, and reads every notice the committee received: none may
// read “……。。” (it read 请重新办理。。 before).
func TestNoticesNeverDoublePunctuation(t *testing.T) {
	testenv.Engines(t, func(t *testing.T, dsn string) {
		w := newWorld(t, dsn)
		s := w.svc
		_, err := s.Reject(w.ctx, w.office(), w.underReview(0, "关于增设社区长者饭堂的建议").ID, "内容属于个人诉求，不符合立案条件。")
		w.must(err)
		_, err = s.Convert(w.ctx, w.office(), w.underReview(0, "关于优化公交站牌信息的建议").ID, "内容更适合作为意见建议办理。")
		w.must(err)
		_, ts := w.handling(0, "关于加强河涌整治的建议", w.lead(0))
		_, err = s.ReturnTask(w.ctx, w.unit(0), ts[0].ID, "该事项不属于本单位职责。")
		w.must(err)

		for _, c := range []struct{ value, note string }{
			{zhengxie.FeedbackUnsatisfied, "答复没有回应具体建议，请重新研究。"},
			{zhengxie.FeedbackSatisfied, "答复具体，已在落实。"},
		} {
			_, ts := w.handling(1, "关于"+zhengxie.FeedbackName(c.value)+"测评的建议", w.lead(1))
			_, err = s.AcceptTask(w.ctx, w.unit(1), ts[0].ID)
			w.must(err)
			_, err = s.Reply(w.ctx, w.unit(1), ts[0].ID, zhengxie.Reply{ResultClass: "A", Text: "已按建议组织落实。"}, nil)
			w.must(err)
			_, err = s.Feedback(w.ctx, w.member(1), ts[0].ID, c.value, c.note)
			w.must(err)
		}
		w.notice(w.f.UnitUsers[1], "重新办理：提案者对")

		users := append(append([]*zhengxie.User{w.f.Office, w.f.Leader, w.f.Admin}, w.f.Members...), w.f.UnitUsers...)
		seen := 0
		for _, u := range users {
			ns, err := w.st.Notifications(w.ctx, u.ID, 200)
			w.must(err)
			for _, n := range ns {
				seen++
				for _, bad := range []string{"。。", "：。", "。，", "，。"} {
					if strings.Contains(n.Title, bad) || strings.Contains(n.Body, bad) {
						t.Errorf("notice to %s reads %q: %q / %q", u.Name, bad, n.Title, n.Body)
					}
				}
			}
		}
		if seen < 6 {
			t.Fatalf("only %d notices were written: the walk no longer reaches the notices it checks", seen)
		}
	})
}
