package checks

import (
	"crypto"
	"crypto/x509"
	"fmt"
	"time"

	"github.com/axysdoctor/axysdoctor/csr"
	"github.com/axysdoctor/axysdoctor/internal/shell"
)

// Material is the certificate and key as read from disk, before any check
// judges them. Reading fails (exit 2) only when a file cannot be read or
// decrypted; a readable file holding the wrong thing is a finding.
type Material struct {
	CertFile *csr.File
	KeyFile  *csr.File
	CertPath string
	KeyPath  string
	FromP12  bool

	Leaf  *x509.Certificate
	Chain csr.Chain
	Key   crypto.PrivateKey
	// KeyFormat describes how the key was stored ("PKCS#8", "encrypted PKCS#8"…).
	KeyFormat string
	// CertProblem and KeyProblem say, in plain words, why a file given as
	// the certificate or the key is not one.
	CertProblem string
	KeyProblem  string
	// ServerCAs are the certificates of --ca-file (Options.CAFile), extra
	// roots for the gateway's server certificate; nil without one.
	ServerCAs []*x509.Certificate
}

// Passwords supplies the key and PKCS#12 passwords when a file needs one.
type Passwords struct {
	Key csr.PasswordFunc
	P12 csr.PasswordFunc
}

// LoadMaterial reads the certificate, the key and the --ca-file named in
// opts, all against one key-derivation budget. Errors are (or wrap)
// *csr.ReadError: a missing, special, oversized or unreadable file, a wrong
// password, unrecognizable content, or a --ca-file without a PEM
// certificate.
func LoadMaterial(opts Options, pw Passwords, now time.Time) (*Material, error) {
	budget := csr.NewBudget()
	read := func(path string, pw csr.PasswordFunc) (*csr.File, error) {
		return csr.ReadFileWithin(path, pw, budget)
	}
	m := &Material{CertPath: opts.CertPath, KeyPath: opts.KeyPath}
	if opts.P12Path != "" {
		f, err := read(opts.P12Path, pw.P12)
		if err != nil {
			return nil, err
		}
		m.CertFile, m.KeyFile, m.FromP12 = f, f, true
		m.CertPath, m.KeyPath = opts.P12Path, opts.P12Path
	}
	if opts.CertPath != "" {
		f, err := read(opts.CertPath, pw.Key)
		if err != nil {
			return nil, err
		}
		m.CertFile = f
	}
	if opts.KeyPath != "" {
		if opts.CertPath != "" && opts.KeyPath == opts.CertPath {
			m.KeyFile = m.CertFile
		} else {
			f, err := read(opts.KeyPath, pw.Key)
			if err != nil {
				return nil, err
			}
			m.KeyFile = f
		}
	}
	if m.KeyFile == nil && m.CertFile != nil && m.CertFile.Has(csr.KindPrivateKey) {
		m.KeyFile, m.KeyPath = m.CertFile, m.CertPath // a combined PEM
	}
	if opts.CAFile != "" {
		cas, err := loadServerCAs(opts.CAFile, budget)
		if err != nil {
			return nil, fmt.Errorf("--ca-file %w", err)
		}
		m.ServerCAs = cas
	}
	m.resolve(now)
	return m, nil
}

// loadServerCAs reads a --ca-file: PEM holding at least one certificate.
// Anything else is an input error now rather than a TLS failure later.
func loadServerCAs(path string, budget *csr.Budget) ([]*x509.Certificate, error) {
	f, err := csr.ReadFileWithin(path, nil, budget)
	if err != nil {
		return nil, err
	}
	fail := func(format string, args ...any) error {
		return &csr.ReadError{Path: path, Err: fmt.Errorf(format, args...)}
	}
	cas := f.Certificates()
	switch {
	case f.Container != "PEM":
		return nil, fail("is %s, not PEM: convert it with `openssl x509 -inform der -in %s -out ca.pem`", f.Container, shell.Quote(path))
	case len(cas) == 0 && len(f.Problems()) > 0:
		return nil, fail("holds no usable CA certificate: %s", f.Problems()[0])
	case len(cas) == 0:
		return nil, fail("holds no CA certificate (it has %s)", f.Contents())
	}
	return cas, nil
}

// resolve picks the key and the leaf and analyses the chain.
func (m *Material) resolve(now time.Time) {
	if m.KeyFile != nil {
		m.KeyProblem = m.KeyFile.MisuseAsKey()
		if m.KeyProblem == "" {
			items := m.KeyFile.KeyItems()
			m.Key, m.KeyFormat = items[0].Key, items[0].Format
		}
	}
	if m.CertFile != nil {
		m.CertProblem = m.CertFile.MisuseAsCertificate()
		if m.CertProblem == "" {
			m.Chain = csr.AnalyzeChain(m.CertFile.Certificates(), m.Key, now)
			m.Leaf = m.Chain.Leaf
		}
	}
}

// HasCert reports whether a certificate input was given at all.
func (m *Material) HasCert() bool { return m != nil && m.CertFile != nil }

// HasKey reports whether a key input was given at all.
func (m *Material) HasKey() bool { return m != nil && m.KeyFile != nil }
