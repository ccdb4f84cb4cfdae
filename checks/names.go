package checks

import (
	"crypto/x509"

	"github.com/axysdoctor/axysdoctor/csr"
)

// leafName is the shortest useful name for a certificate: its CN, or its
// whole subject when it has none.
func leafName(c *x509.Certificate) string {
	if c.Subject.CommonName != "" {
		return c.Subject.CommonName
	}
	return csr.FormatName(c.RawSubject)
}

// issuerName is the issuer's CN, or the whole issuer name.
func issuerName(c *x509.Certificate) string {
	if c.Issuer.CommonName != "" {
		return c.Issuer.CommonName
	}
	return csr.FormatName(c.RawIssuer)
}
