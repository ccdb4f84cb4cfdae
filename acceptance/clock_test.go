//go:build acceptance

package acceptance

import (
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// clockGateway runs openssl s_server -HTTP in a directory of its own,
// serving v2/cardholders?limit=1 (the probe's path, query included, as
// s_server maps it to a file) as a complete HTTP response: the envelope
// with a Date header from a clock date behind this machine's.
func clockGateway(t *testing.T, date time.Time, extra ...string) int {
	t.Helper()
	dir := t.TempDir()
	if err := os.Mkdir(filepath.Join(dir, "v2"), 0o755); err != nil {
		t.Fatal(err)
	}
	resp := "HTTP/1.0 200 OK\r\nContent-Type: application/json\r\nDate: " + date.UTC().Format(http.TimeFormat) + "\r\n\r\n" + envelope200
	if err := os.WriteFile(filepath.Join(dir, "v2", "cardholders?limit=1"), []byte(resp), 0o644); err != nil {
		t.Fatal(err)
	}
	return sServerIn(t, dir, 1, fx.stagingCA, append([]string{"-HTTP"}, extra...)...)
}

// TestClockSkewAgainstTheGatewaysDate: the gateway (openssl s_server -HTTP)
// answers 200 with a Date header ten minutes behind this machine's clock.
// cert.validity warns on row clock-skew and shows both clocks; nothing
// fails, so the exit code is 0.
func TestClockSkewAgainstTheGatewaysDate(t *testing.T) {
	port := clockGateway(t, time.Now().Add(-10*time.Minute))
	r, code := check(t, programKey, gateway(port, fx.dnsGood, fx.clientCert)...)
	logSummaries(t, r)
	v := r.get(t, "cert.validity")
	if v.Status != "warn" || v.Row != "clock-skew" || !strings.Contains(v.Summary, "this machine's clock is 10m") || !strings.Contains(v.Summary, "ahead of the gateway's (more than 2m0s)") {
		t.Errorf("cert.validity %s [%s] %q, want a clock-skew warning", v.Status, v.Row, v.Summary)
	}
	if ev := v.evidenceText(); !strings.Contains(ev, "gateway clock:") || !strings.Contains(ev, "(HTTP Date header); this machine is 10m") {
		t.Errorf("cert.validity evidence lacks both clocks:\n%s", ev)
	}
	if skew := r.Gateway.ClockSkewMS; skew == nil || *skew < 595_000 || *skew > 605_000 {
		t.Errorf("gateway.clock_skew_ms %v, want about 600000", skew)
	}
	if s, _, summary := r.check(t, "api.probe"); s != "pass" {
		t.Errorf("api.probe %s %q", s, summary)
	}
	wantOnly(t, r, "cert.validity")
	if code != 0 || r.RootCause != nil {
		t.Errorf("exit %d, root cause %v: a skewed clock alone fails nothing", code, r.RootCause)
	}
}

// TestExpiredOnlyByThisMachinesClock: a certificate that expired five
// minutes ago by this machine's clock, a gateway whose clock is ten
// minutes behind and accepts it (s_server -no_check_time plays a gateway
// that judges by its own clock). The platform's verdict outranks the local
// one: cert.validity says the clock, not the certificate, is the problem.
func TestExpiredOnlyByThisMachinesClock(t *testing.T) {
	now := time.Now().UTC()
	out := "just-expired.pem"
	if err := sh(fx.dir, "openssl", "ca", "-batch", "-config", "ca.cnf", "-cert", "staging-ca.pem", "-keyfile", "staging-ca.key",
		"-in", "client.csr", "-out", out, "-startdate", now.Add(-24*time.Hour).Format("20060102150405Z"),
		"-enddate", now.Add(-5*time.Minute).Format("20060102150405Z"), "-notext", "-preserveDN"); err != nil {
		t.Fatal(err)
	}
	port := clockGateway(t, now.Add(-10*time.Minute), "-no_check_time")
	r, code := check(t, programKey, gateway(port, fx.dnsGood, filepath.Join(fx.dir, out))...)
	logSummaries(t, r)
	v := r.get(t, "cert.validity")
	if v.Status != "warn" || v.Row != "clock-skew" {
		t.Errorf("cert.validity %s [%s], want warn [clock-skew]", v.Status, v.Row)
	}
	wantOrder(t, "cert.validity", v.Summary, "the gateway accepted the certificate, and by its clock it is valid", "expired")
	wantOrder(t, "cert.validity", v.Summary, "but this machine's clock is 10m", "likely cause: this machine's clock is wrong")
	// Not "1 days ago", and no claim that the gateway refuses what it just
	// accepted.
	if !strings.Contains(v.Summary, "less than a day ago; Axys allows no grace period") || strings.Contains(v.Summary, "refuses") {
		t.Errorf("cert.validity %q", v.Summary)
	}
	if !strings.Contains(v.Fix, "Fix this machine's clock") {
		t.Errorf("cert.validity fix %q", v.Fix)
	}
	wantOnly(t, r, "cert.validity")
	if code != 0 {
		t.Errorf("exit %d: the gateway accepted the certificate", code)
	}
}
