package ui

import (
	"context"
	"io"
	"sync"
	"time"
)

// common is what every step shares: size, styles, keys, the backend, and
// the context that cancels running work on quit.
type common struct {
	width, height int
	styles        Styles
	keys          KeyMap
	backend       Backend
	ctx           context.Context
	now           func() time.Time
	// clipboard receives OSC 52 sequences (the terminal).
	clipboard io.Writer
	// reportDir is where reports are saved by default.
	reportDir string
	// version goes into saved reports.
	version string
	// writes counts file writes in flight, so quitting waits for them and
	// never leaves a half-written file.
	writes *fileWrites
	// tmux wraps OSC 52 for tmux's passthrough.
	tmux bool
}

// fileWrites tracks writes in flight. Once closed, no new write starts,
// and closeAndWait returns when the running ones are done.
type fileWrites struct {
	mu     sync.Mutex
	closed bool
	wg     sync.WaitGroup
}

func (f *fileWrites) begin() bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.closed {
		return false
	}
	f.wg.Add(1)
	return true
}

func (f *fileWrites) end() { f.wg.Done() }

func (f *fileWrites) closeAndWait() {
	f.mu.Lock()
	f.closed = true
	f.mu.Unlock()
	f.wg.Wait()
}

// bodyHeight is the space between the header and the help bar.
func (c *common) bodyHeight() int {
	return max(c.height-headerHeight-footerHeight, 6)
}

// inputWidth is the width of a text input in a form.
func (c *common) inputWidth(labelWidth int) int {
	return max(min(c.width-labelWidth-8, 60), 16)
}

const (
	headerHeight = 3
	footerHeight = 2
)
