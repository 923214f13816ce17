package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"zhengxie/store"
)

func init() {
	register("backup", "在线备份 SQLite 数据库：zhengxie backup -o 备份文件", runBackup)
	register("restore", "从备份恢复 SQLite 数据库（服务须已停止）：zhengxie restore -i 备份文件", runRestore)
	register("export", "导出一个委员会的全部数据和附件：zhengxie export -committee 代码 -o 文件.zip", runExport)
	register("import", "导入委员会导出文件（可跨 SQLite / PostgreSQL）：zhengxie import -i 文件.zip", runImport)
	registerSub("import", "proposals", "导入历史提案（CSV 或 XLSX，已归档、已公开、可检索）：zhengxie import proposals 文件.xlsx -session 届次")
}

func runBackup(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("backup", flag.ExitOnError)
	var d dbFlags
	d.register(fs)
	out := fs.String("o", "", "备份文件路径（不能已存在）")
	fs.Parse(args)
	if *out == "" {
		return fmt.Errorf("请用 -o 指定备份文件")
	}
	st, err := store.Open(ctx, d.dsn())
	if err != nil {
		return err
	}
	defer st.Close()
	if err := st.Backup(ctx, *out); err != nil {
		return err
	}
	fmt.Printf("已备份到 %s（附件目录 %s 请一并复制）\n", *out, filepath.Join(d.dataDir, "files"))
	return nil
}

func runRestore(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("restore", flag.ExitOnError)
	var d dbFlags
	d.register(fs)
	in := fs.String("i", "", "备份文件")
	force := fs.Bool("force", false, "覆盖已存在的数据库文件")
	fs.Parse(args)
	if *in == "" {
		return fmt.Errorf("请用 -i 指定备份文件")
	}
	dst := d.dsn()
	if store.IsPostgres(dst) {
		return fmt.Errorf("restore 只用于 SQLite；PostgreSQL 请使用 pg_restore 或 zhengxie import")
	}
	// Check the backup opens and verifies before touching anything.
	check, err := store.Open(ctx, *in)
	if err != nil {
		return fmt.Errorf("备份文件无法打开: %w", err)
	}
	res, err := check.VerifyEvents(ctx)
	check.Close()
	if err != nil {
		return err
	}
	for _, r := range res {
		if r.Break != nil {
			return fmt.Errorf("备份中委员会 %d 的审计日志不完整（第 %d 个事件：%s），未恢复", r.CommitteeID, r.Break.Seq, r.Break.Reason)
		}
	}
	if _, err := os.Stat(dst); err == nil && !*force {
		return fmt.Errorf("数据库 %s 已存在；确认服务已停止后加 -force 覆盖", dst)
	}
	for _, suffix := range []string{"-wal", "-shm"} {
		os.Remove(dst + suffix)
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o750); err != nil {
		return err
	}
	src, err := os.Open(*in)
	if err != nil {
		return err
	}
	defer src.Close()
	tmp := dst + ".restore"
	out, err := os.Create(tmp)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, src); err != nil {
		out.Close()
		return err
	}
	if err := out.Sync(); err != nil {
		out.Close()
		return err
	}
	out.Close()
	if err := os.Rename(tmp, dst); err != nil {
		return err
	}
	fmt.Printf("已从 %s 恢复到 %s\n", *in, dst)
	return nil
}

func runExport(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("export", flag.ExitOnError)
	var d dbFlags
	d.register(fs)
	code := fs.String("committee", "", "委员会代码")
	out := fs.String("o", "", "导出文件（.zip）")
	fs.Parse(args)
	if *code == "" || *out == "" {
		return fmt.Errorf("用法: zhengxie export -committee 代码 -o 文件.zip")
	}
	svc, err := openApp(ctx, d)
	if err != nil {
		return err
	}
	defer svc.Store.Close()
	f, err := os.Create(*out)
	if err != nil {
		return err
	}
	m, err := svc.Store.ExportCommittee(ctx, *code, svc.Files, f, func(t string) { fmt.Fprintf(os.Stderr, "导出 %s…\n", t) })
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(*out)
		return err
	}
	fmt.Printf("已导出 %s（%d 件提案，%d 个事件，%d 个附件）到 %s\n", m.Name, m.Rows["proposals"], m.Rows["events"], len(m.Files), *out)
	return nil
}

func runImport(ctx context.Context, args []string) error {
	if len(args) > 0 && args[0] == "proposals" {
		return runImportProposals(ctx, args[1:])
	}
	if len(args) > 0 && args[0] == "members" {
		return runImportMembers(ctx, args[1:])
	}
	fs := flag.NewFlagSet("import", flag.ExitOnError)
	var d dbFlags
	d.register(fs)
	in := fs.String("i", "", "导出文件（.zip）")
	fs.Parse(args)
	if *in == "" {
		return fmt.Errorf("用法: zhengxie import -i 文件.zip")
	}
	svc, err := openApp(ctx, d)
	if err != nil {
		return err
	}
	defer svc.Store.Close()
	m, err := svc.Store.ImportCommittee(ctx, *in, svc.Files, func(t string) { fmt.Fprintf(os.Stderr, "导入 %s…\n", t) })
	if err != nil {
		return err
	}
	// The archive carries rows, not the search index: segment them here.
	c, err := svc.Store.CommitteeByCode(ctx, m.Committee)
	if err != nil {
		return err
	}
	fmt.Fprintln(os.Stderr, "重建检索索引…")
	if _, err := svc.Reindex(ctx, c.ID, nil); err != nil {
		return fmt.Errorf("数据已导入，但检索索引重建失败（可重试 import 前先删除委员会，或联系管理员）: %w", err)
	}
	fmt.Printf("已导入 %s（%d 件提案，%d 个事件，%d 个附件）\n", m.Name, m.Rows["proposals"], m.Rows["events"], len(m.Files))
	return nil
}
