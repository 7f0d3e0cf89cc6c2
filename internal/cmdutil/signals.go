package cmdutil

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

// Interrupts turns the process's signals into the two steps of stopping a
// run: the first Ctrl-C closes stop (send nothing new, let what is in
// flight finish); a second Ctrl-C, or SIGTERM, cancels ctx (stop at once).
// Call release when the command is done, to restore the default handling.
func Interrupts(parent context.Context) (ctx context.Context, stop <-chan struct{}, release func()) {
	ctx, cancel := context.WithCancel(parent)
	stopCh := make(chan struct{})
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	done := make(chan struct{})
	go func() {
		interrupted := false
		for {
			select {
			case sig := <-sigs:
				if sig == os.Interrupt && !interrupted {
					interrupted = true
					close(stopCh)
					continue
				}
				cancel()
			case <-done:
				return
			}
		}
	}()
	return ctx, stopCh, func() {
		signal.Stop(sigs)
		close(done)
		cancel()
	}
}
