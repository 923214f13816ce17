package notify

import (
	"strings"
	"testing"
)

// TestNoDoubledPunctuation renders every template with the free texts
// written as people write them, ending in 。, and for every result: a
// template must not add its own 。 after a text that already has one.
func TestNoDoubledPunctuation(t *testing.T) {
	for _, name := range Names() {
		for _, result := range []string{"满意", "基本满意", "不满意", "A"} {
			d := sampleData()
			d.Reason = "内容属于个人诉求，建议通过信访渠道反映。"
			d.Result = result
			subject, text, err := Render(name, d)
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			for _, bad := range []string{"。。", "：。", "。，", "，。"} {
				if strings.Contains(subject+"\n"+text, bad) {
					t.Errorf("%s (result %s) reads %q:\n%s\n%s", name, result, bad, subject, text)
				}
			}
		}
	}
}
