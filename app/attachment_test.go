package app_test

import (
	"bytes"
	"fmt"
	"image"
	"image/png"
	"io"
	"strings"
	"testing"

	"zhengxie"
	"zhengxie/app"
	"zhengxie/internal/testenv"
	"zhengxie/store"
)

// tinyPDF is a real one-page PDF, with a correct cross-reference table.
var tinyPDF = func() []byte {
	objs := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
	}
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
	var offsets []int
	for i, o := range objs {
		offsets = append(offsets, b.Len())
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, o := range offsets {
		fmt.Fprintf(&b, "%010d 00000 n \n", o)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, xref)
	return b.Bytes()
}()

// windowsExe starts like every Windows program.
var windowsExe = append([]byte("MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00\xb8\x00\x00\x00\x00\x00\x00\x00@\x00"),
	append(make([]byte, 34), []byte("This program cannot be run in DOS mode.\r\r\n$")...)...)

// oversized is one byte more than an upload may have (the web handler
// reads at most that much).
func oversized() []byte {
	b := make([]byte, app.MaxUpload+1)
	copy(b, tinyPDF)
	return b
}

func tinyPNG(t *testing.T) []byte {
	var b bytes.Buffer
	if err := png.Encode(&b, image.NewGray(image.Rect(0, 0, 2, 2))); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestUploadChecks: files are judged by their content, not their name.
func TestUploadChecks(t *testing.T) {
	testenv.Engines(t, func(t *testing.T, dsn string) {
		w := newWorld(t, dsn)
		s := w.svc
		d := w.draft(0, testenv.Draft("关于完善生物岛交通体系的建议"))
		add := func(name string, data []byte) (*store.Attachment, error) {
			return s.AddAttachment(w.ctx, w.member(0), d.ID, &app.Upload{Name: name, Data: data})
		}
		bad := []struct {
			name string
			data []byte
		}{
			{"空文件.pdf", nil},
			{"调研报告.pdf", windowsExe},
			{"说明.txt", []byte("<html><body><script>alert(document.cookie)</script></body></html>")},
			{"超大附件.pdf", oversized()},
		}
		for _, c := range bad {
			_, err := add(c.name, c.data)
			wantField(t, "upload "+c.name, err, "file")
			if err != nil && !strings.ContainsAny(zhengxie.ErrorMessage(err), "空类型MB") {
				t.Errorf("%s: message %q does not say what is wrong", c.name, zhengxie.ErrorMessage(err))
			}
			if len(c.data) > app.MaxUpload && !strings.Contains(zhengxie.ErrorMessage(err), "20MB") {
				t.Errorf("the size message should give the limit: %v", err)
			}
		}

		good := []struct {
			name, sent, mime string
			data             []byte
		}{
			{"调研报告.pdf", "调研报告.pdf", "application/pdf", tinyPDF},
			{"提案附件.pdf", `..\..\Windows\提案附件.pdf`, "application/pdf", tinyPDF},
			{"现场照片.png", "/etc/现场照片.png", "image/png", tinyPNG(t)},
			{"数据说明.txt", "数据说明.txt", "text/plain; charset=utf-8", []byte("2019年生物岛日均客流约25000人次。\n")},
			// Named as a picture, but text: stored as text, never as an image
			// or SVG that a browser would render (downloads are also nosniff).
			{"示意图.png", "示意图.png", "text/plain; charset=utf-8", []byte(`<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`)},
		}
		for _, c := range good {
			a, err := add(c.sent, c.data)
			if err != nil {
				t.Errorf("upload %s: %v", c.sent, err)
				continue
			}
			if a.Name != c.name || a.MIME != c.mime || a.Size != int64(len(c.data)) || len(a.SHA256) != 64 {
				t.Errorf("stored %q as %+v", c.sent, a)
			}
			f, err := w.svc.Files.Open(a.SHA256)
			w.must(err)
			got, err := io.ReadAll(f)
			f.Close()
			w.must(err)
			if !bytes.Equal(got, c.data) {
				t.Errorf("%s: stored bytes differ", c.name)
			}
		}
		atts, err := w.st.Attachments(w.ctx, w.f.Committee.ID, d.ID)
		w.must(err)
		if len(atts) != len(good) {
			t.Errorf("%d attachments stored, want %d (refused uploads must leave nothing)", len(atts), len(good))
		}
		// Attachments belong to the draft: after submission the file is fixed.
		_, err = s.Submit(w.ctx, w.member(0), d.ID)
		w.must(err)
		_, err = add("补充.pdf", tinyPDF)
		wantCode(t, "attaching after submission", err, zhengxie.EIllegal)
	})
}

// TestPublicAttachments: the public reads the reply letters of a published
// proposal, never the proposer's own attachments nor the internal opinion
// a co-handling unit sent to the lead unit.
func TestPublicAttachments(t *testing.T) {
	testenv.Engines(t, func(t *testing.T, dsn string) {
		w := newWorld(t, dsn)
		s := w.svc
		d := w.draft(0, testenv.Draft("关于规范第三方医学检验检测的建议"))
		own, err := s.AddAttachment(w.ctx, w.member(0), d.ID, &app.Upload{Name: "调研数据（含联系人电话）.txt", Data: []byte("联系人：陈委员 13912345678\n")})
		w.must(err)
		_, err = s.Submit(w.ctx, w.member(0), d.ID)
		w.must(err)
		_, err = s.Accept(w.ctx, w.office(), d.ID, "")
		w.must(err)
		_, err = s.Assign(w.ctx, w.office(), d.ID, []zhengxie.Assignment{w.lead(0), w.co(1)}, "")
		w.must(err)
		ts := w.tasks(d.ID)
		leadTask, coTask := ts[0], ts[1]
		for i, tk := range ts {
			_, err := s.AcceptTask(w.ctx, w.unit(i), tk.ID)
			w.must(err)
		}
		_, err = s.Reply(w.ctx, w.unit(1), coTask.ID, zhengxie.Reply{Text: "会办意见：建议由主办单位牵头制定检验检测机构监管办法。"},
			&app.Upload{Name: "会办意见函.pdf", Data: append(append([]byte{}, tinyPDF...), "% co\n"...)})
		w.must(err)
		_, err = s.Reply(w.ctx, w.unit(0), leadTask.ID, zhengxie.Reply{ResultClass: "A", Text: "已出台监管办法，联系人电话020-82112345。"},
			&app.Upload{Name: "答复函.pdf", Data: tinyPDF})
		w.must(err)
		_, err = s.Feedback(w.ctx, w.member(0), leadTask.ID, zhengxie.FeedbackSatisfied, "")
		w.must(err)
		_, err = s.Conclude(w.ctx, w.office(), d.ID, "")
		w.must(err)

		all, err := w.st.Attachments(w.ctx, w.f.Committee.ID, d.ID)
		w.must(err)
		var letter, opinion store.Attachment
		for _, a := range all {
			switch a.TaskID {
			case leadTask.ID:
				letter = a
			case coTask.ID:
				opinion = a
			}
		}
		if len(all) != 3 || letter.ID == 0 || opinion.ID == 0 {
			t.Fatalf("attachments: %+v", all)
		}

		// Before publication the public sees nothing at all.
		_, err = s.Proposal(w.ctx, w.public(), d.ID)
		wantCode(t, "the public before publication", err, zhengxie.ENotFound)
		w.must(s.CanDownload(w.ctx, w.member(0), own))
		_, err = s.Publish(w.ctx, w.office(), d.ID)
		w.must(err)

		v, err := s.Proposal(w.ctx, w.public(), d.ID)
		w.must(err)
		var names []string
		for _, a := range v.Attachments {
			names = append(names, a.Name)
		}
		if len(v.Attachments) != 1 || v.Attachments[0].ID != letter.ID {
			t.Errorf("the public sees attachments %v, want only the reply letter 答复函.pdf", names)
		}
		if !v.Public || len(v.Events) != 0 || len(v.Contacts) != 0 {
			t.Errorf("public view: public=%v events=%d contacts=%d", v.Public, len(v.Events), len(v.Contacts))
		}
		for _, tk := range v.Tasks {
			if tk.Kind == zhengxie.TaskCo {
				t.Errorf("the public sees the co-handling opinion: %+v", tk)
			}
			if strings.Contains(tk.ReplyText, "82112345") {
				t.Errorf("the reply's phone number is published: %q", tk.ReplyText)
			}
		}

		for _, c := range []struct {
			who  string
			a    zhengxie.Actor
			att  store.Attachment
			code string
		}{
			{"public, reply letter", w.public(), letter, ""},
			{"public, proposer's file", w.public(), *own, zhengxie.ENotFound},
			{"public, co-handling opinion", w.public(), opinion, zhengxie.ENotFound},
			{"another member, proposer's file", w.member(3), *own, zhengxie.ENotFound},
			{"a unit without a task, proposer's file", w.unit(2), *own, zhengxie.ENotFound},
			{"the proposer, own file", w.member(0), *own, ""},
			{"the office, proposer's file", w.office(), *own, ""},
			{"the lead unit, proposer's file", w.unit(0), *own, ""},
			{"the lead unit, co-handling opinion", w.unit(0), opinion, ""},
		} {
			err := s.CanDownload(w.ctx, c.a, &c.att)
			wantCode(t, c.who, err, c.code)
		}
	})
}
