package app

import (
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
	"application/zip":           "Office文档(docx/xlsx)",
	"application/x-ole-storage": "Office文档(doc/xls)",
	"text/plain; charset=utf-8": "文本",
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
	mime := detectType(u.Data)
	if _, ok := allowedTypes[mime]; !ok {
		return nil, zhengxie.FieldError("file", "不支持此文件类型，请上传PDF、Word、Excel、图片或文本文件")
	}
	name := filepath.Base(strings.ReplaceAll(u.Name, "\\", "/"))
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
	path := f.path(sf.SHA256)
	if _, err := os.Stat(path); err == nil {
		return sf, nil
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
		return nil, err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".upload-*")
	if err != nil {
		return nil, err
	}
	if _, err := tmp.Write(u.Data); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return nil, err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return nil, err
	}
	tmp.Close()
	return sf, os.Rename(tmp.Name(), path)
}

// Open opens a stored file by hash.
func (f *Files) Open(sha string) (io.ReadSeekCloser, error) {
	if len(sha) != 64 {
		return nil, zhengxie.NotFound("附件")
	}
	return os.Open(f.path(sha))
}

func (f *Files) path(sha string) string { return filepath.Join(f.Dir, sha[:2], sha) }

// AddAttachment attaches a file to a draft proposal.
func (s *Service) AddAttachment(ctx context.Context, a zhengxie.Actor, id int64, u *Upload) (*store.Attachment, error) {
	sf, err := s.Files.Put(u)
	if err != nil {
		return nil, err
	}
	var att *store.Attachment
	_, err = s.act(ctx, a, id, zhengxie.ActSave, "上传附件："+sf.Name, nil, func(c *change) error {
		att = sf.attachment(c.p.CommitteeID, c.p.ID, 0, a.UserID)
		return c.tx.AddAttachment(att)
	})
	return att, err
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
