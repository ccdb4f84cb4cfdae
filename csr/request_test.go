package csr

import (
	"context"
	"crypto/x509/pkix"
	"encoding/asn1"
	"errors"
	"slices"
	"strings"
	"testing"
)

func TestPrepareNormalizes(t *testing.T) {
	p, err := Request{
		Organization: " Acme Financial Services Ltd ",
		Units:        []string{"Acme Cards", "Acme Prepaid", "Acme Cards"},
		CommonName:   "API.AcmeCards.example.",
		Country:      "gb",
		DNSNames:     []string{"staging.api.acmecards.example", "bücher.example", "api.acmecards.example"},
		IPs:          []string{"203.0.113.10", "::ffff:198.51.100.7", "203.0.113.10"},
	}.Prepare()
	if err != nil {
		t.Fatal(err)
	}
	if p.CommonName != "api.acmecards.example" {
		t.Errorf("CN = %q", p.CommonName)
	}
	if want := []string{"api.acmecards.example", "staging.api.acmecards.example", "xn--bcher-kva.example"}; !slices.Equal(p.DNSNames, want) {
		t.Errorf("DNS = %q, want %q", p.DNSNames, want)
	}
	if want := []string{"Acme Cards", "Acme Prepaid"}; !slices.Equal(p.Units, want) {
		t.Errorf("OU = %q", p.Units)
	}
	if want := []string{"203.0.113.10", "198.51.100.7"}; !slices.Equal(p.IPs, want) {
		t.Errorf("IPs = %q", p.IPs)
	}
	if p.Country != "GB" {
		t.Errorf("C = %q", p.Country)
	}
}

func TestPrepareAddsCNToSANsAndSaysSo(t *testing.T) {
	p, err := Request{Organization: "Acme", Units: []string{"Cards"}, CommonName: "api.acme.example"}.Prepare()
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(p.DNSNames, []string{"api.acme.example"}) {
		t.Fatalf("DNS = %q", p.DNSNames)
	}
	if !slices.ContainsFunc(p.Notes, func(n string) bool { return strings.Contains(n, "added the CN") }) {
		t.Errorf("notes %q do not mention the added CN", p.Notes)
	}
}

func TestPrepareRejectsNamingTheBadValue(t *testing.T) {
	base := Request{Organization: "Acme", Units: []string{"Cards"}, CommonName: "api.acme.example"}
	cases := []struct {
		name   string
		mutate func(*Request)
		want   string
	}{
		{"wildcard SAN", func(r *Request) { r.DNSNames = []string{"*.acme.example"} }, `"*.acme.example" is a wildcard`},
		{"wildcard CN", func(r *Request) { r.CommonName = "*.acme.example" }, "wildcard"},
		{"IP as DNS", func(r *Request) { r.DNSNames = []string{"203.0.113.4"} }, "is an IP address"},
		{"bad IP", func(r *Request) { r.IPs = []string{"203.0.113.300"} }, `"203.0.113.300" is not an IP address`},
		{"CIDR", func(r *Request) { r.IPs = []string{"203.0.113.0/24"} }, "network range"},
		{"URL", func(r *Request) { r.DNSNames = []string{"https://api.acme.example"} }, "not a host name"},
		{"underscore", func(r *Request) { r.DNSNames = []string{"my_host.acme.example"} }, "my_host.acme.example"},
		{"single label", func(r *Request) { r.CommonName = "localhost" }, "single label"},
		{"no O", func(r *Request) { r.Organization = "  " }, "organization (O) is empty"},
		{"no OU", func(r *Request) { r.Units = nil }, "no organizational unit"},
		{"empty OU", func(r *Request) { r.Units = []string{""} }, "organizational unit (OU) is empty"},
		{"long O", func(r *Request) { r.Organization = strings.Repeat("a", 65) }, "at most 64"},
		{"country", func(r *Request) { r.Country = "GBR" }, "two-letter"},
		{"hyphen", func(r *Request) { r.DNSNames = []string{"-bad.acme.example"} }, "-bad.acme.example"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := base
			c.mutate(&r)
			_, err := r.Prepare()
			if err == nil {
				t.Fatal("accepted")
			}
			if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %q does not contain %q", err, c.want)
			}
		})
	}
}

func TestBuildPutsEachOUInItsOwnRDN(t *testing.T) {
	p, err := Request{
		Organization: "Acme Financial Services Ltd",
		Units:        []string{"Acme Cards", "Acme Prepaid"},
		CommonName:   "api.acmecards.example",
		Country:      "GB", State: "London", Locality: "London",
		DNSNames: []string{"staging.api.acmecards.example"},
		IPs:      []string{"203.0.113.10"},
	}.Prepare()
	if err != nil {
		t.Fatal(err)
	}
	req, pemBytes, err := p.Build(testECKey(t))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(pemBytes), "-----BEGIN CERTIFICATE REQUEST-----") {
		t.Fatalf("not PEM: %q", pemBytes[:40])
	}
	var seq pkix.RDNSequence
	if _, err := asn1.Unmarshal(req.RawSubject, &seq); err != nil {
		t.Fatal(err)
	}
	if len(seq) != 7 {
		t.Fatalf("%d RDNs, want 7 (C, ST, L, O, OU, OU, CN)", len(seq))
	}
	for i, set := range seq {
		if len(set) != 1 {
			t.Errorf("RDN %d has %d values; want one each", i, len(set))
		}
	}
	if got := FormatName(req.RawSubject); got != "C=GB, ST=London, L=London, O=Acme Financial Services Ltd, OU=Acme Cards, OU=Acme Prepaid, CN=api.acmecards.example" {
		t.Errorf("subject = %s", got)
	}
	if MultiValuedRDN(req.RawSubject) {
		t.Error("MultiValuedRDN true for separate RDNs")
	}
	if !slices.Equal(req.DNSNames, []string{"api.acmecards.example", "staging.api.acmecards.example"}) {
		t.Errorf("DNS SANs %q", req.DNSNames)
	}
	if len(req.IPAddresses) != 1 || req.IPAddresses[0].String() != "203.0.113.10" {
		t.Errorf("IP SANs %v", req.IPAddresses)
	}
}

func TestBuildRSA2048Default(t *testing.T) {
	p, err := Request{Organization: "Acme", Units: []string{"Cards"}, CommonName: "api.acme.example"}.Prepare()
	if err != nil {
		t.Fatal(err)
	}
	req, _, err := p.Build(testRSAKey(t))
	if err != nil {
		t.Fatal(err)
	}
	if got := DescribeKey(req.PublicKey); got != "RSA-2048" {
		t.Errorf("key %s", got)
	}
	if err := req.CheckSignature(); err != nil {
		t.Error(err)
	}
}

func TestKeyTypes(t *testing.T) {
	if _, err := ParseKeyType("dsa"); err == nil || !strings.Contains(err.Error(), "rsa2048") {
		t.Errorf("ParseKeyType(dsa) = %v", err)
	}
	kt, err := ParseKeyType("P256")
	if err != nil || kt != P256 {
		t.Fatalf("ParseKeyType(P256) = %v, %v", kt, err)
	}
	if RSA2048.Warning() != "" || !strings.Contains(P256.Warning(), "RSA-2048") {
		t.Error("only non-RSA-2048 keys warn")
	}
	k, err := GenerateKey(context.Background(), P256, nil)
	if err != nil || DescribeKey(k.Public()) != "ECDSA P-256" {
		t.Fatalf("GenerateKey(P256) = %v, %v", k, err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := GenerateKey(ctx, RSA4096, nil); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled generation returned %v", err)
	}
}

func TestFromCertificateCopiesSubjectAndSANs(t *testing.T) {
	p, err := Request{
		Organization: "Acme Financial Services Ltd",
		Units:        []string{"Acme Cards", "Acme Prepaid"},
		CommonName:   "api.acmecards.example",
		DNSNames:     []string{"staging.api.acmecards.example"},
		IPs:          []string{"203.0.113.10"},
	}.Prepare()
	if err != nil {
		t.Fatal(err)
	}
	key := testECKey(t)
	req, _, err := p.Build(key)
	if err != nil {
		t.Fatal(err)
	}
	ca := makePKI(t)
	cert := makeCert(t, certSpec{subject: req.Subject, dns: req.DNSNames, ips: req.IPAddresses, key: key, parent: ca.inter, parentKey: ca.interKey})
	r, _ := FromCertificate(cert)
	if r.Organization != p.Organization || !slices.Equal(r.Units, p.Units) || r.CommonName != p.CommonName ||
		!slices.Equal(r.DNSNames, p.DNSNames) || !slices.Equal(r.IPs, p.IPs) {
		t.Errorf("renewal request %+v differs from %+v", r, p.Request)
	}
	again, err := r.Prepare()
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(again.DNSNames, p.DNSNames) {
		t.Errorf("renewal DNS %q", again.DNSNames)
	}
}
