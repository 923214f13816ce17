package zhengxie

import (
	"strings"
	"testing"
)

// TestDraftProblemsAllAtOnce: an empty proposal sent for submission has its
// three problems reported together, while ValidateSave and ValidateSubmit
// still return the error they always returned first.
func TestDraftProblemsAllAtOnce(t *testing.T) {
	long := strings.Repeat("长", MaxTitleRunes+1)
	body := strings.Repeat("建议", MinBodyRunes)
	cases := []struct {
		name       string
		d          Draft
		save, sub  []string // fields, in order
		firstSave  string   // message of ValidateSave's error
		firstSubmt string
	}{
		{"empty", Draft{Kind: KindIndividual}, []string{"title"}, []string{"title", "body", "category"}, "请填写案由", "请填写案由"},
		{"long title, short body, no category", Draft{Title: long, Body: "短", Kind: KindIndividual},
			[]string{"title"}, []string{"title", "body", "category"}, "案由不能超过50个字（现为51个字）", "案由不能超过50个字（现为51个字）"},
		{"only the category", Draft{Title: "关于某事的建议", Body: body, Kind: KindIndividual}, nil, []string{"category"}, "", "请选择提案类别"},
		{"joint without co-signers, unknown category", Draft{Title: "关于某事的建议", Body: "短", Kind: KindJoint, Category: "无此类别"},
			[]string{"cosigners"}, []string{"cosigners", "body", "category"}, "联名提案请至少邀请一位附议人", "联名提案请至少邀请一位附议人"},
		{"body as a body without name, bad bytes", Draft{Title: "关于某事的建议", Body: "坏\xff", Kind: KindBody, Category: "经济发展"},
			[]string{"body", "body_name"}, []string{"body", "body_name"}, "文字包含无效字符，请检查编码后重新输入", "文字包含无效字符，请检查编码后重新输入"},
		{"fine", Draft{Title: "关于某事的建议", Body: body, Kind: KindIndividual, Category: "经济发展"}, nil, nil, "", ""},
	}
	fields := func(es []*Error) []string {
		var out []string
		for _, e := range es {
			out = append(out, e.Field)
		}
		return out
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := fields(DraftProblems(c.d, false)); strings.Join(got, ",") != strings.Join(c.save, ",") {
				t.Errorf("problems for saving: %q, want %q", got, c.save)
			}
			if got := fields(DraftProblems(c.d, true)); strings.Join(got, ",") != strings.Join(c.sub, ",") {
				t.Errorf("problems for submitting: %q, want %q", got, c.sub)
			}
			for _, v := range []struct {
				what string
				err  error
				msg  string
				all  []string
			}{{"ValidateSave", ValidateSave(c.d), c.firstSave, c.save}, {"ValidateSubmit", ValidateSubmit(c.d), c.firstSubmt, c.sub}} {
				if v.msg == "" {
					if v.err != nil {
						t.Errorf("%s: %v, want nil", v.what, v.err)
					}
					continue
				}
				if ErrorCode(v.err) != EInvalid || ErrorMessage(v.err) != v.msg || ErrorField(v.err) != v.all[0] {
					t.Errorf("%s: %v, want %s on %s", v.what, v.err, v.msg, v.all[0])
				}
				if got := fields(FieldErrors(v.err)); strings.Join(got, ",") != strings.Join(v.all, ",") {
					t.Errorf("%s carries %q, want all of %q", v.what, got, v.all)
				}
			}
		})
	}
}
