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
// received) and where to send it. It is "" otherwise.
func (m *Model) Farewell() string {
	made := m.c.journey.created
	if made == nil {
		return ""
	}
	var b strings.Builder
	fmt.Fprintf(&b, "Your key and CSR:\n")
	fmt.Fprintf(&b, "  private key  %s (keep it here; never send it)\n", termsafe.Line(made.keyPath))
	fmt.Fprintf(&b, "  CSR          %s\n", termsafe.Line(made.csrPath))
	fmt.Fprintf(&b, "  CSR SHA-256  %s\n", made.fingerprint)
	if m.c.backend.Demo {
		b.WriteString("This was the demo: the emulator signed the CSR, and its temporary directory is removed now.\n" +
			"With the real platform, you send the CSR file to your Axys onboarding contact.\n")
		return b.String()
	}
	b.WriteString("Next: send the CSR file (never the key) to your Axys onboarding contact; the signed\n" +
		"certificate comes back in about 24 hours. Then run axysdoctor and choose\n" +
		"\"I have a signed certificate\", or:\n")
	fmt.Fprintf(&b, "  axysdoctor check --cert client.pem --key %s\n", termsafe.Line(shell.Quote(made.keyPath)))
	return b.String()
}
