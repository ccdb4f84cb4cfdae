package csr

import "crypto"

// KeyMatches reports whether priv is the private half of pub, by public-key
// equality, which works for every key type (the modulus trick is RSA-only).
func KeyMatches(pub crypto.PublicKey, priv crypto.PrivateKey) bool {
	if pub == nil || priv == nil {
		return false
	}
	signer, ok := priv.(interface{ Public() crypto.PublicKey })
	if !ok {
		return false
	}
	eq, ok := signer.Public().(interface{ Equal(crypto.PublicKey) bool })
	return ok && eq.Equal(pub)
}
