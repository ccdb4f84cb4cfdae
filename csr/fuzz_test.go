package csr

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/x509"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/youmark/pkcs8"
	"software.sslmate.com/src/go-pkcs12"
)

// FuzzParse feeds arbitrary bytes to the file reader: it must never
// panic or hang, and every error must be one printable line.
func FuzzParse(f *testing.F) {
	p := makePKI(f)
	ec := p.leafKey.(*ecdsa.PrivateKey)
	keyDER, _ := x509.MarshalPKCS8PrivateKey(ec)
	sec1, _ := x509.MarshalECPrivateKey(ec)
	enc, _ := pkcs8.MarshalPrivateKey(ec, []byte("pw"), nil)
	p12, _ := pkcs12.Modern.Encode(ec, p.leaf, []*x509.Certificate{p.inter}, "pw")
	legacy, _ := pkcs12.LegacyRC2.Encode(ec, p.leaf, nil, "pw")
	sealed := craftPFX(f, "pw", sealedContainer(f, []pfxSafeBag{certBagOf(f, p.leaf.Raw), {ID: oidKeyBag, Value: explicit0(keyDER)}}, "pw"))
	csrP, _ := Request{Organization: "A", Units: []string{"B"}, CommonName: "a.example"}.Prepare()
	_, csrPEM, _ := csrP.Build(ec)
	for _, seed := range [][]byte{
		pemOf("CERTIFICATE", p.leaf.Raw), p.leaf.Raw, append(append([]byte{}, p.leaf.Raw...), p.inter.Raw...),
		pemOf("PRIVATE KEY", keyDER), pemOf("EC PRIVATE KEY", sec1), pemOf("ENCRYPTED PRIVATE KEY", enc), enc, p12, legacy, sealed, csrPEM,
		pemOf("TRUSTED CERTIFICATE", p.leaf.Raw), append([]byte{0xEF, 0xBB, 0xBF}, pemOf("CERTIFICATE", p.leaf.Raw)...),
		[]byte("-----BEGIN CERTIFICATE-----\nMIIB\n"), {}, {0x30, 0x80}, {0x30, 0x82, 0xff, 0xff},
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		file, err := Parse(data, func() ([]byte, error) { return []byte("pw"), nil })
		if err != nil {
			msg := err.Error()
			if strings.ContainsAny(msg, "\n\r") || !utf8.ValidString(msg) {
				t.Fatalf("error is not one printable line: %q", msg)
			}
			return
		}
		if len(file.Items) == 0 {
			t.Fatal("success with no items")
		}
		_ = file.Contents()
		_ = file.MisuseAsCertificate()
		_ = file.MisuseAsKey()
		for _, it := range file.Items {
			_ = DescribeItem(it, testNow)
		}
		if certs := file.Certificates(); len(certs) > 0 {
			keys := file.Keys()
			var k any
			if len(keys) > 0 {
				k = keys[0]
			}
			_ = AnalyzeChain(certs, k, testNow)
			_ = FormatName(certs[0].RawSubject)
		}
	})
}

// FuzzValidators checks the form validators: no panic, and whatever
// NormalizeDNSName accepts is lower-case ASCII that it accepts again
// unchanged (idempotent), with no wildcard.
func FuzzValidators(f *testing.F) {
	for _, s := range []string{"api.acmecards.example", "*.acme.example", "bücher.example", "xn--bcher-kva.example", "203.0.113.10", "::1", "a..b", "-a.example", "A.EXAMPLE.", "fe80::1%eth0", "10.0.0.0/8", "", "ｅｘａｍｐｌｅ.com"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if n, err := NormalizeDNSName(s); err == nil {
			if strings.Contains(n, "*") || n != strings.ToLower(n) || strings.HasSuffix(n, ".") {
				t.Fatalf("%q normalized to %q", s, n)
			}
			for i := 0; i < len(n); i++ {
				if n[i] >= 0x80 {
					t.Fatalf("%q normalized to non-ASCII %q", s, n)
				}
			}
			if again, err := NormalizeDNSName(n); err != nil || again != n {
				t.Fatalf("not idempotent: %q → %q → %q (%v)", s, n, again, err)
			}
		} else if strings.Contains(err.Error(), "\n") {
			t.Fatalf("multi-line error %q", err)
		}
		if a, err := NormalizeIP(s); err == nil && (a.Zone() != "" || !a.IsValid()) {
			t.Fatalf("%q gave %v", s, a)
		}
		_ = ValidateOrganization(s)
		_ = ValidateUnit(s)
		_ = ValidateCountry(s)
		_ = ValidatePlace("L", s)
		if p, err := (Request{Organization: s, Units: []string{s}, CommonName: s, DNSNames: []string{s}, IPs: []string{s}}).Prepare(); err == nil {
			if len(p.DNSNames) == 0 || p.DNSNames[0] != p.CommonName {
				t.Fatalf("prepared %+v", p)
			}
		}
	})
}

// FuzzDecodeText: the text decoder never panics and never grows input by
// more than UTF-16 → UTF-8 can (3 bytes per 2).
func FuzzDecodeText(f *testing.F) {
	f.Add([]byte("-----BEGIN X-----\r\n"))
	f.Add([]byte{0xFF, 0xFE, '-', 0, '-', 0})
	f.Add([]byte{0xEF, 0xBB, 0xBF})
	f.Fuzz(func(t *testing.T, data []byte) {
		out, _ := decodeText(data)
		if len(out) > len(data)*3/2+4 {
			t.Fatalf("%d bytes became %d", len(data), len(out))
		}
		if bytes.Contains(data, []byte("-----BEGIN")) && !bytes.Contains(out, []byte("-----BEGIN")) {
			t.Fatal("lost the PEM header")
		}
	})
}
