package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/seed-ab9c0d28/zohoterritory/internal/cmdutil"
)

// The questions a command asks a person at the terminal.

// needsTerminal refuses a change that would ask without a terminal to ask
// on: --yes (yes) is the only way to apply without asking.
func needsTerminal(a *app, yes bool) error {
	if !yes && !a.io.InTTY {
		return cmdutil.Usagef("apply asks before it changes anything, and standard input is not a terminal: give --yes to apply without asking")
	}
	return nil
}

// confirmShown ends what apply shows before its question (shown of total
// lines of a plan, from path; saved for a saved plan): where every line
// is when not all were shown, and the totals; then it asks.
func confirmShown(ctx context.Context, a *app, shown, total int, path string, saved bool, totals fmt.Stringer) error {
	if shown < total {
		every := fmt.Sprintf("every one: zohoterritory plan %s (-o json, or --out PLAN to keep it)", shellQuote(path))
		if saved {
			every = "every one is in " + path
		}
		fmt.Fprintf(a.io.Err, "(%d of %d lines shown; %s)\n", shown, total, every)
	}
	fmt.Fprintln(a.io.Err, totals)
	if ok, err := confirm(ctx, a, "Apply these changes to the org?"); !ok {
		if err != nil {
			return err
		}
		return cmdutil.Usagef("apply cancelled; nothing was sent")
	}
	return nil
}

// confirm asks question on stderr and reports whether the line typed on
// standard input is "yes". An interrupt (the first Ctrl-C, a second one,
// SIGTERM) ends the question at once, as exit 130.
func confirm(ctx context.Context, a *app, question string) (bool, error) {
	fmt.Fprintf(a.io.Err, "%s Only \"yes\" goes on: ", question)
	answer := make(chan string, 1)
	go func() {
		s, _ := bufio.NewReader(a.io.In).ReadString('\n')
		answer <- s
	}()
	select {
	case s := <-answer:
		return strings.TrimSpace(s) == "yes", nil
	case <-ctx.Done():
	case <-a.stop:
	}
	fmt.Fprintln(a.io.Err)
	return false, cmdutil.Exit(cmdutil.ExitInterrupted, errors.New("interrupted at the question; nothing was sent"))
}

// readSecret asks for what (such as "the client secret") on the terminal,
// without echo: prompt on stderr, the line from the terminal
// ([cmdutil.ReadSecret]). An interrupt gives the terminal its echo back
// and is exit 130; nothing typed is exit 1.
func readSecret(ctx context.Context, a *app, what, prompt string) (string, error) {
	fmt.Fprint(a.io.Err, prompt)
	b, err := cmdutil.ReadSecret(ctx, a.stop, a.io.Terminal)
	fmt.Fprintln(a.io.Err)
	switch {
	case errors.Is(err, cmdutil.ErrInterrupted):
		return "", cmdutil.Exit(cmdutil.ExitInterrupted, fmt.Errorf("%s: interrupted at the prompt; nothing was sent", what))
	case err != nil:
		return "", cmdutil.Usagef("%s: reading the terminal: %v", what, err)
	}
	s := strings.TrimSpace(string(b))
	if s == "" {
		return "", cmdutil.Usagef("%s: nothing was typed", what)
	}
	return s, nil
}
