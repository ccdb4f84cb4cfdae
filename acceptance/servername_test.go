//go:build acceptance

package acceptance

import (
	"strings"
	"testing"
)

// TestServerCertificateForAnotherName: nginx serves a certificate that is
// not for the base URL's host. axysdoctor names what the certificate is
// for and who issued it: a trusted issuer means a wrong base URL (or
// another service on that address), an untrusted one interception. An
// untrusted issuer with the right name is interception too.
func TestServerCertificateForAnotherName(t *testing.T) {
	cases := []struct {
		name    string
		port    func() int
		want    []string // in order, in the summary
		fix     string
		mustNot string
	}{
		{"trusted issuer: a wrong base URL", func() int { return fx.wrongNamePort },
			[]string{"the server's certificate is for other.test, www.other.test, not 127.0.0.1", "issued by O=Acceptance, CN=Acceptance Server CA, which this machine trusts", "likely a wrong base URL"},
			"documented base URL", "intercept"},
		{"untrusted issuer: interception", func() int { return fx.interceptNamePort },
			[]string{"the server's certificate is for other.test, not 127.0.0.1", "its issuer O=Example Corp Web Filter, CN=Example Corp Inspection CA is not trusted here", "likely a TLS-intercepting proxy"},
			"Exempt the Axys gateway from TLS interception", "wrong base URL"},
		{"right name, untrusted issuer: interception", func() int { return fx.interceptPort },
			[]string{"the server's certificate is signed by O=Example Corp Web Filter, CN=Example Corp Inspection CA, which this machine does not trust", "likely a TLS-intercepting proxy"},
			"exempt the Axys gateway from interception", "wrong base URL"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r, code := check(t, programKey, gateway(c.port(), fx.dnsGood, fx.clientCert)...)
			logSummaries(t, r)
			wantRoot(t, r, "tls.handshake", "tls-interception")
			hs := r.get(t, "tls.handshake")
			for i := 1; i < len(c.want); i++ {
				wantOrder(t, "tls.handshake", hs.Summary, c.want[i-1], c.want[i])
			}
			if !strings.Contains(hs.Fix, c.fix) {
				t.Errorf("tls.handshake fix %q lacks %q", hs.Fix, c.fix)
			}
			if strings.Contains(hs.Summary, c.mustNot) {
				t.Errorf("tls.handshake says %q: %q", c.mustNot, hs.Summary)
			}
			// Nothing judged our certificate: no certificate advice anywhere.
			for _, id := range []string{"cert.chain", "cert.validity", "cert.keypair"} {
				if s, _, _ := r.check(t, id); s != "pass" {
					t.Errorf("%s %s", id, s)
				}
			}
			if s, _, _ := r.check(t, "api.probe"); s != "skip" {
				t.Errorf("api.probe %s: the probe must not be sent to a server that failed verification", s)
			}
			wantOnly(t, r, "tls.handshake")
			if code != 1 {
				t.Errorf("exit %d", code)
			}
		})
	}
}
