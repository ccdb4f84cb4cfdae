package ui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
)

// loadKind says what the certificate step is for.
type loadKind int

const (
	loadSigned  loadKind = iota // the certificate and key to test
	loadCurrent                 // renewal: the certificate to copy
)

// loadModel asks for certificate and key paths (with completion), reads
// them in a command, and shows a details card.
type loadModel struct {
	c       *common
	kind    loadKind
	inputs  []textinput.Model // cert, key, password
	focused int
	needPW  bool
	loading bool
	err     string
	loaded  *loadedMsg
}

const (
	inCert = iota
	inKey
	inPassword
)

func newLoad(c *common, kind loadKind) loadModel {
	m := loadModel{c: c, kind: kind}
	for i := range 3 {
		in := newInput(c, 4096)
		in.ShowSuggestions = true
		if i == inPassword {
			in.EchoMode = textinput.EchoPassword
			in.EchoCharacter = '•'
			in.ShowSuggestions = false
		}
		m.inputs = append(m.inputs, in)
	}
	m.inputs[inCert].Placeholder = "client.pem (PEM, DER or PKCS#12)"
	m.inputs[inKey].Placeholder = "client.key"
	m.setSize()
	return m
}

// prefill sets paths from earlier steps (the demo's signed certificate,
// the key just made).
func (m *loadModel) prefill(certPath, keyPath string) {
	if certPath != "" {
		m.inputs[inCert].SetValue(certPath)
	}
	if keyPath != "" {
		m.inputs[inKey].SetValue(keyPath)
	}
	m.loaded, m.err = nil, ""
	if certPath == "" {
		m.focused = inCert
	}
}

func (m loadModel) fields() int {
	switch {
	case m.kind == loadCurrent:
		return 1
	case m.needPW:
		return 3
	}
	return 2
}

func (m *loadModel) setSize() {
	for i := range m.inputs {
		m.inputs[i].Width = m.c.inputWidth(14)
	}
}

func (m loadModel) capturesText() bool { return m.loaded == nil }

func (m *loadModel) focus() tea.Cmd {
	for i := range m.inputs {
		m.inputs[i].Blur()
	}
	if m.loaded != nil {
		return nil
	}
	return m.inputs[m.focused].Focus()
}

func (m *loadModel) moveTo(i int) tea.Cmd {
	m.inputs[m.focused].Blur()
	m.focused = (i + m.fields()) % m.fields()
	return m.inputs[m.focused].Focus()
}

func (m loadModel) update(msg tea.Msg) (loadModel, tea.Cmd) {
	switch msg := msg.(type) {
	case loadedMsg:
		m.loading, m.loaded, m.err = false, &msg, ""
		m.inputs[m.focused].Blur()
		return m, nil
	case loadFailedMsg:
		m.loading = false
		m.err = msg.err.Error()
		if msg.needPassword && m.kind == loadSigned {
			m.needPW = true
			return m, m.moveTo(inPassword)
		}
		return m, nil
	case completionsMsg:
		if msg.field < len(m.inputs) {
			m.inputs[msg.field].SetSuggestions(msg.paths)
		}
		return m, nil
	case tea.KeyMsg:
		if m.loading {
			return m, nil
		}
		if m.loaded != nil {
			if key.Matches(msg, m.c.keys.Next) && m.usable() {
				return m, advance(m.stateOf(), *m.loaded)
			}
			if msg.String() == "e" { // edit the paths again
				m.loaded = nil
				return m, m.inputs[m.focused].Focus()
			}
			return m, nil
		}
		switch {
		case key.Matches(msg, m.c.keys.Next):
			if m.focused < m.fields()-1 && strings.TrimSpace(m.inputs[m.focused+1].Value()) == "" {
				return m, m.moveTo(m.focused + 1)
			}
			return m.submit()
		case msg.String() == "shift+tab":
			return m, m.moveTo(m.focused - 1)
		case msg.String() == "tab" && len(m.inputs[m.focused].MatchedSuggestions()) == 0:
			return m, m.moveTo(m.focused + 1)
		}
	}
	before := m.inputs[m.focused].Value()
	var cmd tea.Cmd
	m.inputs[m.focused], cmd = m.inputs[m.focused].Update(msg)
	if after := m.inputs[m.focused].Value(); after != before && m.focused != inPassword {
		return m, tea.Batch(cmd, completeCmd(m.focused, after))
	}
	return m, cmd
}

// usable reports whether what was read can go on: a certificate was
// found (a mismatched key still can, for the checks to explain).
func (m loadModel) usable() bool {
	return m.loaded != nil && m.loaded.material.Leaf != nil
}

func (m loadModel) stateOf() state {
	if m.kind == loadCurrent {
		return stateCurrentCert
	}
	return stateLoad
}

func (m loadModel) submit() (loadModel, tea.Cmd) {
	certPath := strings.TrimSpace(m.inputs[inCert].Value())
	keyPath := strings.TrimSpace(m.inputs[inKey].Value())
	if certPath == "" {
		m.err = "give the certificate's path"
		return m, m.moveTo(inCert)
	}
	if m.kind == loadSigned && keyPath == "" {
		m.err = "give the private key's path (the one made with the CSR)"
		return m, m.moveTo(inKey)
	}
	if m.kind == loadCurrent {
		keyPath = ""
	}
	m.loading, m.err = true, ""
	return m, loadCmd(m.c, certPath, keyPath, []byte(m.inputs[inPassword].Value()))
}

func (m loadModel) view() string {
	s := m.c.styles
	w := m.c.width
	var b strings.Builder
	if m.kind == loadCurrent {
		b.WriteString(wrap("Renewal: which certificate are you renewing? Its O, OU, CN and every SAN go into the new CSR, on a fresh key.", w) + "\n\n")
	} else {
		b.WriteString(wrap("The signed certificate Axys returned (PEM, DER, a bundle or PKCS#12) and the private key made with its CSR.", w) + "\n\n")
	}
	if m.loaded != nil {
		b.WriteString(certCard(s, m.loaded.material, m.loaded.certPath, m.loaded.keyPath, m.c.now(), w))
		return b.String()
	}
	labels := []string{"Certificate", "Private key", "Password"}
	for i := range m.fields() {
		marker := "  "
		label := s.Label.Render(fmt.Sprintf("%-12s", labels[i]))
		if i == m.focused {
			marker = s.Selected.Render("› ")
			label = s.Selected.Render(fmt.Sprintf("%-12s", labels[i]))
		}
		fmt.Fprintf(&b, "%s%s %s\n", marker, label, m.inputs[i].View())
	}
	b.WriteString("\n")
	switch {
	case m.loading:
		b.WriteString(s.Subtle.Render("Reading…") + "\n")
	case m.err != "":
		b.WriteString(s.Error.Render(wrap("✗ "+m.err, w)) + "\n")
	default:
		b.WriteString(s.Subtle.Render("tab completes a path; enter reads the files") + "\n")
	}
	return b.String()
}

func (m loadModel) keys() stepKeys {
	k := m.c.keys
	if m.loaded != nil {
		edit := key.NewBinding(key.WithKeys("e"), key.WithHelp("e", "other files"))
		if !m.usable() {
			return stepKeys{short: []key.Binding{edit}, full: [][]key.Binding{{edit}}}
		}
		next := withHelp(k.Next, "continue")
		return stepKeys{short: []key.Binding{next, edit}, full: [][]key.Binding{{next, edit}}}
	}
	next := withHelp(k.Next, "next / read")
	return stepKeys{short: []key.Binding{next, k.Complete}, full: [][]key.Binding{{next, k.Complete, k.PrevFld}}}
}
