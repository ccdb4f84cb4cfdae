package csr

import (
	"crypto/x509/pkix"
	"encoding/asn1"
	"fmt"
)

// Unit costs of key derivation, in nanoseconds, measured with
// BenchmarkKDFUnitCosts (kdfcost_test.go) on a 2-core Intel Xeon with SHA
// extensions, Go 1.26: one hash of a digest-sized input (an iteration of
// the PKCS#12 KDF), one HMAC iteration of PBKDF2 per output block, and one
// unit of scrypt's N·r·p. Laptops are within a factor of two either way.
type kdfHash struct {
	name         string
	size         int
	hashNS       float64
	hmacNS       float64
	pbkdf2PRFOID asn1.ObjectIdentifier
}

var (
	kdfSHA1   = kdfHash{"SHA-1", 20, 94, 171, asn1.ObjectIdentifier{1, 2, 840, 113549, 2, 7}}
	kdfSHA256 = kdfHash{"SHA-256", 32, 86, 145, asn1.ObjectIdentifier{1, 2, 840, 113549, 2, 9}}
	kdfSHA512 = kdfHash{"SHA-512", 64, 250, 469, asn1.ObjectIdentifier{1, 2, 840, 113549, 2, 11}}
)

// scryptNS is the cost of one unit of N·r·p; scrypt also holds 128·N·r
// bytes while it runs.
const scryptNS = 264

var (
	oidPBES2  = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 5, 13}
	oidPBKDF2 = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 5, 12}
	oidScrypt = asn1.ObjectIdentifier{1, 3, 6, 1, 4, 1, 11591, 4, 11}
)

// pbkdf2Work is PBKDF2-HMAC-h with iter iterations producing keyLen bytes:
// one run of the iterations per hash-sized block of output.
func pbkdf2Work(what string, h kdfHash, iter, keyLen int) work {
	blocks := (max(keyLen, 1) + h.size - 1) / h.size
	return derivation(fmt.Sprintf("%s: PBKDF2-HMAC-%s, %d iterations", what, h.name, iter),
		float64(max(iter, 1))*float64(blocks)*h.hmacNS, 0)
}

// pkcs12KDFWork is the PKCS#12 KDF (RFC 7292 appendix B) with iter
// iterations producing size bytes.
func pkcs12KDFWork(what string, h kdfHash, iter, size int) work {
	blocks := (size + h.size - 1) / h.size
	return derivation(fmt.Sprintf("%s: %d iterations of %s", what, iter, h.name),
		float64(max(iter, 1))*float64(blocks)*h.hashNS, 0)
}

// scryptWork is scrypt with cost n, block size r and parallelism p.
func scryptWork(what string, n, r, p int) work {
	if n <= 1 || r <= 0 || p <= 0 {
		return work{} // x/crypto/scrypt refuses these before any work
	}
	fn, fr, fp := float64(n), float64(r), float64(p)
	return derivation(fmt.Sprintf("%s: scrypt N=%d, r=%d, p=%d", what, n, r, p),
		fn*fr*fp*scryptNS, 128*fn*fr+128*fr*fp)
}

// prfHash is the HMAC of a PBKDF2 PRF identifier; SHA-1 is the default.
func prfHash(prf pkix.AlgorithmIdentifier) (kdfHash, bool) {
	for _, h := range []kdfHash{kdfSHA1, kdfSHA256, kdfSHA512} {
		if prf.Algorithm.Equal(h.pbkdf2PRFOID) {
			return h, true
		}
	}
	return kdfSHA1, len(prf.Algorithm) == 0
}

// pbkdf2Params is PBKDF2-params (RFC 8018) as both libraries read it.
type pbkdf2Params struct {
	Salt       asn1.RawValue
	Iterations int
	KeyLength  int                      `asn1:"optional"`
	PRF        pkix.AlgorithmIdentifier `asn1:"optional"`
}

// youmarkPBKDF2Params is PBKDF2-params as youmark/pkcs8 reads them: no key
// length, so a key length present makes its PRF unreadable.
type youmarkPBKDF2Params struct {
	Salt           []byte
	IterationCount int
	PRF            pkix.AlgorithmIdentifier `asn1:"optional"`
}

type scryptParams struct {
	Salt                          []byte
	CostParameter, BlockSize, Par int
}

type pbes2Params struct {
	KDF, EncryptionScheme pkix.AlgorithmIdentifier
}

// encryptedPrivateKeyInfo is PKCS#8's EncryptedPrivateKeyInfo.
type encryptedPrivateKeyInfo struct {
	Algorithm     pkix.AlgorithmIdentifier
	EncryptedData []byte
}

// cipherKeySize is the key size of the PBES2 ciphers either library knows;
// for any other the largest, so that the estimate never falls short.
func cipherKeySize(oid asn1.ObjectIdentifier) int {
	switch oid.String() {
	case "2.16.840.1.101.3.4.1.2", "2.16.840.1.101.3.4.1.6": // AES-128 CBC, GCM
		return 16
	case "2.16.840.1.101.3.4.1.22", "2.16.840.1.101.3.4.1.26", "1.2.840.113549.3.7": // AES-192, 3DES
		return 24
	}
	return 32
}

// pkcs8Work is what youmark/pkcs8 derives to decrypt der, an encrypted
// PKCS#8 key: the same loose parse it does, so that nothing it would derive
// is missed. What it would refuse before deriving costs nothing.
func pkcs8Work(der []byte) work {
	var info encryptedPrivateKeyInfo
	if _, err := asn1.Unmarshal(der, &info); err != nil || !info.Algorithm.Algorithm.Equal(oidPBES2) {
		return work{}
	}
	var params pbes2Params
	if _, err := asn1.Unmarshal(info.Algorithm.Parameters.FullBytes, &params); err != nil {
		return work{}
	}
	keyLen := cipherKeySize(params.EncryptionScheme.Algorithm)
	switch {
	case params.KDF.Algorithm.Equal(oidPBKDF2):
		var kp youmarkPBKDF2Params
		if _, err := asn1.Unmarshal(params.KDF.Parameters.FullBytes, &kp); err != nil {
			return work{}
		}
		h, ok := prfHash(kp.PRF)
		if !ok {
			return work{}
		}
		return pbkdf2Work("the private key", h, kp.IterationCount, keyLen)
	case params.KDF.Algorithm.Equal(oidScrypt):
		var sp scryptParams
		if _, err := asn1.Unmarshal(params.KDF.Parameters.FullBytes, &sp); err != nil {
			return work{}
		}
		return scryptWork("the private key", sp.CostParameter, sp.BlockSize, sp.Par)
	}
	return work{}
}

// PKCS#12 password-based encryption (RFC 7292 appendix C).
var (
	oidPBEWithSHAAnd3KeyTripleDESCBC = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 12, 1, 3}
	oidPBEWithSHAAnd128BitRC2CBC     = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 12, 1, 5}
	oidPBEWithSHAAnd40BitRC2CBC      = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 12, 1, 6}
)

// pbeWork is what go-pkcs12 derives to decrypt with alg: for the PKCS#12
// schemes a key and an IV, each a full run of the iterations; for PBES2 one
// PBKDF2. The parameters are read loosely (go-pkcs12 reads them strictly),
// so the estimate covers at least what it derives.
func pbeWork(what string, alg pkix.AlgorithmIdentifier) work {
	var keySize int
	switch {
	case alg.Algorithm.Equal(oidPBEWithSHAAnd3KeyTripleDESCBC):
		keySize = 24
	case alg.Algorithm.Equal(oidPBEWithSHAAnd128BitRC2CBC):
		keySize = 16
	case alg.Algorithm.Equal(oidPBEWithSHAAnd40BitRC2CBC):
		keySize = 5
	case alg.Algorithm.Equal(oidPBES2):
		return pbes2Work(what, alg.Parameters.FullBytes)
	default:
		return work{}
	}
	var params struct {
		Salt       []byte
		Iterations int
	}
	if _, err := asn1.Unmarshal(alg.Parameters.FullBytes, &params); err != nil {
		return work{}
	}
	return pkcs12KDFWork(what, kdfSHA1, params.Iterations, keySize).plus(pkcs12KDFWork(what, kdfSHA1, params.Iterations, 8))
}

func pbes2Work(what string, der []byte) work {
	var params pbes2Params
	if _, err := asn1.Unmarshal(der, &params); err != nil {
		return work{}
	}
	kp, h, ok := pbkdf2Of(params.KDF)
	if !ok {
		return work{}
	}
	return pbkdf2Work(what, h, kp.Iterations, cipherKeySize(params.EncryptionScheme.Algorithm))
}

// pbkdf2Of reads a PBKDF2 AlgorithmIdentifier (as PBES2 and PBMAC1 carry
// it): its parameters and the hash of its PRF.
func pbkdf2Of(kdf pkix.AlgorithmIdentifier) (pbkdf2Params, kdfHash, bool) {
	var kp pbkdf2Params
	if !kdf.Algorithm.Equal(oidPBKDF2) {
		return kp, kdfHash{}, false
	}
	if _, err := asn1.Unmarshal(kdf.Parameters.FullBytes, &kp); err != nil {
		return kp, kdfHash{}, false
	}
	h, ok := prfHash(kp.PRF)
	return kp, h, ok
}

// PKCS#12 MAC digests, and PBMAC1 (RFC 9579).
var (
	oidSHA1   = asn1.ObjectIdentifier{1, 3, 14, 3, 2, 26}
	oidSHA256 = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 2, 1}
	oidSHA512 = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 2, 3}
	oidPBMAC1 = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 5, 14}
)

// macWork is what go-pkcs12 derives to check a PFX's MAC once: the PKCS#12
// KDF with the MAC's iteration count for a digest-sized key, or PBMAC1's
// PBKDF2 (whose key is at most 64 bytes: go-pkcs12 refuses longer ones).
func macWork(md pfxMacData) work {
	alg := md.Mac.Algorithm
	switch {
	case alg.Algorithm.Equal(oidSHA1):
		return pkcs12KDFWork("the MAC", kdfSHA1, md.Iterations, kdfSHA1.size)
	case alg.Algorithm.Equal(oidSHA256):
		return pkcs12KDFWork("the MAC", kdfSHA256, md.Iterations, kdfSHA256.size)
	case alg.Algorithm.Equal(oidSHA512):
		return pkcs12KDFWork("the MAC", kdfSHA512, md.Iterations, kdfSHA512.size)
	case alg.Algorithm.Equal(oidPBMAC1):
		var params struct{ KDF, MAC pkix.AlgorithmIdentifier }
		if _, err := asn1.Unmarshal(alg.Parameters.FullBytes, &params); err != nil {
			return work{}
		}
		kp, h, ok := pbkdf2Of(params.KDF)
		if !ok {
			return work{}
		}
		return pbkdf2Work("the MAC", h, kp.Iterations, min(max(kp.KeyLength, 1), 64))
	}
	return work{}
}
