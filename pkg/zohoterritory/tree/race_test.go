//go:build race

package tree

// raceEnabled: the race detector slows the property test tenfold, and it
// has no goroutines for it to watch.
const raceEnabled = true
