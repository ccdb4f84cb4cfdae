package csr

import (
	"crypto"
	"encoding/asn1"
	"errors"
	"fmt"
	"math/big"
	"strings"

	"github.com/youmark/pkcs8"
)

// Limits on password-based key derivation read from a file. Real files use
// thousands to a few hundred thousand PBKDF2 iterations and scrypt N ≤ 2^20;
// a damaged or hostile file could ask for billions and hang the tool.
const (
	maxIterations = 4_000_000
	maxScryptN    = 1 << 20
	maxScryptR    = 32
	maxScryptP    = 16
)

var errKDFCost = errors.New("it asks for an unreasonable amount of key-derivation work (iteration count or scrypt cost); refusing to try")

func (p *parser) decryptPKCS8(der []byte) (crypto.PrivateKey, error) {
	if err := checkKDFCost(der); err != nil {
		return nil, fmt.Errorf("the private key (encrypted PKCS#8): %w", err)
	}
	pw, err := p.getPassword()
	if err != nil {
		return nil, fmt.Errorf("the private key (encrypted PKCS#8): %w", err)
	}
	k, err := pkcs8.ParsePKCS8PrivateKey(der, pw)
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
	var info struct {
		Algo struct {
			Algorithm  asn1.ObjectIdentifier
			Parameters asn1.RawValue `asn1:"optional"`
		}
		Data []byte
	}
	rest, err := asn1.Unmarshal(der, &info)
	return err == nil && len(rest) == 0 && len(info.Data) > 0
}

// checkKDFCost walks der (and DER nested in OCTET STRINGs, as PKCS#12 nests
// it) looking for key-derivation parameters — a SEQUENCE whose first element
// is a salt (OCTET STRING) followed by INTEGERs — and refuses counts no real
// file uses. Encrypted parts cannot be seen and are checked when decrypted.
func checkKDFCost(der []byte) error {
	budget := 20000 // nodes visited: bounds the walk on hostile input
	return walkKDF(der, 0, &budget)
}

func walkKDF(der []byte, depth int, budget *int) error {
	if depth > 24 {
		return nil
	}
	for len(der) > 0 {
		*budget--
		if *budget < 0 {
			return nil
		}
		var v asn1.RawValue
		rest, err := asn1.Unmarshal(der, &v)
		if err != nil {
			return nil
		}
		der = rest
		switch {
		case v.Class == asn1.ClassUniversal && v.Tag == asn1.TagSequence:
			if err := checkSaltedParams(v.Bytes); err != nil {
				return err
			}
			if err := walkKDF(v.Bytes, depth+1, budget); err != nil {
				return err
			}
		case v.IsCompound:
			if err := walkKDF(v.Bytes, depth+1, budget); err != nil {
				return err
			}
		case v.Class == asn1.ClassUniversal && v.Tag == asn1.TagOctetString && len(v.Bytes) > 0 && v.Bytes[0] == 0x30:
			if err := walkKDF(v.Bytes, depth+1, budget); err != nil {
				return err
			}
		}
	}
	return nil
}

// checkSaltedParams looks at a SEQUENCE's children: OCTET STRING then one
// INTEGER is PBKDF2 / PKCS#12 PBE / MacData-like; then three INTEGERs is scrypt.
func checkSaltedParams(body []byte) error {
	var first asn1.RawValue
	rest, err := asn1.Unmarshal(body, &first)
	if err != nil || first.Class != asn1.ClassUniversal || first.Tag != asn1.TagOctetString {
		// MacData starts with a DigestInfo, then salt and iterations.
		if err != nil || first.Tag != asn1.TagSequence {
			return nil
		}
		var salt asn1.RawValue
		if rest, err = asn1.Unmarshal(rest, &salt); err != nil || salt.Tag != asn1.TagOctetString {
			return nil
		}
	}
	var ints []*big.Int
	for len(rest) > 0 && len(ints) < 4 {
		var v asn1.RawValue
		r, err := asn1.Unmarshal(rest, &v)
		if err != nil || v.Class != asn1.ClassUniversal || v.Tag != asn1.TagInteger {
			break
		}
		ints = append(ints, new(big.Int).SetBytes(v.Bytes))
		if len(v.Bytes) > 0 && v.Bytes[0]&0x80 != 0 {
			return errKDFCost // negative counts are nonsense too
		}
		rest = r
	}
	switch {
	case len(ints) >= 3: // scrypt: N, r, p
		if !within(ints[0], maxScryptN) || !within(ints[1], maxScryptR) || !within(ints[2], maxScryptP) {
			return errKDFCost
		}
	case len(ints) >= 1:
		if !within(ints[0], maxIterations) {
			return errKDFCost
		}
	}
	return nil
}

func within(v *big.Int, max int64) bool { return v.IsInt64() && v.Int64() <= max }
