package ui

import (
	"path/filepath"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/spinner"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/axysdoctor/axysdoctor/internal/termsafe"
)

// keygenStep makes the key and CSR (in a command, the spinner turning),
// then shows them with the next steps; in the demo the emulator signs the
// CSR on the spot.
type keygenStep struct {
	c       *common
	spinner spinner.Model
	phase   keygenPhase
	made    created
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

func newKeygen(c *common) keygenStep { return keygenStep{c: c, spinner: c.spinner()} }

func (m keygenStep) title() string { return "Key and CSR" }

func (m keygenStep) busy() bool { return m.phase == keygenRunning || m.phase == keygenSigning }

func (m keygenStep) init() (step, tea.Cmd) { return m, nil }

func (m keygenStep) update(msg tea.Msg) (step, tea.Cmd) {
	switch msg := msg.(type) {
	case requestMsg:
		if msg.keep != nil {
			if msg.keep.csrPath != m.made.csrPath {
				m.signed = ""
			}
			m.phase, m.made, m.err, m.copied = keygenWritten, *msg.keep, nil, ""
			return m, nil
		}
		m.phase, m.err, m.copied, m.signed = keygenRunning, nil, "", ""
		return m, tea.Batch(
			m.c.tasks.start(stepKeygen, jobKeygen, generateCmd(m.c.ctx, m.c.writes, msg.req)),
			m.c.tasks.start(stepKeygen, jobSpin, m.spinner.Tick),
		)
	case keygenDoneMsg:
		m.phase, m.made = keygenWritten, msg.made
		return m, handOff(createdMsg{msg.made})
	case keygenFailedMsg:
		m.phase, m.err = keygenFailed, msg.err
		return m, nil
	case signedMsg:
		if msg.err != nil {
			m.phase, m.err = keygenFailed, msg.err
			return m, nil
		}
		m.phase, m.signed = keygenWritten, msg.certPath
		return m, handOff(csrReadyMsg{certPath: msg.certPath, keyPath: m.made.keyPath})
	case copiedMsg:
		m.copied = "CSR sent to your clipboard (OSC 52; your terminal must allow it)"
		if msg.err != nil {
			m.copied = "could not copy: " + msg.err.Error()
		}
		return m, nil
	case spinner.TickMsg:
		if !m.busy() {
			return m, nil
		}
		var cmd tea.Cmd
		m.spinner, cmd = m.spinner.Update(msg)
		return m, m.c.tasks.follow(stepKeygen, jobSpin, cmd)
	case tea.KeyMsg:
		if m.phase == keygenWritten {
			return m.updateWritten(msg)
		}
	}
	return m, nil
}

func (m keygenStep) updateWritten(msg tea.KeyMsg) (step, tea.Cmd) {
	k := m.c.keys
	switch {
	case key.Matches(msg, k.Copy):
		return m, m.c.tasks.start(stepKeygen, jobCopy, copyCmd(m.c.clipboard, m.c.tmux, string(m.made.csrPEM)))
	case key.Matches(msg, k.Next):
		if m.signed != "" { // back here after signing: go on with it
			return m, handOff(csrReadyMsg{certPath: m.signed, keyPath: m.made.keyPath})
		}
		if sign := m.c.backend.Sign; sign != nil {
			m.phase = keygenSigning
			certPath := certPathFor(m.made.csrPath)
			return m, tea.Batch(
				m.c.tasks.start(stepKeygen, jobSign, signCmd(m.c.ctx, m.c.writes, sign, m.made.csrPEM, certPath)),
				m.c.tasks.start(stepKeygen, jobSpin, m.spinner.Tick),
			)
		}
		return m, handOff(csrReadyMsg{keyPath: m.made.keyPath})
	}
	return m, nil
}

// certPathFor names the demo's signed certificate after its CSR
// (client.csr → client.pem), so new paths never meet an earlier one.
func certPathFor(csrPath string) string {
	stem := strings.TrimSuffix(csrPath, filepath.Ext(csrPath))
	if p := stem + ".pem"; p != csrPath {
		return p
	}
	return stem + "-cert.pem"
}

func (m keygenStep) view() string {
	s, w := m.c.styles, m.c.width
	switch m.phase {
	case keygenRunning:
		return m.spinner.View() + " Generating an RSA-2048 key and the CSR…\n\n" +
			s.Subtle.Render(wrap("This takes a moment. Nothing is written until both are ready; quitting now leaves no file behind.", w))
	case keygenFailed:
		return s.Error.Render(wrap("✗ "+termsafe.Line(m.err.Error()), w)) + "\n\n" + wrap("Press esc to go back to the form.", w)
	}
	d := m.made
	var b strings.Builder
	b.WriteString(s.Pass.Render("✓ Key and CSR written") + s.Subtle.Render(" — send the CSR, keep the key") + "\n\n")
	row := func(label, value string) {
		b.WriteString(indent(field(s.Label, label, value, 11, w-2), "  "))
	}
	row("Private key", termsafe.Line(d.keyPath)+" (RSA-2048, mode 0600)")
	row("CSR", termsafe.Line(d.csrPath))
	row("Subject", termsafe.Line(d.subject))
	row("SANs", termsafe.Line(strings.Join(d.sans, ", ")))
	row("SHA-256", strings.Join(fingerprintLines(d.fingerprint, w-14), "\n"))
	b.WriteString("\n")
	if m.c.backend.Sign != nil {
		b.WriteString(wrap("Next: Axys signs the CSR. The real platform takes about a day (24 hours); in this demo the emulator signs it on the spot.", w) + "\n")
		switch {
		case m.phase == keygenSigning:
			b.WriteString(m.spinner.View() + " The emulator is signing the CSR…\n")
		case m.signed != "":
			b.WriteString(s.Selected.Render("Signed. Press enter to load the certificate.") + "\n")
		default:
			b.WriteString(s.Selected.Render("Press enter to have the emulator sign it.") + "\n")
		}
	} else {
		b.WriteString(hanging("1. Send the CSR file — never the key — to your Axys onboarding contact.", w, 2, 5) + "\n")
		b.WriteString(hanging("2. Axys returns the signed certificate in about 24 hours.", w, 2, 5) + "\n")
		b.WriteString(hanging("3. Then press enter to load it, or run axysdoctor later and choose \"I have a signed certificate\".", w, 2, 5) + "\n")
	}
	if m.copied != "" {
		b.WriteString(s.Subtle.Render(termsafe.Line(m.copied)) + "\n")
	}
	// Notes last: what to do next must not fall below the fold.
	if len(d.notes) > 0 {
		b.WriteString("\n")
	}
	for _, n := range d.notes {
		row("Note", termsafe.Line(n))
	}
	return b.String()
}

func (m keygenStep) keys() stepKeys {
	k := m.c.keys
	if m.phase != keygenWritten {
		return stepKeys{}
	}
	next := withHelp(k.Next, "load the certificate")
	if m.c.backend.Sign != nil && m.signed == "" {
		next = withHelp(k.Next, "sign (emulator)")
	}
	return stepKeys{short: []key.Binding{next, k.Copy}, full: [][]key.Binding{{next, k.Copy}}}
}
