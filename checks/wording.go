package checks

import (
	"crypto"
	"strings"
)

// publicOf returns a private key's public half, or nil.
func publicOf(k crypto.PrivateKey) crypto.PublicKey {
	if s, ok := k.(interface{ Public() crypto.PublicKey }); ok {
		return s.Public()
	}
	return nil
}

// joinSentences joins clauses into one line: "a; b; c".
func joinSentences(parts []string) string {
	return strings.Join(parts, "; ")
}
