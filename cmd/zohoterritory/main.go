// Command zohoterritory lists and removes territory membership in Zoho CRM,
// and runs the built-in sandbox and demo. Run `zohoterritory help` for the
// commands, their flags and environment variables, and the exit codes.
package main

import (
	"context"
	"os"

	"github.com/seed-ab9c0d28/zohoterritory/internal/cmdutil"
)

func main() {
	ctx, stop, release := cmdutil.Interrupts(context.Background())
	code := run(ctx, os.Args[1:], cmdutil.System(), os.Getenv, stop)
	release()
	os.Exit(code)
}
