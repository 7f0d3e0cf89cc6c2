package main

import (
	"flag"
	"io"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/seed-ab9c0d28/zohoterritory/internal/clidoc"
	"github.com/seed-ab9c0d28/zohoterritory/internal/cmdutil"
)

var update = flag.Bool("update", false, "rewrite this command's pages in docs/cli")

// TestDocsCLI keeps docs/cli, the command reference, as the commands
// generate it: a page a command, from the same help the command prints.
// With -update (make docs) it rewrites the pages.
func TestDocsCLI(t *testing.T) {
	t.Parallel()
	io := &cmdutil.IOStreams{In: strings.NewReader(""), Out: io.Discard, Err: io.Discard}
	require.NoError(t, clidoc.Check(newRootCmd(io, nil), "../../docs/cli", *update))
}
