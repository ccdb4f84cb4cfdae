package config

import (
	"errors"
	"fmt"
	"net/netip"
	"os"
	"strings"

	"github.com/axysdoctor/axysdoctor/checks"
	"github.com/axysdoctor/axysdoctor/csr"
)

// DefaultAPIKeyEnv is where the API key is looked for when a profile names
// neither a variable nor a file (check's --api-key-env default).
const DefaultAPIKeyEnv = "AXYS_API_KEY"

// maxAPIKeyFile bounds what is read from api-key-file: keys are short.
const maxAPIKeyFile = 64 << 10

// Options turns the profile into the engine's options, as `check` turns its
// flags: the environment and base URL, paths, resolver, egress, expectations,
// timeout, proxy, and the API key read from where the profile says (the
// variable getenv returns, or the file). An unset variable gives no key, as
// with check. UserAgent is left to the caller.
func (p Profile) Options(getenv func(string) string) (checks.Options, error) {
	env, err := checks.ResolveEnvironment(p.Env, p.BaseURL)
	if err != nil {
		return checks.Options{}, err
	}
	o := checks.Options{
		Environment: env,
		CertPath:    p.Cert, KeyPath: p.Key, P12Path: p.P12,
		CAFile:   p.CAFile,
		Resolver: p.Resolver, EgressServers: p.EgressServers, EgressURLs: p.EgressURLs,
		ExpectTenant: p.ExpectTenant, ExpectProgram: p.ExpectProgram,
		Timeout: p.Timeout, Proxy: p.Proxy,
	}
	if o.Timeout == 0 {
		o.Timeout = checks.DefaultTimeout
	}
	for _, s := range p.EgressIPs {
		a, err := netip.ParseAddr(s)
		if err != nil {
			return o, fmt.Errorf("egress-ip %q is not an IP address", s)
		}
		o.EgressIPs = append(o.EgressIPs, a.Unmap())
	}
	if o.APIKey, err = p.ReadAPIKey(getenv); err != nil {
		return o, err
	}
	return o, nil
}

// APIKeySource says where the key comes from, for the screen: "$NAME" or
// "file PATH".
func (p Profile) APIKeySource() string {
	if p.APIKeyFile != "" {
		return "file " + p.APIKeyFile
	}
	if p.APIKeyEnv != "" {
		return "$" + p.APIKeyEnv
	}
	return "$" + DefaultAPIKeyEnv
}

// ReadAPIKey reads the key from api-key-file, else from the variable
// api-key-env names (default AXYS_API_KEY). Only the file's first line
// counts, as with check.
func (p Profile) ReadAPIKey(getenv func(string) string) (checks.APIKey, error) {
	if p.APIKeyFile == "-" {
		return checks.APIKey{}, errors.New(`api-key-file "-" reads the key from stdin, which only the command line can do`)
	}
	if p.APIKeyFile == "" {
		name := p.APIKeyEnv
		if name == "" {
			name = DefaultAPIKeyEnv
		}
		return checks.NewAPIKey(getenv(name)), nil
	}
	b, err := csr.ReadRegular(p.APIKeyFile, maxAPIKeyFile)
	if err != nil {
		if errors.Is(err, csr.ErrTooLarge) {
			return checks.APIKey{}, fmt.Errorf("api-key-file %s is larger than %d KB: not an API key", p.APIKeyFile, maxAPIKeyFile>>10)
		}
		return checks.APIKey{}, fmt.Errorf("api-key-file %v", err)
	}
	line, _, _ := strings.Cut(strings.TrimPrefix(string(b), "\uFEFF"), "\n")
	key := checks.NewAPIKey(line)
	if key.Empty() {
		return key, fmt.Errorf("api-key-file %s is empty", p.APIKeyFile)
	}
	return key, nil
}

// Passwords reads the key and PKCS#12 passwords from the variables the
// profile names. Without a variable, or with an empty one, reading an
// encrypted file fails with csr.ErrPasswordNeeded, and the caller may ask
// the user instead.
func (p Profile) Passwords(getenv func(string) string) checks.Passwords {
	from := func(name string) csr.PasswordFunc {
		return func() ([]byte, error) {
			if name == "" {
				return nil, csr.ErrPasswordNeeded
			}
			if v := getenv(name); v != "" {
				return []byte(v), nil
			}
			return nil, fmt.Errorf("%w: $%s is empty", csr.ErrPasswordNeeded, name)
		}
	}
	return checks.Passwords{Key: from(p.KeyPasswordEnv), P12: from(p.P12PasswordEnv)}
}

// FileRef is a file a profile points at, and what is wrong with it.
type FileRef struct {
	Key, Path string
	// Problem is "" when the file is there, else "missing", "not a regular
	// file" or the error met.
	Problem string
}

// Files lists the files the profile references, each checked on disk.
func (p Profile) Files() []FileRef {
	var out []FileRef
	for _, f := range fields {
		if !f.path {
			continue
		}
		path := *f.text(&p)
		if path == "" || path == "-" {
			continue
		}
		ref := FileRef{Key: f.name, Path: path}
		switch st, err := os.Stat(path); {
		case errors.Is(err, os.ErrNotExist):
			ref.Problem = "missing"
		case err != nil:
			ref.Problem = err.Error()
		case !st.Mode().IsRegular():
			ref.Problem = "not a regular file"
		}
		out = append(out, ref)
	}
	return out
}

// FromOptions is the profile that reproduces o, for saving what the wizard
// ran as a profile. It cannot know where the API key came from: set
// APIKeyEnv or APIKeyFile on the result (never the key). Values equal to
// check's defaults are left out, so the saved profile stays short.
func FromOptions(name string, o checks.Options) Profile {
	p := Profile{
		Name: name,
		Cert: o.CertPath, Key: o.KeyPath, P12: o.P12Path, CAFile: o.CAFile,
		Resolver: o.Resolver, EgressServers: o.EgressServers, EgressURLs: o.EgressURLs,
		ExpectTenant: o.ExpectTenant, ExpectProgram: o.ExpectProgram,
		Proxy: o.Proxy,
	}
	if o.Timeout != checks.DefaultTimeout {
		p.Timeout = o.Timeout
	}
	for _, a := range o.EgressIPs {
		p.EgressIPs = append(p.EgressIPs, a.String())
	}
	p.Env = o.Environment.Name
	documented, err := checks.ResolveEnvironment(p.Env, "")
	switch {
	case err != nil: // such as the demo's "emulator": keep only the URL
		p.Env = ""
		p.BaseURL = o.Environment.BaseURL
	case documented.BaseURL != o.Environment.BaseURL:
		p.BaseURL = o.Environment.BaseURL
	}
	return p
}
