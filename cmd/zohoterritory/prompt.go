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
