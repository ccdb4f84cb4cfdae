package ui

import (
	"net/netip"
	"slices"
	"strings"
	"time"

	"github.com/axysdoctor/axysdoctor/checks"
	"github.com/axysdoctor/axysdoctor/csr"
)

// journey is what the wizard has learned so far. Steps read it; only the
// root writes it, when a step hands off (handoff.go), so the flow of data
// between steps is in one file.
type journey struct {
	mode     mode
	env      checks.Environment // as chosen; settings.BaseURL may override it
	settings settings
	// created is the key and CSR this session made, for the form's offer
	// to keep them and for what is printed on leaving.
	created *created
	creds   loaded // the certificate and key under test
	apiKey  checks.APIKey
	report  checks.Report
	saved   string // where the report was saved
}

// created is a key and CSR the wizard wrote.
type created struct {
	request          csr.Request // what the form held
	keyPath, csrPath string
	csrPEM           []byte
	fingerprint      string // csr.Fingerprint of the CSR
	subject          string
	sans             []string
	notes            []string
}

// settings are the Advanced panel's values: everything `check` takes as a
// flag that the other steps do not ask for, so that any fix naming a flag
// names something the wizard can set.
type settings struct {
	BaseURL       string // "" means the environment's
	CAFile        string
	Resolver      string
	EgressServers []string
	EgressURLs    []string
	EgressIPs     []netip.Addr
	Proxy         string // "", checks.ProxyDirect or a URL (checks.ParseProxy)
	Timeout       time.Duration
}

// settingsFrom reads the settings a backend starts with.
func settingsFrom(o checks.Options) settings {
	return settings{
		CAFile: o.CAFile, Resolver: o.Resolver, Proxy: o.Proxy, Timeout: o.Timeout,
		EgressServers: slices.Clone(o.EgressServers), EgressURLs: slices.Clone(o.EgressURLs), EgressIPs: slices.Clone(o.EgressIPs),
	}
}

func (s settings) apply(o checks.Options) checks.Options {
	o.CAFile, o.Resolver, o.Proxy, o.Timeout = s.CAFile, s.Resolver, s.Proxy, s.Timeout
	o.EgressServers, o.EgressURLs, o.EgressIPs = slices.Clone(s.EgressServers), slices.Clone(s.EgressURLs), slices.Clone(s.EgressIPs)
	return o
}

// environment is the chosen environment with the Advanced base URL, if
// any, applied.
func (j journey) environment() checks.Environment {
	env, err := withBaseURL(j.env, j.settings.BaseURL)
	if err != nil { // validated when it was set
		return j.env
	}
	return env
}

// withBaseURL overrides env's base URL as `check --base-url` does. The
// demo's environment has its own name, which the engine does not know:
// it plays staging.
func withBaseURL(env checks.Environment, baseURL string) (checks.Environment, error) {
	if strings.TrimSpace(baseURL) == "" {
		return env, nil
	}
	name := env.Name
	if !slices.Contains(checks.EnvironmentNames, name) {
		name = "staging"
	}
	out, err := checks.ResolveEnvironment(name, strings.TrimSpace(baseURL))
	if err != nil {
		return env, err
	}
	out.Name = env.Name
	return out, nil
}

// options are the engine's options for a diagnosis of what the journey
// holds, on top of the backend's.
func (j journey) options(base checks.Options) checks.Options {
	o := j.settings.apply(base)
	o.Environment = j.environment()
	o.CertPath, o.KeyPath = j.creds.certPath, j.creds.keyPath
	o.APIKey = j.apiKey
	o.UserAgent = "axysdoctor-wizard"
	return o
}
