package app_test

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"testing"

	"zhengxie"
	"zhengxie/app"
	"zhengxie/internal/testenv"
)

// zipOf builds a ZIP holding the named parts.
func zipOf(t *testing.T, names ...string) []byte {
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	for _, n := range names {
		f, err := zw.Create(n)
		if err != nil {
			t.Fatal(err)
		}
		f.Write([]byte("<?xml version=\"1.0\"?><x/>"))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestUploadRefusesProgramsAndFakeOffice: programs and scripts are refused
// whatever their name, and an Office file is judged by its inner parts.
func TestUploadRefusesProgramsAndFakeOffice(t *testing.T) {
	docx := zipOf(t, "[Content_Types].xml", "_rels/.rels", "word/document.xml")
	xlsx := zipOf(t, "[Content_Types].xml", "_rels/.rels", "xl/workbook.xml", "xl/worksheets/sheet1.xml")
	bad := []struct {
		name string
		data []byte
	}{
		{"fake.pdf", []byte("#!/bin/sh\nrm -rf ~\n")},
		{"说明.txt", []byte("\xef\xbb\xbf#!/usr/bin/env python3\nprint(1)\n")},
		{"run.txt", []byte("@echo off\r\ndel /q C:\\*\r\n")},
		{"报告.docx", append([]byte("\x7fELF\x02\x01\x01"), make([]byte, 64)...)},
		{"清单.txt", []byte("只是文字，但名字是脚本")},
		{"install.sh", []byte("echo hello\n")},
		{"工具.exe", tinyPDF},
		{"随便.docx", zipOf(t, "readme.txt")},
		{"半个.docx", zipOf(t, "[Content_Types].xml")},
		{"表格.xlsx", zipOf(t, "xl/workbook.xml")},
	}
	bad[4].name = "清单.bat"
	for _, c := range bad {
		if _, err := app.Check(&app.Upload{Name: c.name, Data: c.data}); zhengxie.ErrorField(err) != "file" {
			t.Errorf("%s accepted: %v", c.name, err)
		}
	}
	for name, want := range map[string]struct {
		data []byte
		mime string
	}{
		"提案附件.docx": {docx, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"},
		"数据表.xlsx":  {xlsx, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
	} {
		sf, err := app.Check(&app.Upload{Name: name, Data: want.data})
		if err != nil || sf.MIME != want.mime {
			t.Errorf("%s: (%+v, %v), want %s", name, sf, err, want.mime)
		}
	}
}

// TestRefusedUploadLeavesNoFile: when a later check refuses the action,
// the upload does not stay on disk without its attachment.
func TestRefusedUploadLeavesNoFile(t *testing.T) {
	testenv.Engines(t, func(t *testing.T, dsn string) {
		w := newWorld(t, dsn)
		s := w.svc
		onDisk := func(data []byte) bool {
			sum := sha256.Sum256(data)
			h := hex.EncodeToString(sum[:])
			_, err := os.Stat(filepath.Join(s.Files.Dir, h[:2], h))
			return err == nil
		}
		p := w.underReview(0, "关于建设城市书房的建议")
		letter := append(append([]byte(nil), tinyPDF...), []byte("%孤儿测试一\n")...)
		_, err := s.AddAttachment(w.ctx, w.member(0), p.ID, &app.Upload{Name: "补充材料.pdf", Data: letter})
		wantCode(t, "attaching after submission", err, zhengxie.EIllegal)
		if onDisk(letter) {
			t.Error("a refused attachment stayed on disk")
		}
		_, err = s.AddAttachment(w.ctx, w.member(1), p.ID, &app.Upload{Name: "补充材料.pdf", Data: letter})
		wantCode(t, "another member attaching", err, zhengxie.ENotFound)
		if onDisk(letter) {
			t.Error("an attachment refused as not found stayed on disk")
		}

		// A reply refused because the co-handling opinion is missing keeps no letter.
		_, ts := w.handling(0, "关于改善背街小巷环境的建议", w.lead(0), w.co(1))
		_, err = s.AcceptTask(w.ctx, w.unit(0), ts[0].ID)
		w.must(err)
		reply := append(append([]byte(nil), tinyPDF...), []byte("%孤儿测试二\n")...)
		_, err = s.Reply(w.ctx, w.unit(0), ts[0].ID, zhengxie.Reply{ResultClass: "A", Text: "已整治。"}, &app.Upload{Name: "答复函.pdf", Data: reply})
		wantCode(t, "lead reply before the opinion", err, zhengxie.EIllegal)
		if onDisk(reply) {
			t.Error("a refused reply letter stayed on disk")
		}
		// And an accepted one is there.
		d := w.draft(0, testenv.Draft("关于增设社区食堂的建议"))
		_, err = s.AddAttachment(w.ctx, w.member(0), d.ID, &app.Upload{Name: "补充材料.pdf", Data: letter})
		w.must(err)
		if !onDisk(letter) {
			t.Error("an accepted attachment is not on disk")
		}
	})
}
