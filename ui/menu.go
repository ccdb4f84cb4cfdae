package ui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
)

// menu is a vertical choice list shared by the welcome and environment
// steps.
type menu struct {
	items  []menuItem
	cursor int
}

type menuItem struct {
	title, detail string
	// heading, when set, starts a group of items with a line of its own.
	heading string
}

func (m menu) update(msg tea.Msg, k KeyMap) menu {
	if msg, ok := msg.(tea.KeyMsg); ok {
		switch {
		case key.Matches(msg, k.Up):
			m.cursor = (m.cursor + len(m.items) - 1) % len(m.items)
		case key.Matches(msg, k.Down), msg.String() == "tab":
			m.cursor = (m.cursor + 1) % len(m.items)
		}
	}
	return m
}

func (m menu) view(s Styles, width int) string {
	titleWidth := 0
	for _, it := range m.items {
		titleWidth = max(titleWidth, len(it.title))
	}
	var b strings.Builder
	for i, it := range m.items {
		if it.heading != "" {
			b.WriteString("\n" + it.heading + "\n\n")
		}
		line := fmt.Sprintf("%-*s  %s", titleWidth, it.title, s.Subtle.Render(it.detail))
		if i == m.cursor {
			b.WriteString(truncate(s.Selected.Render("› "+fmt.Sprintf("%-*s", titleWidth, it.title))+"  "+s.Subtle.Render(it.detail), width))
		} else {
			b.WriteString(truncate("  "+line, width))
		}
		b.WriteString("\n")
	}
	return b.String()
}
