package ui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/axysdoctor/axysdoctor/checks"
	"github.com/axysdoctor/axysdoctor/internal/termsafe"
)

// apiKeyStep takes the API key offered by the environment, a profile's
// variable or file, or the demo, or from a masked input. The key is shown
// only as its last four characters.
type apiKeyStep struct {
	c *common
	// offer is the journey's keyOffer this step last started from.
	offer  keyOffer
	input  textinput.Model
	typing bool
	err    string
}

func newAPIKey(c *common) apiKeyStep {
	in := newInput(c, 1024)
	in.EchoMode = textinput.EchoPassword
	in.EchoCharacter = '•'
	in.Placeholder = "paste the Program's API key"
	m := apiKeyStep{c: c, input: in, offer: c.journey.keyOffer, typing: c.journey.keyOffer.key.Empty()}
	m.input.Width = c.inputWidth(10)
	return m
}

func (m apiKeyStep) title() string { return "API key" }

func (m apiKeyStep) busy() bool { return false }

func (m apiKeyStep) init() (step, tea.Cmd) {
	if o := m.c.journey.keyOffer; o != m.offer { // another profile, or none
		m.offer, m.typing, m.err = o, o.key.Empty(), ""
		m.input.SetValue("")
	}
	if m.typing {
		return m, m.input.Focus()
	}
	m.input.Blur()
	return m, nil
}

func (m apiKeyStep) update(msg tea.Msg) (step, tea.Cmd) {
	if _, ok := msg.(tea.WindowSizeMsg); ok {
		m.input.Width = m.c.inputWidth(10)
		return m, nil
	}
	if k, ok := msg.(tea.KeyMsg); ok {
		switch {
		case key.Matches(k, m.c.keys.Next):
			if !m.typing {
				return m, handOff(apiKeyMsg{key: m.offer.key})
			}
			key := checks.NewAPIKey(m.input.Value())
			if key.Empty() {
				m.err = "paste the key, or press esc to go back; without one the probe can only show the 401"
				return m, nil
			}
			return m, handOff(apiKeyMsg{key: key, typed: true})
		case !m.typing && key.Matches(k, m.c.keys.Change):
			m.typing = true
			return m, m.input.Focus()
		}
	}
	if !m.typing {
		return m, nil
	}
	m.err = ""
	var cmd tea.Cmd
	m.input, cmd = m.input.Update(msg)
	return m, cmd
}

func (m apiKeyStep) view() string {
	s := m.c.styles
	w := m.c.width
	var b strings.Builder
	b.WriteString(wrap("The Program's API key, sent as X-API-Key with the probe. It is never shown, logged or saved: only its last four characters and a short hash appear.", w) + "\n\n")
	if !m.typing {
		fmt.Fprintf(&b, "  Using the key from %s: %s\n", termsafe.Line(m.offer.source.String()), s.Value.Render(termsafe.Line(m.offer.key.Redacted())))
		return b.String()
	}
	fmt.Fprintf(&b, "  %s %s\n", s.Selected.Render(fmt.Sprintf("%-9s", "API key")), m.input.View())
	if v := checks.NewAPIKey(m.input.Value()); !v.Empty() {
		fmt.Fprintf(&b, "  %s %s\n", strings.Repeat(" ", 9), s.Subtle.Render(termsafe.Line(v.Redacted())))
	}
	b.WriteString("\n")
	switch {
	case m.err != "":
		b.WriteString(s.Error.Render(wrap("✗ "+m.err, w)) + "\n")
	case m.offer.problem != "" && m.c.journey.profile != nil:
		b.WriteString(s.Warn.Render(wrap("Profile "+m.c.journey.profile.profile.Name+": "+termsafe.Line(m.offer.problem)+". Paste the key here (it is not saved), or quit, make it available and start again.", w)) + "\n")
	default:
		b.WriteString(s.Subtle.Render(wrap("Tip: export AXYS_API_KEY before starting and this step fills itself.", w)) + "\n")
	}
	return b.String()
}

func (m apiKeyStep) keys() stepKeys {
	k := m.c.keys
	next := withHelp(k.Next, "run the checks")
	if m.typing {
		return stepKeys{short: []key.Binding{next}, full: [][]key.Binding{{next}}, typing: true}
	}
	return stepKeys{short: []key.Binding{next, k.Change}, full: [][]key.Binding{{next, k.Change}}}
}
