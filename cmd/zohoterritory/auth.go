package main

import (
	"github.com/spf13/cobra"
)

// The first contact with a real org: a Self Client's grant code turned into
// the variables the other commands read (auth token), and a check of what
// they will use (auth status).

func newAuthCmd(a *app) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "auth",
		Short: "Get a refresh token from a Self Client's grant code, and check the credentials",
		Long: `Connect the tool to an org: "auth token" exchanges a grant code from a Zoho
Self Client for a refresh token and writes the variables the other commands
read; "auth status" checks them against Zoho.

  zohoterritory auth token --code 1000.xxxx --dc EU --env-file zoho.env
  . ./zoho.env
  zohoterritory auth status`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return cmd.Help()
		},
	}
	cmd.AddCommand(newAuthTokenCmd(a), newAuthStatusCmd(a))
	return cmd
}
