package main

import (
	"context"
	"flag"
	"fmt"

	"zhengxie/store"
)

func init() {
	register("audit", "审计日志：zhengxie audit verify 校验哈希链", runAudit)
}

func runAudit(ctx context.Context, args []string) error {
	if len(args) == 0 || args[0] != "verify" {
		return fmt.Errorf("用法: zhengxie audit verify [-db …]")
	}
	fs := flag.NewFlagSet("audit verify", flag.ExitOnError)
	var d dbFlags
	d.register(fs)
	fs.Parse(args[1:])
	st, err := store.Open(ctx, d.dsn())
	if err != nil {
		return err
	}
	defer st.Close()
	res, err := st.VerifyEvents(ctx)
	if err != nil {
		return err
	}
	broken := 0
	for _, r := range res {
		if r.Break != nil {
			broken++
			fmt.Printf("委员会 %d：哈希链在第 %d 个事件处断裂：%s\n", r.CommitteeID, r.Break.Seq, r.Break.Reason)
			continue
		}
		fmt.Printf("委员会 %d：%d 个事件，哈希链完整\n", r.CommitteeID, r.Events)
	}
	if broken > 0 {
		return fmt.Errorf("%d 个委员会的审计日志校验失败", broken)
	}
	return nil
}
