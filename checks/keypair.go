package checks

import (
	"context"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"fmt"

	"github.com/axysdoctor/axysdoctor/csr"
	"github.com/axysdoctor/axysdoctor/docs"
)

// checkKeypair: the private key is the certificate's, by public-key equality.
func checkKeypair(_ context.Context, s *session) Result {
	m := s.mat
	r := Result{Status: Pass}
	leafSPKI := spkiHash(m.Leaf.PublicKey)
	keySPKI := spkiHash(publicOf(m.Key))
	r.add("certificate public key", "%s, sha256:%s", csr.DescribeKey(m.Leaf.PublicKey), leafSPKI)
	r.add("private key's public half", "%s, sha256:%s", csr.DescribeKey(publicOf(m.Key)), keySPKI)
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

// spkiHash identifies a public key by the SHA-256 of its SubjectPublicKeyInfo
// (the same value `openssl pkey -pubout | openssl sha256` prints).
func spkiHash(pub any) string {
	der, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil {
		return "(unknown)"
	}
	sum := sha256.Sum256(der)
	return hex.EncodeToString(sum[:8])
}
