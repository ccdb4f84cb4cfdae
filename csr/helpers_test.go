package csr

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"math/big"
	"net"
	"sync"
	"testing"
	"time"
)

var (
	rsaOnce sync.Once
	rsaKey  *rsa.PrivateKey
)

// testRSAKey is made once per package run: RSA generation is slow under -race.
func testRSAKey(t testing.TB) *rsa.PrivateKey {
	rsaOnce.Do(func() {
		k, err := rsa.GenerateKey(rand.Reader, 2048)
		if err != nil {
			panic(err)
		}
		rsaKey = k
	})
	return rsaKey
}

func testECKey(t testing.TB) *ecdsa.PrivateKey {
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

var testNow = time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)

type certSpec struct {
	subject   pkix.Name
	isCA      bool
	notBefore time.Time
	notAfter  time.Time
	dns       []string
	ips       []net.IP
	parent    *x509.Certificate
	parentKey crypto.Signer
	key       crypto.Signer
}

func makeCert(t testing.TB, s certSpec) *x509.Certificate {
	t.Helper()
	if s.notBefore.IsZero() {
		s.notBefore = testNow.Add(-24 * time.Hour)
	}
	if s.notAfter.IsZero() {
		s.notAfter = testNow.Add(90 * 24 * time.Hour)
	}
	serial, _ := rand.Int(rand.Reader, big.NewInt(1<<62))
	tmpl := &x509.Certificate{
		SerialNumber:          serial,
		Subject:               s.subject,
		NotBefore:             s.notBefore,
		NotAfter:              s.notAfter,
		DNSNames:              s.dns,
		IPAddresses:           s.ips,
		BasicConstraintsValid: true,
		IsCA:                  s.isCA,
	}
	if s.isCA {
		tmpl.KeyUsage = x509.KeyUsageCertSign | x509.KeyUsageCRLSign
	} else {
		tmpl.KeyUsage = x509.KeyUsageDigitalSignature
		tmpl.ExtKeyUsage = []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}
	}
	parent, parentKey := tmpl, s.key
	if s.parent != nil {
		parent, parentKey = s.parent, s.parentKey
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, s.key.Public(), parentKey)
	if err != nil {
		t.Fatal(err)
	}
	c, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// testPKI is a root, an intermediate and a leaf, each with its own key.
type testPKI struct {
	root, inter, leaf          *x509.Certificate
	rootKey, interKey, leafKey crypto.Signer
}

func makePKI(t testing.TB) testPKI {
	var p testPKI
	p.rootKey, p.interKey, p.leafKey = testECKey(t), testECKey(t), testECKey(t)
	p.root = makeCert(t, certSpec{subject: pkix.Name{CommonName: "Test Root"}, isCA: true, key: p.rootKey})
	p.inter = makeCert(t, certSpec{subject: pkix.Name{CommonName: "Test Intermediate"}, isCA: true, key: p.interKey, parent: p.root, parentKey: p.rootKey})
	p.leaf = makeCert(t, certSpec{subject: pkix.Name{CommonName: "api.acmecards.example", Organization: []string{"Acme"}}, dns: []string{"api.acmecards.example"}, key: p.leafKey, parent: p.inter, parentKey: p.interKey})
	return p
}

func password(pw string) PasswordFunc {
	return func() ([]byte, error) { return []byte(pw), nil }
}
