package store

import (
	"context"
	"database/sql"
	"errors"
	"strconv"
	"strings"
	"sync"

	"github.com/jackc/pgx/v5/pgconn"
	msqlite "modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"zhengxie"
)

// dialect holds what differs between SQLite and PostgreSQL.
type dialect interface {
	name() string
	rebind(q string) string
	forUpdate() string
	execScript(ctx context.Context, tx *sql.Tx, script string) error
	translate(err error) error
	retryable(err error) bool
	// resetSequences moves id generators past imported ids.
	resetSequences(tx *Tx, tables []string) error
	// full-text search, see search.go
	index(t *Tx, d SearchDoc) error
	indexReplies(t *Tx, proposalID int64, replies string) error
	searchSet(x q, committeeID int64, terms []string, where string, args []any, need int, narrow bool) (set []searchCand, complete bool, estimate int, err error)
	searchJoin() string
}

type sqliteDialect struct{}

func (sqliteDialect) name() string           { return "sqlite" }
func (sqliteDialect) rebind(q string) string { return q }

// forUpdate is empty on SQLite: the single writer connection already
// serialises write transactions, and _txlock=immediate takes the write lock
// at BEGIN.
func (sqliteDialect) forUpdate() string { return "" }

func (sqliteDialect) execScript(ctx context.Context, tx *sql.Tx, script string) error {
	_, err := tx.ExecContext(ctx, script)
	return err
}

func (sqliteDialect) translate(err error) error {
	var se *msqlite.Error
	if errors.As(err, &se) {
		switch se.Code() {
		case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
			return &zhengxie.Error{Code: zhengxie.EConflict, Message: "数据已存在或已被他人修改，请刷新后重试"}
		case sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED:
			return &zhengxie.Error{Code: zhengxie.EConflict, Message: "系统繁忙，请稍后重试"}
		}
	}
	return err
}

func (sqliteDialect) retryable(err error) bool {
	var se *msqlite.Error
	return errors.As(err, &se) && (se.Code() == sqlite3.SQLITE_BUSY)
}

func (sqliteDialect) resetSequences(*Tx, []string) error { return nil }

type postgresDialect struct{}

func (postgresDialect) resetSequences(tx *Tx, tables []string) error {
	for _, t := range tables {
		if t == "number_counters" || t == "cosigners" {
			continue
		}
		if _, noID := dutyTableOrder[t]; noID {
			continue
		}
		if _, err := tx.exec(`SELECT setval(pg_get_serial_sequence('` + t + `', 'id'), GREATEST((SELECT COALESCE(MAX(id), 0) FROM ` + t + `), 1))`); err != nil {
			return err
		}
	}
	return nil
}

func (postgresDialect) name() string { return "postgres" }

var rebindCache sync.Map

// rebind turns ? placeholders into $1, $2 … (no query of ours has a literal
// question mark inside a string).
func (postgresDialect) rebind(q string) string {
	if v, ok := rebindCache.Load(q); ok {
		return v.(string)
	}
	var b strings.Builder
	n := 0
	for i := 0; i < len(q); i++ {
		if q[i] == '?' {
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteByte(q[i])
	}
	out := b.String()
	rebindCache.Store(q, out)
	return out
}

func (postgresDialect) forUpdate() string { return " FOR NO KEY UPDATE" }

func (postgresDialect) execScript(ctx context.Context, tx *sql.Tx, script string) error {
	_, err := tx.ExecContext(ctx, script)
	return err
}

func (postgresDialect) translate(err error) error {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch pe.Code {
		case "23505":
			return &zhengxie.Error{Code: zhengxie.EConflict, Message: "数据已存在或已被他人修改，请刷新后重试"}
		case "40001", "40P01":
			return &zhengxie.Error{Code: zhengxie.EConflict, Message: "系统繁忙，请稍后重试"}
		case "22021", "22P05":
			return &zhengxie.Error{Code: zhengxie.EInvalid, Message: "文字包含无效字符，请检查编码后重新输入"}
		}
	}
	return err
}

func (postgresDialect) retryable(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && (pe.Code == "40001" || pe.Code == "40P01")
}
