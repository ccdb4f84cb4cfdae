package checks

import (
	"crypto"
	"crypto/x509"
	"time"

	"github.com/axysdoctor/axysdoctor/csr"
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
}

// Passwords supplies the key and PKCS#12 passwords when a file needs one.
type Passwords struct {
	Key csr.PasswordFunc
	P12 csr.PasswordFunc
}

// LoadMaterial reads the certificate and key named in opts. Errors are
// *csr.ReadError (missing file, wrong password, unrecognizable content).
func LoadMaterial(opts Options, pw Passwords, now time.Time) (*Material, error) {
	m := &Material{CertPath: opts.CertPath, KeyPath: opts.KeyPath}
	if opts.P12Path != "" {
		f, err := csr.ReadFile(opts.P12Path, pw.P12)
		if err != nil {
			return nil, err
		}
		m.CertFile, m.KeyFile, m.FromP12 = f, f, true
		m.CertPath, m.KeyPath = opts.P12Path, opts.P12Path
	}
	if opts.CertPath != "" {
		f, err := csr.ReadFile(opts.CertPath, pw.Key)
		if err != nil {
			return nil, err
		}
		m.CertFile = f
	}
	if opts.KeyPath != "" {
		if opts.CertPath != "" && opts.KeyPath == opts.CertPath {
			m.KeyFile = m.CertFile
		} else {
			f, err := csr.ReadFile(opts.KeyPath, pw.Key)
			if err != nil {
				return nil, err
			}
			m.KeyFile = f
		}
	}
	if m.KeyFile == nil && m.CertFile != nil && m.CertFile.Has(csr.KindPrivateKey) {
		m.KeyFile, m.KeyPath = m.CertFile, m.CertPath // a combined PEM
	}
	m.resolve(now)
	return m, nil
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
