// Package cleanup keeps the list of things a process must undo if it is
// cut short — temporary files that may hold a half-written key, the demo's
// temporary directory — so that the interrupt watchdog in main can remove
// them before it exits, whatever the command was doing.
package cleanup

import (
	"os"
	"slices"
	"sync"
)

var (
	mu    sync.Mutex
	next  int
	tasks = map[int]func(){}
)

// Register adds f to run if the process is cut short; the returned
// function removes it again (call it when f is no longer needed).
func Register(f func()) (unregister func()) {
	mu.Lock()
	defer mu.Unlock()
	id := next
	next++
	tasks[id] = f
	return func() {
		mu.Lock()
		defer mu.Unlock()
		delete(tasks, id)
	}
}

// RemoveOnExit registers the removal of path (a file or a directory tree).
func RemoveOnExit(path string) (unregister func()) {
	return Register(func() { os.RemoveAll(path) })
}

// Run runs every registered task once, newest first, and forgets them.
func Run() {
	mu.Lock()
	ids := make([]int, 0, len(tasks))
	for id := range tasks {
		ids = append(ids, id)
	}
	// Newest first: later registrations may live inside earlier ones.
	slices.Sort(ids)
	slices.Reverse(ids)
	fs := make([]func(), 0, len(ids))
	for _, id := range ids {
		fs = append(fs, tasks[id])
		delete(tasks, id)
	}
	mu.Unlock()
	for _, f := range fs {
		f()
	}
}
