package ui

import (
	"fmt"
	"strings"

	"github.com/axysdoctor/axysdoctor/internal/shell"
	"github.com/axysdoctor/axysdoctor/internal/termsafe"
)

// Farewell is what to print on the normal screen once the wizard has
// quit and the alternate screen is gone: when this session made a key and
// CSR, where they are, the CSR's fingerprint (to compare with what Axys
// received) and where to send it; when it saved a profile, how to use it.
// It is "" otherwise. It is plain text, wrapped to the terminal's width.
func (m *Model) Farewell() string {
	return m.keyFarewell() + m.profileFarewell()
}

func (m *Model) profileFarewell() string {
	name, path := m.SavedProfile()
	if name == "" {
		return ""
	}
	return wrap(fmt.Sprintf("axysdoctor: profile %s saved in %s; run it with: axysdoctor check --profile %s", name, termsafe.Line(path), name), m.c.width) + "\n"
}

func (m *Model) keyFarewell() string {
	made := m.c.journey.created
	if made == nil {
		return ""
	}
	w := m.c.width
	var b strings.Builder
	row := func(label, value string) { b.WriteString(indent(field(plain{}, label, value, 11, w-2), "  ")) }
	b.WriteString("axysdoctor: your key and CSR\n")
	row("key", termsafe.Line(made.keyPath)+" (keep it; never send it)")
	row("CSR", termsafe.Line(made.csrPath))
	row("CSR SHA-256", strings.Join(fingerprintLines(made.fingerprint, w-14), "\n"))
	if m.c.backend.Demo {
		b.WriteString(wrap("This was the demo: the emulator signed the CSR, and its temporary directory is removed now. With the real platform, you send the CSR file to your Axys onboarding contact.", w) + "\n")
		return b.String()
	}
	b.WriteString(wrap(`Next: send the CSR file (never the key) to your Axys onboarding contact; the signed certificate comes back in about 24 hours. Then run axysdoctor and choose "I have a signed certificate", or:`, w) + "\n")
	b.WriteString("  axysdoctor check --cert client.pem --key " + termsafe.Line(shell.Quote(made.keyPath)) + "\n")
	return b.String()
}

// plain renders text as it is (the normal screen gets no styles).
type plain struct{}

func (plain) Render(s ...string) string { return strings.Join(s, " ") }

// fingerprintLines breaks a colon-separated fingerprint into lines of at
// most width cells, between bytes, so that it stays readable and each
// line can be compared as it is.
func fingerprintLines(fp string, width int) []string {
	perLine := max(width/3, 1) // "AB:" per byte
	bytes := strings.Split(fp, ":")
	var out []string
	for len(bytes) > perLine {
		out = append(out, strings.Join(bytes[:perLine], ":")+":")
		bytes = bytes[perLine:]
	}
	return append(out, strings.Join(bytes, ":"))
}
