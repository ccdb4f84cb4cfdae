//go:build acceptance

package acceptance

import (
	"strings"
	"testing"
)

// TestIncompleteChain: the client certificate comes from an intermediate
// CA, the gateway trusts only the root above it, and the certificate file
// holds the leaf alone — the commonest way a good certificate is refused.
// openssl s_server and nginx each refuse it; axysdoctor says to append the
// intermediate (naming it), warns on cert.chain, and never blames the
// other environment. The same leaf with the intermediate appended passes.
func TestIncompleteChain(t *testing.T) {
	peers := []struct {
		name     string
		port     func(t *testing.T) int
		observed string // what the peer did, first in the summary
	}{
		{"openssl s_server TLS 1.3", func(t *testing.T) int { return sServerIn(t, fx.dir, 2, fx.chainRoot, "-tls1_3") },
			"the gateway refused the client certificate right after the handshake: alert 48 (unknown certificate authority"},
		{"openssl s_server TLS 1.2", func(t *testing.T) int { return sServerIn(t, fx.dir, 2, fx.chainRoot, "-tls1_2") },
			"the gateway aborted the handshake: alert 48 (unknown certificate authority"},
		{"nginx", func(*testing.T) int { return fx.chainPort },
			`the gateway finished the handshake but answered HTTP 400 "The SSL certificate error"`},
	}
	for _, p := range peers {
		t.Run(p.name+", leaf only", func(t *testing.T) {
			r, code := check(t, programKey, gateway(p.port(t), fx.dnsGood, fx.chainLeaf)...)
			logSummaries(t, r)
			wantRoot(t, r, "tls.handshake", "tls-handshake")
			hs := r.get(t, "tls.handshake")
			wantOrder(t, "tls.handshake", hs.Summary, p.observed, "likely cause: our certificate's issuer O=Acceptance, CN=Acceptance Issuing CA 1 is neither in the certificate file nor among the CAs the gateway accepts (O=Acceptance, CN=Acceptance Root CA): most likely an intermediate CA certificate is missing")
			if !strings.Contains(hs.Fix, "Append the intermediate certificate O=Acceptance, CN=Acceptance Issuing CA 1") || !strings.Contains(hs.Fix, "leaf first") {
				t.Errorf("tls.handshake fix %q does not say to append the intermediate, leaf first", hs.Fix)
			}
			chain := r.get(t, "cert.chain")
			if chain.Status != "warn" || chain.Row != "certificate-content" || !strings.Contains(chain.Summary, "intermediate CA certificate is missing") ||
				!strings.Contains(chain.Fix, "Append the intermediate certificate O=Acceptance, CN=Acceptance Issuing CA 1") {
				t.Errorf("cert.chain %s [%s] %q / %q, want a certificate-content warning to append the intermediate", chain.Status, chain.Row, chain.Summary, chain.Fix)
			}
			for _, c := range r.Checks {
				if strings.Contains(c.Summary+c.Fix, "other environment") {
					t.Errorf("%s blames the other environment: %q / %q", c.ID, c.Summary, c.Fix)
				}
			}
			wantOnly(t, r, "tls.handshake", "cert.chain")
			if code != 1 {
				t.Errorf("exit %d", code)
			}
		})
		t.Run(p.name+", intermediate appended", func(t *testing.T) {
			r, code := check(t, programKey, gateway(p.port(t), fx.dnsGood, fx.chainBundle)...)
			logSummaries(t, r)
			hs := r.get(t, "tls.handshake")
			if hs.Status != "pass" || !strings.Contains(hs.Summary, "asked for the client certificate and accepted it") {
				t.Errorf("tls.handshake %s %q", hs.Status, hs.Summary)
			}
			if !strings.Contains(hs.evidenceText(), "(2 certificates)") {
				t.Errorf("the intermediate was not sent:\n%s", hs.evidenceText())
			}
			if c := r.get(t, "cert.chain"); c.Status != "pass" {
				t.Errorf("cert.chain %s %q", c.Status, c.Summary)
			}
			if p.name == "nginx" {
				wantOnly(t, r)
				if code != 0 {
					t.Errorf("exit %d", code)
				}
			}
		})
	}
}
