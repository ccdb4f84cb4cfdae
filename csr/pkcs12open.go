package csr

import (
	"crypto/ed25519"
	"crypto/hmac"
	"crypto/sha1"
	"crypto/x509"
	"encoding/asn1"
	"errors"
	"sync"
	"unicode/utf16"

	"software.sslmate.com/src/go-pkcs12"
)

// errNotOpened means a container did not open with a password: the wrong
// password, or damage that looks the same.
var errNotOpened = errors.New("the container does not open with this password")

// openContainers opens every encrypted container of x with password and
// keeps the certificates inside. For the empty password it tries both
// encodings go-pkcs12 accepts (two zero bytes, then none).
func (x *pfx) openContainers(password string) error {
	for i := range x.contents {
		c := &x.contents[i]
		if !c.encrypted {
			continue
		}
		certs, err := openContainer(c.info, password, false)
		if errors.Is(err, errNotOpened) && password == "" {
			certs, err = openContainer(c.info, password, true)
		}
		if err != nil {
			return err
		}
		c.certs = certs
	}
	return nil
}

// openContainer has go-pkcs12 decrypt one encrypted container, without
// ever decrypting a key bag inside it: the container goes into a PFX of our
// own behind a plain key bag (a throwaway Ed25519 key), so go-pkcs12 stops
// with "expected exactly one key bag" at any key bag it finds there instead
// of deriving that bag's key, whose cost could not be checked beforehand.
// The PFX's MAC is ours, one iteration, computed for password (or, with
// bare, for the empty password encoded as no bytes at all).
func openContainer(sealed pfxContentInfo, password string, bare bool) ([]Item, error) {
	probe, err := containerProbe(sealed, password, bare)
	if err != nil {
		return nil, errNotOpened // a password go-pkcs12 cannot encode
	}
	_, leaf, cas, err := pkcs12.DecodeChain(probe, password)
	switch {
	case err == nil:
	case err.Error() == "pkcs12: certificate missing":
		return nil, nil
	case err.Error() == "pkcs12: expected exactly one key bag":
		return nil, errKeySealed
	default:
		return nil, errNotOpened
	}
	items := []Item{certItem(leaf, "PKCS#12")}
	for _, c := range cas {
		items = append(items, certItem(c, "PKCS#12"))
	}
	return items, nil
}

// throwawayKey is the PKCS#8 encoding of a fixed Ed25519 key: a plain key
// bag go-pkcs12 parses without deriving anything.
var throwawayKey = sync.OnceValue(func() []byte {
	der, err := x509.MarshalPKCS8PrivateKey(ed25519.NewKeyFromSeed(make([]byte, ed25519.SeedSize)))
	if err != nil {
		panic(err) // a fixed, valid key: cannot fail
	}
	return der
})

// containerProbe builds a PFX holding a plain container with the throwaway
// key bag, then sealed, with a one-iteration SHA-1 MAC for password.
func containerProbe(sealed pfxContentInfo, password string, bare bool) ([]byte, error) {
	keyBag := pfxSafeBag{ID: oidKeyBag, Value: explicit0(throwawayKey())}
	bags, err := asn1.Marshal([]pfxSafeBag{keyBag})
	if err != nil {
		return nil, err
	}
	plain, err := octetString(bags)
	if err != nil {
		return nil, err
	}
	authSafe, err := asn1.Marshal([]pfxContentInfo{{ContentType: oidDataContentType, Content: explicit0(plain)}, sealed})
	if err != nil {
		return nil, err
	}
	var pw []byte
	if !bare {
		if pw, err = bmpZeroTerminated(password); err != nil {
			return nil, err
		}
	}
	pdu := pfxPDU{Version: 3}
	pdu.MacData.Mac.Algorithm.Algorithm = oidSHA1
	pdu.MacData.Mac.Digest = cheapMAC(pw, authSafe)
	pdu.MacData.MacSalt = []byte{}
	pdu.MacData.Iterations = 1
	pdu.AuthSafe.ContentType = oidDataContentType
	octets, err := octetString(authSafe)
	if err != nil {
		return nil, err
	}
	pdu.AuthSafe.Content = explicit0(octets)
	return asn1.Marshal(pdu)
}

// cheapMAC is the PKCS#12 SHA-1 MAC with one iteration and an empty salt:
// the KDF of RFC 7292 appendix B.2 reduces to one hash of the diversifier
// (ID 3) and the password repeated to a 64-byte boundary.
func cheapMAC(bmpPassword, message []byte) []byte {
	const v = 64
	in := make([]byte, v, v+len(bmpPassword)+v)
	for i := range in {
		in[i] = 3
	}
	if n := len(bmpPassword); n > 0 {
		end := v + (n+v-1)/v*v
		for len(in) < end {
			in = append(in, bmpPassword...)
		}
		in = in[:end]
	}
	key := sha1.Sum(in)
	m := hmac.New(sha1.New, key[:])
	m.Write(message)
	return m.Sum(nil)
}

// bmpZeroTerminated encodes a password as PKCS#12 does: UCS-2, big-endian,
// two zero bytes at the end.
func bmpZeroTerminated(s string) ([]byte, error) {
	out := make([]byte, 0, 2*len(s)+2)
	for _, r := range s {
		if r1, _ := utf16.EncodeRune(r); r1 != '\uFFFD' {
			return nil, errors.New("the password has characters PKCS#12 cannot encode")
		}
		out = append(out, byte(r>>8), byte(r))
	}
	return append(out, 0, 0), nil
}

func explicit0(der []byte) asn1.RawValue {
	return asn1.RawValue{Class: asn1.ClassContextSpecific, Tag: 0, IsCompound: true, Bytes: der}
}

func octetString(b []byte) ([]byte, error) { return asn1.Marshal(b) }
