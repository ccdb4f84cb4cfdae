package main

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf16"

	"software.sslmate.com/src/go-pkcs12"

	"github.com/axysdoctor/axysdoctor/emulator"
)

type oddCA struct {
	cert *x509.Certificate
	key  crypto.Signer
}

func oddIssue(t *testing.T, parent *oddCA, tmpl *x509.Certificate) (*x509.Certificate, crypto.Signer) {
	t.Helper()
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	tmpl.SerialNumber, _ = rand.Int(rand.Reader, big.NewInt(1<<62))
	if tmpl.NotBefore.IsZero() {
		tmpl.NotBefore, tmpl.NotAfter = time.Now().Add(-time.Hour), time.Now().AddDate(0, 3, 0)
	}
	tmpl.BasicConstraintsValid = true
	if tmpl.IsCA {
		tmpl.KeyUsage = x509.KeyUsageCertSign
	} else {
		tmpl.KeyUsage = x509.KeyUsageDigitalSignature
		tmpl.ExtKeyUsage = []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}
	}
	signer, issuer := crypto.Signer(key), tmpl
	if parent != nil {
		signer, issuer = parent.key, parent.cert
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, issuer, key.Public(), signer)
	if err != nil {
		t.Fatal(err)
	}
	c, _ := x509.ParseCertificate(der)
	return c, key
}

func pemCert(c *x509.Certificate) []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: c.Raw})
}

func pemKey(t *testing.T, k crypto.Signer) []byte {
	der, err := x509.MarshalPKCS8PrivateKey(k)
	if err != nil {
		t.Fatal(err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})
}

func utf16le(b []byte) []byte {
	out := []byte{0xFF, 0xFE}
	for _, u := range utf16.Encode([]rune(string(b))) {
		out = append(out, byte(u), byte(u>>8))
	}
	return out
}

// TestOddButRealFilesWithInspect: each file gives a clear finding or a
// one-line error, with the right exit code.
func TestOddButRealFilesWithInspect(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, data []byte) string {
		p := filepath.Join(dir, name)
		os.WriteFile(p, data, 0o600)
		return p
	}
	rootC, rootK := oddIssue(t, nil, &x509.Certificate{Subject: pkix.Name{CommonName: "Odd Root"}, IsCA: true})
	root := &oddCA{rootC, rootK}
	interC, interK := oddIssue(t, root, &x509.Certificate{Subject: pkix.Name{CommonName: "Odd Intermediate"}, IsCA: true})
	inter := &oddCA{interC, interK}
	leaf, leafKey := oddIssue(t, inter, &x509.Certificate{Subject: pkix.Name{CommonName: "api.acmecards.example", Organization: []string{"Acme"}}, DNSNames: []string{"api.acmecards.example"}})
	oldC, oldK := oddIssue(t, root, &x509.Certificate{Subject: pkix.Name{CommonName: "Odd Expired Intermediate"}, IsCA: true, NotBefore: time.Now().AddDate(-2, 0, 0), NotAfter: time.Now().AddDate(-1, 0, 0)})
	underOld, _ := oddIssue(t, &oddCA{oldC, oldK}, &x509.Certificate{Subject: pkix.Name{CommonName: "under.expired.example"}, DNSNames: []string{"under.expired.example"}})
	p12many, _ := pkcs12.Modern.Encode(leafKey, leaf, []*x509.Certificate{interC, rootC}, "right")
	garbage := make([]byte, 512)
	rand.Read(garbage)
	garbage[0] = 0xA5
	certPEM := pemCert(leaf)
	keyPEM := pemKey(t, leafKey)

	cases := []struct {
		name string
		args []string
		env  map[string]string
		code int
		out  string // stdout holds this (or, for errors, stderr)
	}{
		{"empty file", []string{write("empty.pem", nil)}, nil, 2, "the file is empty"},
		{"binary garbage", []string{write("garbage.bin", garbage)}, nil, 2, "binary data: not a certificate, private key, CSR or PKCS#12 file"},
		{"key as the certificate", []string{"--key", write("k1.pem", keyPEM), write("k2.pem", keyPEM)}, nil, 0, "private key (PKCS#8)"},
		{"reversed bundle", []string{write("rev.pem", append(append(pemCert(rootC), pemCert(interC)...), certPEM...))}, nil, 0, "number 3 in the bundle"},
		{"missing intermediate", []string{write("noint.pem", append(append([]byte{}, certPEM...), pemCert(rootC)...))}, nil, 0, "an intermediate certificate is missing"},
		{"bundle with root", []string{write("full.pem", append(append(append([]byte{}, certPEM...), pemCert(interC)...), pemCert(rootC)...))}, nil, 0, "includes the root"},
		{"duplicates", []string{write("dup.pem", append(append(append([]byte{}, certPEM...), pemCert(interC)...), pemCert(interC)...))}, nil, 0, "twice"},
		{"BOM", []string{write("bom.pem", append([]byte{0xEF, 0xBB, 0xBF}, certPEM...))}, nil, 0, "byte-order mark removed"},
		{"UTF-16", []string{write("u16.pem", utf16le(certPEM))}, nil, 0, "UTF-16 (little-endian) text decoded"},
		{"CRLF", []string{write("crlf.pem", bytes.ReplaceAll(certPEM, []byte("\n"), []byte("\r\n")))}, nil, 0, "Windows (CRLF) line endings"},
		{"trailing junk", []string{write("junk.pem", append(append([]byte{}, certPEM...), "garbage\x00\x01"...))}, nil, 0, "after the last PEM block ignored"},
		{"EC PARAMETERS first", []string{write("ecp.pem", append(pem.EncodeToMemory(&pem.Block{Type: "EC PARAMETERS", Bytes: []byte{6, 8, 42, 134, 72, 206, 61, 3, 1, 7}}), keyPEM...))}, nil, 0, "EC PARAMETERS block"},
		{"TRUSTED CERTIFICATE", []string{write("trusted.pem", pem.EncodeToMemory(&pem.Block{Type: "TRUSTED CERTIFICATE", Bytes: append(append([]byte{}, leaf.Raw...), 0x30, 0)}))}, nil, 0, "TRUSTED CERTIFICATE"},
		{"PKCS#12 wrong password", []string{"--password-env", "PW", write("many.p12", p12many)}, map[string]string{"PW": "wrong"}, 2, "wrong password"},
		{"PKCS#12 several certificates", []string{"--password-env", "PW", write("many2.p12", p12many)}, map[string]string{"PW": "right"}, 0, "3 certificates and a private key"},
		{"expired CA", []string{write("oldca.pem", append(pemCert(underOld), pemCert(oldC)...))}, nil, 1, "expired on"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := runCLI(t, c.env, "", append([]string{"inspect"}, c.args...)...)
			if r.code != c.code {
				t.Errorf("exit %d, want %d\n%s%s", r.code, c.code, r.stdout, r.stderr)
			}
			where := r.stdout
			if c.code == 2 {
				where = r.stderr
				if strings.Count(strings.TrimSpace(r.stderr), "\n") != 0 {
					t.Errorf("stderr is not one line: %q", r.stderr)
				}
			}
			if !strings.Contains(where, c.out) {
				t.Errorf("output lacks %q:\n%s%s", c.out, r.stdout, r.stderr)
			}
		})
	}
}

// TestOddButRealFilesWithCheck: as check inputs, the same kinds of files
// give a finding on the right check, or exit 2 when unreadable.
func TestOddButRealFilesWithCheck(t *testing.T) {
	_, files, args := startEmulator(t, emulator.Options{})
	dir := t.TempDir()
	write := func(name string, data []byte) string {
		p := filepath.Join(dir, name)
		os.WriteFile(p, data, 0o600)
		return p
	}
	certPEM, _ := os.ReadFile(files.Cert)
	keyPEM, _ := os.ReadFile(files.Key)
	rootC, rootK := oddIssue(t, nil, &x509.Certificate{Subject: pkix.Name{CommonName: "Odd Root"}, IsCA: true})
	root := &oddCA{rootC, rootK}
	mk := func(tmpl *x509.Certificate) (string, string) {
		c, k := oddIssue(t, root, tmpl)
		n := strings.ReplaceAll(tmpl.Subject.CommonName, "*", "star")
		return write(n+".pem", pemCert(c)), write(n+".key", pemKey(t, k))
	}
	noSANc, noSANk := mk(&x509.Certificate{Subject: pkix.Name{CommonName: "nosan.example", Organization: []string{"Acme"}, OrganizationalUnit: []string{"Cards"}}})
	wildC, wildK := mk(&x509.Certificate{Subject: pkix.Name{CommonName: "wild.example", Organization: []string{"Acme"}, OrganizationalUnit: []string{"Cards"}}, DNSNames: []string{"*.acmecards.example"}})
	utfC, utfK := mk(&x509.Certificate{Subject: pkix.Name{CommonName: "utf.example", Organization: []string{"Åcme Finanças Ltd"}, OrganizationalUnit: []string{"Cartões"}}, DNSNames: []string{"utf.example"}})
	var ous []string
	for i := range 12 {
		ous = append(ous, "Program "+string(rune('A'+i)))
	}
	manyC, manyK := mk(&x509.Certificate{Subject: pkix.Name{CommonName: "many.example", Organization: []string{"Acme"}, OrganizationalUnit: ous}, DNSNames: []string{"many.example"}})
	csrRun := runCLI(t, nil, "", "csr", "--org", "A", "--unit", "B", "--cn", "a.example", "--key-type", "p256", "--key-out", filepath.Join(dir, "c.key"), "--csr-out", filepath.Join(dir, "c.csr"))
	if csrRun.code != 0 {
		t.Fatal(csrRun.stderr)
	}
	cases := []struct {
		name          string
		cert, key     string
		code          int
		check, status string
		summary       string
	}{
		{"empty certificate", write("empty.pem", nil), files.Key, 2, "", "", "the file is empty"},
		{"key as the certificate", files.Key, files.Key, 1, "cert.chain", "fail", "holds a private key, not a certificate"},
		{"certificate as the key", files.Cert, write("certaskey.pem", certPEM), 1, "key.file", "fail", "holds a certificate, not a private key"},
		{"switched", files.Key, files.Cert, 1, "cert.chain", "fail", "are the certificate and key files switched"},
		{"CSR as the certificate", filepath.Join(dir, "c.csr"), files.Key, 1, "cert.chain", "fail", "certificate signing request"},
		{"BOM and CRLF", write("bomcrlf.pem", append([]byte{0xEF, 0xBB, 0xBF}, bytes.ReplaceAll(certPEM, []byte("\n"), []byte("\r\n"))...)), files.Key, 0, "cert.chain", "pass", "client certificate"},
		{"UTF-16 key", files.Cert, write("u16.key", utf16le(keyPEM)), 0, "cert.keypair", "pass", "belongs"},
		{"no SANs", noSANc, noSANk, 1, "cert.sans", "fail", "no DNS SANs"},
		{"wildcard SAN", wildC, wildK, 1, "cert.sans", "fail", "*.acmecards.example is a wildcard"},
		{"non-ASCII O", utfC, utfK, 1, "cert.subject", "pass", `"Åcme Finanças Ltd"`},
		{"many OUs in one RDN (as Go writes them)", manyC, manyK, 1, "cert.subject", "warn", "several attributes share one RDN"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := runCLI(t, nil, "", append(append([]string{}, args...), "--output", "json", "--cert", c.cert, "--key", c.key)...)
			if r.code != c.code {
				t.Fatalf("exit %d, want %d: %s", r.code, c.code, r.stderr)
			}
			if c.code == 2 {
				if !strings.Contains(r.stderr, c.summary) || strings.Count(strings.TrimSpace(r.stderr), "\n") != 0 {
					t.Errorf("stderr %q", r.stderr)
				}
				return
			}
			var rep jsonReport
			if err := json.Unmarshal([]byte(r.stdout), &rep); err != nil {
				t.Fatal(err)
			}
			status, _, summary := rep.get(c.check)
			if status != c.status || !strings.Contains(summary, c.summary) {
				t.Errorf("%s: %s %q; want %s with %q", c.check, status, summary, c.status, c.summary)
			}
		})
	}
}

// TestInspectDamagedCertificateIsUnreadable: a PEM block whose DER is
// damaged leaves nothing usable in the file: exit 2, with one line saying
// why, as for any unreadable input.
func TestInspectDamagedCertificateIsUnreadable(t *testing.T) {
	dir := t.TempDir()
	c, _ := oddIssue(t, nil, &x509.Certificate{Subject: pkix.Name{CommonName: "api.acmecards.example"}})
	der := c.Raw[:len(c.Raw)/2]
	path := filepath.Join(dir, "trunc.pem")
	os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o644)
	r := runCLI(t, nil, "", "inspect", path)
	if r.code != 2 || !strings.Contains(r.stderr, "nothing usable: damaged certificate") {
		t.Errorf("exit %d, stderr %q", r.code, r.stderr)
	}
}
