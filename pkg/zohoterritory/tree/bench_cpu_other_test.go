//go:build !(linux || darwin || freebsd || netbsd || openbsd || dragonfly)

package tree_test

import "time"

// processCPU returns false: this platform's process CPU time is not read
// (BenchmarkTreeAtScale then leaves out its pure-cpu-ms).
func processCPU() (time.Duration, bool) { return 0, false }
