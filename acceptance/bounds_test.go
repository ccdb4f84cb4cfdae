//go:build acceptance

package acceptance

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// tlsGateway is a TLS gateway played by socat, which requires the client
// certificate and then runs body, a shell script, as the HTTP side.
func tlsGateway(t *testing.T, body string) int {
	t.Helper()
	port := mustPort(t)
	d := fx.dir
	socat(t, fmt.Sprintf("OPENSSL-LISTEN:%d,bind=127.0.0.1,reuseaddr,fork,cert=%s,key=%s,cafile=%s,verify=1",
		port, filepath.Join(d, "server.pem"), filepath.Join(d, "server.key"), fx.stagingCA), script(t, body))
	return port
}

// trickler is a gateway whose answer never ends: the status line, then a
// header one byte every half second, for ever.
func trickler(t *testing.T) int {
	t.Helper()
	return tlsGateway(t, `printf 'HTTP/1.1 200 OK\r\nX-Trickle: '; while printf a; do sleep 0.5; done`)
}

// TestFloodingHead: a gateway that sends headers as fast as it can, for
// ever. At most 64 KiB of head is read; the answer is judged as not the
// API's, at once, not after the timeout.
func TestFloodingHead(t *testing.T) {
	port := tlsGateway(t, `printf 'HTTP/1.1 200 OK\r\n'; while printf 'X-Flood: %0200d\r\n' 0; do :; done`)
	r := checkEnv(t, programKey, nil, append(gateway(port, fx.dnsGood, fx.clientCert), "--timeout", "5s")...)
	logSummaries(t, r.report)
	wantRoot(t, r.report, "api.probe", "unexpected-response")
	if _, _, s := r.check(t, "api.probe"); !strings.Contains(s, "the answer's head (status line and headers) went past 64 KB without ending") {
		t.Errorf("api.probe %q", s)
	}
	if r.took > 4*time.Second {
		t.Errorf("the run took %s: a flood is cut at 64 KiB, not by the 5s timeout", r.took)
	}
}

// TestManyPTRNames: dnsmasq answers 40 long PTR names for the calling
// address — too many for UDP, so the answer comes back truncated and again
// over TCP. At most 8 names are followed forward, and the evidence says
// how many records were left out.
func TestManyPTRNames(t *testing.T) {
	args := []string{"--host-record=api.acmecards.example,127.0.0.1"}
	for i := range 40 {
		args = append(args, fmt.Sprintf("--ptr-record=1.0.0.127.in-addr.arpa,host-%02d.%s.example", i, strings.Repeat("long-label", 5)))
	}
	resolver := dnsmasqFor(t, args...)
	r := checkEnv(t, programKey, nil, gateway(fx.gatewayPort, resolver, fx.clientCert)...)
	logSummaries(t, r.report)
	fc := r.get(t, "dns.fcrdns")
	ev := fc.evidenceText()
	t.Logf("dns.fcrdns evidence:\n%s", ev)
	// All 40 arrived (over TCP), 16 are taken, 8 followed.
	if !strings.Contains(ev, "and 24 more records, not used") {
		t.Errorf("dns.fcrdns evidence does not say which PTR records were left out:\n%s", ev)
	}
	if n := strings.Count(ev, "forward host-"); n != 8 {
		t.Errorf("%d PTR names looked up forward, want 8", n)
	}
	// The gateway answered 200, so whatever the PTR flood makes of FCrDNS
	// here is at most a warning.
	if fc.Status == "fail" || r.code != 0 {
		t.Errorf("dns.fcrdns %s, exit %d", fc.Status, r.code)
	}
}

// TestTricklingGateway: the handshake completes, then the answer trickles
// and never ends. Each network step is bounded by --timeout: the run ends
// within 3 × --timeout + 1 s, and says it had no answer within the timeout
// — a property of the path, not a verdict on the certificate or the API.
func TestTricklingGateway(t *testing.T) {
	const timeout = time.Second
	r := checkEnv(t, programKey, nil, append(gateway(trickler(t), fx.dnsGood, fx.clientCert), "--timeout", timeout.String())...)
	logSummaries(t, r.report)
	if r.took > 3*timeout+time.Second {
		t.Errorf("the run took %s, more than 3 × --timeout + 1s", r.took)
	}
	hs := r.get(t, "tls.handshake")
	if hs.Status != "warn" || hs.Row != "network-path" || !strings.Contains(hs.Summary, "the gateway sent no answer within 1s, so its verdict on the certificate is unknown") {
		t.Errorf("tls.handshake %s [%s] %q", hs.Status, hs.Row, hs.Summary)
	}
	wantRoot(t, r.report, "api.probe", "network-path")
	if _, _, s := r.check(t, "api.probe"); !strings.Contains(s, "no HTTP answer within 1s") {
		t.Errorf("api.probe %q", s)
	}
	wantOnly(t, r.report, "tls.handshake", "api.probe")
}

// TestSlowPathIsCutOff: every step is slow but within --timeout (2s), and
// there are more of them in a row than 3 × --timeout allows.
//
//   - DNS: a socat in front of dnsmasq answers each query after 1.5s, and
//     dnsmasq answers with CNAMEs whose targets it forwards to a second
//     dnsmasq, so each name costs two round trips: the gateway's name
//     (gw.test → gw2.test), the PTR (an RFC 2317 CNAME) and the PTR name's
//     address (fwd.test → fwd2.test).
//   - The gateway: a socat that passes the connection on after 1.5s to the
//     trickling TLS server.
//
// The run must end within 3 × --timeout + 1 s, and the checks the
// deadline cut off must say so — never "no PTR record" or "does not
// resolve", which would send the user after DNS records that exist.
func TestSlowPathIsCutOff(t *testing.T) {
	const timeout = 2 * time.Second
	upstream := dnsmasqFor(t, "--host-record=gw2.test,127.0.0.1", "--ptr-record=1.s25.rev.test,fwd.test", "--host-record=fwd2.test,127.0.0.1")
	up := strings.Replace(upstream, ":", "#", 1)
	resolver := dnsmasqFor(t, "--cname=gw.test,gw2.test", "--cname=1.0.0.127.in-addr.arpa,1.s25.rev.test", "--cname=fwd.test,fwd2.test",
		"--server=/gw2.test/"+up, "--server=/rev.test/"+up, "--server=/fwd2.test/"+up)
	slowDNS := mustPort(t)
	socat(t, "-t", "4", fmt.Sprintf("UDP4-RECVFROM:%d,bind=127.0.0.1,fork", slowDNS),
		script(t, "sleep 1.5; exec socat -T3 - UDP4:"+resolver))
	slowGW := mustPort(t)
	socat(t, fmt.Sprintf("TCP-LISTEN:%d,bind=127.0.0.1,reuseaddr,fork", slowGW),
		script(t, fmt.Sprintf("sleep 1.5; exec socat - TCP:127.0.0.1:%d", trickler(t))))

	dns := fmt.Sprintf("127.0.0.1:%d", slowDNS)
	args := withFlag(gateway(slowGW, dns, fx.clientCert), "--base-url", fmt.Sprintf("https://gw.test:%d/v2", slowGW))
	r := checkEnv(t, programKey, nil, append(args, "--timeout", timeout.String())...)
	logSummaries(t, r.report)
	if r.took > 3*timeout+time.Second {
		t.Errorf("the run took %s, more than 3 × --timeout + 1s", r.took)
	}
	for _, id := range []string{"tls.handshake", "dns.fcrdns"} {
		c := r.get(t, id)
		if c.Status != "fail" || !strings.HasPrefix(c.Summary, "cut off: the run's deadline (6s, 3 × --timeout) passed before this check finished, so its answer is unknown (not missing)") {
			t.Errorf("%s %s %q, want it cut off", id, c.Status, c.Summary)
		}
		t.Logf("%s evidence:\n%s", id, c.evidenceText())
		if !strings.Contains(c.evidenceText(), "before the cut-off: ") {
			t.Errorf("%s does not keep what it saw before the cut-off", id)
		}
		for _, wrong := range []string{"no PTR record", "NXDOMAIN", "does not resolve", "refused the client certificate"} {
			if strings.Contains(c.Summary, wrong) {
				t.Errorf("%s says %q about a lookup the deadline cut off: %q", id, wrong, c.Summary)
			}
		}
	}
	if s, _, _ := r.check(t, "api.probe"); s != "skip" {
		t.Errorf("api.probe %s", s)
	}
	// The certificate's own checks are local and still speak.
	for _, id := range []string{"key.file", "cert.chain", "cert.keypair", "cert.validity", "cert.subject", "cert.sans"} {
		if s, _, summary := r.check(t, id); s != "pass" {
			t.Errorf("%s %s %q: a local check lost to the network's deadline", id, s, summary)
		}
	}
	if r.code != 1 {
		t.Errorf("exit %d", r.code)
	}
}
