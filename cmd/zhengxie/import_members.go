package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"strings"

	"zhengxie"
	"zhengxie/app"
	"zhengxie/internal/sheet"
)

const importMembersUsage = `用法: zhengxie import members 文件.xlsx|文件.csv [参数]

导入委员名单。表头：姓名、性别、界别、专委会、联络站、工作单位及职务、手机
（多个专委会或联络站用“、”分隔）。先检查全部行，有错误时列出行号，不导入任
何一行。手机号码已有委员的行更新该委员；其余新增委员，登录名为手机号码，由
管理员在“用户管理”中重置密码后告知本人。

参数:
`

func runImportMembers(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("import members", flag.ExitOnError)
	var d dbFlags
	d.register(fs)
	code := fs.String("committee", "", "导入到哪个委员会（代码）；只有一个委员会时可省略")
	sheetName := fs.String("sheet", "", "XLSX 的工作表名（默认第一个）")
	createOrgs := fs.Bool("create-orgs", false, "界别、专委会、联络站不存在时自动新建")
	dryRun := fs.Bool("dry-run", false, "只检查，不写入")
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), importMembersUsage)
		fs.PrintDefaults()
	}
	var files []string
	for {
		if err := fs.Parse(args); err != nil {
			return err
		}
		if fs.NArg() == 0 {
			break
		}
		files = append(files, fs.Arg(0))
		args = fs.Args()[1:]
	}
	if len(files) != 1 {
		fs.Usage()
		return fmt.Errorf("请指定一个要导入的 CSV 或 XLSX 文件")
	}
	table, err := sheet.Read(files[0], *sheetName)
	if err != nil {
		return errors.New(zhengxie.ErrorMessage(err))
	}
	svc, err := openApp(ctx, d)
	if err != nil {
		return err
	}
	defer svc.Store.Close()
	c, err := importCommittee(ctx, svc, *code)
	if err != nil {
		return err
	}
	rep, err := svc.ImportMembers(ctx, zhengxie.SystemActor(c.ID), table, app.MemberImportOptions{CreateOrgs: *createOrgs, DryRun: *dryRun})
	if err != nil {
		return errors.New(zhengxie.ErrorMessage(err))
	}
	verb := "已导入"
	if *dryRun {
		verb = "检查通过，可以导入"
	}
	fmt.Printf("%s%d名委员到%s：新增%d名，更新%d名。\n", verb, rep.Rows, c.Name, rep.Created, rep.Updated)
	if len(rep.NewOrgs) > 0 {
		fmt.Printf("新建：%s\n", strings.Join(rep.NewOrgs, "、"))
	}
	return nil
}
