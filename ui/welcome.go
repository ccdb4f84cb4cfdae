package ui

import (
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
)

// welcomeStep asks what the user came to do.
type welcomeStep struct {
	c    *common
	menu menu
}

func newWelcome(c *common) welcomeStep {
	details := map[mode]string{
		modeOnboard:  "make a key and a CSR for Axys to sign",
		modeRenew:    "fresh key, same subject and SANs as today's certificate",
		modeHaveCert: "load the certificate Axys sent back and test it",
		modeTriage:   "find out why an existing setup gets no 200",
	}
	m := welcomeStep{c: c}
	for _, md := range modes {
		m.menu.items = append(m.menu.items, menuItem{md.String(), details[md]})
	}
	return m
}

func (m welcomeStep) title() string { return "Welcome" }

func (m welcomeStep) init() (step, tea.Cmd) { return m, nil }

func (m welcomeStep) busy() bool { return false }

func (m welcomeStep) update(msg tea.Msg) (step, tea.Cmd) {
	if k, ok := msg.(tea.KeyMsg); ok && key.Matches(k, m.c.keys.Next) {
		return m, handOff(modeChosenMsg{modes[m.menu.cursor]})
	}
	m.menu = m.menu.update(msg, m.c.keys)
	return m, nil
}

func (m welcomeStep) view() string {
	s, w := m.c.styles, m.c.width
	var b strings.Builder
	b.WriteString(wrap("Every call to the Axys API needs a mutual-TLS client certificate, an X-API-Key, an allowlisted calling IP and forward-confirmed reverse DNS. This wizard sets them up and shows which layer is broken when a call fails.", w) + "\n\n")
	if m.c.backend.Demo {
		b.WriteString(s.Banner.Render(wrap("Demo: the built-in emulator plays Axys — no network, no credentials. Every choice works: press enter through the defaults.", w)) + "\n\n")
	}
	b.WriteString("What do you want to do?\n\n")
	b.WriteString(m.menu.view(s, w))
	return b.String()
}

func (m welcomeStep) keys() stepKeys {
	k := m.c.keys
	return stepKeys{short: []key.Binding{k.Select, withHelp(k.Next, "choose")}, full: [][]key.Binding{{k.Up, k.Down, withHelp(k.Next, "choose")}}}
}

// withHelp returns b with another description.
func withHelp(b key.Binding, desc string) key.Binding {
	b.SetHelp(b.Help().Key, desc)
	return b
}
