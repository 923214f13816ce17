package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"os"
	"strconv"
	"time"

	"zhengxie"
)

func init() {
	register("report", "年度提案工作报告：zhengxie report annual -committee 代码 -year 年度 -o 报告.docx", runReport)
}

func runReport(ctx context.Context, args []string) error {
	if len(args) == 0 || args[0] != "annual" {
		return fmt.Errorf("用法: zhengxie report annual -committee 代码 -year 年度 -o 报告.docx [-db …]")
	}
	fs := flag.NewFlagSet("report annual", flag.ExitOnError)
	var d dbFlags
	d.register(fs)
	code := fs.String("committee", "", "委员会代码（必填）")
	year := fs.Int("year", time.Now().In(zhengxie.ChinaTime()).Year(), "年度（默认今年）")
	out := fs.String("o", "", "输出的 .docx 文件（默认“<年度>年度提案工作情况报告.docx”）")
	fs.Parse(args[1:])
	if *code == "" {
		return fmt.Errorf("请用 -committee 指定委员会代码")
	}
	if *out == "" {
		*out = strconv.Itoa(*year) + "年度提案工作情况报告.docx"
	}
	svc, err := openApp(ctx, d)
	if err != nil {
		return err
	}
	defer svc.Store.Close()
	c, err := svc.Store.CommitteeByCode(ctx, *code)
	if err != nil {
		return fmt.Errorf("委员会“%s”不存在", *code)
	}
	// The report as the office edited it in the page, figures from today's data.
	rep, err := svc.AnnualReport(ctx, zhengxie.SystemActor(c.ID), c.ID, *year)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := rep.WriteDOCX(&buf); err != nil {
		return err
	}
	if err := os.WriteFile(*out, buf.Bytes(), 0o644); err != nil {
		return err
	}
	state := "系统草稿"
	if rep.Edited != nil {
		state = "含提案委员会修改"
	}
	fmt.Printf("已生成 %s：%s（%s，%d章，数据截至%s）\n", *out, rep.Title, state, len(rep.Chapters), rep.Today.Chinese())
	return nil
}
