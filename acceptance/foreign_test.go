//go:build acceptance

package acceptance

import (
	"strings"
	"testing"
)

// TestAnswersThatAreNotTheAPI: nginx, after a good mutual-TLS handshake,
// answers 401, 403 or 404 with its own HTML page or a plain-text body —
// what a WAF, a proxy or a wrong path gives. That is something other than
// the Axys API answering, and no allowlist or key advice follows. The
// documented 403 ("No Authorised IPs configured", in JSON or in plain
// text, which the docs leave open) is the allowlist row.
func TestAnswersThatAreNotTheAPI(t *testing.T) {
	cases := []struct {
		prefix, row string
		want        []string // in the summary
	}{
		{"/html401", "unexpected-response", []string{"HTTP 401 with an HTML page (Server: nginx", "something other than the Axys API answered"}},
		{"/html403", "unexpected-response", []string{"HTTP 403 with an HTML page (Server: nginx", "something other than the Axys API answered"}},
		{"/html404", "unexpected-response", []string{"HTTP 404 with an HTML page (Server: nginx", "something other than the Axys API answered"}},
		{"/text403", "unexpected-response", []string{"HTTP 403 with a plain-text body (Server: nginx", "something other than the Axys API answered"}},
		{"/textips403", "authorized-ips", []string{"HTTP 403 No Authorised IPs configured"}},
		{"", "authorized-ips", []string{"HTTP 403 No Authorised IPs configured"}}, // JSON, on the blocked port
	}
	for _, c := range cases {
		name := strings.TrimPrefix(c.prefix, "/")
		if name == "" {
			name = "json403"
		}
		t.Run(name, func(t *testing.T) {
			port := fx.gatewayPort
			if c.prefix == "" {
				port = fx.blockedPort
			}
			r, code := check(t, programKey, gatewayAt(base(port, c.prefix), fx.dnsGood, fx.clientCert)...)
			logSummaries(t, r)
			wantRoot(t, r, "api.probe", c.row)
			probe := r.get(t, "api.probe")
			for _, w := range c.want {
				if !strings.Contains(probe.Summary, w) {
					t.Errorf("api.probe %q lacks %q", probe.Summary, w)
				}
			}
			if c.row == "unexpected-response" {
				if strings.Contains(probe.Fix, "allowlist") || strings.Contains(probe.Fix, "API key") {
					t.Errorf("a page that is not the API's gets allowlist or key advice: %q", probe.Fix)
				}
				if !strings.Contains(probe.Fix, "base URL") {
					t.Errorf("fix %q does not point at the base URL or proxy", probe.Fix)
				}
			} else if !strings.Contains(probe.Fix, "allowlist 127.0.0.1") {
				t.Errorf("fix %q does not name the address to allowlist", probe.Fix)
			}
			if s, _, _ := r.check(t, "tls.handshake"); s != "pass" {
				t.Errorf("tls.handshake %s: the handshake was mutual and good", s)
			}
			wantOnly(t, r, "api.probe")
			if code != 1 {
				t.Errorf("exit %d", code)
			}
		})
	}
}

// TestServerThatNeverAsksForTheCertificate: nginx without
// ssl_verify_client terminates TLS without mutual TLS — a proxy or load
// balancer in front of the gateway, or a wrong base URL. That is the root
// cause; whatever it then answers (the documented 403 JSON here, even a
// 200 envelope) is its consequence, never allowlist advice.
func TestServerThatNeverAsksForTheCertificate(t *testing.T) {
	for _, c := range []struct{ prefix, answer string }{{"", "HTTP 403 No Authorised IPs configured"}, {"/ok", "HTTP 200"}} {
		t.Run(c.answer, func(t *testing.T) {
			r, code := check(t, programKey, gatewayAt(base(fx.noMTLSPort, c.prefix), fx.dnsGood, fx.clientCert)...)
			logSummaries(t, r)
			wantRoot(t, r, "tls.handshake", "tls-interception")
			hs := r.get(t, "tls.handshake")
			if !strings.Contains(hs.Summary, "the server never asked for a client certificate") {
				t.Errorf("tls.handshake %q", hs.Summary)
			}
			if !strings.Contains(hs.evidenceText(), "client certificate: the server did not ask for one") {
				t.Errorf("tls.handshake evidence:\n%s", hs.evidenceText())
			}
			probe := r.get(t, "api.probe")
			if probe.Status == "pass" {
				t.Errorf("api.probe passes on an answer from a hop that never asked for the certificate: %q", probe.Summary)
			}
			if probe.Status == "fail" || probe.Status == "warn" {
				wantConsequence(t, r, "api.probe", "tls.handshake")
				if !strings.HasPrefix(probe.Summary, c.answer) {
					t.Errorf("api.probe %q does not keep what was answered (%s)", probe.Summary, c.answer)
				}
				if strings.Contains(strings.ToLower(probe.Fix), "allowlist") {
					t.Errorf("allowlist advice for a hop that terminated TLS: %q", probe.Fix)
				}
			}
			wantOnly(t, r, "tls.handshake", "api.probe")
			if code != 1 {
				t.Errorf("exit %d", code)
			}
		})
	}
}
