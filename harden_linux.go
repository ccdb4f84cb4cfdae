package main

import "syscall"

// prSetDumpable is PR_SET_DUMPABLE from <linux/prctl.h>.
const prSetDumpable = 4

// hardenProcess keeps the private key and API key out of core dumps and
// away from other processes of the same user: no core file (RLIMIT_CORE 0),
// and not dumpable, which also closes ptrace and /proc/PID/mem to them.
// Both are best effort; neither failing stops a diagnosis.
func hardenProcess() {
	syscall.Setrlimit(syscall.RLIMIT_CORE, &syscall.Rlimit{})
	syscall.RawSyscall(syscall.SYS_PRCTL, prSetDumpable, 0, 0)
}
