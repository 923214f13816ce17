// Package testenv gives tests real databases and a seeded committee: SQLite
// in a temporary folder always, and PostgreSQL when ZHENGXIE_TEST_POSTGRES
// holds a DSN (each test gets a schema of its own, dropped afterwards).
package testenv

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib"

	"zhengxie"
	"zhengxie/app"
	"zhengxie/internal/testenv/shared"
	"zhengxie/store"
)

// Engines runs fn once per available engine as a subtest ("sqlite", "postgres").
// When ZHENGXIE_REQUIRE_POSTGRES (or CI's ZHENGXIE_TEST_POSTGRES with
// ZHENGXIE_REQUIRE_BROWSER) demands it, a missing PostgreSQL fails the test.
func Engines(t *testing.T, fn func(t *testing.T, dsn string)) {
	t.Run("sqlite", func(t *testing.T) { fn(t, SQLiteDSN(t)) })
	t.Run("postgres", func(t *testing.T) { fn(t, PostgresDSN(t)) })
}

// SQLiteDSN returns the path of a new SQLite database in a temp folder.
func SQLiteDSN(t testing.TB) string {
	return filepath.Join(t.TempDir(), "zhengxie.db")
}

// PostgresDSN returns a DSN of a fresh schema in the test PostgreSQL, or
// skips (fails under CI) when none is configured.
func PostgresDSN(t testing.TB) string {
	base := os.Getenv("ZHENGXIE_TEST_POSTGRES")
	if base == "" {
		if os.Getenv("CI") != "" || os.Getenv("ZHENGXIE_REQUIRE_POSTGRES") != "" {
			t.Fatal("ZHENGXIE_TEST_POSTGRES is not set, but CI requires the PostgreSQL suite")
		}
		t.Skip("PostgreSQL suite skipped: set ZHENGXIE_TEST_POSTGRES=postgres://postgres@127.0.0.1:5432/test?sslmode=disable")
	}
	b := make([]byte, 6)
	rand.Read(b)
	schema := "zxt_" + hex.EncodeToString(b)
	db, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(`CREATE SCHEMA ` + schema); err != nil {
		t.Fatalf("create schema on %s: %v", base, err)
	}
	t.Cleanup(func() {
		db, err := sql.Open("pgx", base)
		if err == nil {
			db.Exec(`DROP SCHEMA ` + schema + ` CASCADE`)
			db.Close()
		}
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	qv := u.Query()
	qv.Set("search_path", schema)
	u.RawQuery = qv.Encode()
	return u.String()
}

// Open opens a store on dsn and closes it when the test ends.
func Open(t testing.TB, dsn string) *store.Store {
	st, err := store.Open(context.Background(), dsn)
	if err != nil {
		t.Fatalf("open %s: %v", dsn, err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// Password is the password of every fixture user.
const Password = "zhengxie2026"

// Fixture is a seeded committee: the people of every role.
type Fixture struct {
	Svc       *app.Service
	Committee *zhengxie.Committee
	Session   *zhengxie.Session
	Office    *zhengxie.User
	Leader    *zhengxie.User
	Admin     *zhengxie.User
	Members   []*zhengxie.User
	Units     []*zhengxie.Unit
	UnitUsers []*zhengxie.User // one per unit, same order
	Other     *zhengxie.User   // the office user of a second committee
}

// Actor of a user.
func (f *Fixture) Actor(u *zhengxie.User) zhengxie.Actor { return zhengxie.ActorOf(u) }

// Seed creates a service on st and a committee with 5 members, 3 units and
// one user of every other role, plus a second committee.
func Seed(t testing.TB, st *store.Store) *Fixture {
	ctx := context.Background()
	svc := app.New(st, &app.Files{Dir: filepath.Join(t.TempDir(), "files")}, nil)
	f := &Fixture{Svc: svc}
	var err error
	f.Committee, f.Session, err = SeedCommittee(ctx, svc, "hp", "政协测试区委员会")
	if err != nil {
		t.Fatal(err)
	}
	sys := zhengxie.SystemActor(f.Committee.ID)
	mk := func(username, name string, role zhengxie.Role, unit int64) *zhengxie.User {
		u := &zhengxie.User{Username: username, Name: name, Role: role, UnitID: unit, Phone: "13800138000", Email: username + "@example.test"}
		if err := svc.CreateUser(ctx, sys, u, Password); err != nil {
			t.Fatal(err)
		}
		return u
	}
	f.Office = mk("office", "提案科王科长", zhengxie.RoleOffice, 0)
	f.Leader = mk("leader", "李副主席", zhengxie.RoleLeader, 0)
	f.Admin = mk("admin", "系统管理员", zhengxie.RoleAdmin, 0)
	for i, n := range []string{"陈委员", "林委员", "黄委员", "周委员", "吴委员"} {
		f.Members = append(f.Members, mk(fmt.Sprintf("member%d", i+1), n, zhengxie.RoleMember, 0))
	}
	err = st.InTx(ctx, func(tx *store.Tx) error {
		for _, n := range []string{"区交通运输局", "区卫生健康局", "区教育局"} {
			u := &zhengxie.Unit{CommitteeID: f.Committee.ID, Name: n, LeaderID: f.Leader.ID}
			if err := tx.CreateUnit(u); err != nil {
				return err
			}
			f.Units = append(f.Units, u)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for i, u := range f.Units {
		f.UnitUsers = append(f.UnitUsers, mk(fmt.Sprintf("unit%d", i+1), u.Name+"经办人", zhengxie.RoleUnit, u.ID))
	}
	other, _, err := SeedCommittee(ctx, svc, "other", "政协另一区委员会")
	if err != nil {
		t.Fatal(err)
	}
	f.Other = &zhengxie.User{Username: "other-office", Name: "他区提案科", Role: zhengxie.RoleOffice}
	if err := svc.CreateUser(ctx, zhengxie.SystemActor(other.ID), f.Other, Password); err != nil {
		t.Fatal(err)
	}
	return f
}

// SeedCommittee creates a committee with a current session.
func SeedCommittee(ctx context.Context, svc *app.Service, code, name string) (*zhengxie.Committee, *zhengxie.Session, error) {
	c := &zhengxie.Committee{Code: code, Name: name, Level: zhengxie.LevelDistrict}
	se := &zhengxie.Session{Term: 2, Number: 3, Name: "二届三次会议", Year: 2026, Current: true}
	err := svc.Store.InTx(ctx, func(tx *store.Tx) error {
		if err := tx.CreateCommittee(c); err != nil {
			return err
		}
		se.CommitteeID = c.ID
		return tx.CreateSession(se)
	})
	return c, se, err
}

// SharedData returns the path of a file in ../shared/data, or skips (fails
// under CI or ZHENGXIE_REQUIRE_DATA) when it is absent; see package shared.
func SharedData(t testing.TB, name string) string {
	t.Helper()
	return shared.Path(t, name)
}

// Draft returns a valid draft built from a title.
func Draft(title string, cosigners ...int64) zhengxie.Draft {
	return zhengxie.Draft{Title: title, Category: "城乡建设", Cosigners: cosigners,
		Body: "调研情况：" + title + "涉及群众切身利益，调研发现问题较多。\n问题分析：投入不足，管理分散。\n具体建议：一是加大投入；二是明确责任；三是加强督查。"}
}
