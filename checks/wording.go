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

// shellQuote quotes a path for a command line the user will paste.
func shellQuote(s string) string {
	if s != "" && strings.IndexFunc(s, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("/._-+=:,@", r))
	}) < 0 {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
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
