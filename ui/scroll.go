package ui

import (
	"fmt"
	"strings"

	tea "github.com/charmbracelet/bubbletea"
)

// scrollMsg asks the root to scroll the current step's body by n lines
// (a step whose arrows scroll sends it; pgup/pgdn are the root's own).
type scrollMsg int

func scrollBy(n int) tea.Cmd { return func() tea.Msg { return scrollMsg(n) } }

// window shows the part of body that fits in h lines from offset off,
// with a last line saying what is above or below when it does not all
// fit, so nothing is ever hidden without a hint.
func window(body string, h, off, width int, s Styles) string {
	lines := strings.Split(strings.TrimRight(body, "\n"), "\n")
	if len(lines) <= h {
		return fitLines(lines, h, width)
	}
	room := h - 1 // the hint's line
	off = min(max(off, 0), len(lines)-room)
	visible := append([]string{}, lines[off:off+room]...)
	var more []string
	if off > 0 {
		more = append(more, fmt.Sprintf("↑ %d %s above (pgup)", off, plural(off, "line")))
	}
	if below := len(lines) - off - room; below > 0 {
		more = append(more, fmt.Sprintf("↓ %d more %s (pgdn)", below, plural(below, "line")))
	}
	visible = append(visible, s.Subtle.Render(strings.Join(more, " · ")))
	return fitLines(visible, h, width)
}

// plural is word for one, words for any other n.
func plural(n int, word string) string {
	if n == 1 {
		return word
	}
	return word + "s"
}

// maxOffset is the largest useful scroll offset of body in h lines.
func maxOffset(body string, h int) int {
	n := strings.Count(strings.TrimRight(body, "\n"), "\n") + 1
	if n <= h {
		return 0
	}
	return n - (h - 1)
}

// fitLines pads or cuts lines to exactly n, each cut to width, so the help
// bar stays at the bottom whatever a step renders.
func fitLines(lines []string, n, width int) string {
	out := make([]string, n)
	for i := range out {
		if i < len(lines) {
			out[i] = truncate(lines[i], width)
		}
	}
	return strings.Join(out, "\n")
}
