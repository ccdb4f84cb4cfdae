package report

import (
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/axysdoctor/axysdoctor/checks"
	"github.com/axysdoctor/axysdoctor/internal/termsafe"
)

// Watch follows the runs of `check --watch`: each check's status, since
// when it has had it, and what it had before, so that a cutover window
// shows what changed and when.
type Watch struct {
	Runs  int
	Last  checks.Report
	At    time.Time // when the last run finished
	since map[string]time.Time
	was   map[string]checks.Status
}

// Change is a check whose status differs from the run before; on the
// first run every check is a change from "".
type Change struct {
	At       time.Time
	ID       string
	From, To checks.Status
	Summary  string
}

// Observe records a run that finished at at and returns what changed.
func (w *Watch) Observe(rep checks.Report, at time.Time) []Change {
	if w.since == nil {
		w.since, w.was = map[string]time.Time{}, map[string]checks.Status{}
	}
	prev := map[string]checks.Status{}
	for _, r := range w.Last.Results {
		prev[r.ID] = r.Status
	}
	var out []Change
	for _, r := range rep.Results {
		old, seen := prev[r.ID]
		if seen && old == r.Status {
			continue
		}
		w.since[r.ID] = at
		if seen {
			w.was[r.ID] = old
		}
		out = append(out, Change{At: at, ID: r.ID, From: old, To: r.Status, Summary: r.Summary})
	}
	w.Runs++
	w.Last, w.At = rep, at
	return out
}

// Line is the change as one log line: "15:04:05 api.probe fail → pass: HTTP 200 …".
func (c Change) Line() string {
	status := string(c.To)
	if c.From != "" {
		status = fmt.Sprintf("%s → %s", c.From, c.To)
	}
	return fmt.Sprintf("%s %s %s: %s", clock(c.At), c.ID, status, termsafe.Line(c.Summary))
}

// Table is the live view of a terminal: header, then one line per check
// with its mark, summary and since when it has had its status, cut to
// width so that redrawing in place never wraps. Checks that changed in the
// last run say what they were.
func (w *Watch) Table(st Styles, header string, width int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s\n", ansi.Truncate(st.Title.Render(header), width, "…"))
	idWidth, sinceWidth := 0, 0
	since := map[string]string{}
	for _, r := range w.Last.Results {
		since[r.ID] = "since " + clock(w.since[r.ID])
		if was, ok := w.was[r.ID]; ok {
			since[r.ID] += fmt.Sprintf(" (was %s)", was)
		}
		idWidth, sinceWidth = max(idWidth, len(r.ID)), max(sinceWidth, len(since[r.ID]))
	}
	for _, r := range w.Last.Results {
		style := st.Subtle
		if w.since[r.ID].Equal(w.At) && w.Runs > 1 {
			style = st.Title // changed in the last run
		}
		room := max(width-(2+idWidth+2)-(2+sinceWidth), 10)
		summary := ansi.Truncate(termsafe.Line(r.Summary), room, "…")
		pad := strings.Repeat(" ", max(room-ansi.StringWidth(summary), 0))
		line := fmt.Sprintf("%s %-*s  %s%s  %s", st.StatusStyle(r.Status).Render(Mark(r.Status)), idWidth, r.ID, summary, pad, style.Render(since[r.ID]))
		fmt.Fprintf(&b, "%s\n", ansi.Truncate(line, width, "…"))
	}
	return b.String()
}

func clock(t time.Time) string { return t.Format("15:04:05") }
