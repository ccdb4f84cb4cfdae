package checks

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/axysdoctor/axysdoctor/csr"
)

// testCA is a CA for hermetic TLS tests.
type testCA struct {
	cert *x509.Certificate
	key  crypto.Signer
}

func newTestCA(t testing.TB, name string) testCA {
	t.Helper()
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(time.Now().UnixNano()), Subject: pkix.Name{CommonName: name},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, key.Public(), key)
	if err != nil {
		t.Fatal(err)
	}
	c, _ := x509.ParseCertificate(der)
	return testCA{c, key}
}

// issue signs a leaf; server leaves are for 127.0.0.1 and localhost.
func (ca testCA) issue(t testing.TB, cn string, server bool, notAfter time.Time) (*x509.Certificate, crypto.Signer) {
	t.Helper()
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(time.Now().UnixNano()), Subject: pkix.Name{CommonName: cn, Organization: []string{"Acme"}, OrganizationalUnit: []string{"Cards"}},
		NotBefore: time.Now().Add(-48 * time.Hour), NotAfter: notAfter, KeyUsage: x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}, DNSNames: []string{cn},
	}
	if server {
		tmpl.ExtKeyUsage = []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}
		tmpl.IPAddresses = []net.IP{net.IPv4(127, 0, 0, 1), net.IPv4(127, 0, 0, 2)}
		tmpl.DNSNames = []string{"localhost"}
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca.cert, key.Public(), ca.key)
	if err != nil {
		t.Fatal(err)
	}
	c, _ := x509.ParseCertificate(der)
	return c, key
}

// intermediate makes an issuing CA under ca.
func (ca testCA) intermediate(t testing.TB, name string) testCA {
	t.Helper()
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(time.Now().UnixNano()), Subject: pkix.Name{CommonName: name},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca.cert, key.Public(), ca.key)
	if err != nil {
		t.Fatal(err)
	}
	c, _ := x509.ParseCertificate(der)
	return testCA{c, key}
}

// gatewayPKI is what a fake gateway and its client need.
type gatewayPKI struct {
	server            tls.Certificate
	caFile            string
	clientCA, otherCA testCA
	client, expired   *x509.Certificate
	other             *x509.Certificate
	clientKey         crypto.Signer
	clientPool        *x509.CertPool
}

func newGatewayPKI(t testing.TB) gatewayPKI {
	t.Helper()
	serverCA := newTestCA(t, "Test Server CA")
	sc, sk := serverCA.issue(t, "gateway", true, time.Now().Add(24*time.Hour))
	p := gatewayPKI{server: tls.Certificate{Certificate: [][]byte{sc.Raw}, PrivateKey: sk, Leaf: sc}}
	p.caFile = filepath.Join(t.TempDir(), "ca.pem")
	os.WriteFile(p.caFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: serverCA.cert.Raw}), 0o644)
	p.clientCA, p.otherCA = newTestCA(t, "Test Staging Client CA"), newTestCA(t, "Test Production Client CA")
	// One key for every client certificate, so the same material can be
	// sent with each.
	p.client, p.clientKey = p.clientCA.issue(t, "api.acmecards.example", false, time.Now().Add(24*time.Hour))
	p.expired = reissue(t, p.clientCA, p.client, p.clientKey, time.Now().Add(-time.Hour))
	p.other = reissue(t, p.otherCA, p.client, p.clientKey, time.Now().Add(24*time.Hour))
	p.clientPool = x509.NewCertPool()
	p.clientPool.AddCert(p.clientCA.cert)
	return p
}

func reissue(t testing.TB, ca testCA, like *x509.Certificate, key crypto.Signer, notAfter time.Time) *x509.Certificate {
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(time.Now().UnixNano()), Subject: like.Subject, NotBefore: time.Now().Add(-48 * time.Hour), NotAfter: notAfter,
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}, DNSNames: like.DNSNames,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca.cert, key.Public(), ca.key)
	if err != nil {
		t.Fatal(err)
	}
	c, _ := x509.ParseCertificate(der)
	return c
}

// material wraps a client certificate as LoadMaterial would (nil: none).
func (p gatewayPKI) material(leaf *x509.Certificate) *Material {
	if leaf == nil {
		return &Material{}
	}
	return &Material{Leaf: leaf, Key: p.clientKey, CertFile: &csr.File{}, KeyFile: &csr.File{}, Chain: csr.Chain{Leaf: leaf}}
}
