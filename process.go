package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/axysdoctor/axysdoctor/internal/cleanup"
)

// interruptGrace is how long a command has, after Ctrl+C, SIGTERM or
// SIGHUP, to stop by itself — cancelled network waits, key generation and
// the wizard all do within milliseconds. A command still busy after it (a
// read from a pipe that never ends, a key derivation in progress) is cut
// short: the registered clean-ups run and the process exits 130, so an
// interrupt always ends axysdoctor within a second.
const interruptGrace = 750 * time.Millisecond

// runProcess is the process around run: no core dumps while secrets are
// in memory, signals that cancel the command, and the watchdog above.
// ready, if set, is called once the signals are caught (tests use it to
// know when an interrupt is theirs to send).
func runProcess(args []string, e env, ready func()) int {
	hardenProcess()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	defer stop()
	if ready != nil {
		ready()
	}
	done := make(chan int, 1)
	go func() { done <- run(ctx, args, e) }()
	select {
	case code := <-done:
		return code
	case <-ctx.Done():
	}
	t := time.NewTimer(interruptGrace)
	defer t.Stop()
	select {
	case code := <-done:
		return code
	case <-t.C:
		cleanup.Run()
		fmt.Fprintln(e.stderr, "axysdoctor: interrupted")
		return exitInterrupted
	}
}
