package ui

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// hostileCert writes a certificate whose subject carries terminal escapes
// and a bidi override, as a file from anywhere may.
func hostileCert(t *testing.T, dir string) string {
	t.Helper()
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(7),
		Subject: pkix.Name{
			Organization:       []string{"Acme\x1b[2J\x1b]52;c;cHduZWQ=\x07 Ltd"},
			OrganizationalUnit: []string{"Cards\u202e"},
			CommonName:         "api.acmecards.example",
		},
		NotBefore: fixedNow.AddDate(0, 0, -1), NotAfter: fixedNow.AddDate(0, 0, 80),
		DNSNames: []string{"api.acmecards.example"}, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, key.Public(), key)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "hostile.pem")
	os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o644)
	return path
}

// Text from a certificate reaches the screen escaped, on the card and in
// the renewal form it fills.
func TestCertificateTextIsMadePrintable(t *testing.T) {
	dir := t.TempDir()
	path := hostileCert(t, dir)
	m := newTestModel(t, testBackend(dir))
	press(m, "down", "enter", "enter", path, "enter")
	v := m.View()
	if strings.ContainsAny(v, "\x1b\x07\u202e") || !strings.Contains(v, `Acme\x1b[2J`) {
		t.Fatalf("card:\n%q", v)
	}
	press(m, "enter")
	if m.current != stepForm {
		t.Fatalf("step %v", m.current)
	}
	v = m.View()
	if strings.ContainsAny(v, "\x1b\x07\u202e") || !strings.Contains(v, `Acme\x1b[2J`) {
		t.Fatalf("form:\n%q", v)
	}
}
