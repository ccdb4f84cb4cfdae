package compare

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"math/big"
	"net"
	"net/netip"
	"testing"
	"time"

	"github.com/axysdoctor/axysdoctor/checks"
)

var testNow = time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)

type ca struct {
	cert *x509.Certificate
	key  *ecdsa.PrivateKey
}

func newCA(t *testing.T, name string) ca {
	t.Helper()
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: name}, IsCA: true, BasicConstraintsValid: true,
		NotBefore: testNow.Add(-time.Hour), NotAfter: testNow.AddDate(5, 0, 0), KeyUsage: x509.KeyUsageCertSign, SubjectKeyId: []byte(name)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	c, _ := x509.ParseCertificate(der)
	return ca{c, key}
}

// leaf is what a side's certificate says.
type leaf struct {
	o, ou     []string
	dns       []string
	ips       []string
	notBefore time.Time
	days      int // valid until testNow + days
	key       *ecdsa.PrivateKey
}

func (c ca) issue(t *testing.T, l leaf) *x509.Certificate {
	t.Helper()
	if l.key == nil {
		l.key, _ = ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	}
	if l.o == nil {
		l.o, l.ou, l.dns = []string{"Acme"}, []string{"Acme Cards"}, []string{"api.acme.example"}
	}
	if l.notBefore.IsZero() {
		l.notBefore = testNow.AddDate(0, 0, -1)
	}
	if l.days == 0 {
		l.days = 80
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(time.Now().UnixNano()), Subject: pkix.Name{Organization: l.o, OrganizationalUnit: l.ou, CommonName: l.dns[0]},
		DNSNames: l.dns, NotBefore: l.notBefore, NotAfter: testNow.AddDate(0, 0, l.days), ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}}
	for _, ip := range l.ips {
		tmpl.IPAddresses = append(tmpl.IPAddresses, net.ParseIP(ip))
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, c.cert, &l.key.PublicKey, c.key)
	if err != nil {
		t.Fatal(err)
	}
	cert, _ := x509.ParseCertificate(der)
	return cert
}

func side(name, env string, cert *x509.Certificate, apiKey string, egress ...string) Side {
	o := checks.Options{Environment: checks.Environment{Name: env}, APIKey: checks.NewAPIKey(apiKey)}
	for _, ip := range egress {
		o.EgressIPs = append(o.EgressIPs, netip.MustParseAddr(ip))
	}
	return Side{Name: name, Options: o, Material: &checks.Material{Leaf: cert}}
}

func status(results []checks.Result, id string) (checks.Status, string) {
	for _, r := range results {
		if r.ID == id {
			return r.Status, r.Summary
		}
	}
	return "", ""
}

func TestStatic(t *testing.T) {
	stg, prod := newCA(t, "Staging CA"), newCA(t, "Production CA")
	shared, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	const k1, k2 = "axys_prog_key_one_0000000000000000", "axys_prog_key_two_0000000000000000"
	cases := []struct {
		name string
		a, b Side
		want map[string]checks.Status
	}{
		{"a clean cutover", side("staging", "staging", stg.issue(t, leaf{}), k1), side("production", "production", prod.issue(t, leaf{}), k2),
			map[string]checks.Status{IDTenant: checks.Pass, IDPrograms: checks.Pass, IDClientCA: checks.Pass, IDKeyPair: checks.Pass, IDAPIKey: checks.Pass, IDValidity: checks.Pass, IDSANs: checks.Pass, IDEgress: checks.Skip}},
		{"another tenant, other programs", side("staging", "staging", stg.issue(t, leaf{}), k1),
			side("production", "production", prod.issue(t, leaf{o: []string{"Other Ltd"}, ou: []string{"Other Cards"}, dns: []string{"api.acme.example"}}), k2),
			map[string]checks.Status{IDTenant: checks.Fail, IDPrograms: checks.Warn}},
		{"one key and one API key for both environments", side("staging", "staging", stg.issue(t, leaf{key: shared}), k1), side("production", "production", prod.issue(t, leaf{key: shared}), k1),
			map[string]checks.Status{IDKeyPair: checks.Fail, IDAPIKey: checks.Fail}},
		{"a production certificate from the staging CA", side("staging", "staging", stg.issue(t, leaf{}), k1), side("production", "production", stg.issue(t, leaf{}), k2),
			map[string]checks.Status{IDClientCA: checks.Warn}},
		{"a renewal on the old key, missing a SAN, expiring sooner", side("old", "production", prod.issue(t, leaf{key: shared, days: 20, dns: []string{"api.acme.example", "b.acme.example"}, o: []string{"Acme"}, ou: []string{"Acme Cards"}}), k1),
			side("new", "production", prod.issue(t, leaf{key: shared, days: 10}), k1),
			map[string]checks.Status{IDKeyPair: checks.Warn, IDSANs: checks.Warn, IDValidity: checks.Warn, IDAPIKey: checks.Pass, IDClientCA: checks.Pass}},
		{"an expired side", side("old", "staging", stg.issue(t, leaf{notBefore: testNow.AddDate(0, 0, -100), days: -3}), k1), side("new", "staging", stg.issue(t, leaf{}), k1),
			map[string]checks.Status{IDValidity: checks.Fail}},
		{"an egress IP only one certificate lists", side("staging", "staging", stg.issue(t, leaf{ips: []string{"203.0.113.10"}}), k1, "203.0.113.10"),
			side("production", "production", prod.issue(t, leaf{}), ""),
			map[string]checks.Status{IDEgress: checks.Warn, IDAPIKey: checks.Warn}},
		{"no certificate on one side", side("a", "staging", nil, k1), side("b", "production", prod.issue(t, leaf{}), k2),
			map[string]checks.Status{IDTenant: checks.Skip, IDKeyPair: checks.Skip, IDAPIKey: checks.Pass}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if c.a.Material.Leaf == nil {
				c.a.Material = nil
			}
			results := Static(c.a, c.b, testNow)
			if len(results) != 8 {
				t.Fatalf("%d results", len(results))
			}
			for id, want := range c.want {
				if got, summary := status(results, id); got != want {
					t.Errorf("%s: %s (%s), want %s", id, got, summary, want)
				}
			}
			for _, r := range results {
				if r.Status == checks.Fail && (r.Row == "" || r.Fix == "") {
					t.Errorf("%s fails without a row or a fix", r.ID)
				}
			}
		})
	}
}

func TestExitCode(t *testing.T) {
	warn := Result{Static: []checks.Result{{Status: checks.Warn}}}
	if warn.ExitCode(false) != 0 || warn.ExitCode(true) != 1 {
		t.Error("a static warning exits 1 only with strict")
	}
	live := Result{Reports: [2]checks.Report{{}, {Results: []checks.Result{{Status: checks.Fail}}}}}
	if live.ExitCode(false) != 1 {
		t.Error("a failing live check on B does not exit 1")
	}
}
