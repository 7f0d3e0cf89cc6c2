//go:build !(linux || darwin || freebsd || netbsd || openbsd || dragonfly || windows)

package journal

import "os"

// lock does nothing where the system offers no file lock this package
// knows: two processes could drive one journal there.
func lock(*os.File) error { return nil }

// unlock does nothing, as lock does.
func unlock(*os.File) error { return nil }
