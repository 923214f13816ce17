package main

import (
	"context"
	"flag"
	"fmt"

	"zhengxie/store"
)

func init() {
	register("migrate", "创建或升级数据库结构", func(ctx context.Context, args []string) error {
		fs := flag.NewFlagSet("migrate", flag.ExitOnError)
		var d dbFlags
		d.register(fs)
		fs.Parse(args)
		st, err := store.Open(ctx, d.dsn())
		if err != nil {
			return err
		}
		defer st.Close()
		fmt.Printf("数据库已是最新结构（%s）\n", st.Engine())
		return nil
	})
}
