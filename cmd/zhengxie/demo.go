package main

import (
	"context"
	"flag"
	"fmt"

	"zhengxie/demo"
)

func init() {
	register("demo", "载入演示数据（数据库为空时）并启动服务，打印登录账号", runDemo)
}

func runDemo(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("demo", flag.ExitOnError)
	var f serveFlags
	f.register(fs)
	seedOnly := fs.Bool("seed-only", false, "只载入演示数据，不启动服务")
	fs.Parse(args)
	channels, err := f.notify.channels()
	if err != nil {
		return err
	}
	svc, err := openApp(ctx, f.dbFlags)
	if err != nil {
		return err
	}
	defer svc.Store.Close()
	seeded, err := demo.Seeded(ctx, svc.Store)
	if err != nil {
		return err
	}
	var logins []demo.Login
	if !seeded {
		fmt.Println("正在载入演示数据……")
		if logins, err = demo.Seed(ctx, svc); err != nil {
			return err
		}
	} else {
		fmt.Println("数据库中已有数据，跳过演示数据载入。")
	}
	if *seedOnly {
		printLogins(logins)
		return nil
	}
	return serve(ctx, svc, f, channels, func(url string) {
		fmt.Printf("\n数字政协演示已启动：%s\n", url)
		printLogins(logins)
	})
}

func printLogins(logins []demo.Login) {
	if len(logins) == 0 {
		fmt.Printf("演示账号：office、leader、admin、member01…member40、unit-jtj 等，密码均为 %s\n", demo.Password)
		return
	}
	fmt.Printf("演示账号（密码均为 %s）：\n", demo.Password)
	for _, l := range logins {
		fmt.Printf("  %-12s %s（%s）\n", l.Username, l.Name, l.Role)
	}
	fmt.Println("公众无需登录即可查看“公开提案”。按 Ctrl+C 停止。")
}
