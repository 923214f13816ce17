package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"path/filepath"
	"strings"

	"zhengxie"
	"zhengxie/app"
	"zhengxie/bench/load"
	"zhengxie/internal/sheet"
)

const importProposalsUsage = `用法: zhengxie import proposals 文件.csv|文件.xlsx [参数]

把历史提案（旧系统导出或表格整理的往年提案）导入提案库：每行成为所属届次的
一件已归档、已公开的提案，保留编号，可检索。先检查全部行，有错误时列出行号，
不导入任何一行；全部正确才在一个事务中写入。

列的对应关系：表头就是“案由”“正文”“提案人”“类别”“编号”“日期”“届次”
“年份”“主办单位”的列自动对应；其他表头用 -map 或 -mapping 指定，例如
  -map 案由=reason,正文=content,提案人=personnel_name,类别=type,编号=proposal_number,日期=publish_time
或一个 JSON 文件 {"案由": "reason", "正文": "content", …}。
没有“届次”列时用 -session 指定全部提案的届次；届次不存在时自动建立。

参数:
`

func runImportProposals(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("import proposals", flag.ExitOnError)
	var d dbFlags
	d.register(fs)
	mappingFile := fs.String("mapping", "", "列对应关系文件（JSON：{\"案由\": \"列名\", …}）")
	mapSpec := fs.String("map", "", "列对应关系，如 案由=reason,正文=content")
	code := fs.String("committee", "", "导入到哪个委员会（代码）；只有一个委员会时可省略")
	session := fs.String("session", "", "届次，如 十二届二次会议（文件没有届次列时必填）")
	year := fs.Int("year", 0, "届次的年份（新建届次、且文件没有年份和日期时需要）")
	sheetName := fs.String("sheet", "", "XLSX 的工作表名（默认第一个）")
	createUnits := fs.Bool("create-units", false, "主办单位不存在时自动新建")
	raw := fs.Bool("raw", false, "正文保持原样（默认合并 PDF 提取造成的断行）")
	dryRun := fs.Bool("dry-run", false, "只检查，不写入")
	quiet := fs.Bool("quiet", false, "不显示进度条")
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), importProposalsUsage)
		fs.PrintDefaults()
	}
	// The file may come before or after the flags.
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
	if *mappingFile != "" && *mapSpec != "" {
		return fmt.Errorf("-mapping 和 -map 只能用一个")
	}
	var mapping map[string]string
	var err error
	switch {
	case *mappingFile != "":
		mapping, err = app.LoadMapping(*mappingFile)
	case *mapSpec != "":
		mapping, err = app.ParseMapping(*mapSpec)
	}
	if err != nil {
		return errors.New(zhengxie.ErrorMessage(err))
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
	var bar *load.Progress
	phase := ""
	progress := func(p string, done, total int) {
		if p != phase {
			bar.Finish()
			phase, bar = p, load.NewProgress(int64(total), p, *quiet)
		}
		bar.Add(1)
	}
	rep, err := svc.ImportProposals(ctx, zhengxie.SystemActor(c.ID), table, app.ImportOptions{
		CommitteeID: c.ID, Session: *session, Year: *year, Mapping: mapping, Source: filepath.Base(files[0]),
		CreateUnits: *createUnits, Raw: *raw, DryRun: *dryRun, Progress: progress,
	})
	bar.Finish()
	if err != nil {
		var ie *app.ImportError
		if errors.As(err, &ie) {
			return errors.New(ie.Error())
		}
		return errors.New(zhengxie.ErrorMessage(err))
	}
	var parts []string
	for _, s := range rep.Sessions {
		note := ""
		if s.Created {
			note = "，新建届次"
		}
		parts = append(parts, fmt.Sprintf("%s %d件%s", s.Session.Name, s.Count, note))
	}
	if rep.DryRun {
		fmt.Printf("检查通过：%d件历史提案可以导入%s（%s）。未写入；去掉 -dry-run 即可导入。\n", rep.Rows, c.Name, strings.Join(parts, "；"))
	} else {
		fmt.Printf("已导入%d件历史提案到%s：%s\n", rep.Rows, c.Name, strings.Join(parts, "；"))
	}
	if len(rep.Units) > 0 {
		fmt.Printf("新建承办单位：%s\n", strings.Join(rep.Units, "、"))
	}
	if len(rep.OtherCategories) > 0 {
		fmt.Printf("注意：以下类别不在本会类别表中，已按原样保存：%s\n", strings.Join(rep.OtherCategories, "、"))
	}
	return nil
}

// importCommittee finds the committee to import into: by code, or the only one.
func importCommittee(ctx context.Context, svc *app.Service, code string) (*zhengxie.Committee, error) {
	if code != "" {
		c, err := svc.Store.CommitteeByCode(ctx, code)
		if err != nil {
			return nil, fmt.Errorf("没有代码为 %q 的委员会", code)
		}
		return c, nil
	}
	cs, err := svc.Store.Committees(ctx)
	if err != nil {
		return nil, err
	}
	switch len(cs) {
	case 0:
		return nil, fmt.Errorf("数据库中还没有委员会，请先建立（zhengxie demo 或管理员）")
	case 1:
		return &cs[0], nil
	}
	var codes []string
	for _, c := range cs {
		codes = append(codes, c.Code)
	}
	return nil, fmt.Errorf("有多个委员会，请用 -committee 指定：%s", strings.Join(codes, "、"))
}
