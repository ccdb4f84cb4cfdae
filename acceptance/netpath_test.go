//go:build acceptance

package acceptance

import (
	"fmt"
	"strings"
	"testing"
)

// TestNoTLSServerOnThePort: the peer ends the connection before it sends a
// ServerHello, or is not a TLS server at all. That is the network path (a
// load balancer without a backend, a firewall, a wrong port), row
// network-path — never "the gateway rejected the client certificate", and
// never "pass the certificate and key" when they were passed.
func TestNoTLSServerOnThePort(t *testing.T) {
	listen := func(t *testing.T, opts string, target string) int {
		port := mustPort(t)
		socat(t, "-t", "0", fmt.Sprintf("TCP-LISTEN:%d,bind=127.0.0.1,reuseaddr,fork%s", port, opts), target)
		return port
	}
	cases := []struct {
		name string
		port func(t *testing.T) int
		want string
	}{
		// socat accepts, reads the ClientHello into /dev/null and closes
		// (FIN) as soon as /dev/null has nothing to say.
		{"accepts and closes", func(t *testing.T) int { return listen(t, "", "OPEN:/dev/null") },
			"was closed before the server sent anything (no ServerHello): no TLS server answered there"},
		// The same with SO_LINGER 0: socat's FIN is followed at once by a
		// reset, which Go sees as EOF, as EPIPE on its first write, or —
		// when both arrive before the connect returns — as EPIPE from
		// connect(2) itself: the TCP connection was accepted all the same.
		{"accepts and closes hard (SO_LINGER 0)", func(t *testing.T) int { return listen(t, ",linger=0", "OPEN:/dev/null") },
			"before the server sent anything (no ServerHello): no TLS server answered there"},
		// An SSH server's banner, as sshd sends it on accepting.
		{"an SSH server", func(t *testing.T) int {
			return listen(t, "", script(t, "echo SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3; cat >/dev/null"))
		}, `does not speak TLS: it answered "SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3"`},
		// nginx listening without ssl answers the ClientHello with a 400.
		{"plain HTTP (nginx without ssl)", func(*testing.T) int { return fx.plainPort },
			`does not speak TLS: it answered "HTTP/1.1 400 Bad Request" (plain HTTP, not HTTPS)`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			port := c.port(t)
			// Timing decides which of the hard close's errors Go sees:
			// every run must tell the same story.
			runs := 1
			if strings.Contains(c.name, "hard") {
				runs = 20
			}
			for i := range runs {
				r, code := check(t, programKey, gateway(port, fx.dnsGood, fx.clientCert)...)
				if i == 0 {
					logSummaries(t, r)
				}
				if !noTLSServer(t, r, code, c.want) {
					break
				}
			}
		})
	}
}

// noTLSServer asserts a run's story when no TLS server answered, and
// reports whether it held.
func noTLSServer(t *testing.T, r report, code int, want string) bool {
	t.Helper()
	failed := t.Failed()
	wantRoot(t, r, "tls.handshake", "network-path")
	hs := r.get(t, "tls.handshake")
	if !strings.Contains(hs.Summary, want) {
		t.Errorf("tls.handshake %q lacks %q", hs.Summary, want)
	}
	for _, bad := range []string{"refused the client certificate", "rejected", "likely cause"} {
		if strings.Contains(hs.Summary, bad) {
			t.Errorf("tls.handshake blames the certificate (%q): %q", bad, hs.Summary)
		}
	}
	if strings.Contains(strings.ToLower(hs.Fix), "pass the certificate") || strings.Contains(hs.Fix, "renew") {
		t.Errorf("tls.handshake fix gives certificate advice: %q", hs.Fix)
	}
	if s, _, _ := r.check(t, "api.probe"); s != "skip" {
		t.Errorf("api.probe %s", s)
	}
	wantOnly(t, r, "tls.handshake")
	if code != 1 {
		t.Errorf("exit %d", code)
	}
	if t.Failed() && !failed {
		logSummaries(t, r)
		return false
	}
	return true
}
