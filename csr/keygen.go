package csr

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"io"
	"strings"
)

// KeyType names a key algorithm and size the csr command can generate.
type KeyType string

// The key types on offer. RSA2048 is what the Axys documentation asks for.
const (
	RSA2048 KeyType = "rsa2048"
	RSA3072 KeyType = "rsa3072"
	RSA4096 KeyType = "rsa4096"
	P256    KeyType = "p256"
)

// KeyTypes lists the supported key types, the default first.
var KeyTypes = []KeyType{RSA2048, RSA3072, RSA4096, P256}

// ParseKeyType accepts the names in KeyTypes, case-insensitively.
func ParseKeyType(s string) (KeyType, error) {
	want := KeyType(strings.ToLower(strings.TrimSpace(s)))
	for _, kt := range KeyTypes {
		if kt == want {
			return kt, nil
		}
	}
	names := make([]string, len(KeyTypes))
	for i, kt := range KeyTypes {
		names[i] = string(kt)
	}
	return "", fmt.Errorf("unknown key type %q: use one of %s", s, strings.Join(names, ", "))
}

// String returns the human name, such as "RSA-2048".
func (k KeyType) String() string {
	switch k {
	case RSA2048:
		return "RSA-2048"
	case RSA3072:
		return "RSA-3072"
	case RSA4096:
		return "RSA-4096"
	case P256:
		return "ECDSA P-256"
	}
	return string(k)
}

// Warning is empty for RSA-2048 and otherwise says why the choice is a risk.
func (k KeyType) Warning() string {
	if k == RSA2048 {
		return ""
	}
	return fmt.Sprintf("the Axys documentation asks for RSA-2048 keys; %s is not documented as accepted, so Axys may refuse to sign this CSR", k)
}

// GenerateKey makes a new private key of the given type from rnd (crypto/rand
// when nil). RSA generation cannot be interrupted, so it runs aside and
// GenerateKey returns as soon as ctx is done; nothing is written anywhere.
func GenerateKey(ctx context.Context, kt KeyType, rnd io.Reader) (crypto.Signer, error) {
	type result struct {
		key crypto.Signer
		err error
	}
	done := make(chan result, 1)
	go func() {
		k, err := generate(kt, rnd)
		done <- result{k, err}
	}()
	select {
	case r := <-done:
		return r.key, r.err
	case <-ctx.Done():
		return nil, fmt.Errorf("key generation stopped: %w", ctx.Err())
	}
}

func generate(kt KeyType, rnd io.Reader) (crypto.Signer, error) {
	if rnd == nil {
		rnd = rand.Reader
	}
	switch kt {
	case RSA2048:
		return rsa.GenerateKey(rnd, 2048)
	case RSA3072:
		return rsa.GenerateKey(rnd, 3072)
	case RSA4096:
		return rsa.GenerateKey(rnd, 4096)
	case P256:
		return ecdsa.GenerateKey(elliptic.P256(), rnd)
	}
	return nil, fmt.Errorf("unknown key type %q", string(kt))
}

// MarshalKeyPEM encodes a private key as an unencrypted PKCS#8 PEM block,
// the format `openssl genpkey` and `openssl genrsa` (3.x) write.
func MarshalKeyPEM(key crypto.Signer) ([]byte, error) {
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return nil, fmt.Errorf("encode private key: %w", err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}), nil
}

// DescribeKey names a key's algorithm and size, such as "RSA-2048".
func DescribeKey(pub crypto.PublicKey) string {
	switch k := pub.(type) {
	case *rsa.PublicKey:
		return fmt.Sprintf("RSA-%d", k.N.BitLen())
	case *ecdsa.PublicKey:
		return "ECDSA " + k.Curve.Params().Name
	case ed25519.PublicKey:
		return "Ed25519"
	case nil:
		return "no key"
	}
	return fmt.Sprintf("%T", pub)
}
