package csr

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/pbkdf2"
	"crypto/sha256"
	"crypto/x509/pkix"
	"encoding/asn1"
	"testing"
)

// Hostile files, crafted from their ASN.1 structures. Ciphertexts are
// garbage wherever axysdoctor must refuse the file before decrypting it.

var oidAES256CBC = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 1, 42}

func marshalT(t testing.TB, v any) []byte {
	t.Helper()
	der, err := asn1.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return der
}

// pbes2With is a PBES2 AlgorithmIdentifier with the KDF kdf and AES-256-CBC.
func pbes2With(t testing.TB, kdf pkix.AlgorithmIdentifier) pkix.AlgorithmIdentifier {
	iv := marshalT(t, make([]byte, 16))
	params := marshalT(t, pbes2Params{KDF: kdf, EncryptionScheme: pkix.AlgorithmIdentifier{Algorithm: oidAES256CBC, Parameters: asn1.RawValue{FullBytes: iv}}})
	return pkix.AlgorithmIdentifier{Algorithm: oidPBES2, Parameters: asn1.RawValue{FullBytes: params}}
}

func pbkdf2KDF(t testing.TB, iter int) pkix.AlgorithmIdentifier {
	params := marshalT(t, youmarkPBKDF2Params{Salt: []byte("saltsalt"), IterationCount: iter, PRF: pkix.AlgorithmIdentifier{Algorithm: kdfSHA256.pbkdf2PRFOID}})
	return pkix.AlgorithmIdentifier{Algorithm: oidPBKDF2, Parameters: asn1.RawValue{FullBytes: params}}
}

func scryptKDF(t testing.TB, n, r, p int) pkix.AlgorithmIdentifier {
	params := marshalT(t, scryptParams{Salt: []byte("saltsalt"), CostParameter: n, BlockSize: r, Par: p})
	return pkix.AlgorithmIdentifier{Algorithm: oidScrypt, Parameters: asn1.RawValue{FullBytes: params}}
}

// craftEncryptedKey is an encrypted PKCS#8 key that would need kdf.
func craftEncryptedKey(t testing.TB, kdf pkix.AlgorithmIdentifier) []byte {
	return marshalT(t, encryptedPrivateKeyInfo{Algorithm: pbes2With(t, kdf), EncryptedData: make([]byte, 48)})
}

// editPFX decodes a PFX made by go-pkcs12, lets edit change it, and encodes
// it again (the MAC no longer matches; it is never checked: refusing comes
// first).
func editPFX(t testing.TB, der []byte, edit func(pdu *pfxPDU, safe []pfxContentInfo) []pfxContentInfo) []byte {
	t.Helper()
	var pdu pfxPDU
	var octets asn1.RawValue
	var safe []pfxContentInfo
	if err := strictUnmarshal(der, &pdu); err != nil {
		t.Fatal(err)
	}
	if err := strictUnmarshal(pdu.AuthSafe.Content.Bytes, &octets); err != nil {
		t.Fatal(err)
	}
	if err := strictUnmarshal(octets.Bytes, &safe); err != nil {
		t.Fatal(err)
	}
	safe = edit(&pdu, safe)
	pdu.AuthSafe.Content = explicit0(marshalT(t, marshalT(t, safe)))
	return marshalT(t, pdu)
}

// plainContainer is a data ContentInfo holding bags.
func plainContainer(t testing.TB, bags []pfxSafeBag) pfxContentInfo {
	return pfxContentInfo{ContentType: oidDataContentType, Content: explicit0(marshalT(t, marshalT(t, bags)))}
}

// sealedContainer is an encryptedData ContentInfo holding bags, encrypted
// for password with PBES2 (PBKDF2-HMAC-SHA256, one iteration, AES-256-CBC),
// as go-pkcs12 decrypts it.
func sealedContainer(t testing.TB, bags []pfxSafeBag, password string) pfxContentInfo {
	plain := marshalT(t, bags)
	salt, iv := []byte("saltsalt"), make([]byte, 16)
	key, err := pbkdf2.Key(sha256.New, password, salt, 1, 32)
	if err != nil {
		t.Fatal(err)
	}
	pad := 16 - len(plain)%16
	for range pad {
		plain = append(plain, byte(pad))
	}
	block, _ := aes.NewCipher(key)
	cipher.NewCBCEncrypter(block, iv).CryptBlocks(plain, plain)
	kdf := pkix.AlgorithmIdentifier{Algorithm: oidPBKDF2, Parameters: asn1.RawValue{FullBytes: marshalT(t, pbkdf2Params{
		Salt: asn1.RawValue{Tag: asn1.TagOctetString, Bytes: salt}, Iterations: 1, PRF: pkix.AlgorithmIdentifier{Algorithm: kdfSHA256.pbkdf2PRFOID}})}}
	var ed pfxEncryptedData
	ed.EncryptedContentInfo.ContentType = oidDataContentType
	ed.EncryptedContentInfo.ContentEncryptionAlgorithm = pbes2With(t, kdf)
	ed.EncryptedContentInfo.EncryptedContent = plain
	content := marshalT(t, ed)
	// go-pkcs12 reads EncryptedContent as [0] IMPLICIT OCTET STRING.
	return pfxContentInfo{ContentType: oidEncryptedDataContentType, Content: explicit0(content)}
}

// craftPFX is a PFX of the given containers with a one-iteration SHA-1 MAC
// for password.
func craftPFX(t testing.TB, password string, containers ...pfxContentInfo) []byte {
	pw, err := bmpZeroTerminated(password)
	if err != nil {
		t.Fatal(err)
	}
	return craftPFXForBMP(t, pw, containers...)
}

// craftPFXForBMP is craftPFX with the MAC's password already encoded: nil
// is the empty password as some tools encode it, with no bytes at all.
func craftPFXForBMP(t testing.TB, pw []byte, containers ...pfxContentInfo) []byte {
	authSafe := marshalT(t, containers)
	pdu := pfxPDU{Version: 3}
	pdu.AuthSafe = pfxContentInfo{ContentType: oidDataContentType, Content: explicit0(marshalT(t, authSafe))}
	pdu.MacData.Mac.Algorithm.Algorithm = oidSHA1
	pdu.MacData.Mac.Digest = cheapMAC(pw, authSafe)
	pdu.MacData.MacSalt = []byte{}
	pdu.MacData.Iterations = 1
	return marshalT(t, pdu)
}

func certBagOf(t testing.TB, der []byte) pfxSafeBag {
	return pfxSafeBag{ID: oidCertBag, Value: explicit0(marshalT(t, pfxCertBag{ID: oidX509Certificate, Data: der}))}
}

func shroudedKeyBag(t testing.TB, kdf pkix.AlgorithmIdentifier) pfxSafeBag {
	return pfxSafeBag{ID: oidShroudedKeyBag, Value: explicit0(craftEncryptedKey(t, kdf))}
}
