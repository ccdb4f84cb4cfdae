package ui

import (
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/axysdoctor/axysdoctor/internal/termsafe"
)

// envStep picks the environment, and with it the base URL; a opens the
// Advanced settings.
type envStep struct {
	c    *common
	menu menu
}

func newEnv(c *common) envStep {
	m := envStep{c: c}
	for _, e := range c.backend.Environments {
		m.menu.items = append(m.menu.items, menuItem{title: e.Name, detail: e.BaseURL})
	}
	return m
}

func (m envStep) title() string { return "Environment" }

func (m envStep) init() (step, tea.Cmd) { return m, nil }

func (m envStep) busy() bool { return false }

func (m envStep) update(msg tea.Msg) (step, tea.Cmd) {
	if h, ok := msg.(profileChosenMsg); ok { // the profile's environment
		for i, e := range m.c.backend.Environments {
			if e.Name == h.from.opts.Environment.Name {
				m.menu.cursor = i
			}
		}
		return m, nil
	}
	if k, ok := msg.(tea.KeyMsg); ok {
		switch {
		case key.Matches(k, m.c.keys.Next):
			return m, handOff(envChosenMsg{m.c.backend.Environments[m.menu.cursor]})
		case key.Matches(k, m.c.keys.Advanced):
			return m, handOff(openAdvancedMsg{})
		}
	}
	m.menu = m.menu.update(msg, m.c.keys)
	return m, nil
}

func (m envStep) view() string {
	s, w := m.c.styles, m.c.width
	var b strings.Builder
	b.WriteString(wrap("Which environment? Staging and sandbox share one certificate and API keys; production has its own certificate, keys and allowlist. Credentials never cross environments.", w) + "\n\n")
	b.WriteString(m.menu.view(s, w))
	if e := m.c.backend.Environments[m.menu.cursor]; e.Note != "" {
		b.WriteString("\n" + s.Subtle.Render(wrap(e.Note, w)) + "\n")
	}
	b.WriteString("\n")
	if from := m.c.journey.profile; from != nil {
		b.WriteString(s.Banner.Render(wrap("From profile "+from.profile.Name+": its environment and settings are selected.", w)) + "\n")
	}
	if set := m.c.journey.settings.describe(); set != "" {
		b.WriteString(wrap("Advanced: "+termsafe.Line(set), w) + "\n")
	}
	b.WriteString(s.Subtle.Render(wrap("a: Advanced — base URL, CA file, resolver, egress server or URL, calling IP, proxy, timeout.", w)) + "\n")
	return b.String()
}

func (m envStep) keys() stepKeys {
	k := m.c.keys
	choose := withHelp(k.Next, "choose")
	return stepKeys{short: []key.Binding{k.Select, choose, k.Advanced}, full: [][]key.Binding{{k.Up, k.Down, choose}, {k.Advanced}}}
}
