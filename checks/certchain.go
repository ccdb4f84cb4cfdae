package checks

import (
	"context"
	"crypto/x509"
	"fmt"
	"strings"

	"github.com/axysdoctor/axysdoctor/csr"
	"github.com/axysdoctor/axysdoctor/docs"
)

// checkCertChain: the certificate file parses, holds a client certificate
// (not a key or a CSR), and its bundle is in order.
func checkCertChain(_ context.Context, s *session) Result {
	var r Result
	m := s.mat
	if !m.HasCert() {
		r.Status = Skip
		r.Summary = "skipped: no certificate given (--cert or --p12)"
		return r
	}
	r.Status = Pass
	r.add("file", "%s (%s, %s)", m.CertPath, m.CertFile.Container, m.CertFile.Contents())
	for _, n := range m.CertFile.Notes {
		r.add("file note", "%s", n)
	}
	if m.CertProblem != "" {
		r.Status = Fail
		r.Summary = m.CertProblem
		r.Fix = "Pass the signed certificate Axys returned for your CSR (PEM, DER or PKCS#12); `axysdoctor inspect FILE` says what a file holds."
		r.Row = docs.RowTLSHandshake
		return r
	}
	leaf := m.Leaf
	r.add("subject", "%s", csr.FormatName(leaf.RawSubject))
	r.add("issuer", "%s", csr.FormatName(leaf.RawIssuer))
	r.add("serial", "%X", leaf.SerialNumber)
	r.add("sha256", "%s", csr.Fingerprint(leaf.Raw))
	for _, c := range m.Chain.Extra {
		r.add("also in file", "%s %s", csr.Role(c), csr.FormatName(c.RawSubject))
	}
	for _, i := range m.Chain.Info {
		r.add("chain", "%s", i)
	}
	for _, p := range m.CertFile.Problems() {
		r.add("unusable", "%s", p)
	}
	if csr.IsSelfSigned(leaf) && !leaf.IsCA {
		r.Status = Warn
		r.Row = docs.RowCertificateContent
		r.Summary = fmt.Sprintf("the certificate %s is self-signed: Axys signs client certificates, so this is not one it issued", leafName(leaf))
		r.Fix = "Send your CSR to Axys and use the certificate it returns; `axysdoctor csr` makes the key and the CSR."
		return r
	}
	if w, ok := s.incompleteChain(); ok {
		r.Status = Warn
		r.Row = docs.RowCertificateContent
		r.Summary = w
		r.Fix = fmt.Sprintf("Append the intermediate certificate %s to %s, leaf first (`cat client.pem intermediate.pem > bundle.pem`); whoever issued the certificate can send it.", csr.FormatName(s.chainTop().RawIssuer), m.CertPath)
		return r
	}
	if len(m.Chain.Warnings) > 0 {
		r.Status = Warn
		r.Summary = joinSentences(m.Chain.Warnings)
		r.Fix = "Rebuild the bundle: the client certificate first, then each issuer in turn (`cat client.pem intermediate.pem > bundle.pem`); the root is not needed."
		r.Row = docs.RowTLSHandshake
		return r
	}
	if leaf.IsCA {
		r.Status = Warn
		r.Summary = "the chosen certificate is a CA certificate, not a client certificate"
		r.Fix = "Pass the client certificate Axys issued for your CSR."
		r.Row = docs.RowTLSHandshake
		return r
	}
	r.Summary = fmt.Sprintf("client certificate %s, issued by %s", leafName(leaf), issuerName(leaf))
	return r
}

// incompleteChain judges the file against what the gateway asked for: a
// leaf whose chain, as far as the file goes, ends below a CA that is not
// self-signed and is not among the CAs the gateway accepts is most likely
// missing its intermediate. It says nothing when the gateway accepted the
// certificate, sent no CA list, or names the other environment's CA (that
// is tls.handshake's finding).
func (s *session) incompleteChain() (string, bool) {
	obs := s.gateway
	if obs == nil || !obs.CertRequested || len(obs.AcceptableCAs) == 0 || s.result(IDTLSHandshake).Status == Pass {
		return "", false
	}
	missing, top := missingIntermediate(s.mat, obs.AcceptableCAs)
	if !missing || otherEnvironment(s.mat.Leaf.RawIssuer, obs.AcceptableCAs) {
		return "", false
	}
	return fmt.Sprintf("the certificate's issuer %s is not in the file and not among the CAs the gateway asked for (%s): most likely its intermediate CA certificate is missing",
		csr.FormatName(top.RawIssuer), strings.Join(caNames(obs.AcceptableCAs), "; ")), true
}

// chainTop is the highest certificate of the leaf's chain found in the file.
func (s *session) chainTop() *x509.Certificate {
	_, top := missingIntermediate(s.mat, nil)
	return top
}
