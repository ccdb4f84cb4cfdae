package emulator

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"net/http"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func csrFor(t *testing.T, subject pkix.Name, dns []string) []byte {
	t.Helper()
	k, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	der, err := x509.CreateCertificateRequest(rand.Reader, &x509.CertificateRequest{Subject: subject, DNSNames: dns}, k)
	if err != nil {
		t.Fatal(err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE REQUEST", Bytes: der})
}

func TestSignCSRLikeAxys(t *testing.T) {
	e, err := Start(Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	good := pkix.Name{Organization: []string{"Acme"}, OrganizationalUnit: []string{"Cards"}, CommonName: "api.acme.example"}
	certPEM, err := e.SignCSR(csrFor(t, good, []string{"api.acme.example"}))
	if err != nil {
		t.Fatal(err)
	}
	b, _ := pem.Decode(certPEM)
	c, _ := x509.ParseCertificate(b.Bytes)
	if c.Issuer.CommonName != "Axys Emulator Staging Client CA" || c.NotAfter.Sub(c.NotBefore) < Validity {
		t.Errorf("issuer %s, lifetime %s", c.Issuer.CommonName, c.NotAfter.Sub(c.NotBefore))
	}
	for name, req := range map[string][]byte{
		"no O":     csrFor(t, pkix.Name{OrganizationalUnit: []string{"Cards"}, CommonName: "a.example"}, []string{"a.example"}),
		"no OU":    csrFor(t, pkix.Name{Organization: []string{"Acme"}, CommonName: "a.example"}, []string{"a.example"}),
		"no SAN":   csrFor(t, good, nil),
		"wildcard": csrFor(t, good, []string{"*.acme.example"}),
		"garbage":  []byte("not a csr"),
	} {
		if _, err := e.SignCSR(req); !errors.Is(err, ErrBadCSR) {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func TestScenariosShapeTheCredential(t *testing.T) {
	now := time.Now()
	expired, err := Start(Options{Scenario: "expired-cert"})
	if err != nil {
		t.Fatal(err)
	}
	defer expired.Close()
	certPEM, _, err := expired.IssueClient()
	if err != nil {
		t.Fatal(err)
	}
	b, _ := pem.Decode(certPEM)
	c, _ := x509.ParseCertificate(b.Bytes)
	if !c.NotAfter.Before(now) {
		t.Errorf("expired-cert issued a certificate valid until %s", c.NotAfter)
	}
	tenant, _ := Start(Options{Scenario: "tenant-key"})
	defer tenant.Close()
	if tenant.APIKey() != tenant.TenantKey {
		t.Error("tenant-key hands out the program key")
	}
	if _, err := Start(Options{Scenario: "nope"}); err == nil || !strings.Contains(err.Error(), "unknown scenario") {
		t.Errorf("unknown scenario: %v", err)
	}
	if _, err := Start(Options{Style: "apache"}); err == nil {
		t.Error("unknown style accepted")
	}
}

// TestWriteDirReusesItsOwnFilesOnly: a rerun on the same --dir keeps what
// the emulator wrote (its state file keeps the CAs and API keys), replaces
// its own client certificate when the scenario needs another one, and
// never replaces a file it did not write without force.
func TestWriteDirReusesItsOwnFilesOnly(t *testing.T) {
	dir := t.TempDir()
	e, err := Start(Options{StateDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	f, err := e.WriteDir(dir, false)
	if err != nil {
		t.Fatal(err)
	}
	for path, mode := range map[string]os.FileMode{f.Key: 0o600, f.APIKey: 0o600, filepath.Join(dir, stateFile): 0o600} {
		if st, _ := os.Stat(path); st.Mode().Perm() != mode {
			t.Errorf("%s mode %v", filepath.Base(path), st.Mode())
		}
	}
	first := readAll(t, f)
	if _, err := e.WriteDir(dir, false); err != nil {
		t.Fatalf("a second WriteDir by the same emulator: %v", err)
	}
	programKey := e.ProgramKey
	e.Close()

	again, err := Start(Options{StateDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	defer again.Close()
	if again.ProgramKey != programKey {
		t.Error("a rerun on the same --dir made new API keys")
	}
	if _, err := again.WriteDir(dir, false); err != nil {
		t.Fatalf("a rerun on the same --dir: %v", err)
	}
	if got := readAll(t, f); got != first {
		t.Error("a rerun on the same --dir rewrote files that were still right")
	}

	expired, err := Start(Options{StateDir: dir, Scenario: "expired-cert"})
	if err != nil {
		t.Fatal(err)
	}
	defer expired.Close()
	if _, err := expired.WriteDir(dir, false); err != nil {
		t.Fatalf("the expired-cert scenario on the same --dir: %v", err)
	}
	if got := readAll(t, f); got == first {
		t.Error("the expired-cert scenario kept the valid certificate")
	}

	stranger, err := Start(Options{}) // other CAs, other keys
	if err != nil {
		t.Fatal(err)
	}
	defer stranger.Close()
	if _, err := stranger.WriteDir(dir, false); err == nil || !strings.Contains(err.Error(), "not written by this emulator") {
		t.Errorf("another emulator's WriteDir over these files: %v", err)
	}
	if _, err := stranger.WriteDir(dir, true); err != nil {
		t.Errorf("with force: %v", err)
	}
}

func readAll(t *testing.T, f Files) string {
	t.Helper()
	var b strings.Builder
	for _, p := range []string{f.CA, f.Cert, f.Key, f.APIKey, f.TenantAPIKey} {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		b.Write(data)
	}
	return b.String()
}

// TestSetScenarioLiftsAFault: a running gateway follows SetScenario on the
// next connection, and its DNS follows at once.
func TestSetScenarioLiftsAFault(t *testing.T) {
	e, err := Start(Options{Scenario: "not-allowlisted"})
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	certPEM, keyPEM, err := e.IssueClient()
	if err != nil {
		t.Fatal(err)
	}
	kp, err := tls.X509KeyPair(certPEM, keyPEM)
	if err != nil {
		t.Fatal(err)
	}
	roots := x509.NewCertPool()
	roots.AddCert(e.ServerCA.Cert)
	get := func() int {
		t.Helper()
		c := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: roots, Certificates: []tls.Certificate{kp}}, DisableKeepAlives: true}}
		req, _ := http.NewRequest("GET", e.BaseURL+"/cardholders?limit=1", nil)
		req.Header.Set("X-API-Key", e.APIKey())
		resp, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if code := get(); code != http.StatusForbidden {
		t.Fatalf("not-allowlisted answered %d, want 403", code)
	}
	if err := e.SetScenario("ok"); err != nil {
		t.Fatal(err)
	}
	if code := get(); code != http.StatusOK {
		t.Fatalf("after SetScenario(ok) the gateway answered %d, want 200", code)
	}
	if e.Scenario().Name != "ok" {
		t.Errorf("Scenario() = %s", e.Scenario().Name)
	}
	if err := e.SetScenario("missing-ptr"); err != nil {
		t.Fatal(err)
	}
	if names := e.zone.ptrNames(netip.MustParseAddr("127.0.0.1")); len(names) != 0 {
		t.Errorf("missing-ptr still serves PTR %v", names)
	}
	if err := e.SetScenario("nope"); err == nil {
		t.Error("an unknown scenario was accepted")
	}
}
