package ui

import (
	"slices"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/axysdoctor/axysdoctor/config"
	"github.com/axysdoctor/axysdoctor/internal/termsafe"
)

// welcomeStep asks what the user came to do: one of the modes, or, when
// the config file has profiles, a triage of one of them.
type welcomeStep struct {
	c    *common
	menu menu
	// profiles are the menu's items after the modes.
	profiles []config.Profile
	// reading is the profile being read; err why one could not be.
	reading string
	err     string
}

func newWelcome(c *common) welcomeStep {
	m := welcomeStep{c: c}
	m.fill()
	if i := slices.IndexFunc(m.profiles, func(p config.Profile) bool { return p.Name == c.config.Start }); i >= 0 {
		m.menu.cursor = len(modes) + i
	}
	return m
}

// fill lists the modes, then the profiles (a profile saved in this
// session shows up when the user comes back here).
func (m *welcomeStep) fill() {
	details := map[mode]string{
		modeOnboard:  "make a key and a CSR for Axys to sign",
		modeRenew:    "fresh key, same subject and SANs as today's certificate",
		modeHaveCert: "load the certificate Axys sent back and test it",
		modeTriage:   "find out why an existing setup gets no 200",
	}
	m.menu.items = nil
	for _, md := range modes {
		m.menu.items = append(m.menu.items, menuItem{title: md.String(), detail: details[md]})
	}
	m.profiles = m.c.journey.profiles
	for i, p := range m.profiles {
		it := menuItem{title: p.Name, detail: termsafe.Line(describeProfile(p))}
		if i == 0 {
			it.heading = "Or check a saved profile:"
		}
		m.menu.items = append(m.menu.items, it)
	}
	m.menu.cursor = min(m.menu.cursor, len(m.menu.items)-1)
}

func (m welcomeStep) title() string { return "Welcome" }

func (m welcomeStep) init() (step, tea.Cmd) {
	m.fill()
	return m, nil
}

func (m welcomeStep) busy() bool { return m.reading != "" }

func (m welcomeStep) update(msg tea.Msg) (step, tea.Cmd) {
	switch msg := msg.(type) {
	case profileReadMsg:
		m.reading = ""
		return m, handOff(profileChosenMsg(msg))
	case profileFailedMsg:
		m.reading, m.err = "", msg.err.Error()
		return m, nil
	case tea.KeyMsg:
		if m.reading != "" {
			return m, nil
		}
		if key.Matches(msg, m.c.keys.Next) {
			if i := m.menu.cursor - len(modes); i >= 0 {
				p := m.profiles[i]
				m.reading, m.err = p.Name, ""
				return m, m.c.tasks.start(stepWelcome, jobProfile, readProfileCmd(p, m.c.getenv))
			}
			return m, handOff(modeChosenMsg{modes[m.menu.cursor]})
		}
	}
	m.menu = m.menu.update(msg, m.c.keys)
	return m, nil
}

func (m welcomeStep) view() string {
	s, w := m.c.styles, m.c.width
	var b strings.Builder
	if len(m.profiles) == 0 { // with profiles, the list needs the room, and the user has been here before
		b.WriteString(wrap("Every call to the Axys API needs a mutual-TLS client certificate, an X-API-Key, an allowlisted calling IP and forward-confirmed reverse DNS. This wizard sets them up and shows which layer is broken when a call fails.", w) + "\n\n")
	}
	if m.c.backend.Demo {
		b.WriteString(s.Banner.Render(wrap("Demo: the built-in emulator plays Axys — no network, no credentials. Every choice works: press enter through the defaults.", w)) + "\n\n")
	}
	if start := m.c.config.Start; start != "" {
		b.WriteString(s.Banner.Render(wrap("--profile "+start+" is selected: enter checks it.", w)) + "\n\n")
	}
	b.WriteString("What do you want to do?\n\n")
	b.WriteString(m.menu.view(s, w))
	switch {
	case m.reading != "":
		b.WriteString("\n" + s.Subtle.Render("Reading profile "+m.reading+"…") + "\n")
	case m.err != "":
		b.WriteString("\n" + s.Error.Render(wrap("✗ "+termsafe.Line(m.err), w)) + "\n")
	}
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
