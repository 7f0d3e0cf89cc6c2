package main

import (
	"context"

	"github.com/spf13/cobra"

	"github.com/seed-ab9c0d28/zohoterritory/internal/cmdutil"
	"github.com/seed-ab9c0d28/zohoterritory/internal/contract"
	"github.com/seed-ab9c0d28/zohoterritory/pkg/zohoterritory/zohoterritorytest"
)

// run runs the command line args and returns the exit code.
func run(ctx context.Context, args []string, io *cmdutil.IOStreams, stop <-chan struct{}) int {
	return cmdutil.Run(ctx, newRootCmd(io, stop), args, io)
}

func newRootCmd(io *cmdutil.IOStreams, stop <-chan struct{}) *cobra.Command {
	root := &cobra.Command{
		Use:   "zohoterritory-contract",
		Short: "Check traffic against zohoterritory's OpenAPI document",
		Long: `zohoterritory-contract holds api/openapi.yaml, the contract of Zoho CRM's
territory-membership endpoints, to real traffic with two independent
validators, kin-openapi and libopenapi-validator: an exchange passes only
when both accept it.

  validate        check recorded traffic (browser HAR files, contract cases)
  proxy           check and record live traffic: a proxy in front of Zoho
  sandbox serve   the sandbox, with every request and answer checked

` + cmdutil.ExitCodesHelp,
		RunE: func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
	}
	checker := func() (zohoterritorytest.ContractChecker, error) { return contract.New() }
	root.AddCommand(newValidateCmd(io), newProxyCmd(io, stop), cmdutil.NewSandboxCmd(io, cmdutil.SandboxOptions{Checker: checker, Stop: stop}))
	return root
}
