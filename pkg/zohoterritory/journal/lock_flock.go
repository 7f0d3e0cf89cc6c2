//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package journal

import (
	"errors"
	"os"
	"syscall"
)

// lock takes an exclusive flock on f without waiting. The lock belongs to
// the open file: it is released when f is closed or the process dies,
// however it dies, so that a killed run never blocks the next.
func lock(f *os.File) error {
	err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
	if errors.Is(err, syscall.EWOULDBLOCK) {
		return errWouldBlock
	}
	return err
}

// unlock releases f's lock before f is closed. Closing f alone would leave
// it held while a copy of the descriptor lives on: a process forked (to
// exec another program) in that moment holds one until it execs.
func unlock(f *os.File) error {
	return syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
}
