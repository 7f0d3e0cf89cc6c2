//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package tree_test

import (
	"syscall"
	"time"
)

// processCPU returns the CPU time the process has used, user and system,
// every thread's; false where it cannot be read.
func processCPU() (time.Duration, bool) {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0, false
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()), true
}
