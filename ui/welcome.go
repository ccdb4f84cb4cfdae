package ui

import (
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
)

// welcomeModel asks what the user came to do.
type welcomeModel struct {
	c    *common
	menu menu
}

func newWelcome(c *common) welcomeModel {
	return welcomeModel{c: c, menu: menu{items: []menuItem{
		{modeOnboard.String(), "make a key and a CSR for Axys to sign"},
		{modeRenew.String(), "fresh key, same subject and SANs as today's certificate"},
		{modeHaveCert.String(), "load the certificate Axys sent back and test it"},
		{modeTriage.String(), "find out why an existing setup gets no 200"},
	}}}
}

func (m welcomeModel) init() tea.Cmd { return nil }

func (m welcomeModel) update(msg tea.Msg) (welcomeModel, tea.Cmd) {
	if k, ok := msg.(tea.KeyMsg); ok && key.Matches(k, m.c.keys.Next) {
		return m, advance(stateWelcome, mode(m.menu.cursor))
	}
	m.menu = m.menu.update(msg, m.c.keys)
	return m, nil
}

func (m welcomeModel) view() string {
	s := m.c.styles
	var b strings.Builder
	b.WriteString(wrap("Every call to the Axys API needs a mutual-TLS client certificate, an X-API-Key, an allowlisted calling IP and forward-confirmed reverse DNS. This wizard sets them up and shows which layer is broken when a call fails.", m.c.width) + "\n\n")
	if m.c.backend.Demo {
		b.WriteString(s.Banner.Render(wrap("Demo: the built-in emulator plays Axys — no network, no credentials. Press enter through the defaults.", m.c.width)) + "\n\n")
	}
	b.WriteString("What do you want to do?\n\n")
	b.WriteString(m.menu.view(s, m.c.width))
	return b.String()
}

func (m welcomeModel) keys() stepKeys {
	k := m.c.keys
	return stepKeys{short: []key.Binding{k.Select, withHelp(k.Next, "choose")}, full: [][]key.Binding{{k.Up, k.Down, withHelp(k.Next, "choose")}}}
}

// withHelp returns b with another description.
func withHelp(b key.Binding, desc string) key.Binding {
	b.SetHelp(b.Help().Key, desc)
	return b
}
