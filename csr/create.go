package csr

import (
	"context"
	"crypto"
	"crypto/x509"
	"errors"
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
// writes both with WriteFiles: both or neither, the key's name taken first
// so a CSR never exists without its key, and on any failure every file that
// existed left as it was (with force too). Nothing is written when ctx ends
// during generation (ErrInterrupted). The targets are checked before the
// slow generation (CheckTargets) and again when each takes its name.
func Create(ctx context.Context, p Prepared, kt KeyType, keyPath, csrPath string, force bool) (Created, error) {
	if err := CheckTargets(force, keyPath, csrPath); err != nil {
		return Created{}, err
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
	outs := []Output{{Path: keyPath, Data: keyPEM, Perm: 0o600}, {Path: csrPath, Data: csrPEM, Perm: 0o644}}
	if err := WriteFiles(outs, force); err != nil {
		return Created{}, err
	}
	return Created{Key: key, CSR: req, CSRPEM: csrPEM}, nil
}

// CheckTargets says, before any slow work, whether WriteFiles could write
// paths: none may be anything but a regular file, and without force none
// may exist.
func CheckTargets(force bool, paths ...string) error {
	// What can never be replaced is said first: --force would not help.
	for _, forcing := range []bool{true, force} {
		for _, p := range paths {
			if err := checkTarget(p, forcing); err != nil {
				return err
			}
		}
	}
	return nil
}
