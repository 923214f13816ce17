package store

import (
	"archive/zip"
	"bufio"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"

	"zhengxie"
)

// committeeTables are the tables that hold one committee's data, in an
// order that respects foreign keys on import. Login sessions are left out:
// moving a committee logs everyone out.
var committeeTables = []string{"committees", "sessions", "sectors", "units", "users", "api_tokens", "proposals",
	"number_counters", "cosigners", "tasks", "contacts", "attachments", "events", "notifications", "jobs",
	"committee_settings", "task_alerts", "extensions", "key_proposals", "key_steps", "key_notes", "notify_prefs",
	"webhook_subscriptions", "webhook_deliveries", "reply_versions", "dict_words",
	// Duty (0011).
	"special_committees", "stations", "member_profiles", "org_members", "activities", "attendance", "activity_links", "activity_files",
	"duty_records", "duty_rules", "duty_scores", "duty_runs"}

// ExportFormat is the version of the export archive.
const ExportFormat = 1

// Manifest describes an export archive.
type Manifest struct {
	Format    int                 `json:"format"`
	Committee string              `json:"committee"`
	Name      string              `json:"name"`
	Engine    string              `json:"engine"`
	Rows      map[string]int      `json:"rows"`
	Files     []string            `json:"files"`
	Columns   map[string][]string `json:"columns"`
}

func tableFilter(table string) string {
	if table == "committees" {
		return "id = ?"
	}
	return "committee_id = ?"
}

// TableRows returns every row of a committee's table as maps of column to
// value (int64 or string), ordered by the table's natural key, so that two
// databases can be compared and exported alike.
func (s *Store) TableRows(ctx context.Context, table string, committeeID int64) ([]string, [][]any, error) {
	order := "id"
	switch table {
	case "number_counters":
		order = "session_id"
	case "cosigners":
		order = "proposal_id, user_id"
	default:
		if k, ok := dutyTableOrder[table]; ok {
			order = k
		}
	}
	rows, err := s.w.QueryContext(ctx, s.dialect.rebind(`SELECT * FROM `+table+` WHERE `+tableFilter(table)+` ORDER BY `+order), committeeID)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return nil, nil, err
	}
	var out [][]any
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return nil, nil, err
		}
		for i, v := range vals {
			switch x := v.(type) {
			case []byte:
				vals[i] = string(x)
			case int32:
				vals[i] = int64(x)
			case int:
				vals[i] = int64(x)
			}
		}
		out = append(out, vals)
	}
	return cols, out, rows.Err()
}

// FileSource gives the bytes of an attachment by hash; FileSink stores them.
type FileSource interface {
	Open(sha string) (io.ReadSeekCloser, error)
}

// FileSink stores imported attachment bytes.
type FileSink interface {
	PutHashed(sha string, r io.Reader) error
}

// ExportCommittee writes one committee — every row and every attachment — to
// a zip archive.
func (s *Store) ExportCommittee(ctx context.Context, code string, files FileSource, w io.Writer, progress func(table string)) (*Manifest, error) {
	c, err := s.CommitteeByCode(ctx, code)
	if err != nil {
		return nil, err
	}
	m := &Manifest{Format: ExportFormat, Committee: c.Code, Name: c.Name, Engine: s.Engine(), Rows: map[string]int{}, Columns: map[string][]string{}}
	zw := zip.NewWriter(w)
	hashes := map[string]bool{}
	for _, t := range committeeTables {
		if progress != nil {
			progress(t)
		}
		cols, rows, err := s.TableRows(ctx, t, c.ID)
		if err != nil {
			return nil, fmt.Errorf("导出 %s: %w", t, err)
		}
		m.Columns[t], m.Rows[t] = cols, len(rows)
		f, err := zw.Create("tables/" + t + ".jsonl")
		if err != nil {
			return nil, err
		}
		bw := bufio.NewWriter(f)
		enc := json.NewEncoder(bw)
		shaCol := -1
		for i, col := range cols {
			if (t == "attachments" || t == "activity_files") && col == "sha256" {
				shaCol = i
			}
		}
		for _, r := range rows {
			if err := enc.Encode(r); err != nil {
				return nil, err
			}
			if shaCol >= 0 {
				hashes[r[shaCol].(string)] = true
			}
		}
		if err := bw.Flush(); err != nil {
			return nil, err
		}
	}
	for h := range hashes {
		m.Files = append(m.Files, h)
	}
	sort.Strings(m.Files)
	for _, h := range m.Files {
		src, err := files.Open(h)
		if err != nil {
			return nil, fmt.Errorf("附件 %s 缺失: %w", h, err)
		}
		f, err := zw.Create("files/" + h)
		if err == nil {
			_, err = io.Copy(f, src)
		}
		src.Close()
		if err != nil {
			return nil, err
		}
	}
	mf, err := zw.Create("manifest.json")
	if err != nil {
		return nil, err
	}
	enc := json.NewEncoder(mf)
	enc.SetIndent("", "  ")
	if err := enc.Encode(m); err != nil {
		return nil, err
	}
	return m, zw.Close()
}

// ImportCommittee loads an export archive into this database in one
// transaction: all or nothing. Ids are kept, so that the event chain still
// verifies; a committee with the same code, or rows whose ids are taken,
// make the import fail with a clear message and change nothing.
func (s *Store) ImportCommittee(ctx context.Context, path string, files FileSink, progress func(table string)) (*Manifest, error) {
	zr, err := zip.OpenReader(path)
	if err != nil {
		return nil, zhengxie.Errorf(zhengxie.EInvalid, "无法读取导出文件 %s：%v", path, err)
	}
	defer zr.Close()
	entries := map[string]*zip.File{}
	for _, f := range zr.File {
		entries[f.Name] = f
	}
	readAll := func(name string) (io.ReadCloser, error) {
		f, ok := entries[name]
		if !ok {
			return nil, zhengxie.Errorf(zhengxie.EInvalid, "导出文件不完整：缺少 %s", name)
		}
		return f.Open()
	}
	mr, err := readAll("manifest.json")
	if err != nil {
		return nil, err
	}
	var m Manifest
	err = json.NewDecoder(mr).Decode(&m)
	mr.Close()
	if err != nil || m.Format != ExportFormat {
		return nil, zhengxie.Errorf(zhengxie.EInvalid, "导出文件的清单无效或版本不支持")
	}
	if _, err := s.CommitteeByCode(ctx, m.Committee); err == nil {
		return nil, zhengxie.Errorf(zhengxie.EConflict, "目标数据库中已有代码为 %q 的委员会，未导入任何数据", m.Committee)
	}
	for _, h := range m.Files {
		r, err := readAll("files/" + h)
		if err != nil {
			return nil, err
		}
		err = files.PutHashed(h, r)
		r.Close()
		if err != nil {
			return nil, err
		}
	}
	err = s.InTx(ctx, func(tx *Tx) error {
		for _, t := range committeeTables {
			if progress != nil {
				progress(t)
			}
			cols := m.Columns[t]
			if len(cols) == 0 {
				return zhengxie.Errorf(zhengxie.EInvalid, "导出文件缺少表 %s 的列定义", t)
			}
			for _, c := range cols {
				if strings.ContainsAny(c, " ;\"'()") {
					return zhengxie.Errorf(zhengxie.EInvalid, "导出文件中的列名无效：%q", c)
				}
			}
			r, err := readAll("tables/" + t + ".jsonl")
			if err != nil {
				return err
			}
			q := `INSERT INTO ` + t + ` (` + strings.Join(cols, ", ") + `) VALUES (` + strings.TrimSuffix(strings.Repeat("?, ", len(cols)), ", ") + `)`
			dec := json.NewDecoder(bufio.NewReader(r))
			dec.UseNumber()
			n := 0
			for dec.More() {
				var row []any
				if err := dec.Decode(&row); err != nil {
					r.Close()
					return zhengxie.Errorf(zhengxie.EInvalid, "表 %s 第 %d 行格式错误：%v", t, n+1, err)
				}
				if len(row) != len(cols) {
					r.Close()
					return zhengxie.Errorf(zhengxie.EInvalid, "表 %s 第 %d 行列数不符", t, n+1)
				}
				for i, v := range row {
					if num, ok := v.(json.Number); ok {
						iv, err := num.Int64()
						if err != nil {
							r.Close()
							return zhengxie.Errorf(zhengxie.EInvalid, "表 %s 第 %d 行的数值无效", t, n+1)
						}
						row[i] = iv
					}
				}
				if _, err := tx.exec(q, row...); err != nil {
					r.Close()
					if zhengxie.ErrorCode(s.dialect.translate(err)) == zhengxie.EConflict {
						return zhengxie.Errorf(zhengxie.EConflict, "表 %s 第 %d 行与目标数据库已有数据冲突（编号重复），未导入任何数据", t, n+1)
					}
					return fmt.Errorf("导入 %s 第 %d 行: %w", t, n+1, err)
				}
				n++
			}
			r.Close()
			if n != m.Rows[t] {
				return zhengxie.Errorf(zhengxie.EInvalid, "表 %s 行数与清单不符（%d ≠ %d）", t, n, m.Rows[t])
			}
		}
		return s.dialect.resetSequences(tx, committeeTables)
	})
	if err != nil {
		return nil, err
	}
	return &m, nil
}

// Backup writes a consistent copy of a SQLite database to path while the
// server runs (VACUUM INTO reads one snapshot).
func (s *Store) Backup(ctx context.Context, path string) error {
	if s.Engine() != "sqlite" {
		return zhengxie.Errorf(zhengxie.EInvalid, "PostgreSQL 请使用 pg_dump 备份，或用 zhengxie export 导出单个委员会")
	}
	if _, err := os.Stat(path); err == nil {
		return zhengxie.Errorf(zhengxie.EConflict, "备份文件 %s 已存在，请换一个文件名", path)
	}
	// A reader connection sees one snapshot and does not block the writer;
	// it is query_only for safety, lifted for this one statement.
	conn, err := s.r.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `PRAGMA query_only = OFF`); err != nil {
		return err
	}
	defer conn.ExecContext(context.Background(), `PRAGMA query_only = ON`)
	_, err = conn.ExecContext(ctx, `VACUUM INTO ?`, path)
	return err
}

var _ = sql.ErrNoRows

// CommitteeTables lists the tables that hold a committee's data.
func CommitteeTables() []string { return append([]string(nil), committeeTables...) }
