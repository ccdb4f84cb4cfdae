package emulator

import (
	"io/fs"
	"path/filepath"

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
// the API keys into dir. Keys and API keys get mode 0600; nothing existing
// is replaced unless force.
func (e *Emulator) WriteDir(dir string, force bool) (Files, error) {
	f := Files{
		Dir:          dir,
		CA:           filepath.Join(dir, "ca.pem"),
		Cert:         filepath.Join(dir, "client.pem"),
		Key:          filepath.Join(dir, "client.key"),
		APIKey:       filepath.Join(dir, "api-key"),
		TenantAPIKey: filepath.Join(dir, "tenant-api-key"),
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
		if err := csr.WriteFile(w.path, w.data, w.mode, force); err != nil {
			return f, err
		}
	}
	return f, nil
}

// CheckArgs is the `axysdoctor check` command line (without the program
// name) that diagnoses this emulator with files f.
func (e *Emulator) CheckArgs(f Files) []string {
	args := []string{"check"}
	if e.Environment == "production" {
		args = append(args, "--env", "production")
	}
	return append(args,
		"--base-url", e.BaseURL,
		"--ca-file", f.CA,
		"--cert", f.Cert,
		"--key", f.Key,
		"--api-key-file", f.APIKey,
		"--resolver", e.DNSAddr,
		"--egress-server", e.DNSAddr,
	)
}
