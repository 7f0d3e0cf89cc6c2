// Command zohoterritory-contract is the contract tooling of zohoterritory,
// for CI pipelines and teams in other languages: it validates recorded
// traffic against api/openapi.yaml with two independent validators, and
// runs the sandbox with every request and answer checked. It links the
// validators, which the admin's command zohoterritory does not.
package main

import (
	"context"
	"os"

	"github.com/seed-ab9c0d28/zohoterritory/internal/cmdutil"
)

func main() {
	ctx, stop, release := cmdutil.Interrupts(context.Background())
	code := run(ctx, os.Args[1:], cmdutil.System(), stop)
	release()
	os.Exit(code)
}
