package csr

import (
	"context"
	"crypto"
	"crypto/x509"
	"errors"
	"fmt"
	"os"
)

// Created is what Create made and wrote.
type Created struct {
	Key    crypto.Signer
	CSR    *x509.CertificateRequest
	CSRPEM []byte
}

// ErrInterrupted means ctx ended before anything was written.
var ErrInterrupted = errors.New("interrupted: nothing was written")

// Create generates a key of type kt, builds and verifies the CSR for p, and
// writes both — the CSR first, so a CSR never exists without its key, and
// the CSR taken back if the key cannot be written. Nothing is written when
// ctx ends during generation (ErrInterrupted). Without force, neither file
// may exist beforehand (checked before the slow generation, and again,
// atomically, when each file takes its name).
func Create(ctx context.Context, p Prepared, kt KeyType, keyPath, csrPath string, force bool) (Created, error) {
	if !force {
		for _, path := range []string{keyPath, csrPath} {
			if _, err := os.Lstat(path); err == nil {
				return Created{}, fmt.Errorf("%s %w: nothing was written", path, ErrExists)
			}
		}
	}
	key, err := GenerateKey(ctx, kt, nil)
	if err != nil {
		if ctx.Err() != nil {
			return Created{}, ErrInterrupted
		}
		return Created{}, err
	}
	req, csrPEM, err := p.Build(key)
	if err != nil {
		return Created{}, err
	}
	keyPEM, err := MarshalKeyPEM(key)
	if err != nil {
		return Created{}, err
	}
	if ctx.Err() != nil {
		return Created{}, ErrInterrupted
	}
	if err := WriteFile(csrPath, csrPEM, 0o644, force); err != nil {
		return Created{}, err
	}
	if err := WriteFile(keyPath, keyPEM, 0o600, force); err != nil {
		os.Remove(csrPath)
		return Created{}, err
	}
	return Created{Key: key, CSR: req, CSRPEM: csrPEM}, nil
}
