package emulator

import (
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"net"
	"strings"
	"time"

	"github.com/axysdoctor/axysdoctor/csr"
)

// Validity is how long the emulated Axys certificates last (as documented).
const Validity = 90 * 24 * time.Hour

// SignCSR signs a CSR (PEM or DER) the way Axys would, after the checks its
// docs imply: a valid signature, O, OU and CN present, DNS SANs, no
// wildcards. The scenario decides the outcome's flaws: an expired
// certificate, or one from the other environment's CA. It returns PEM.
func (e *Emulator) SignCSR(data []byte) ([]byte, error) {
	der := data
	if b, _ := pem.Decode(data); b != nil {
		der = b.Bytes
	}
	req, err := x509.ParseCertificateRequest(der)
	if err != nil {
		return nil, refuse("not a CSR: %v", err)
	}
	if err := req.CheckSignature(); err != nil {
		return nil, refuse("the CSR's signature does not verify: %v", err)
	}
	switch {
	case len(req.Subject.Organization) == 0:
		return nil, refuse("the subject has no O (Tenant legal entity name)")
	case len(req.Subject.OrganizationalUnit) == 0:
		return nil, refuse("the subject has no OU (Program name)")
	case req.Subject.CommonName == "":
		return nil, refuse("the subject has no CN")
	case len(req.DNSNames) == 0:
		return nil, refuse("the CSR lists no DNS SANs")
	}
	for _, d := range append([]string{req.Subject.CommonName}, req.DNSNames...) {
		if strings.Contains(d, "*") {
			return nil, refuse("wildcard %q: list every host explicitly", d)
		}
	}
	if k, ok := req.PublicKey.(*rsa.PublicKey); ok && k.N.BitLen() < 2048 {
		return nil, refuse("RSA key of %d bits: use RSA-2048", k.N.BitLen())
	}
	now := e.now()
	notBefore, notAfter := now.Add(-time.Hour), now.Add(Validity)
	if e.fault().expiredCert {
		notBefore, notAfter = now.Add(-Validity-3*24*time.Hour), now.Add(-3*24*time.Hour)
	}
	ca := e.issuer() // for missing-intermediate, the file will hold the leaf alone
	cert, err := ca.issue(&x509.Certificate{
		RawSubject:  req.RawSubject,
		NotBefore:   notBefore,
		NotAfter:    notAfter,
		KeyUsage:    x509.KeyUsageDigitalSignature | x509.KeyUsageKeyEncipherment,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth},
		DNSNames:    req.DNSNames,
		IPAddresses: req.IPAddresses,
	}, req.PublicKey)
	if err != nil {
		return nil, err
	}
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: cert.Raw}), nil
}

// IssueClient makes the ready-to-use credential of the emulator's tenant:
// an RSA-2048 key and a certificate for api.acmecards.example and
// 127.0.0.1, signed according to the scenario. Both are PEM.
func (e *Emulator) IssueClient() (certPEM, keyPEM []byte, err error) {
	key, err := clientKey()
	if err != nil {
		return nil, nil, err
	}
	p, err := csr.Request{
		Organization: Identity.Organization,
		Units:        []string{Identity.Unit},
		CommonName:   Identity.CommonName,
		IPs:          []string{net.IPv4(127, 0, 0, 1).String()},
	}.Prepare()
	if err != nil {
		return nil, nil, err
	}
	_, csrPEM, err := p.Build(key)
	if err != nil {
		return nil, nil, err
	}
	certPEM, err = e.SignCSR(csrPEM)
	if err != nil {
		return nil, nil, err
	}
	keyPEM, err = csr.MarshalKeyPEM(key)
	if err != nil {
		return nil, nil, err
	}
	return certPEM, keyPEM, nil
}
