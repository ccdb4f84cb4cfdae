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

// listOr renders "a", "a or b", "a, b or c".
func listOr(items []string) string {
	switch len(items) {
	case 0:
		return ""
	case 1:
		return items[0]
	}
	return strings.Join(items[:len(items)-1], ", ") + " or " + items[len(items)-1]
}
