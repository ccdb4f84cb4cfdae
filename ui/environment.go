package ui

import (
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
)

// envModel picks the environment, and with it the base URL.
type envModel struct {
	c    *common
	menu menu
}

func newEnv(c *common) envModel {
	m := envModel{c: c}
	for _, e := range c.backend.Environments {
		m.menu.items = append(m.menu.items, menuItem{e.Name, e.BaseURL})
	}
	return m
}

func (m envModel) update(msg tea.Msg) (envModel, tea.Cmd) {
	if k, ok := msg.(tea.KeyMsg); ok && key.Matches(k, m.c.keys.Next) {
		return m, advance(stateEnvironment, m.c.backend.Environments[m.menu.cursor])
	}
	m.menu = m.menu.update(msg, m.c.keys)
	return m, nil
}

func (m envModel) view() string {
	s := m.c.styles
	var b strings.Builder
	b.WriteString(wrap("Which environment? Staging and sandbox share one certificate and API keys; production has its own certificate, keys and allowlist. Credentials never cross environments.", m.c.width) + "\n\n")
	b.WriteString(m.menu.view(s, m.c.width))
	if e := m.c.backend.Environments[m.menu.cursor]; e.Note != "" {
		b.WriteString("\n" + s.Subtle.Render(wrap(e.Note, m.c.width)) + "\n")
	}
	return b.String()
}

func (m envModel) keys() stepKeys {
	k := m.c.keys
	return stepKeys{short: []key.Binding{k.Select, withHelp(k.Next, "choose")}, full: [][]key.Binding{{k.Up, k.Down, withHelp(k.Next, "choose")}}}
}
