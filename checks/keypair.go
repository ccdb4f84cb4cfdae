package checks

import (
	"context"
	"fmt"

	"github.com/axysdoctor/axysdoctor/csr"
	"github.com/axysdoctor/axysdoctor/docs"
)

// checkKeypair: the private key is the certificate's, by public-key equality.
func checkKeypair(_ context.Context, s *session) Result {
	m := s.mat
	r := Result{Status: Pass}
	r.add("certificate public key", "%s, SHA-256 %s", csr.DescribeKey(m.Leaf.PublicKey), csr.KeyFingerprint(m.Leaf.PublicKey))
	r.add("private key's public half", "%s, SHA-256 %s", csr.DescribeKey(publicOf(m.Key)), csr.KeyFingerprint(publicOf(m.Key)))
	if csr.KeyMatches(m.Leaf.PublicKey, m.Key) {
		r.Summary = "the private key belongs to the certificate"
		return r
	}
	r.Status = Fail
	r.Row = docs.RowTLSHandshake
	r.Summary = fmt.Sprintf("the private key does not belong to the certificate %s", leafName(m.Leaf))
	for _, c := range m.Chain.Extra {
		if csr.KeyMatches(c.PublicKey, m.Key) {
			r.Summary += fmt.Sprintf("; it belongs to %s, also in the file", leafName(c))
		}
	}
	r.Fix = "Use the key that was generated together with the CSR this certificate was signed from. After a renewal, the new certificate needs the new key; `axysdoctor inspect --key KEY CERT` compares any pair."
	return r
}
