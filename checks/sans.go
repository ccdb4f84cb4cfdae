package checks

import (
	"context"
	"crypto/x509"
	"fmt"
	"net/netip"
	"slices"
	"strings"

	"github.com/axysdoctor/axysdoctor/csr"
	"github.com/axysdoctor/axysdoctor/docs"
)

// checkSANs: DNS and IP SANs present, no wildcard, the CN among them, and
// the certificate usable for TLS client authentication.
func checkSANs(_ context.Context, s *session) Result {
	c := s.mat.Leaf
	r := Result{Status: Pass}
	r.add("DNS SANs", "%s", listCapped(c.DNSNames, maxListed))
	var ips []string
	for _, ip := range c.IPAddresses {
		ips = append(ips, ip.String())
	}
	r.add("IP SANs", "%s", listCapped(ips, maxListed))
	r.add("extended key usage", "%s", describeEKU(c))

	var fails, warns []string
	row := docs.RowCertificateContent
	if len(c.DNSNames) == 0 {
		fails = append(fails, "the certificate has no DNS SANs, so FCrDNS has no domain to confirm your IP against")
	}
	var wild []string
	for _, d := range c.DNSNames {
		if strings.Contains(d, "*") {
			wild = append(wild, d)
		}
	}
	switch len(wild) {
	case 0:
	case 1:
		fails = append(fails, fmt.Sprintf("%s is a wildcard, which Axys refuses", wild[0]))
	default:
		fails = append(fails, fmt.Sprintf("%s are wildcards, which Axys refuses", listCapped(wild, 5)))
	}
	cn := strings.ToLower(strings.TrimSuffix(c.Subject.CommonName, "."))
	if cn != "" && len(c.DNSNames) > 0 && !slices.ContainsFunc(c.DNSNames, func(d string) bool { return strings.EqualFold(d, cn) }) {
		if _, err := netip.ParseAddr(cn); err != nil {
			warns = append(warns, fmt.Sprintf("the CN %s is not among the DNS SANs; the Axys sample lists it first", cn))
		}
	}
	var unseen []string
	for _, ip := range ips {
		if a, err := netip.ParseAddr(ip); err == nil {
			if note := csr.AddressNote(a); note != "" && !a.IsLoopback() {
				unseen = append(unseen, fmt.Sprintf("%s (%s)", ip, note))
			}
		}
	}
	if len(unseen) > 0 {
		warns = append(warns, fmt.Sprintf("%s: the gateway can never see such an address", noun(len(unseen), "IP SAN")+" "+listCapped(unseen, 5)))
	}
	if !clientAuthAllowed(c) {
		fails = append(fails, "the certificate is not valid for TLS client authentication (its extended key usage lacks clientAuth); servers refuse it with alert 42 or 43")
		row = docs.RowTLSHandshake
	}
	switch {
	case len(fails) > 0:
		r.Status = Fail
		r.Row = row
		r.Summary = joinSentences(append(fails, warns...))
		r.Fix = "Request a new certificate: `axysdoctor csr --cn HOST --dns HOST --ip IP …` lists every domain and IP you call from, no wildcards; Axys issues it for client authentication."
	case len(warns) > 0:
		r.Status = Warn
		r.Row = row
		r.Summary = joinSentences(warns)
		r.Fix = "At the next renewal, list the CN as the first DNS SAN and only addresses the gateway can see."
	default:
		r.Summary = fmt.Sprintf("%d DNS and %d IP SANs, no wildcard, valid for client authentication", len(c.DNSNames), len(ips))
	}
	return r
}

// maxListed bounds the names a result lists: a certificate with thousands
// of SANs must not make a report of megabytes.
const maxListed = 32

// listCapped joins at most n items, then says how many more there are.
func listCapped(v []string, n int) string {
	if len(v) <= n {
		return orNone(v)
	}
	return fmt.Sprintf("%s and %d more", strings.Join(v[:n], ", "), len(v)-n)
}

func orNone(v []string) string {
	if len(v) == 0 {
		return "(none)"
	}
	return strings.Join(v, ", ")
}

// clientAuthAllowed follows RFC 5280: no EKU extension means any use.
func clientAuthAllowed(c *x509.Certificate) bool {
	if len(c.ExtKeyUsage) == 0 && len(c.UnknownExtKeyUsage) == 0 {
		return true
	}
	return slices.Contains(c.ExtKeyUsage, x509.ExtKeyUsageClientAuth) || slices.Contains(c.ExtKeyUsage, x509.ExtKeyUsageAny)
}

func describeEKU(c *x509.Certificate) string {
	if len(c.ExtKeyUsage) == 0 && len(c.UnknownExtKeyUsage) == 0 {
		return "(none: any use)"
	}
	names := map[x509.ExtKeyUsage]string{
		x509.ExtKeyUsageClientAuth: "clientAuth", x509.ExtKeyUsageServerAuth: "serverAuth",
		x509.ExtKeyUsageAny: "any", x509.ExtKeyUsageCodeSigning: "codeSigning",
		x509.ExtKeyUsageEmailProtection: "emailProtection", x509.ExtKeyUsageTimeStamping: "timeStamping",
		x509.ExtKeyUsageOCSPSigning: "OCSPSigning",
	}
	var out []string
	for _, u := range c.ExtKeyUsage {
		if n, ok := names[u]; ok {
			out = append(out, n)
		} else {
			out = append(out, fmt.Sprintf("usage %d", u))
		}
	}
	for _, oid := range c.UnknownExtKeyUsage {
		out = append(out, oid.String())
	}
	return strings.Join(out, ", ")
}
