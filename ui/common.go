package ui

import (
	"context"
	"io"
	"sync"
	"time"

	"github.com/charmbracelet/bubbles/spinner"
)

// common is what every step shares: size, styles, keys, the backend, the
// context that cancels running work on quit, the runs of background work,
// and the journey so far (written only by the root).
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
	tmux  bool
	tasks tasks
	// config is the config file's side: profiles to start from, where to
	// save one. getenv reads the variables a profile names, in commands.
	config  Config
	getenv  func(string) string
	journey journey
}

// profilesOn reports whether this session offers profiles: a real one
// with a config file path (the demo's files vanish when it ends).
func (c *common) profilesOn() bool { return c.config.Path != "" && !c.backend.Demo }

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

// inputWidth is the width of a text input after a label of labelWidth.
func (c *common) inputWidth(labelWidth int) int {
	return max(min(c.width-labelWidth-8, 60), 16)
}

// spinner is a spinner in the wizard's style.
func (c *common) spinner() spinner.Model {
	return spinner.New(spinner.WithSpinner(spinner.MiniDot), spinner.WithStyle(c.styles.Selected))
}
