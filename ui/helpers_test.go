package ui

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"io"
	"math/big"
	"net"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/bubbles/spinner"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/axysdoctor/axysdoctor/checks"
	"github.com/axysdoctor/axysdoctor/emulator"
)

var fixedNow = time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)

// testBackend is a real-mode backend that cannot reach the network:
// egress is given, and nothing in these tests runs the checks.
func testBackend(dir string) Backend {
	b := RealBackend(func(string) string { return "" }, dir)
	b.Base.EgressIPs = []netip.Addr{netip.MustParseAddr("203.0.113.10")}
	return b
}

// newTestModel is the wizard at 80×24 without colour and with a fixed clock.
func newTestModel(t testing.TB, b Backend) *Model {
	t.Helper()
	m := New(context.Background(), Options{Backend: b, Output: io.Discard, ReportDir: "/home/tenant/reports", Now: func() time.Time { return fixedNow }})
	t.Cleanup(m.Stop)
	send(m, tea.WindowSizeMsg{Width: 80, Height: 24})
	return m
}

// send delivers msg and then runs the commands it returned, feeding their
// messages back, until none is left. Spinner ticks are dropped, so a
// running spinner does not loop; nothing here sleeps.
func send(m *Model, msg tea.Msg) {
	_, cmd := m.Update(msg)
	run(m, cmd)
}

func run(m *Model, cmd tea.Cmd) {
	if cmd == nil {
		return
	}
	switch msg := cmd().(type) {
	case nil, spinner.TickMsg, tea.QuitMsg:
	case asyncMsg:
		if _, tick := msg.msg.(spinner.TickMsg); !tick {
			send(m, msg)
		}
	case tea.BatchMsg:
		for _, c := range msg {
			run(m, c)
		}
	default:
		send(m, msg)
	}
}

// newRun starts a run of a step's job whose answers the test delivers by
// hand, and returns its number.
func newRun(m *Model, s stepID, j job) int {
	m.c.tasks.cancel(s, j)
	return m.c.tasks[taskKey{s, j}]
}

// stepOf is the current value of step id, as its concrete type.
func stepOf[T step](m *Model, id stepID) T { return m.steps[id].(T) }

func formOf(m *Model) formStep     { return stepOf[formStep](m, stepForm) }
func loadOf(m *Model) loadStep     { return stepOf[loadStep](m, stepLoad) }
func keygenOf(m *Model) keygenStep { return stepOf[keygenStep](m, stepKeygen) }
func checksOf(m *Model) checksStep { return stepOf[checksStep](m, stepChecks) }

// setStep replaces step id's value (to arrange a state for a test).
func setStep[T step](m *Model, id stepID, f func(*T)) {
	s := m.steps[id].(T)
	f(&s)
	m.steps[id] = s
}

// show makes id the current step after the given mode's steps before it,
// as if the user had walked there.
func show(m *Model, md mode, id stepID) {
	m.c.journey.mode = md
	m.history = append(m.history, m.current)
	m.current = id
	run(m, m.initStep(id))
}

// emulatorBackend is what the demo's backend is (package main builds it)
// for tests here: the emulator on loopback, files in a temporary directory,
// its ready credential in DIR/current.
func emulatorBackend(t *testing.T, scenario, style string) Backend {
	t.Helper()
	emu, err := emulator.Start(emulator.Options{Scenario: scenario, Style: style})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(emu.Close)
	dir := t.TempDir()
	current := filepath.Join(dir, "current")
	os.Mkdir(current, 0o700)
	files, err := emu.WriteDir(current, false)
	if err != nil {
		t.Fatal(err)
	}
	env, _ := checks.ResolveEnvironment("staging", emu.BaseURL)
	env.Name = "emulator"
	b := Backend{
		Demo: true, Scenario: emu.Scenario().Name, Environments: []checks.Environment{env},
		Base:     checks.Options{CAFile: files.CA, Resolver: emu.DNSAddr, EgressServers: []string{emu.DNSAddr}, Timeout: 2 * time.Second, Proxy: checks.ProxyDirect},
		Dir:      dir,
		CertPath: files.Cert, KeyPath: files.Key,
		APIKey: checks.NewAPIKey(emu.APIKey()), APIKeySource: "the emulator",
		Sign: func(_ context.Context, csrPEM []byte) ([]byte, error) { return emu.SignCSR(csrPEM) },
	}
	if emu.Scenario().Proxy {
		b.Base.Proxy, b.Base.EgressURLs = emu.ProxyURL, []string{emu.WhoAmIURL}
	}
	return b
}

// press sends keys: names such as "enter", "esc", "tab", "down", "up",
// "shift+tab", "ctrl+c", or literal text typed rune by rune.
func press(m *Model, keys ...string) {
	for _, k := range keys {
		switch k {
		case "enter":
			send(m, tea.KeyMsg{Type: tea.KeyEnter})
		case "esc":
			send(m, tea.KeyMsg{Type: tea.KeyEsc})
		case "tab":
			send(m, tea.KeyMsg{Type: tea.KeyTab})
		case "shift+tab":
			send(m, tea.KeyMsg{Type: tea.KeyShiftTab})
		case "down":
			send(m, tea.KeyMsg{Type: tea.KeyDown})
		case "up":
			send(m, tea.KeyMsg{Type: tea.KeyUp})
		case "ctrl+c":
			send(m, tea.KeyMsg{Type: tea.KeyCtrlC})
		case "ctrl+o":
			send(m, tea.KeyMsg{Type: tea.KeyCtrlO})
		case "left":
			send(m, tea.KeyMsg{Type: tea.KeyLeft})
		case "right":
			send(m, tea.KeyMsg{Type: tea.KeyRight})
		case "backspace":
			send(m, tea.KeyMsg{Type: tea.KeyBackspace})
		default:
			for _, r := range k {
				send(m, tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}})
			}
		}
	}
}

// fixture writes a certificate for api.acmecards.example with fixed dates
// (valid 2026-11-20 to 2027-02-18) and its key into dir.
func fixture(t testing.TB, dir string, notAfter time.Time) (certPath, keyPath string) {
	t.Helper()
	caKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	ca := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{Organization: []string{"Axys"}, CommonName: "Axys Staging Client CA"},
		NotBefore: fixedNow.AddDate(-1, 0, 0), NotAfter: fixedNow.AddDate(5, 0, 0), IsCA: true, BasicConstraintsValid: true,
		KeyUsage: x509.KeyUsageCertSign,
	}
	caDER, err := x509.CreateCertificate(rand.Reader, ca, ca, caKey.Public(), caKey)
	if err != nil {
		t.Fatal(err)
	}
	ca, _ = x509.ParseCertificate(caDER)
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	leaf := &x509.Certificate{
		SerialNumber: big.NewInt(2),
		Subject:      pkix.Name{Organization: []string{"Acme Financial Services Ltd"}, OrganizationalUnit: []string{"Acme Cards"}, CommonName: "api.acmecards.example"},
		NotBefore:    time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC), NotAfter: notAfter,
		DNSNames: []string{"api.acmecards.example"}, IPAddresses: []net.IP{net.ParseIP("203.0.113.10")},
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, leaf, ca, key.Public(), caKey)
	if err != nil {
		t.Fatal(err)
	}
	keyDER, _ := x509.MarshalPKCS8PrivateKey(key)
	certPath, keyPath = filepath.Join(dir, "client.pem"), filepath.Join(dir, "client.key")
	os.WriteFile(certPath, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o644)
	os.WriteFile(keyPath, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER}), 0o600)
	return certPath, keyPath
}

// sampleReport is a finished diagnosis with one failure and one warning.
func sampleReport() checks.Report {
	rs := []checks.Result{
		{ID: checks.IDKeyFile, Title: "Private key file", Status: checks.Pass, Summary: "RSA-2048 private key, readable only by you", Duration: 2 * time.Millisecond},
		{ID: checks.IDCertChain, Title: "Certificate and chain", Status: checks.Pass, Summary: "client certificate api.acmecards.example, issued by Axys Staging Client CA"},
		{ID: checks.IDCertKeypair, Title: "Key matches certificate", Status: checks.Pass, Summary: "the private key belongs to the certificate"},
		{ID: checks.IDCertValidity, Title: "Validity dates", Status: checks.Warn, Summary: "expires in 12 days (2026-12-09): inside Axys's 15-day reminder window", Row: "tls-handshake", Fix: "Renew now."},
		{ID: checks.IDCertSubject, Title: "Subject: tenant and programs", Status: checks.Pass, Summary: `tenant "Acme Financial Services Ltd", program "Acme Cards"`},
		{ID: checks.IDCertSANs, Title: "Subject alternative names", Status: checks.Pass, Summary: "1 DNS and 1 IP SANs, no wildcard"},
		{ID: checks.IDNetEgress, Title: "Egress IP addresses", Status: checks.Pass, Summary: "calling from 203.0.113.10", Duration: 31 * time.Millisecond},
		{ID: checks.IDDNSFCrDNS, Title: "Forward-confirmed reverse DNS", Status: checks.Fail, Row: "authorized-ips", Duration: 48 * time.Millisecond,
			Summary:  "FCrDNS fails: 203.0.113.10 has no PTR record (NXDOMAIN)",
			Evidence: []checks.Evidence{{Label: "resolver", Value: "192.0.2.53:53"}, {Label: "PTR 203.0.113.10", Value: "NXDOMAIN (the name does not exist); a fix can take up to 300s (SOA minimum) to be seen"}},
			Fix:      "Ask whoever owns 203.0.113.10 (your cloud provider or ISP) to set its PTR record to api.acmecards.example."},
		{ID: checks.IDTLSHandshake, Title: "mTLS handshake with the gateway", Status: checks.Pass, Summary: "TLS 1.3 with staging.api.axyscards.com; the server asked for the client certificate and accepted it at the TLS level (it answered HTTP 403: see api.probe)", Duration: 96 * time.Millisecond},
		{ID: checks.IDAPIProbe, Title: "API probe GET /cardholders", Status: checks.Fail, Row: "authorized-ips", Summary: "HTTP 403 No Authorised IPs configured", Duration: 40 * time.Millisecond},
	}
	env, _ := checks.ResolveEnvironment("staging", "")
	return checks.Report{Environment: env, StartedAt: fixedNow, Duration: 180 * time.Millisecond, Results: rs, Inputs: checks.Inputs{APIKey: "…cdef (sha256:8d2a9165)"}}
}

func keyEnter() tea.KeyMsg { return tea.KeyMsg{Type: tea.KeyEnter} }

func splitLines(s string) []string { return strings.Split(s, "\n") }
