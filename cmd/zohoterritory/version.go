package main

import (
	"fmt"
	"runtime/debug"

	"github.com/spf13/cobra"
)

// buildInfo says what was built: the module's version, the commit and the
// Go version, from the binary's build information.
func buildInfo() (version, commit, goVersion string) {
	version, commit, goVersion = "(unknown)", "(unknown)", "(unknown)"
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return version, commit, goVersion
	}
	goVersion = bi.GoVersion
	if bi.Main.Version != "" {
		version = bi.Main.Version // "(devel)" when built from a checkout
	}
	var modified bool
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			commit = s.Value
		case "vcs.modified":
			modified = s.Value == "true"
		}
	}
	if modified {
		commit += " (modified)"
	}
	return version, commit, goVersion
}

func newVersionCmd(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the version, commit and Go version of this build",
		Args:  cobra.NoArgs,
		Run: func(cmd *cobra.Command, _ []string) {
			v, c, g := buildInfo()
			fmt.Fprintf(a.io.Out, "zohoterritory %s\ncommit %s\n%s\n", v, c, g)
		},
	}
}
