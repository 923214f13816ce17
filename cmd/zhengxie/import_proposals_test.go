package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"zhengxie"
	"zhengxie/internal/testenv"
	"zhengxie/store"
)

// `zhengxie import proposals FILE -map … -committee … -session …`, the
// file before the flags as the usage line shows it, into a SQLite file.
func TestImportProposalsCommand(t *testing.T) {
	dir := t.TempDir()
	dsn := filepath.Join(dir, "zx.db")
	st := testenv.Open(t, dsn)
	testenv.Seed(t, st)
	st.Close()
	csv := filepath.Join(dir, "旧系统导出.csv")
	data := "title,text,who,kind,no,when\n" +
		"关于规范城区夜间施工的建议,夜间施工噪声扰民，建议严格审批、公开时段并设立投诉电话。,陈委员,城乡建设,0007,2023-01-10\n" +
		"关于加强校园周边交通管理的建议,上下学时段拥堵，建议错峰放学、增设临时停车位。,民盟区委,教育事业,0009,2023-01-11\n"
	if err := os.WriteFile(csv, []byte(data), 0o600); err != nil {
		t.Fatal(err)
	}
	args := []string{"proposals", csv, "-db", dsn, "-committee", "hp", "-session", "二届一次会议", "-quiet",
		"-map", "案由=title,正文=text,提案人=who,类别=kind,编号=no,日期=when"}
	if err := runImport(context.Background(), append(args, "-dry-run")); err != nil {
		t.Fatal(err)
	}
	if err := runImport(context.Background(), args); err != nil {
		t.Fatal(err)
	}
	// Again: both numbers are taken, and the error names the lines.
	err := runImport(context.Background(), args)
	if err == nil || !strings.Contains(err.Error(), "第2行") || !strings.Contains(err.Error(), "第3行") {
		t.Fatalf("second import: %v", err)
	}
	ctx := context.Background()
	st = testenv.Open(t, dsn)
	c, err := st.CommitteeByCode(ctx, "hp")
	if err != nil {
		t.Fatal(err)
	}
	ss, err := st.Sessions(ctx, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	var id int64
	for _, s := range ss {
		if s.Name == "二届一次会议" && s.Year == 2023 {
			id = s.ID
		}
	}
	off, err := st.CredentialsByUsername(ctx, "office")
	if err != nil {
		t.Fatal(err)
	}
	ps, total, err := st.Proposals(ctx, store.ProposalFilter{Viewer: zhengxie.ActorOf(off.User), SessionID: id})
	if err != nil || total != 2 || ps[0].Number != 9 || ps[1].Number != 7 {
		t.Fatalf("imported: %d %v (session %d)", total, err, id)
	}
}
