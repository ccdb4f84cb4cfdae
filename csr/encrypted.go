package csr

import (
	"crypto"
	"encoding/asn1"
	"fmt"
	"runtime/debug"
	"strings"

	"github.com/youmark/pkcs8"
)

// decryptPKCS8 decrypts an encrypted PKCS#8 key. Its key-derivation work
// (pkcs8Work) must already have been taken from the budget.
func (p *parser) decryptPKCS8(der []byte) (crypto.PrivateKey, error) {
	pw, err := p.getPassword()
	if err != nil {
		return nil, fmt.Errorf("the private key (encrypted PKCS#8): %w", err)
	}
	k, err := pkcs8.ParsePKCS8PrivateKey(der, pw)
	if pkcs8Work(der).mem >= 8<<20 {
		// scrypt's memory is garbage now: hand it back before the next
		// derivation asks for as much again, so files do not add up.
		debug.FreeOSMemory()
	}
	if err != nil {
		msg := err.Error()
		if strings.Contains(msg, "only") || strings.Contains(msg, "unsupported") || strings.Contains(msg, "unknown") {
			return nil, fmt.Errorf("the private key is encrypted with a scheme axysdoctor cannot read (%s): re-encrypt it with `openssl pkcs8 -topk8 -v2 aes-256-cbc`", msg)
		}
		return nil, fmt.Errorf("the private key (encrypted PKCS#8): %w", ErrWrongPassword)
	}
	return k, nil
}

// looksLikeEncryptedPKCS8 reports whether der has the EncryptedPrivateKeyInfo
// shape: SEQUENCE { AlgorithmIdentifier, OCTET STRING }.
func looksLikeEncryptedPKCS8(der []byte) bool {
	var info encryptedPrivateKeyInfo
	rest, err := asn1.Unmarshal(der, &info)
	return err == nil && len(rest) == 0 && len(info.EncryptedData) > 0
}
