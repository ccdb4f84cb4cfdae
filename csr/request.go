package csr

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/pem"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"slices"
	"strings"
)

// Request is what goes into a CSR: the subject the Axys docs prescribe
// (O = tenant, OU = program(s), CN = primary calling domain) and the SANs.
type Request struct {
	Organization string
	Units        []string
	CommonName   string
	Country      string
	State        string
	Locality     string
	DNSNames     []string
	IPs          []string
}

// Prepared is a validated, normalized Request ready to be signed, with
// notes for the user about what normalization changed.
type Prepared struct {
	Request
	Addrs []netip.Addr
	Notes []string
}

// ErrInvalid wraps every validation failure, so callers can map it to a
// usage error (exit 2).
var ErrInvalid = errors.New("invalid request")

func invalid(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrInvalid, fmt.Sprintf(format, args...))
}

// Prepare validates every field and returns the normalized request. Each
// error names the bad value. The CN is added to the DNS SANs when missing,
// as the Axys sample does, and a note says so.
func (r Request) Prepare() (Prepared, error) {
	var p Prepared
	p.Organization = strings.TrimSpace(r.Organization)
	if err := ValidateOrganization(p.Organization); err != nil {
		return p, invalid("%v", err)
	}
	if len(r.Units) == 0 {
		return p, invalid("no organizational unit (OU): give at least one Program name")
	}
	for _, u := range r.Units {
		u = strings.TrimSpace(u)
		if err := ValidateUnit(u); err != nil {
			return p, invalid("%v", err)
		}
		if slices.Contains(p.Units, u) {
			p.Notes = append(p.Notes, fmt.Sprintf("OU %q was given twice; it appears once", u))
			continue
		}
		p.Units = append(p.Units, u)
	}
	cn, err := NormalizeDNSName(r.CommonName)
	if err != nil {
		return p, invalid("common name (CN): %v", err)
	}
	if len(cn) > maxCNLen {
		return p, invalid("common name (CN) %q is %d characters; certificates allow at most %d: use a shorter primary domain and list this one as a DNS SAN", cn, len(cn), maxCNLen)
	}
	if cn != strings.TrimSuffix(strings.TrimSpace(r.CommonName), ".") {
		p.Notes = append(p.Notes, fmt.Sprintf("CN %q is written as %q (lower case, A-labels)", strings.TrimSpace(r.CommonName), cn))
	}
	p.CommonName = cn
	p.Country = strings.ToUpper(strings.TrimSpace(r.Country))
	if err := ValidateCountry(p.Country); err != nil {
		return p, invalid("%v", err)
	}
	p.State = strings.TrimSpace(r.State)
	if err := ValidatePlace("state (ST)", p.State); err != nil {
		return p, invalid("%v", err)
	}
	p.Locality = strings.TrimSpace(r.Locality)
	if err := ValidatePlace("locality (L)", p.Locality); err != nil {
		return p, invalid("%v", err)
	}

	p.DNSNames = []string{cn}
	cnListed := false
	for _, d := range r.DNSNames {
		n, err := NormalizeDNSName(d)
		if err != nil {
			return p, invalid("DNS SAN: %v", err)
		}
		if n == cn {
			cnListed = true
			continue
		}
		if slices.Contains(p.DNSNames, n) {
			continue
		}
		p.DNSNames = append(p.DNSNames, n)
	}
	if !cnListed {
		p.Notes = append(p.Notes, fmt.Sprintf("added the CN %s as the first DNS SAN, as the Axys sample does", cn))
	}
	for _, s := range r.IPs {
		a, err := NormalizeIP(s)
		if err != nil {
			return p, invalid("IP SAN: %v", err)
		}
		if slices.Contains(p.Addrs, a) {
			continue
		}
		if note := AddressNote(a); note != "" {
			p.Notes = append(p.Notes, fmt.Sprintf("IP %s is %s", a, note))
		}
		p.Addrs = append(p.Addrs, a)
		p.IPs = append(p.IPs, a.String())
	}
	return p, nil
}

// Subject returns the subject as an RDN sequence with one attribute per RDN,
// in the order `openssl req -subj /C=../ST=../L=../O=../OU=../OU=../CN=..`
// writes it. Go's pkix.Name would put several OUs into one multi-valued RDN.
func (p Prepared) Subject() pkix.RDNSequence {
	var seq pkix.RDNSequence
	add := func(oid asn1.ObjectIdentifier, v string) {
		if v != "" {
			seq = append(seq, pkix.RelativeDistinguishedNameSET{{Type: oid, Value: v}})
		}
	}
	add(oidCountry, p.Country)
	add(oidState, p.State)
	add(oidLocality, p.Locality)
	add(oidOrganization, p.Organization)
	for _, u := range p.Units {
		add(oidUnit, u)
	}
	add(oidCommonName, p.CommonName)
	return seq
}

var (
	oidCountry      = asn1.ObjectIdentifier{2, 5, 4, 6}
	oidState        = asn1.ObjectIdentifier{2, 5, 4, 8}
	oidLocality     = asn1.ObjectIdentifier{2, 5, 4, 7}
	oidOrganization = asn1.ObjectIdentifier{2, 5, 4, 10}
	oidUnit         = asn1.ObjectIdentifier{2, 5, 4, 11}
	oidCommonName   = asn1.ObjectIdentifier{2, 5, 4, 3}
)

// Build signs the CSR with key, parses the result back and checks its
// signature and contents before returning it as PEM.
func (p Prepared) Build(key crypto.Signer) (*x509.CertificateRequest, []byte, error) {
	rawSubject, err := asn1.Marshal(p.Subject())
	if err != nil {
		return nil, nil, fmt.Errorf("encode subject: %w", err)
	}
	tmpl := &x509.CertificateRequest{
		RawSubject:         rawSubject,
		DNSNames:           p.DNSNames,
		SignatureAlgorithm: signatureAlgorithm(key),
	}
	for _, a := range p.Addrs {
		tmpl.IPAddresses = append(tmpl.IPAddresses, net.IP(a.AsSlice()))
	}
	der, err := x509.CreateCertificateRequest(rand.Reader, tmpl, key)
	if err != nil {
		return nil, nil, fmt.Errorf("sign CSR: %w", err)
	}
	req, err := x509.ParseCertificateRequest(der)
	if err != nil {
		return nil, nil, fmt.Errorf("the CSR just made does not parse: %w", err)
	}
	if err := req.CheckSignature(); err != nil {
		return nil, nil, fmt.Errorf("the CSR just made fails its own signature check: %w", err)
	}
	if err := p.verify(req, key); err != nil {
		return nil, nil, err
	}
	return req, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE REQUEST", Bytes: der}), nil
}

// verify re-reads the signed CSR and compares it with what was asked for,
// so a bug here can never hand Axys a CSR that differs from the form.
func (p Prepared) verify(req *x509.CertificateRequest, key crypto.Signer) error {
	got := req.Subject
	switch {
	case !bytes.Equal(req.RawSubject, mustMarshal(p.Subject())):
		return errors.New("the CSR's subject differs from the one requested")
	case len(got.Organization) != 1 || got.Organization[0] != p.Organization:
		return fmt.Errorf("the CSR's O is %q, not %q", got.Organization, p.Organization)
	case !slices.Equal(got.OrganizationalUnit, p.Units):
		return fmt.Errorf("the CSR's OUs are %q, not %q", got.OrganizationalUnit, p.Units)
	case got.CommonName != p.CommonName:
		return fmt.Errorf("the CSR's CN is %q, not %q", got.CommonName, p.CommonName)
	case !slices.Equal(req.DNSNames, p.DNSNames):
		return fmt.Errorf("the CSR's DNS SANs are %q, not %q", req.DNSNames, p.DNSNames)
	case len(req.IPAddresses) != len(p.Addrs):
		return fmt.Errorf("the CSR has %d IP SANs, not %d", len(req.IPAddresses), len(p.Addrs))
	case !KeyMatches(req.PublicKey, key):
		return errors.New("the CSR's public key is not the generated key's")
	}
	return nil
}

func mustMarshal(v any) []byte {
	b, err := asn1.Marshal(v)
	if err != nil {
		panic(err) // Build marshalled the same value a moment ago
	}
	return b
}

func signatureAlgorithm(key crypto.Signer) x509.SignatureAlgorithm {
	switch key.Public().(type) {
	case *rsa.PublicKey:
		return x509.SHA256WithRSA
	case *ecdsa.PublicKey:
		return x509.ECDSAWithSHA256
	}
	return x509.UnknownSignatureAlgorithm
}

// FromCertificate returns a request with the same O, OU(s), CN and every SAN
// as cert, which is what the Axys rotation guide asks a renewal CSR to be.
// Notes list what a CSR cannot carry over (e-mail or URI SANs).
func FromCertificate(cert *x509.Certificate) (Request, []string) {
	r := Request{
		CommonName: cert.Subject.CommonName,
		Units:      slices.Clone(cert.Subject.OrganizationalUnit),
		DNSNames:   slices.Clone(cert.DNSNames),
	}
	var notes []string
	if len(cert.Subject.Organization) > 0 {
		r.Organization = cert.Subject.Organization[0]
		if len(cert.Subject.Organization) > 1 {
			notes = append(notes, fmt.Sprintf("the certificate has %d O values; only the first, %q, is kept", len(cert.Subject.Organization), r.Organization))
		}
	}
	first := func(v []string) string {
		if len(v) > 0 {
			return v[0]
		}
		return ""
	}
	r.Country = first(cert.Subject.Country)
	r.State = first(cert.Subject.Province)
	r.Locality = first(cert.Subject.Locality)
	for _, ip := range cert.IPAddresses {
		r.IPs = append(r.IPs, ip.String())
	}
	if len(cert.EmailAddresses) > 0 || len(cert.URIs) > 0 {
		notes = append(notes, "the certificate's e-mail and URI SANs are not copied: Axys uses only DNS and IP SANs")
	}
	return r, notes
}
