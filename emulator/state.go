package emulator

import (
	"crypto"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/axysdoctor/axysdoctor/csr"
)

// stateFile keeps an emulator's CAs and API keys in its --dir, so a second
// run reuses them and the files written by the first stay valid.
const stateFile = "emulator-state.json"

type savedCA struct {
	Cert []byte `json:"cert"` // DER
	Key  []byte `json:"key"`  // PKCS#8 DER
}

type savedState struct {
	Staging      savedCA `json:"staging_client_ca"`
	Production   savedCA `json:"production_client_ca"`
	Server       savedCA `json:"server_ca"`
	Intermediate savedCA `json:"issuing_ca"`
	ProgramKey   string  `json:"program_api_key"`
	TenantKey    string  `json:"tenant_api_key"`
}

// loadOrMakeState sets the CAs and API keys: from dir's state file when it
// exists, else fresh (and saved there when dir is given).
func (e *Emulator) loadOrMakeState(dir string) error {
	if dir != "" {
		path := filepath.Join(dir, stateFile)
		data, err := os.ReadFile(path)
		switch {
		case err == nil:
			if err := e.restore(data); err != nil {
				return fmt.Errorf("%s is damaged (%v): remove it to start with new CAs", path, err)
			}
			return nil
		case !errors.Is(err, fs.ErrNotExist):
			return fmt.Errorf("read %s: %w", path, err)
		}
	}
	if err := e.makeState(); err != nil {
		return err
	}
	if dir == "" {
		return nil
	}
	data, err := e.marshalState()
	if err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	return csr.WriteFile(filepath.Join(dir, stateFile), data, 0o600, false)
}

func (e *Emulator) makeState() error {
	now := e.now()
	var err error
	e.ProgramKey, e.TenantKey = "axys_prog_"+randomHex(16), "axys_tenant_"+randomHex(16)
	if e.Staging, err = newCA("Axys Emulator Staging Client CA", now); err != nil {
		return err
	}
	if e.Production, err = newCA("Axys Emulator Production Client CA", now); err != nil {
		return err
	}
	if e.ServerCA, err = newCA("Axys Emulator Server CA", now); err != nil {
		return err
	}
	e.Intermediate, err = e.trustedCA().newIntermediate(intermediateName(e.Environment), now)
	return err
}

func intermediateName(env string) string {
	if env == "production" {
		return "Axys Emulator Production Issuing CA"
	}
	return "Axys Emulator Staging Issuing CA"
}

func (e *Emulator) marshalState() ([]byte, error) {
	var st savedState
	for _, x := range []struct {
		ca  *CA
		dst *savedCA
	}{{e.Staging, &st.Staging}, {e.Production, &st.Production}, {e.ServerCA, &st.Server}, {e.Intermediate, &st.Intermediate}} {
		key, err := x509.MarshalPKCS8PrivateKey(x.ca.Key)
		if err != nil {
			return nil, err
		}
		*x.dst = savedCA{Cert: x.ca.Cert.Raw, Key: key}
	}
	st.ProgramKey, st.TenantKey = e.ProgramKey, e.TenantKey
	return json.MarshalIndent(st, "", "  ")
}

func (e *Emulator) restore(data []byte) error {
	var st savedState
	if err := json.Unmarshal(data, &st); err != nil {
		return err
	}
	var err error
	for _, x := range []struct {
		src savedCA
		dst **CA
	}{{st.Staging, &e.Staging}, {st.Production, &e.Production}, {st.Server, &e.ServerCA}, {st.Intermediate, &e.Intermediate}} {
		if *x.dst, err = x.src.ca(); err != nil {
			return err
		}
	}
	if st.ProgramKey == "" || st.TenantKey == "" {
		return errors.New("no API keys")
	}
	e.ProgramKey, e.TenantKey = st.ProgramKey, st.TenantKey
	if e.Intermediate.Cert.CheckSignatureFrom(e.trustedCA().Cert) != nil {
		// A state made for the other environment: make this one's issuer.
		e.Intermediate, err = e.trustedCA().newIntermediate(intermediateName(e.Environment), e.now())
	}
	return err
}

func (s savedCA) ca() (*CA, error) {
	cert, err := x509.ParseCertificate(s.Cert)
	if err != nil {
		return nil, err
	}
	k, err := x509.ParsePKCS8PrivateKey(s.Key)
	if err != nil {
		return nil, err
	}
	signer, ok := k.(crypto.Signer)
	if !ok || !csr.KeyMatches(cert.PublicKey, signer) {
		return nil, errors.New("a CA key does not match its certificate")
	}
	return &CA{Cert: cert, Key: signer}, nil
}
