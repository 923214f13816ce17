// Package store keeps Zhengxie's data in SQLite (embedded default) or
// PostgreSQL, through database/sql with hand-written SQL that both engines
// understand. The few differences between them (placeholders, locking,
// full-text search, error codes) live in dialect.go.
package store

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers "pgx"
	_ "modernc.org/sqlite"             // registers "sqlite"

	"zhengxie"
)

//go:embed migrations
var migrations embed.FS

// Store is the database. Writes go through w; reads through r. On SQLite w
// is a single connection, so concurrent writers queue in Go instead of
// failing with SQLITE_BUSY, while r is a pool of readers that WAL lets run
// beside the writer. On PostgreSQL both are the same pool.
type Store struct {
	w, r    *sql.DB
	dialect dialect
	DSN     string
	Now     func() time.Time
}

// IsPostgres reports whether dsn names a PostgreSQL database.
func IsPostgres(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}

// Open opens (creating if needed) the database named by dsn: a PostgreSQL
// URL, or a SQLite file path ("" means ./data/zhengxie.db), and applies the
// migrations.
func Open(ctx context.Context, dsn string) (*Store, error) {
	s := &Store{DSN: dsn, Now: time.Now}
	if IsPostgres(dsn) {
		db, err := sql.Open("pgx", dsn)
		if err != nil {
			return nil, err
		}
		db.SetMaxOpenConns(32)
		db.SetMaxIdleConns(32)
		db.SetConnMaxIdleTime(5 * time.Minute)
		s.w, s.r, s.dialect = db, db, postgresDialect{}
	} else {
		if dsn == "" {
			dsn = filepath.Join("data", "zhengxie.db")
		}
		if dsn != ":memory:" {
			if err := os.MkdirAll(filepath.Dir(dsn), 0o750); err != nil {
				return nil, err
			}
		}
		s.DSN = dsn
		pragmas := "?_pragma=journal_mode(WAL)&_pragma=busy_timeout(10000)&_pragma=foreign_keys(ON)&_pragma=synchronous(NORMAL)&_txlock=immediate"
		w, err := sql.Open("sqlite", "file:"+dsn+pragmas)
		if err != nil {
			return nil, err
		}
		w.SetMaxOpenConns(1)
		w.SetConnMaxLifetime(0)
		w.SetConnMaxIdleTime(0)
		r, err := sql.Open("sqlite", "file:"+dsn+"?_pragma=busy_timeout(10000)&_pragma=query_only(ON)")
		if err != nil {
			w.Close()
			return nil, err
		}
		r.SetMaxOpenConns(8)
		r.SetMaxIdleConns(8)
		r.SetConnMaxIdleTime(0)
		s.w, s.r, s.dialect = w, r, sqliteDialect{}
	}
	if err := s.w.PingContext(ctx); err != nil {
		s.Close()
		return nil, fmt.Errorf("连接数据库失败: %w", err)
	}
	if err := s.migrate(ctx); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// Close closes the database.
func (s *Store) Close() error {
	err := s.w.Close()
	if s.r != s.w {
		if e := s.r.Close(); err == nil {
			err = e
		}
	}
	return err
}

// Engine is "sqlite" or "postgres".
func (s *Store) Engine() string { return s.dialect.name() }

// DB returns the writer pool, for tools (backup, bench) that need raw access.
func (s *Store) DB() *sql.DB { return s.w }

func (s *Store) migrate(ctx context.Context) error {
	// On PostgreSQL several servers may start at once on an empty database:
	// one advisory lock, held on one connection, lets one of them migrate.
	if s.dialect.name() == "postgres" {
		conn, err := s.w.Conn(ctx)
		if err != nil {
			return err
		}
		defer conn.Close()
		if _, err := conn.ExecContext(ctx, `SELECT pg_advisory_lock(7426351)`); err != nil {
			return fmt.Errorf("migration lock: %w", err)
		}
		defer conn.ExecContext(context.Background(), `SELECT pg_advisory_unlock(7426351)`)
	}
	if _, err := s.w.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (version TEXT PRIMARY KEY, applied_at BIGINT NOT NULL)`); err != nil {
		return fmt.Errorf("migrations table: %w", err)
	}
	dir := "migrations/" + s.dialect.name()
	entries, err := fs.ReadDir(migrations, dir)
	if err != nil {
		return err
	}
	names := []string{}
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".sql") {
			names = append(names, e.Name())
		}
	}
	sort.Strings(names)
	for _, name := range names {
		version := strings.TrimSuffix(name, ".sql")
		err := s.tx(ctx, func(tx *sql.Tx) error {
			var n int
			if err := tx.QueryRowContext(ctx, s.dialect.rebind(`SELECT COUNT(*) FROM schema_migrations WHERE version = ?`), version).Scan(&n); err != nil {
				return err
			}
			if n > 0 {
				return nil
			}
			body, err := migrations.ReadFile(dir + "/" + name)
			if err != nil {
				return err
			}
			if err := s.dialect.execScript(ctx, tx, string(body)); err != nil {
				return fmt.Errorf("migration %s: %w", name, err)
			}
			_, err = tx.ExecContext(ctx, s.dialect.rebind(`INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)`), version, time.Now().UnixMilli())
			return err
		})
		if err != nil {
			return err
		}
	}
	return nil
}

func (s *Store) tx(ctx context.Context, fn func(*sql.Tx) error) error {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return err
	}
	return tx.Commit()
}

// Tx is a write transaction. Every change of the lifecycle happens inside
// one, together with its event and the jobs it causes.
type Tx struct {
	tx  *sql.Tx
	s   *Store
	ctx context.Context
	// afterCommit runs after a successful commit (e.g. waking the job worker).
	afterCommit []func()
}

// InTx runs fn in a write transaction, committing when fn returns nil.
// Serialization failures on PostgreSQL are retried a few times.
func (s *Store) InTx(ctx context.Context, fn func(*Tx) error) error {
	for attempt := 0; ; attempt++ {
		sqlTx, err := s.w.BeginTx(ctx, nil)
		if err != nil {
			return s.dialect.translate(err)
		}
		tx := &Tx{tx: sqlTx, s: s, ctx: ctx}
		err = fn(tx)
		if err == nil {
			err = sqlTx.Commit()
			if err == nil {
				for _, f := range tx.afterCommit {
					f()
				}
				return nil
			}
		} else {
			sqlTx.Rollback()
		}
		if attempt < 3 && s.dialect.retryable(err) {
			time.Sleep(time.Duration(attempt+1) * 10 * time.Millisecond)
			continue
		}
		return s.dialect.translate(err)
	}
}

// AfterCommit registers f to run once the transaction has committed.
func (t *Tx) AfterCommit(f func()) { t.afterCommit = append(t.afterCommit, f) }

// Now is the store's clock (replaceable in tests).
func (t *Tx) Now() time.Time { return t.s.Now() }

func (t *Tx) exec(q string, args ...any) (sql.Result, error) {
	return t.tx.ExecContext(t.ctx, t.s.dialect.rebind(q), args...)
}

func (t *Tx) query(q string, args ...any) (*sql.Rows, error) {
	return t.tx.QueryContext(t.ctx, t.s.dialect.rebind(q), args...)
}

func (t *Tx) queryRow(q string, args ...any) *sql.Row {
	return t.tx.QueryRowContext(t.ctx, t.s.dialect.rebind(q), args...)
}

// insert runs an INSERT … RETURNING id.
func (t *Tx) insert(q string, args ...any) (int64, error) {
	var id int64
	err := t.tx.QueryRowContext(t.ctx, t.s.dialect.rebind(q+" RETURNING id"), args...).Scan(&id)
	return id, err
}

// reader is what read functions need: both *sql.DB and *sql.Tx satisfy it,
// so reads inside a transaction see its writes.
type reader interface {
	QueryContext(context.Context, string, ...any) (*sql.Rows, error)
	QueryRowContext(context.Context, string, ...any) *sql.Row
}

// q is a bound reader: the store's reader pool, or a transaction.
type q struct {
	db  reader
	d   dialect
	ctx context.Context
}

func (s *Store) rd(ctx context.Context) q { return q{s.r, s.dialect, ctx} }
func (t *Tx) rd() q                       { return q{t.tx, t.s.dialect, t.ctx} }

func (x q) query(query string, args ...any) (*sql.Rows, error) {
	return x.db.QueryContext(x.ctx, x.d.rebind(query), args...)
}

func (x q) row(query string, args ...any) *sql.Row {
	return x.db.QueryRowContext(x.ctx, x.d.rebind(query), args...)
}

// ms converts a time to the stored Unix milliseconds; the zero time is 0.
func ms(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMilli()
}

// tm converts stored Unix milliseconds back to a time; 0 is the zero time.
func tm(v int64) time.Time {
	if v == 0 {
		return time.Time{}
	}
	return time.UnixMilli(v)
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// notFound turns sql.ErrNoRows into the domain's not-found error.
func notFound(err error, what string) error {
	if errors.Is(err, sql.ErrNoRows) {
		return zhengxie.NotFound(what)
	}
	return err
}
