//go:build acceptance

package acceptance

import (
	"strings"
	"testing"
)

// TestOpenSSLStrictPeer: openssl s_server -Verify 1 -verify_return_error
// aborts the handshake with a TLS alert (TLS 1.2), or sends it right after
// the handshake (TLS 1.3). The alert, what the peer did, leads the
// summary; what axysdoctor infers from the certificate follows as
// "likely cause", and names the other environment only when the issuer
// does.
func TestOpenSSLStrictPeer(t *testing.T) {
	for _, version := range []string{"-tls1_3", "-tls1_2"} {
		t.Run(version, func(t *testing.T) {
			observed := "the gateway aborted the handshake: alert "
			if version == "-tls1_3" {
				observed = "the gateway refused the client certificate right after the handshake: alert "
			}

			t.Run("the other environment's CA", func(t *testing.T) {
				r, code := check(t, programKey, gateway(sServer(t, fx.stagingCA, version), fx.dnsGood, fx.otherCert)...)
				logSummaries(t, r)
				wantRoot(t, r, "tls.handshake", "tls-handshake")
				hs := r.get(t, "tls.handshake")
				wantOrder(t, "tls.handshake", hs.Summary, observed+"48 (unknown certificate authority", "likely cause:")
				wantOrder(t, "tls.handshake", hs.Summary, "likely cause:", "Acceptance Staging Client CA, ours is from O=Acceptance, CN=Acceptance Production Client CA: a certificate for the other environment")
				if !strings.Contains(hs.Fix, "issued for this environment") {
					t.Errorf("fix %q", hs.Fix)
				}
				// The probe never ran: the alert was the verdict.
				wantOnly(t, r, "tls.handshake")
				if code != 1 {
					t.Errorf("exit %d", code)
				}
			})

			t.Run("an unrelated CA is not called the other environment", func(t *testing.T) {
				r, _ := check(t, programKey, gateway(sServer(t, fx.stagingCA, version), fx.dnsGood, fx.unrelatedCert)...)
				logSummaries(t, r)
				wantRoot(t, r, "tls.handshake", "tls-handshake")
				hs := r.get(t, "tls.handshake")
				wantOrder(t, "tls.handshake", hs.Summary, observed+"48", "likely cause:")
				wantOrder(t, "tls.handshake", hs.Summary, "likely cause:", "not a certificate Axys issued for this gateway")
				if strings.Contains(hs.Summary+hs.Fix, "other environment") {
					t.Errorf("an issuer named in no environment is called the other environment: %q / %q", hs.Summary, hs.Fix)
				}
				// Nor a missing intermediate: a tenant's own root is another
				// PKI, and there is nothing to append.
				if strings.Contains(hs.Summary+hs.Fix, "intermediate") {
					t.Errorf("a leaf from another organisation's root is told to append an intermediate: %q / %q", hs.Summary, hs.Fix)
				}
				wantOnly(t, r, "tls.handshake")
			})

			t.Run("expired", func(t *testing.T) {
				r, code := check(t, programKey, gateway(sServer(t, fx.stagingCA, version), fx.dnsGood, fx.expiredCert)...)
				logSummaries(t, r)
				// The expiry is the root cause; the alert is its consequence
				// and still says first what the gateway did.
				wantRoot(t, r, "cert.validity", "tls-handshake")
				hs := wantConsequence(t, r, "tls.handshake", "cert.validity")
				wantOrder(t, "tls.handshake", hs.Summary, observed+"45 (expired certificate", "likely cause: our certificate expired on 2025-04-01")
				if ev := hs.evidenceText(); !strings.Contains(ev, "alert means: the gateway judged the client certificate expired") {
					t.Errorf("tls.handshake evidence lacks the alert's meaning:\n%s", ev)
				}
				wantOnly(t, r, "cert.validity", "tls.handshake")
				if code != 1 {
					t.Errorf("exit %d", code)
				}
			})

			t.Run("good certificate", func(t *testing.T) {
				r, _ := check(t, programKey, gateway(sServer(t, fx.stagingCA, version), fx.dnsGood, fx.clientCert)...)
				logSummaries(t, r)
				if status, _, summary := r.check(t, "tls.handshake"); status != "pass" {
					t.Errorf("good certificate: %s %s", status, summary)
				}
				// s_server -www answers an HTML status page, not the API.
				wantRoot(t, r, "api.probe", "unexpected-response")
				if _, _, summary := r.check(t, "api.probe"); !strings.Contains(summary, "HTTP 200, but with an HTML page") {
					t.Errorf("api.probe %q", summary)
				}
			})
		})
	}
}
