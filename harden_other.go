//go:build !linux

package main

// hardenProcess keeps secrets out of core dumps where the platform allows
// (RLIMIT_CORE 0); Linux also makes the process not dumpable.
func hardenProcess() {
	setNoCore()
}
