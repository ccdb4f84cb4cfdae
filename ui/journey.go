package ui

import (
	"net/netip"
	"slices"
	"strings"
	"time"

	"github.com/axysdoctor/axysdoctor/checks"
	"github.com/axysdoctor/axysdoctor/config"
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
	// keyTyped: apiKey was typed into the wizard, not taken from keyOffer.
	keyTyped bool
	report   checks.Report
	saved    string // where the report was saved

	// profiles are the config file's, as loaded and as saved since.
	profiles []config.Profile
	// profile is the one this session started from, if any: it sets the
	// environment, the settings, the credentials and keyOffer.
	profile *fromProfile
	// keyOffer is the API key the API-key step offers.
	keyOffer keyOffer
	// defaults are the settings and key offer of the backend, which
	// choosing a mode instead of a profile returns to.
	defaults struct {
		settings settings
		keyOffer keyOffer
	}
	// savedProfile is the profile saved in this session, and where.
	savedProfile, savedProfilePath string
}

// modeTitle names what the session is doing, for the header.
func (j journey) modeTitle() string {
	if j.profile != nil {
		return "Profile " + j.profile.profile.Name
	}
	return j.mode.String()
}

// offeredCredentials are the certificate and key the load step offers:
// the starting profile's, else what the backend has in place.
func (j journey) offeredCredentials(b Backend) (cert, key string) {
	if j.profile != nil {
		return j.profile.credentials()
	}
	return b.CertPath, b.KeyPath
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
	if j.profile != nil { // what no step asks for
		base.ExpectTenant, base.ExpectProgram = j.profile.opts.ExpectTenant, j.profile.opts.ExpectProgram
	}
	o := j.settings.apply(base)
	o.Environment = j.environment()
	o.CertPath, o.KeyPath = j.creds.certPath, j.creds.keyPath
	o.APIKey = j.apiKey
	o.UserAgent = "axysdoctor-wizard"
	return o
}
