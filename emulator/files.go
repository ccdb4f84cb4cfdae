package emulator

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/axysdoctor/axysdoctor/csr"
)

// Files are the paths WriteDir wrote.
type Files struct {
	Dir          string
	CA           string // the gateway's server CA, for --ca-file
	Cert         string
	Key          string
	APIKey       string
	TenantAPIKey string
}

// WriteDir writes the server CA, a ready client certificate and key, and
// the API keys into dir. Keys and API keys get mode 0600. A file already
// there is kept when it is what this emulator would write (a rerun on the
// same --dir, with its saved state), replaced when it is an earlier file of
// this emulator's that the scenario needs otherwise (an expired certificate,
// say), and otherwise left alone with an error unless force.
func (e *Emulator) WriteDir(dir string, force bool) (Files, error) {
	f := Files{
		Dir:          dir,
		CA:           filepath.Join(dir, "ca.pem"),
		Cert:         filepath.Join(dir, "client.pem"),
		Key:          filepath.Join(dir, "client.key"),
		APIKey:       filepath.Join(dir, "api-key"),
		TenantAPIKey: filepath.Join(dir, "tenant-api-key"),
	}
	if e.reusable(f) {
		return f, nil
	}
	certPEM, keyPEM, err := e.IssueClient()
	if err != nil {
		return f, err
	}
	writes := []struct {
		path string
		data []byte
		mode fs.FileMode
	}{
		{f.CA, e.ServerCA.PEM(), 0o644},
		{f.Cert, certPEM, 0o644},
		{f.Key, keyPEM, 0o600},
		{f.APIKey, []byte(e.APIKey() + "\n"), 0o600},
		{f.TenantAPIKey, []byte(e.TenantKey + "\n"), 0o600},
	}
	for _, w := range writes {
		old, err := os.ReadFile(w.path)
		switch {
		case err != nil:
			err = csr.WriteFile(w.path, w.data, w.mode, force)
		case bytes.Equal(old, w.data):
			continue
		case force || e.ours(w.path, old):
			err = csr.WriteFile(w.path, w.data, w.mode, true)
		default:
			err = fmt.Errorf("%s exists and was not written by this emulator (a different CA or key): use another --dir, or --force to replace it", w.path)
		}
		if err != nil {
			return f, err
		}
	}
	return f, nil
}

// reusable: every file in f is what this emulator, in this scenario, would
// write — the same CA and keys, and a client certificate from the issuer
// the scenario uses, expired exactly when it should be.
func (e *Emulator) reusable(f Files) bool {
	ca, err1 := os.ReadFile(f.CA)
	apiKey, err2 := os.ReadFile(f.APIKey)
	tenant, err3 := os.ReadFile(f.TenantAPIKey)
	if err1 != nil || err2 != nil || err3 != nil || !bytes.Equal(ca, e.ServerCA.PEM()) ||
		string(apiKey) != e.APIKey()+"\n" || string(tenant) != e.TenantKey+"\n" {
		return false
	}
	cert, err := csr.ReadFile(f.Cert, nil)
	if err != nil || len(cert.Certificates()) != 1 {
		return false
	}
	key, err := csr.ReadFile(f.Key, nil)
	if err != nil || len(key.Keys()) != 1 {
		return false
	}
	leaf := cert.Certificates()[0]
	if !csr.KeyMatches(leaf.PublicKey, key.Keys()[0]) || leaf.CheckSignatureFrom(e.issuer().Cert) != nil {
		return false
	}
	expired := e.now().After(leaf.NotAfter)
	return expired == e.fault().expiredCert
}

// ours: old is a file an earlier run of this emulator wrote — a
// certificate from one of its CAs, its key, or an API key of its.
func (e *Emulator) ours(path string, old []byte) bool {
	s := strings.TrimSpace(string(old))
	if s == e.ProgramKey || s == e.TenantKey {
		return true
	}
	file, err := csr.Parse(old, nil)
	if err != nil {
		return false
	}
	for _, c := range file.Certificates() {
		for _, ca := range []*CA{e.Staging, e.Production, e.ServerCA, e.Intermediate} {
			if bytes.Equal(c.Raw, ca.Cert.Raw) || c.CheckSignatureFrom(ca.Cert) == nil {
				return true
			}
		}
	}
	if key, err := clientKey(); err == nil {
		for _, k := range file.Keys() {
			if csr.KeyMatches(key.Public(), k) {
				return true
			}
		}
	}
	return false
}

// issuer is the CA that signs client certificates in this scenario.
func (e *Emulator) issuer() *CA {
	switch f := e.fault(); {
	case f.otherEnvCert:
		return e.otherCA()
	case f.missingIntermediate:
		return e.Intermediate
	}
	return e.trustedCA()
}

// CheckArgs is the `axysdoctor check` command line (without the program
// name) that diagnoses this emulator with files f.
func (e *Emulator) CheckArgs(f Files) []string {
	args := []string{"check"}
	if e.Environment == "production" {
		args = append(args, "--env", "production")
	}
	args = append(args,
		"--base-url", e.BaseURL,
		"--ca-file", f.CA,
		"--cert", f.Cert,
		"--key", f.Key,
		"--api-key-file", f.APIKey,
		"--resolver", e.DNSAddr,
		"--egress-server", e.DNSAddr,
	)
	if e.Scenario().Proxy {
		args = append(args, "--proxy", e.ProxyURL, "--egress-url", e.WhoAmIURL)
	}
	return args
}
