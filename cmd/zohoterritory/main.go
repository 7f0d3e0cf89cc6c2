// Command zohoterritory lists and removes territory membership in Zoho CRM,
// and runs the built-in sandbox and demo.
//
// Usage:
//
//	zohoterritory remove-users --territory ID [USER_ID ...]
//	zohoterritory remove-users --territory ID --all [--except USER_ID ...]
//	zohoterritory remove-territories --user ID [TERRITORY_ID ...]
//	zohoterritory remove-territories --user ID --all [--except TERRITORY_ID ...]
//	zohoterritory list-users --territory ID
//	zohoterritory list-territories --user ID
//	zohoterritory sandbox serve [--addr 127.0.0.1:8080] [--seed FILE] [fault flags]
//	zohoterritory demo
//	zohoterritory validate [--requests] FILE|DIR ...
//
// Run `zohoterritory help` for the flags and environment variables.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	code := run(ctx, os.Args[1:], systemStreams(), os.Getenv)
	stop()
	os.Exit(code)
}
