package ui

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/spinner"
	tea "github.com/charmbracelet/bubbletea"
)

// keygenModel makes the key and CSR (in a command, the spinner turning),
// then shows them with the next steps; in the demo the emulator signs the
// CSR on the spot.
type keygenModel struct {
	c       *common
	spinner spinner.Model
	phase   keygenPhase
	done    keygenDoneMsg
	err     error
	copied  string
	// signed is the certificate the demo's emulator wrote, once it has.
	signed string
}

type keygenPhase int

const (
	keygenIdle keygenPhase = iota
	keygenRunning
	keygenWritten
	keygenSigning
	keygenFailed
)

// keygenResult is what the certificate step starts from.
type keygenResult struct {
	certPath, keyPath string
}

func newKeygen(c *common) keygenModel {
	return keygenModel{c: c, spinner: spinner.New(spinner.WithSpinner(spinner.MiniDot), spinner.WithStyle(c.styles.Selected))}
}

func (m keygenModel) busy() bool { return m.phase == keygenRunning || m.phase == keygenSigning }

func (m *keygenModel) start(r formResult) tea.Cmd {
	m.phase, m.err, m.copied, m.signed = keygenRunning, nil, "", ""
	return tea.Batch(m.spinner.Tick, generateCmd(m.c, r))
}

func (m keygenModel) update(msg tea.Msg) (keygenModel, tea.Cmd) {
	switch msg := msg.(type) {
	case keygenDoneMsg:
		m.phase, m.done = keygenWritten, msg
		return m, nil
	case keygenFailedMsg:
		m.phase, m.err = keygenFailed, msg.err
		return m, nil
	case signedMsg:
		if msg.err != nil {
			m.phase, m.err = keygenFailed, msg.err
			return m, nil
		}
		m.phase, m.signed = keygenWritten, msg.certPath
		return m, advance(stateKeygen, keygenResult{certPath: msg.certPath, keyPath: m.done.keyPath})
	case copiedMsg:
		if msg.err != nil {
			m.copied = "could not copy: " + msg.err.Error()
		} else {
			m.copied = "CSR sent to your clipboard (OSC 52; your terminal must allow it)"
		}
		return m, nil
	case spinner.TickMsg:
		if !m.busy() {
			return m, nil
		}
		var cmd tea.Cmd
		m.spinner, cmd = m.spinner.Update(msg)
		return m, cmd
	case tea.KeyMsg:
		if m.phase != keygenWritten {
			return m, nil
		}
		switch {
		case key.Matches(msg, m.c.keys.Copy):
			return m, copyCmd(m.c, string(m.done.csrPEM))
		case key.Matches(msg, m.c.keys.Next):
			if m.signed != "" { // back here after signing: go on with it
				return m, advance(stateKeygen, keygenResult{certPath: m.signed, keyPath: m.done.keyPath})
			}
			if m.c.backend.Sign != nil {
				m.phase = keygenSigning
				certPath := filepath.Join(filepath.Dir(m.done.csrPath), "client.pem")
				return m, tea.Batch(m.spinner.Tick, signCmd(m.c, m.done.csrPEM, certPath))
			}
			return m, advance(stateKeygen, keygenResult{keyPath: m.done.keyPath})
		}
	}
	return m, nil
}

func (m keygenModel) view() string {
	s := m.c.styles
	w := m.c.width
	switch m.phase {
	case keygenRunning:
		return fmt.Sprintf("%s Generating an RSA-2048 key and signing the CSR…\n\n%s", m.spinner.View(),
			s.Subtle.Render(wrap("This takes a moment. Nothing is written until both are ready; quitting now leaves no file behind.", w)))
	case keygenFailed:
		return s.Error.Render(wrap("✗ "+m.err.Error(), w)) + "\n\n" + wrap("Press esc to go back to the form.", w)
	}
	d := m.done
	var b strings.Builder
	b.WriteString(s.Pass.Render("✓ Key and CSR written") + s.Subtle.Render(" — send the CSR, keep the key") + "\n\n")
	row := func(label, value string) {
		b.WriteString(indent(field(s.Label, label, value, 11, w-2), "  "))
	}
	row("Private key", d.keyPath+" (RSA-2048, mode 0600)")
	row("CSR", d.csrPath)
	row("Subject", d.subject)
	row("SANs", strings.Join(d.sans, ", "))
	row("SHA-256", strings.ReplaceAll(d.fingerprint, ":", "")[:32]+"…")
	for _, n := range d.notes {
		row("Note", n)
	}
	b.WriteString("\n")
	if m.c.backend.Sign != nil {
		b.WriteString(wrap("Next: Axys signs the CSR. The real platform takes about a day (24 hours); in this demo the emulator signs it on the spot.", w) + "\n")
		if m.phase == keygenSigning {
			b.WriteString(m.spinner.View() + " The emulator is signing the CSR…\n")
		} else {
			b.WriteString(s.Selected.Render("Press enter to have the emulator sign it.") + "\n")
		}
	} else {
		b.WriteString(indent(wrap("1. Send the CSR file — never the key — to your Axys onboarding contact.", w-2), "  ") + "\n")
		b.WriteString(indent(wrap("2. Axys returns the signed certificate in about 24 hours.", w-2), "  ") + "\n")
		b.WriteString(indent(wrap("3. Then press enter to load it, or run axysdoctor later and choose \"I have a signed certificate\".", w-2), "  ") + "\n")
	}
	if m.copied != "" {
		b.WriteString(s.Subtle.Render(m.copied) + "\n")
	}
	return b.String()
}

func (m keygenModel) keys() stepKeys {
	k := m.c.keys
	if m.phase != keygenWritten {
		return stepKeys{}
	}
	next := withHelp(k.Next, "load the certificate")
	if m.c.backend.Sign != nil {
		next = withHelp(k.Next, "sign (emulator)")
	}
	return stepKeys{short: []key.Binding{next, k.Copy}, full: [][]key.Binding{{next, k.Copy}}}
}
