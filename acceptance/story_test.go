//go:build acceptance

package acceptance

import (
	"strings"
	"testing"
)

// TestPlatformVerdictOutranksLocalDNS: nginx accepts the call (HTTP 200
// with the envelope) while the resolver this machine uses, dnsmasq, gives
// a PTR for another host, no PTR at all, or SERVFAIL. The gateway's own
// allowlist and FCrDNS passed, so the local finding is a warning that
// says so — on the failure's own row — and the exit code follows the
// platform: 0, or 1 with --strict.
func TestPlatformVerdictOutranksLocalDNS(t *testing.T) {
	cases := []struct {
		name, resolver, row, observed, cause string
	}{
		{"PTR names another host", fx.dnsWrong, "authorized-ips", "127.0.0.1's PTR name mail.other.example resolves back, but it is not one of the certificate's names", "your resolver answers differently from the DNS the gateway uses (split-horizon DNS)"},
		{"no PTR record (NXDOMAIN)", fx.dnsNone, "authorized-ips", "127.0.0.1 has no PTR record (NXDOMAIN", "your resolver answers differently from the DNS the gateway uses (split-horizon DNS)"},
		{"SERVFAIL (validation fails)", fx.dnsServfail, "dns-temporary", "SERVFAIL", "your resolver is failing or slow"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r, code := check(t, programKey, gateway(fx.gatewayPort, c.resolver, fx.clientCert)...)
			logSummaries(t, r)
			fc := r.get(t, "dns.fcrdns")
			if fc.Status != "warn" || fc.Row != c.row {
				t.Errorf("dns.fcrdns %s [%s], want warn [%s]", fc.Status, fc.Row, c.row)
			}
			wantOrder(t, "dns.fcrdns", fc.Summary, "the gateway accepted this call (HTTP 200), so its own allowlist and FCrDNS checks passed", c.observed)
			wantOrder(t, "dns.fcrdns", fc.Summary, c.observed, "likely cause: "+c.cause)
			if !strings.HasPrefix(fc.Fix, "Nothing blocks the API now") {
				t.Errorf("dns.fcrdns fix %q", fc.Fix)
			}
			if s, _, summary := r.check(t, "api.probe"); s != "pass" || !strings.HasPrefix(summary, "HTTP 200") {
				t.Errorf("api.probe %s %q", s, summary)
			}
			if r.RootCause != nil {
				t.Errorf("root cause %+v: nothing failed", *r.RootCause)
			}
			wantOnly(t, r, "dns.fcrdns")
			if code != 0 {
				t.Errorf("exit %d, want 0: the platform accepted the call", code)
			}
			if r, code := check(t, programKey, append(gateway(fx.gatewayPort, c.resolver, fx.clientCert), "--strict")...); code != 1 || r.get(t, "dns.fcrdns").Status != "warn" {
				t.Errorf("--strict: exit %d, want 1 (warnings fail)", code)
			}
		})
	}
}
