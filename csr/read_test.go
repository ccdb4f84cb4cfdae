package csr

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/rand"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/youmark/pkcs8"
	"software.sslmate.com/src/go-pkcs12"
)

func pemOf(typ string, der []byte) []byte {
	return pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der})
}

func mustParse(t *testing.T, data []byte, pw PasswordFunc) *File {
	t.Helper()
	f, err := Parse(data, pw)
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	return f
}

func kinds(f *File) string {
	var s []string
	for _, it := range f.Items {
		s = append(s, it.Kind.String()+"/"+it.Format)
	}
	return strings.Join(s, "; ")
}

func TestParseRecognizesEveryFormat(t *testing.T) {
	p := makePKI(t)
	ec := p.leafKey.(*ecdsa.PrivateKey)
	rsaKey := testRSAKey(t)
	pkcs8DER, _ := x509.MarshalPKCS8PrivateKey(ec)
	sec1DER, _ := x509.MarshalECPrivateKey(ec)
	pkcs1DER := x509.MarshalPKCS1PrivateKey(rsaKey)
	encPKCS8, err := pkcs8.MarshalPrivateKey(ec, []byte("s3cret"), nil)
	if err != nil {
		t.Fatal(err)
	}
	legacy, err := x509.EncryptPEMBlock(rand.Reader, "RSA PRIVATE KEY", pkcs1DER, []byte("s3cret"), x509.PEMCipherAES256) //nolint:staticcheck // test of legacy files
	if err != nil {
		t.Fatal(err)
	}
	p12, err := pkcs12.Modern.Encode(ec, p.leaf, []*x509.Certificate{p.inter, p.root}, "s3cret")
	if err != nil {
		t.Fatal(err)
	}
	p12empty, err := pkcs12.Passwordless.Encode(ec, p.leaf, nil, "")
	if err != nil {
		t.Fatal(err)
	}
	csrP, _ := Request{Organization: "Acme", Units: []string{"Cards"}, CommonName: "api.acme.example"}.Prepare()
	_, csrPEM, err := csrP.Build(ec)
	if err != nil {
		t.Fatal(err)
	}
	csrBlock, _ := pem.Decode(csrPEM)
	bundle := append(append(pemOf("CERTIFICATE", p.leaf.Raw), pemOf("CERTIFICATE", p.inter.Raw)...), pemOf("CERTIFICATE", p.root.Raw)...)
	trusted := pemOf("TRUSTED CERTIFICATE", append(append([]byte{}, p.leaf.Raw...), 0x30, 0x00))

	cases := []struct {
		name      string
		data      []byte
		pw        PasswordFunc
		container string
		want      string // Contents()
		format    string // first item's format contains
	}{
		{"PEM certificate", pemOf("CERTIFICATE", p.leaf.Raw), nil, "PEM", "a certificate", "PEM CERTIFICATE"},
		{"DER certificate", p.leaf.Raw, nil, "DER", "a certificate", "DER"},
		{"DER chain", append(append([]byte{}, p.leaf.Raw...), p.inter.Raw...), nil, "DER", "2 certificates", "DER"},
		{"PEM bundle", bundle, nil, "PEM", "3 certificates", "PEM"},
		{"PKCS#8", pemOf("PRIVATE KEY", pkcs8DER), nil, "PEM", "a private key", "PKCS#8"},
		{"SEC1", pemOf("EC PRIVATE KEY", sec1DER), nil, "PEM", "a private key", "SEC1"},
		{"PKCS#1", pemOf("RSA PRIVATE KEY", pkcs1DER), nil, "PEM", "a private key", "PKCS#1"},
		{"DER PKCS#8", pkcs8DER, nil, "DER", "a private key", "DER PKCS#8"},
		{"encrypted PKCS#8", pemOf("ENCRYPTED PRIVATE KEY", encPKCS8), password("s3cret"), "PEM", "a private key", "encrypted PKCS#8"},
		{"DER encrypted PKCS#8", encPKCS8, password("s3cret"), "DER", "a private key", "encrypted PKCS#8"},
		{"legacy encrypted PEM", pem.EncodeToMemory(legacy), password("s3cret"), "PEM", "a private key", "legacy encrypted PEM"},
		{"PKCS#12", p12, password("s3cret"), "PKCS#12", "3 certificates and a private key", "PKCS#12"},
		{"PKCS#12 no password", p12empty, nil, "PKCS#12", "a certificate and a private key", "PKCS#12"},
		{"CSR", csrPEM, nil, "PEM", "a certificate signing request", "CERTIFICATE REQUEST"},
		{"DER CSR", csrBlock.Bytes, nil, "DER", "a certificate signing request", "DER"},
		{"EC PARAMETERS first", append(pemOf("EC PARAMETERS", []byte{6, 8, 42, 134, 72, 206, 61, 3, 1, 7}), pemOf("EC PRIVATE KEY", sec1DER)...), nil, "PEM", "an EC parameters block and a private key", "EC PARAMETERS"},
		{"TRUSTED CERTIFICATE", trusted, nil, "PEM", "a certificate", "TRUSTED CERTIFICATE"},
		{"public key", pemOf("PUBLIC KEY", mustPKIX(t, ec.Public())), nil, "PEM", "a public key", "PUBLIC KEY"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := mustParse(t, c.data, c.pw)
			if f.Container != c.container {
				t.Errorf("container %q, want %q", f.Container, c.container)
			}
			if got := f.Contents(); got != c.want {
				t.Errorf("contents %q, want %q (%s)", got, c.want, kinds(f))
			}
			if !strings.Contains(f.Items[0].Format, c.format) {
				t.Errorf("format %q does not contain %q", f.Items[0].Format, c.format)
			}
			for _, it := range f.Items {
				if it.Kind == KindPrivateKey && !KeyMatches(p.leaf.PublicKey, it.Key) && !KeyMatches(rsaKey.Public(), it.Key) {
					t.Error("decoded key is not the original")
				}
			}
		})
	}
}

func mustPKIX(t *testing.T, pub any) []byte {
	der, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil {
		t.Fatal(err)
	}
	return der
}

func TestParseTextQuirks(t *testing.T) {
	p := makePKI(t)
	certPEM := pemOf("CERTIFICATE", p.leaf.Raw)
	crlf := bytes.ReplaceAll(certPEM, []byte("\n"), []byte("\r\n"))
	utf16le := func(b []byte, bom bool) []byte {
		var out []byte
		if bom {
			out = append(out, 0xFF, 0xFE)
		}
		for _, u := range utf16.Encode([]rune(string(b))) {
			out = append(out, byte(u), byte(u>>8))
		}
		return out
	}
	cases := []struct {
		name string
		data []byte
		note string
	}{
		{"UTF-8 BOM", append([]byte{0xEF, 0xBB, 0xBF}, certPEM...), "byte-order mark removed"},
		{"UTF-16LE with BOM", utf16le(certPEM, true), "UTF-16 (little-endian)"},
		{"UTF-16LE without BOM", utf16le(certPEM, false), "UTF-16 (little-endian)"},
		{"CRLF", crlf, "CRLF"},
		{"trailing junk", append(append([]byte{}, certPEM...), "garbage after\n"...), "after the last PEM block ignored"},
		{"openssl text first", append([]byte("Certificate:\n    Data:\n        Version: 3\n"), certPEM...), "text before PEM block 1 ignored"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := mustParse(t, c.data, nil)
			if len(f.Certificates()) != 1 || !bytes.Equal(f.Certificates()[0].Raw, p.leaf.Raw) {
				t.Fatalf("certificate not recovered: %s", kinds(f))
			}
			if !strings.Contains(strings.Join(f.Notes, "|"), c.note) {
				t.Errorf("notes %q lack %q", f.Notes, c.note)
			}
		})
	}
}

func TestParseErrorsAreOneClearLine(t *testing.T) {
	p := makePKI(t)
	ec := p.leafKey.(*ecdsa.PrivateKey)
	encPKCS8, _ := pkcs8.MarshalPrivateKey(ec, []byte("right"), nil)
	pkcs1 := x509.MarshalPKCS1PrivateKey(testRSAKey(t))
	legacy, _ := x509.EncryptPEMBlock(rand.Reader, "RSA PRIVATE KEY", pkcs1, []byte("right"), x509.PEMCipherAES128) //nolint:staticcheck // legacy
	p12, _ := pkcs12.Modern.Encode(ec, p.leaf, nil, "right")
	garbage := make([]byte, 300)
	rand.Read(garbage)
	garbage[0] = 0x99
	cases := []struct {
		name string
		data []byte
		pw   PasswordFunc
		is   error
		text string
	}{
		{"empty", nil, nil, ErrEmpty, "empty"},
		{"whitespace", []byte("  \n\n"), nil, ErrEmpty, "empty"},
		{"garbage", garbage, nil, ErrUnrecognized, "binary data"},
		{"plain text", []byte("hello, this is not a key\n"), nil, nil, "text without a -----BEGIN line"},
		{"broken PEM", []byte("-----BEGIN CERTIFICATE-----\nMIIB!!!!\n"), nil, nil, "damaged PEM block 1"},
		{"PKCS#8 no password", pemOf("ENCRYPTED PRIVATE KEY", encPKCS8), nil, ErrPasswordNeeded, "no password was given"},
		{"PKCS#8 wrong password", pemOf("ENCRYPTED PRIVATE KEY", encPKCS8), password("wrong"), ErrWrongPassword, "wrong password"},
		{"legacy wrong password", pem.EncodeToMemory(legacy), password("wrong"), ErrWrongPassword, "wrong password"},
		{"PKCS#12 wrong password", p12, password("wrong"), ErrWrongPassword, "wrong password"},
		{"PKCS#12 no password", p12, nil, ErrPasswordNeeded, "no password"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Parse(c.data, c.pw)
			if err == nil {
				t.Fatal("no error")
			}
			if c.is != nil && !errors.Is(err, c.is) {
				t.Errorf("error %v is not %v", err, c.is)
			}
			if !strings.Contains(err.Error(), c.text) || strings.Contains(err.Error(), "\n") {
				t.Errorf("error %q: want one line containing %q", err, c.text)
			}
		})
	}
}

func TestReadFileErrorsNameTheFile(t *testing.T) {
	dir := t.TempDir()
	_, err := ReadFile(filepath.Join(dir, "missing.pem"), nil)
	var re *ReadError
	if !errors.As(err, &re) || !strings.Contains(err.Error(), "missing.pem: no such file") {
		t.Errorf("missing file: %v", err)
	}
	big := filepath.Join(dir, "big")
	os.WriteFile(big, bytes.Repeat([]byte{'A'}, MaxFileSize+10), 0o600)
	if _, err := ReadFile(big, nil); !errors.Is(err, ErrTooLarge) {
		t.Errorf("big file: %v", err)
	}
	if _, err := ReadFile(dir, nil); err == nil || !strings.Contains(err.Error(), "directory") {
		t.Errorf("directory: %v", err)
	}
}

func TestMisuseMessages(t *testing.T) {
	p := makePKI(t)
	ec := p.leafKey.(*ecdsa.PrivateKey)
	keyDER, _ := x509.MarshalPKCS8PrivateKey(ec)
	keyFile := mustParse(t, pemOf("PRIVATE KEY", keyDER), nil)
	keyFile.Path = "client.key"
	certFile := mustParse(t, pemOf("CERTIFICATE", p.leaf.Raw), nil)
	certFile.Path = "client.pem"
	csrP, _ := Request{Organization: "Acme", Units: []string{"Cards"}, CommonName: "api.acme.example"}.Prepare()
	_, csrPEM, _ := csrP.Build(ec)
	csrFile := mustParse(t, csrPEM, nil)
	csrFile.Path = "client.csr"

	if m := keyFile.MisuseAsCertificate(); !strings.Contains(m, "holds a private key, not a certificate: are the certificate and key files switched?") {
		t.Errorf("key as cert: %q", m)
	}
	if m := certFile.MisuseAsKey(); !strings.Contains(m, "holds a certificate, not a private key") {
		t.Errorf("cert as key: %q", m)
	}
	if m := csrFile.MisuseAsCertificate(); !strings.Contains(m, "certificate signing request") || !strings.Contains(m, "not the signed certificate") {
		t.Errorf("csr as cert: %q", m)
	}
	if certFile.MisuseAsCertificate() != "" || keyFile.MisuseAsKey() != "" {
		t.Error("the right files were called wrong")
	}
}

func TestAnalyzeChain(t *testing.T) {
	p := makePKI(t)
	expiredCAKey := testECKey(t)
	expiredCA := makeCert(t, certSpec{subject: p.inter.Subject, isCA: true, key: expiredCAKey, parent: p.root, parentKey: p.rootKey, notBefore: testNow.AddDate(-2, 0, 0), notAfter: testNow.AddDate(-1, 0, 0)})
	leafOfExpired := makeCert(t, certSpec{subject: p.leaf.Subject, key: p.leafKey, parent: expiredCA, parentKey: expiredCAKey})
	cases := []struct {
		name  string
		certs []*x509.Certificate
		warn  string // "" means no warnings
		info  string
	}{
		{"leaf only", []*x509.Certificate{p.leaf}, "", "holds only the client certificate"},
		{"full chain in order", []*x509.Certificate{p.leaf, p.inter, p.root}, "", "includes the root"},
		{"leaf and intermediate", []*x509.Certificate{p.leaf, p.inter}, "", ""},
		{"reversed", []*x509.Certificate{p.root, p.inter, p.leaf}, "number 3 in the bundle", ""},
		{"missing intermediate", []*x509.Certificate{p.leaf, p.root}, "intermediate certificate is missing", ""},
		{"duplicate", []*x509.Certificate{p.leaf, p.inter, p.inter}, "twice", ""},
		{"expired CA", []*x509.Certificate{leafOfExpired, expiredCA}, "expired on", ""},
		{"only CAs", []*x509.Certificate{p.inter, p.root}, "client certificate itself is missing", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ch := AnalyzeChain(c.certs, p.leafKey, testNow)
			warns := strings.Join(ch.Warnings, "|")
			if c.warn == "" && warns != "" {
				t.Errorf("unexpected warnings %q", warns)
			}
			if c.warn != "" && !strings.Contains(warns, c.warn) {
				t.Errorf("warnings %q lack %q", warns, c.warn)
			}
			if c.info != "" && !strings.Contains(strings.Join(ch.Info, "|"), c.info) {
				t.Errorf("info %q lacks %q", ch.Info, c.info)
			}
		})
	}
	if ch := AnalyzeChain([]*x509.Certificate{p.root, p.inter, p.leaf}, nil, testNow); ch.Leaf != p.leaf {
		t.Error("without a key the leaf is the end-entity certificate")
	}
}

func TestParseDERWhoseLastByteLooksLikeWhitespace(t *testing.T) {
	// A regression: trimming binary input corrupted DER ending in a byte
	// that happens to be ASCII whitespace. About 1 key in 40 ends so.
	for range 2000 {
		der, _ := x509.MarshalPKCS8PrivateKey(testECKey(t))
		if c := der[len(der)-1]; c == '\n' || c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f' {
			f, err := Parse(der, nil)
			if err != nil || !f.Has(KindPrivateKey) {
				t.Fatalf("DER ending in %#x: %v", c, err)
			}
			return
		}
	}
	t.Fatal("no key ending in a whitespace byte in 2000 tries")
}
