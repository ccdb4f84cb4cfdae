package ui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/x/ansi"
)

// truncate cuts s (which may hold ANSI styles) to width cells.
func truncate(s string, width int) string {
	if width <= 0 || ansi.StringWidth(s) <= width {
		return s
	}
	return ansi.Truncate(s, width, "…")
}

// wrap word-wraps text (which may hold ANSI styles) to width, breaking
// only at spaces — host names keep their hyphens — and hard-wrapping a
// word longer than a line.
func wrap(s string, width int) string {
	width = max(width, 10)
	var out []string
	for _, para := range strings.Split(s, "\n") {
		line, lw := "", 0
		for _, word := range strings.Fields(para) {
			ww := ansi.StringWidth(word)
			if lw > 0 && lw+1+ww > width {
				out = append(out, line)
				line, lw = "", 0
			}
			if lw == 0 && ww > width {
				parts := strings.Split(ansi.Hardwrap(word, width, false), "\n")
				out = append(out, parts[:len(parts)-1]...)
				word = parts[len(parts)-1]
				ww = ansi.StringWidth(word)
			}
			if lw > 0 {
				line += " "
				lw++
			}
			line += word
			lw += ww
		}
		out = append(out, line)
	}
	return strings.Join(out, "\n")
}

// field renders "label value" with the value wrapped under itself.
func field(label lipglossStyle, name string, value string, labelWidth, width int) string {
	pad := strings.Repeat(" ", labelWidth+1)
	body := wrap(value, width-labelWidth-1)
	lines := strings.Split(body, "\n")
	for i := range lines {
		if i == 0 {
			lines[i] = label.Render(fmt.Sprintf("%-*s", labelWidth, name)) + " " + lines[i]
		} else {
			lines[i] = pad + lines[i]
		}
	}
	return strings.Join(lines, "\n") + "\n"
}

// lipglossStyle is the part of lipgloss.Style that field needs.
type lipglossStyle interface{ Render(...string) string }

// hanging wraps s to width with first spaces before its first line and
// rest before the others: a list item whose continuation stands out.
func hanging(s string, width, first, rest int) string {
	lines := strings.Split(wrap(s, width-rest), "\n")
	for i := range lines {
		pad := rest
		if i == 0 {
			pad = first
		}
		lines[i] = strings.Repeat(" ", pad) + lines[i]
	}
	return strings.Join(lines, "\n")
}

// indent prefixes every line of s.
func indent(s, prefix string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		if l != "" {
			lines[i] = prefix + l
		}
	}
	return strings.Join(lines, "\n")
}

func lipglossWidth(s string) int { return ansi.StringWidth(s) }
