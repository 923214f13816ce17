package app

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"zhengxie"
	"zhengxie/store"
)

// MaxUpload is the largest attachment accepted.
const MaxUpload = 20 << 20

// allowedTypes maps a type detected from the content to a name for people.
// The file name's extension is not trusted.
var allowedTypes = map[string]string{
	"application/pdf":           "PDF",
	"image/png":                 "PNG图片",
	"image/jpeg":                "JPEG图片",
	mimeDocx:                    "Word文档(docx)",
	mimeXlsx:                    "Excel表格(xlsx)",
	"application/x-ole-storage": "Office文档(doc/xls)",
	"text/plain; charset=utf-8": "文本",
}

const (
	mimeDocx = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
	mimeXlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
)

// refusedExtensions are programs and scripts: refused whatever they hold,
// since a download keeps its name and a double click runs it.
var refusedExtensions = map[string]bool{
	".exe": true, ".dll": true, ".com": true, ".scr": true, ".msi": true, ".bat": true, ".cmd": true, ".ps1": true,
	".vbs": true, ".vbe": true, ".js": true, ".jse": true, ".wsf": true, ".hta": true, ".lnk": true, ".reg": true,
	".sh": true, ".bash": true, ".zsh": true, ".csh": true, ".py": true, ".pl": true, ".rb": true, ".php": true,
	".jar": true, ".apk": true, ".elf": true, ".so": true, ".dylib": true, ".app": true, ".deb": true, ".rpm": true,
	".docm": true, ".xlsm": true, ".pptm": true,
}

// executablePrefixes start programs of the common systems (Windows PE,
// ELF, Mach-O, Java classes) and shell or batch scripts.
var executablePrefixes = [][]byte{
	[]byte("MZ"), []byte("\x7fELF"), {0xFE, 0xED, 0xFA, 0xCE}, {0xFE, 0xED, 0xFA, 0xCF}, {0xCE, 0xFA, 0xED, 0xFE},
	{0xCF, 0xFA, 0xED, 0xFE}, {0xCA, 0xFE, 0xBA, 0xBE}, []byte("dex\n"), []byte("#!"), []byte("<?php"),
}

// scriptMarkers are the first words of scripts without a #! line.
var scriptMarkers = []string{"@echo off", "echo off", "powershell", "set -e", "rem ", "<job", "<package", "wscript.", "cscript"}

// executable reports whether the bytes are a program or a script.
func executable(b []byte) bool {
	head := bytes.TrimLeft(bytes.TrimPrefix(b, []byte("\xef\xbb\xbf")), " \t\r\n")
	for _, p := range executablePrefixes {
		if bytes.HasPrefix(head, p) {
			return true
		}
	}
	lower := strings.ToLower(string(head[:min(len(head), 64)]))
	for _, m := range scriptMarkers {
		if strings.HasPrefix(lower, m) {
			return true
		}
	}
	return false
}

// officeType tells a Word or Excel document by its inner structure: the
// package's [Content_Types].xml and the word/ or xl/ part. Any other ZIP,
// or a damaged one, is not an Office document.
func officeType(b []byte) string {
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		return ""
	}
	types, word, xl := false, false, false
	for _, f := range zr.File {
		switch {
		case f.Name == "[Content_Types].xml":
			types = true
		case f.Name == "word/document.xml":
			word = true
		case f.Name == "xl/workbook.xml":
			xl = true
		}
	}
	switch {
	case types && word && !xl:
		return mimeDocx
	case types && xl && !word:
		return mimeXlsx
	}
	return ""
}

// Upload is a file a user sent.
type Upload struct {
	Name string
	Data []byte
}

// StoredFile is an upload checked and written to the file store.
type StoredFile struct {
	Name   string
	MIME   string
	Size   int64
	SHA256 string
}

func (f *StoredFile) attachment(committeeID, proposalID, taskID, by int64) *store.Attachment {
	return &store.Attachment{CommitteeID: committeeID, ProposalID: proposalID, TaskID: taskID, Name: f.Name, MIME: f.MIME,
		Size: f.Size, SHA256: f.SHA256, CreatedBy: by}
}

// Files stores attachments on disk by content hash, outside any served folder.
type Files struct{ Dir string }

// detectType sniffs the content; OLE (old Word/Excel) is not known to net/http.
func detectType(b []byte) string {
	if bytes.HasPrefix(b, []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}) {
		return "application/x-ole-storage"
	}
	t := http.DetectContentType(b)
	if t == "application/zip" {
		if o := officeType(b); o != "" {
			return o
		}
		return t
	}
	if strings.HasPrefix(t, "text/plain") && utf8.Valid(b) {
		return "text/plain; charset=utf-8"
	}
	return t
}

// Check validates an upload by size and content.
func Check(u *Upload) (*StoredFile, error) {
	if len(u.Data) == 0 {
		return nil, zhengxie.FieldError("file", "上传的文件是空的")
	}
	if len(u.Data) > MaxUpload {
		return nil, zhengxie.FieldError("file", "文件不能超过%dMB", MaxUpload>>20)
	}
	name := filepath.Base(strings.ReplaceAll(u.Name, "\\", "/"))
	if refusedExtensions[strings.ToLower(filepath.Ext(name))] || executable(u.Data) {
		return nil, zhengxie.FieldError("file", "不能上传程序或脚本类型的文件（无论文件名如何），请上传PDF、Word、Excel、图片或文本文件")
	}
	mime := detectType(u.Data)
	if mime == "application/zip" {
		return nil, zhengxie.FieldError("file", "该压缩文件不是有效的Word或Excel文档（.docx/.xlsx），请另存为标准格式后上传")
	}
	if _, ok := allowedTypes[mime]; !ok {
		return nil, zhengxie.FieldError("file", "不支持此文件类型，请上传PDF、Word、Excel、图片或文本文件")
	}
	if name == "." || name == "/" || !utf8.ValidString(name) {
		name = "附件"
	}
	if r := []rune(name); len(r) > 100 {
		name = string(r[len(r)-100:])
	}
	sum := sha256.Sum256(u.Data)
	return &StoredFile{Name: name, MIME: mime, Size: int64(len(u.Data)), SHA256: hex.EncodeToString(sum[:])}, nil
}

// Put checks an upload and writes it (once per content) to the store.
func (f *Files) Put(u *Upload) (*StoredFile, error) {
	sf, err := Check(u)
	if err != nil {
		return nil, err
	}
	_, err = f.write(sf, u.Data)
	return sf, err
}

// write stores checked bytes under their hash; created says whether this
// call put them there (and may remove them again, see discard).
func (f *Files) write(sf *StoredFile, data []byte) (created bool, err error) {
	path := f.path(sf.SHA256)
	if _, err := os.Stat(path); err == nil {
		return false, nil
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
		return false, err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".upload-*")
	if err != nil {
		return false, err
	}
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return false, err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return false, err
	}
	tmp.Close()
	return true, os.Rename(tmp.Name(), path)
}

// discard removes a file this request created when its transaction did
// not commit, unless an attachment refers to the same content after all.
func (s *Service) discard(ctx context.Context, sf *StoredFile) {
	if n, err := s.Store.AttachmentsWithHash(ctx, sf.SHA256); err != nil || n > 0 {
		return
	}
	if err := os.Remove(s.Files.path(sf.SHA256)); err != nil && !os.IsNotExist(err) {
		s.Log.Warn("remove refused upload", "sha256", sf.SHA256, "err", err)
	}
}

// keepUpload writes a checked upload inside a transaction, once every check
// of the action has passed; undo, run when the transaction failed, leaves
// no file without its attachment row.
func (s *Service) keepUpload(ctx context.Context, sf *StoredFile, data []byte) (undo func(), err error) {
	created, err := s.Files.write(sf, data)
	if !created {
		return func() {}, err
	}
	return func() { s.discard(ctx, sf) }, err
}

// Open opens a stored file by hash.
func (f *Files) Open(sha string) (io.ReadSeekCloser, error) {
	if len(sha) != 64 {
		return nil, zhengxie.NotFound("附件")
	}
	return os.Open(f.path(sha))
}

func (f *Files) path(sha string) string { return filepath.Join(f.Dir, sha[:2], sha) }

// AddAttachment attaches a file to a draft proposal. The file reaches the
// disk only after the draft's checks passed, and leaves it if the
// transaction fails.
func (s *Service) AddAttachment(ctx context.Context, a zhengxie.Actor, id int64, u *Upload) (*store.Attachment, error) {
	sf, err := Check(u)
	if err != nil {
		return nil, err
	}
	var att *store.Attachment
	undo := func() {}
	_, err = s.act(ctx, a, id, zhengxie.ActSave, "上传附件："+sf.Name, nil, func(c *change) error {
		att = sf.attachment(c.p.CommitteeID, c.p.ID, 0, a.UserID)
		if err := c.tx.AddAttachment(att); err != nil {
			return err
		}
		var err error
		undo, err = s.keepUpload(ctx, sf, u.Data)
		return err
	})
	if err != nil {
		undo()
		return nil, err
	}
	return att, nil
}

// PutHashed stores bytes that claim a hash (an import); the claim is checked.
func (f *Files) PutHashed(sha string, r io.Reader) error {
	data, err := io.ReadAll(io.LimitReader(r, MaxUpload+1))
	if err != nil {
		return err
	}
	sum := sha256.Sum256(data)
	if hex.EncodeToString(sum[:]) != sha {
		return zhengxie.Errorf(zhengxie.EInvalid, "附件 %s 内容与其哈希不符", sha)
	}
	path := f.path(sha)
	if _, err := os.Stat(path); err == nil {
		return nil
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
		return err
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, data, 0o640); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}
