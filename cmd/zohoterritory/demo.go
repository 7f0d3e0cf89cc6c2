package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/seed-ab9c0d28/zohoterritory/internal/contract"
	"github.com/seed-ab9c0d28/zohoterritory/pkg/zohoterritory"
	"github.com/seed-ab9c0d28/zohoterritory/pkg/zohoterritory/zohoterritorytest"
)

func runDemo(ctx context.Context, args []string, io *streams) error {
	fs := newFlagSet("demo", io.err)
	if rest, err := parseFlags(fs, args); err != nil {
		return err
	} else if len(rest) > 0 {
		return usageErr("demo: unexpected argument %q", rest[0])
	}
	seed := zohoterritorytest.DefaultSeed()
	v, err := contract.New()
	if err != nil {
		return fmt.Errorf("demo: load the spec: %w", err)
	}
	srv, err := zohoterritorytest.NewServer(zohoterritorytest.WithSeed(seed), zohoterritorytest.WithContractCheck(v))
	if err != nil {
		return fmt.Errorf("demo: start the sandbox: %w", err)
	}
	defer srv.Close()
	client, err := srv.Client()
	if err != nil {
		return fmt.Errorf("demo: %w", err)
	}

	names := map[string]string{}
	for _, u := range seed.Users {
		names[u.ID] = u.FullName
	}
	for _, t := range seed.Territories {
		names[t.ID] = t.Name
	}
	const (
		acme, northAmerica, europe, westCoast = "5725767000000452001", "5725767000000452002", "5725767000000452003", "5725767000000452004"
		ben, chloe, dev                       = "5725767000000411002", "5725767000000411003", "5725767000000411004"
	)
	w := io.out
	fmt.Fprintf(w, "Sandbox running at %s (an in-memory Zoho CRM; no account needed).\n", srv.URL())
	fmt.Fprintln(w, "Org: Acme Org (default territory) > North America (manager Ben) > West Coast (manager Chloe); Europe (manager Eve).")

	type step struct {
		title  string
		owner  string
		ids    []string
		remove func(context.Context, string, ...string) (*zohoterritory.Result, error)
	}
	steps := []step{
		{"1. Remove one user (Chloe) from North America: the single-id form", northAmerica, []string{chloe}, client.RemoveUsersFromTerritory},
		{"2. Remove Dev and Ben from North America: the bulk form; Ben manages it", northAmerica, []string{dev, ben}, client.RemoveUsersFromTerritory},
		{"3. Remove one territory (Europe) from Chloe", chloe, []string{europe}, client.RemoveTerritoriesFromUser},
		{"4. Remove West Coast and Acme Org from Dev: Acme Org is the default territory", dev, []string{westCoast, acme}, client.RemoveTerritoriesFromUser},
	}
	for _, s := range steps {
		fmt.Fprintf(w, "\n%s\n", s.title)
		res, err := s.remove(ctx, s.owner, s.ids...)
		if res == nil {
			return fmt.Errorf("demo: %w", err)
		}
		for _, c := range res.Calls {
			if c.Response == nil {
				fmt.Fprintf(w, "   %s: no response\n", c.Operation)
				continue
			}
			req := c.Response.Request
			fmt.Fprintf(w, "   %s %s -> %s\n", req.Method, strings.TrimPrefix(req.URL.String(), srv.URL()), c.Response.Status)
		}
		for _, it := range res.Items {
			line := fmt.Sprintf("   %-13s %s", it.Outcome, names[it.ID])
			if it.Outcome != zohoterritory.Removed {
				line += fmt.Sprintf(" (%s: %q)", it.Reason, it.Message)
			}
			fmt.Fprintln(w, line)
		}
		if err != nil {
			fmt.Fprintf(w, "   request error: %v\n", err)
		}
	}

	fmt.Fprintln(w, "\nMemberships now:")
	for _, t := range seed.Territories {
		var members []string
		for _, id := range srv.Members(t.ID) {
			members = append(members, names[id])
		}
		fmt.Fprintf(w, "   %-14s %s\n", t.Name+":", strings.Join(members, ", "))
	}
	if v := append(srv.Violations(), srv.RequestViolations()...); len(v) > 0 {
		return fmt.Errorf("demo: traffic broke the contract: %s", strings.Join(v, "; "))
	}
	fmt.Fprintf(w, "\nEvery request and response was checked against api/openapi.yaml: no violation.\n")
	return nil
}
