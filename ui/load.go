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

// loadStep asks for certificate and key paths (with completion), reads
// them in a command, and shows a card of what was found. It serves two
// steps: the certificate under test, and renewal's current certificate
// (one path, no key).
type loadStep struct {
	c       *common
	id      stepID
	inputs  []textinput.Model // cert, key, password
	focused int
	needPW  bool
	reading bool
	err     string
	loaded  *loaded
}

const (
	inCert = iota
	inKey
	inPassword
)

func newLoad(c *common, id stepID) loadStep {
	m := loadStep{c: c, id: id}
	for i := range 3 {
		in := newInput(c, 4096)
		in.ShowSuggestions = i != inPassword
		if i == inPassword {
			in.EchoMode = textinput.EchoPassword
			in.EchoCharacter = '•'
		}
		m.inputs = append(m.inputs, in)
	}
	m.inputs[inCert].Placeholder = "client.pem (PEM, DER or PKCS#12)"
	m.inputs[inKey].Placeholder = "client.key"
	m.setWidths()
	return m
}

func (m loadStep) renewal() bool { return m.id == stepCurrentCert }

func (m loadStep) title() string {
	if m.renewal() {
		return "Current certificate"
	}
	return "Signed certificate"
}

func (m loadStep) busy() bool { return false }

func (m loadStep) init() (step, tea.Cmd) {
	for i := range m.inputs {
		m.inputs[i].Blur()
	}
	if m.loaded != nil {
		return m, nil
	}
	return m, m.inputs[m.focused].Focus()
}

func (m *loadStep) setWidths() {
	for i := range m.inputs {
		m.inputs[i].Width = m.c.inputWidth(14)
	}
}

// prefill offers paths from earlier steps or from the backend. When they
// differ from what the inputs hold, what was read before is forgotten and
// a read still on its way becomes stale; otherwise the step is as the
// user left it.
func (m *loadStep) prefill(certPath, keyPath string) {
	if m.renewal() {
		keyPath = ""
	}
	changed := false
	for i, p := range []string{certPath, keyPath} {
		if p != "" && p != m.inputs[i].Value() {
			m.inputs[i].SetValue(p)
			changed = true
		}
	}
	if !changed {
		return
	}
	m.loaded, m.err, m.reading = nil, "", false
	m.c.tasks.cancel(m.id, jobRead)
	m.focused = inCert
	if m.inputs[inCert].Value() != "" && !m.renewal() {
		m.focused = inKey
	}
}

func (m loadStep) fields() int {
	switch {
	case m.renewal():
		return 1
	case m.needPW:
		return 3
	}
	return 2
}

func (m *loadStep) moveTo(i int) tea.Cmd {
	m.inputs[m.focused].Blur()
	m.focused = (i + m.fields()) % m.fields()
	return m.inputs[m.focused].Focus()
}

func (m loadStep) update(msg tea.Msg) (step, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.setWidths()
		return m, nil
	case envChosenMsg: // what the profile or the backend has in place (the demo's credential)
		m.prefill(m.c.journey.offeredCredentials(m.c.backend))
		return m, nil
	case csrReadyMsg:
		m.prefill(msg.certPath, msg.keyPath)
		return m, nil
	case loadedMsg:
		m.reading, m.loaded, m.err = false, &msg.loaded, ""
		m.inputs[m.focused].Blur()
		return m, nil
	case loadFailedMsg:
		m.reading = false
		m.err = msg.err.Error()
		if msg.needPassword && !m.renewal() {
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
		if m.loaded != nil {
			return m.updateCard(msg)
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
		return m, tea.Batch(cmd, m.c.tasks.start(m.id, jobComplete, completeCmd(m.focused, after)))
	}
	return m, cmd
}

// updateCard: the card is showing; go on with it, or edit the paths.
func (m loadStep) updateCard(msg tea.KeyMsg) (step, tea.Cmd) {
	switch {
	case key.Matches(msg, m.c.keys.Next) && m.loaded.usable():
		if m.renewal() {
			return m, handOff(renewFromMsg{*m.loaded})
		}
		return m, handOff(credentialsMsg{*m.loaded})
	case key.Matches(msg, m.c.keys.Edit):
		m.loaded = nil
		return m, m.inputs[m.focused].Focus()
	}
	return m, nil
}

func (m loadStep) submit() (step, tea.Cmd) {
	certPath := strings.TrimSpace(m.inputs[inCert].Value())
	keyPath := strings.TrimSpace(m.inputs[inKey].Value())
	if certPath == "" {
		m.err = "give the certificate's path"
		return m, m.moveTo(inCert)
	}
	if m.renewal() {
		keyPath = ""
	} else if keyPath == "" {
		m.err = "give the private key's path (the one made with the CSR)"
		return m, m.moveTo(inKey)
	}
	m.reading, m.err = true, ""
	paths, pw := checks.Options{CertPath: certPath, KeyPath: keyPath}, typedPassword([]byte(m.inputs[inPassword].Value()))
	if from := m.c.journey.profile; from != nil && !m.renewal() {
		if p12 := from.profile.P12; p12 != "" && certPath == p12 && keyPath == p12 {
			paths = checks.Options{P12Path: p12} // its password is p12-password-env's
		}
		if m.inputs[inPassword].Value() == "" {
			pw = from.profile.Passwords(m.c.getenv)
		}
	}
	return m, m.c.tasks.start(m.id, jobRead, loadCmd(m.c.now(), paths, pw))
}

// typedPassword is a password typed in the wizard, for whichever file
// asks; without one, an encrypted file fails with csr.ErrPasswordNeeded
// and the step shows its input.
func typedPassword(password []byte) checks.Passwords {
	if len(password) == 0 {
		return checks.Passwords{}
	}
	pw := func() ([]byte, error) { return password, nil }
	return checks.Passwords{Key: pw, P12: pw}
}

func (m loadStep) view() string {
	s, w := m.c.styles, m.c.width
	var b strings.Builder
	if m.renewal() {
		b.WriteString(wrap("Renewal: which certificate are you renewing? Its O, OU, CN and every SAN go into the new CSR, on a fresh key.", w) + "\n\n")
	} else {
		b.WriteString(wrap("The signed certificate Axys returned (PEM, DER, a bundle or PKCS#12) and the private key made with its CSR.", w) + "\n\n")
	}
	if m.loaded != nil {
		b.WriteString(certCard(s, *m.loaded, m.c.now(), w))
		return b.String()
	}
	labels := []string{"Certificate", "Private key", "Password"}
	for i := range m.fields() {
		marker, label := "  ", s.Label.Render(fmt.Sprintf("%-12s", labels[i]))
		if i == m.focused {
			marker, label = s.Selected.Render("› "), s.Selected.Render(fmt.Sprintf("%-12s", labels[i]))
		}
		fmt.Fprintf(&b, "%s%s %s\n", marker, label, m.inputs[i].View())
	}
	b.WriteString("\n")
	switch {
	case m.reading:
		b.WriteString(s.Subtle.Render("Reading…") + "\n")
	case m.err != "":
		b.WriteString(s.Error.Render(wrap("✗ "+termsafe.Line(m.err), w)) + "\n")
	default:
		b.WriteString(s.Subtle.Render("tab completes a path; enter reads the files") + "\n")
		if m.c.backend.Demo && m.inputs[inCert].Value() == m.c.backend.CertPath {
			b.WriteString(s.Banner.Render(wrap("Demo: the emulator's ready certificate and key are filled in.", w)) + "\n")
		}
		if from := m.c.journey.profile; from != nil && !m.renewal() {
			if cert, _ := from.credentials(); cert != "" && m.inputs[inCert].Value() == cert {
				b.WriteString(s.Banner.Render(wrap("From profile "+from.profile.Name+": enter reads them.", w)) + "\n")
			}
		}
	}
	return b.String()
}

func (m loadStep) keys() stepKeys {
	k := m.c.keys
	if m.loaded != nil {
		if !m.loaded.usable() {
			return stepKeys{short: []key.Binding{k.Edit}, full: [][]key.Binding{{k.Edit}}}
		}
		next := withHelp(k.Next, "continue")
		return stepKeys{short: []key.Binding{next, k.Edit}, full: [][]key.Binding{{next, k.Edit}}}
	}
	next := withHelp(k.Next, "next / read")
	return stepKeys{short: []key.Binding{next, k.Complete}, full: [][]key.Binding{{next, k.Complete, k.PrevFld}}, typing: true}
}
