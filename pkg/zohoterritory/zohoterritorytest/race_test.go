//go:build race

package zohoterritorytest

// raceEnabled says the tests run under the race detector.
const raceEnabled = true
