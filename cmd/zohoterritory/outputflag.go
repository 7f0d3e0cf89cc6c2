package main

import (
	"github.com/spf13/pflag"

	"github.com/seed-ab9c0d28/zohoterritory/internal/cmdutil"
)

// outputFlag is -o/--output, whose default is table on a terminal and json
// otherwise.
type outputFlag struct {
	format string
	outTTY bool
	// csv allows -o csv: the commands that change memberships write a
	// row per membership.
	csv bool
}

func (o *outputFlag) register(fs *pflag.FlagSet, outTTY bool) {
	o.outTTY = outTTY
	formats := "table or json"
	if o.csv {
		formats = "table, json or csv (a row per membership)"
	}
	fs.StringVarP(&o.format, "output", "o", "", "output format: "+formats+" (default: table on a terminal, json otherwise)")
}

// check checks the flag, and settles the default.
func (o *outputFlag) check() error {
	switch o.format {
	case "":
		o.format = "json"
		if o.outTTY {
			o.format = "table"
		}
	case "table", "json":
	case "csv":
		if !o.csv {
			return cmdutil.Usagef("--output %q: want table or json", o.format)
		}
	default:
		if o.csv {
			return cmdutil.Usagef("--output %q: want table, json or csv", o.format)
		}
		return cmdutil.Usagef("--output %q: want table or json", o.format)
	}
	return nil
}
