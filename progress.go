package main

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/axysdoctor/axysdoctor/checks"
)

// progress shows, on a terminal's stderr, one line that says which checks
// are running; it is erased before the report is printed. On anything but
// a terminal it prints nothing, so logs stay clean.
type progress struct {
	w        io.Writer
	live     bool
	running  []string
	finished int
	total    int
}

func newProgress(w io.Writer, live bool) *progress {
	return &progress{w: w, live: live, total: len(checks.Titles())}
}

// event is called by the runner, one call at a time.
func (p *progress) event(ev checks.Event) {
	if !p.live {
		return
	}
	switch ev.Type {
	case checks.Started:
		p.running = append(p.running, ev.ID)
	case checks.Finished:
		p.finished++
		if i := slices.Index(p.running, ev.ID); i >= 0 {
			p.running = slices.Delete(p.running, i, i+1)
		}
	}
	line := fmt.Sprintf("checking… %d/%d done", p.finished, p.total)
	if len(p.running) > 0 {
		line += " · running " + strings.Join(p.running, ", ")
	}
	fmt.Fprintf(p.w, "\r\x1b[K%s", line)
}

func (p *progress) done() {
	if p.live {
		fmt.Fprint(p.w, "\r\x1b[K")
	}
}
