//go:build !linux

package journal

// lockHolder returns 0: only Linux says who holds a lock.
func lockHolder(string) int { return 0 }
