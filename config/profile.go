package config

import (
	"fmt"
	"net"
	"net/netip"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/axysdoctor/axysdoctor/checks"
)

// Profile is a named set of check flags. Paths are absolute once loaded
// (relative ones in the file are taken from the config file's directory);
// the API key is never here, only the name of the environment variable or
// the path of the file that holds it.
type Profile struct {
	Name string

	Env            string // staging, sandbox or production
	BaseURL        string
	Cert, Key, P12 string
	KeyPasswordEnv string
	P12PasswordEnv string
	APIKeyEnv      string // default AXYS_API_KEY
	APIKeyFile     string
	CAFile         string
	Resolver       string   // HOST:PORT
	EgressServers  []string // HOST:PORT
	EgressURLs     []string // https who-am-I services, asked through the proxy
	EgressIPs      []string
	ExpectTenant   string
	ExpectProgram  string
	Timeout        time.Duration
	Proxy          string // a proxy URL or "direct"
	Strict         bool
}

// Flag is one check flag and its value, as a profile sets it.
type Flag struct{ Name, Value string }

// field is one key of a profile: the check flag of the same name, where
// its value lives in Profile, and how a value is checked. It is the one
// list of keys: loading, saving, listing and the CLI all read it.
type field struct {
	name string
	// path values are resolved against the config file's directory.
	path bool
	// Exactly one of these points into the profile.
	text    func(*Profile) *string
	list    func(*Profile) *[]string
	dur     func(*Profile) *time.Duration
	boolean func(*Profile) *bool
	// norm checks one value and returns it in its canonical form.
	norm func(string) (string, error)
}

var fields = []field{
	{name: "env", text: func(p *Profile) *string { return &p.Env }, norm: normEnv},
	{name: "base-url", text: func(p *Profile) *string { return &p.BaseURL }, norm: normBaseURL},
	{name: "cert", path: true, text: func(p *Profile) *string { return &p.Cert }},
	{name: "key", path: true, text: func(p *Profile) *string { return &p.Key }},
	{name: "p12", path: true, text: func(p *Profile) *string { return &p.P12 }},
	{name: "key-password-env", text: func(p *Profile) *string { return &p.KeyPasswordEnv }, norm: normEnvName},
	{name: "p12-password-env", text: func(p *Profile) *string { return &p.P12PasswordEnv }, norm: normEnvName},
	{name: "api-key-env", text: func(p *Profile) *string { return &p.APIKeyEnv }, norm: normAPIKeyEnv},
	{name: "api-key-file", path: true, text: func(p *Profile) *string { return &p.APIKeyFile }},
	{name: "ca-file", path: true, text: func(p *Profile) *string { return &p.CAFile }},
	{name: "resolver", text: func(p *Profile) *string { return &p.Resolver }, norm: normHostPort},
	{name: "egress-server", list: func(p *Profile) *[]string { return &p.EgressServers }, norm: normHostPort},
	{name: "egress-url", list: func(p *Profile) *[]string { return &p.EgressURLs }, norm: normHTTPSURL},
	{name: "egress-ip", list: func(p *Profile) *[]string { return &p.EgressIPs }, norm: normIP},
	{name: "expect-tenant", text: func(p *Profile) *string { return &p.ExpectTenant }},
	{name: "expect-program", text: func(p *Profile) *string { return &p.ExpectProgram }},
	{name: "timeout", dur: func(p *Profile) *time.Duration { return &p.Timeout }},
	{name: "proxy", text: func(p *Profile) *string { return &p.Proxy }, norm: normProxy},
	{name: "strict", boolean: func(p *Profile) *bool { return &p.Strict }},
}

// Keys lists every key a profile may hold, in the order of check's flags.
func Keys() []string {
	names := make([]string, len(fields))
	for i, f := range fields {
		names[i] = f.name
	}
	return names
}

func lookupField(name string) (field, bool) {
	i := slices.IndexFunc(fields, func(f field) bool { return f.name == name })
	if i < 0 {
		return field{}, false
	}
	return fields[i], true
}

// values are the field's values as flag values, empty when unset.
func (f field) values(p *Profile) []string {
	switch {
	case f.text != nil:
		if v := *f.text(p); v != "" {
			return []string{v}
		}
	case f.list != nil:
		return slices.Clone(*f.list(p))
	case f.dur != nil:
		if d := *f.dur(p); d != 0 {
			return []string{d.String()}
		}
	case f.boolean != nil:
		if *f.boolean(p) {
			return []string{"true"}
		}
	}
	return nil
}

// set parses one value as the flag would, appending to lists.
func (f field) set(p *Profile, v string) error {
	v = strings.TrimSpace(v)
	if v == "" {
		return fmt.Errorf("%s is empty", f.name)
	}
	switch {
	case f.dur != nil:
		d, err := time.ParseDuration(v)
		if err != nil || d <= 0 {
			return fmt.Errorf("%s %q is not a positive duration such as 5s", f.name, v)
		}
		*f.dur(p) = d
		return nil
	case f.boolean != nil:
		b, err := strconv.ParseBool(v)
		if err != nil {
			return fmt.Errorf("%s %q is not true or false", f.name, v)
		}
		*f.boolean(p) = b
		return nil
	}
	if f.norm != nil {
		n, err := f.norm(v)
		if err != nil {
			return fmt.Errorf("%s: %w", f.name, err)
		}
		v = n
	}
	if f.list != nil {
		*f.list(p) = append(*f.list(p), v)
	} else {
		*f.text(p) = v
	}
	return nil
}

// Set gives the profile key name (a check flag's name) the value v, as the
// flag would: a repeatable key gains one more value. It refuses what a
// profile must never hold, such as the API key itself.
func (p *Profile) Set(name, v string) error {
	if refusal := refuseKey(name); refusal != "" {
		return fmt.Errorf("%s", refusal)
	}
	f, ok := lookupField(name)
	if !ok {
		return unknownKey(name)
	}
	return f.set(p, v)
}

// Flags lists the profile's values as check flags, in the order of Keys;
// a repeatable flag appears once per value.
func (p Profile) Flags() []Flag {
	var out []Flag
	for _, f := range fields {
		for _, v := range f.values(&p) {
			out = append(out, Flag{f.name, v})
		}
	}
	return out
}

// validate checks what concerns several keys at once, as check does.
func (p Profile) validate() error {
	switch {
	case p.P12 != "" && (p.Cert != "" || p.Key != ""):
		return fmt.Errorf("give either p12 or cert and key, not both")
	case p.Key != "" && p.Cert == "":
		return fmt.Errorf("key needs cert (the certificate it belongs to)")
	case p.BaseURL != "":
		if _, err := checks.ResolveEnvironment(p.Env, p.BaseURL); err != nil {
			return err
		}
	}
	return nil
}

func unknownKey(name string) error {
	return fmt.Errorf("unknown key %q: a profile holds check's flags (%s)", name, strings.Join(Keys(), ", "))
}

func normEnv(v string) (string, error) {
	v = strings.ToLower(v)
	if !slices.Contains(checks.EnvironmentNames, v) {
		return "", fmt.Errorf("unknown environment %q: use %s", v, strings.Join(checks.EnvironmentNames, ", "))
	}
	return v, nil
}

func normBaseURL(v string) (string, error) {
	env, err := checks.ResolveEnvironment("staging", v)
	if err != nil {
		return "", err
	}
	return env.BaseURL, nil
}

var envName = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

func normEnvName(v string) (string, error) {
	if !envName.MatchString(v) {
		// The value is not echoed: it may be the secret itself.
		return "", fmt.Errorf("this is not the name of an environment variable (letters, digits and _)")
	}
	return v, nil
}

// normAPIKeyEnv also catches the key pasted where its variable's name goes:
// variable names are conventionally upper case, generated keys are long
// runs of lower-case letters and digits.
func normAPIKeyEnv(v string) (string, error) {
	if _, err := normEnvName(v); err != nil {
		return "", fmt.Errorf("this is not the name of an environment variable: %s", whereTheKeyLives)
	}
	if len(v) >= 20 && strings.ToUpper(v) != v && strings.ContainsAny(v, "0123456789") {
		return "", fmt.Errorf("this looks like an API key, not the name of the variable holding it: %s", whereTheKeyLives)
	}
	return v, nil
}

// normHostPort accepts HOST:PORT, or an address without a port (port 53),
// as check's --resolver and --egress-server do.
func normHostPort(v string) (string, error) {
	if host, port, err := net.SplitHostPort(v); err == nil {
		if host == "" || port == "" {
			return "", fmt.Errorf("%q: give HOST:PORT, such as 127.0.0.1:53", v)
		}
		return v, nil
	}
	bare := strings.Trim(v, "[]")
	if _, err := netip.ParseAddr(bare); err == nil || !strings.Contains(v, ":") {
		return net.JoinHostPort(bare, "53"), nil
	}
	return "", fmt.Errorf("%q: give HOST:PORT, such as 127.0.0.1:53", v)
}

func normHTTPSURL(v string) (string, error) {
	u, err := url.Parse(v)
	if err != nil || u.Scheme != "https" || u.Host == "" {
		return "", fmt.Errorf("%q: give an https URL, such as https://checkip.amazonaws.com/", v)
	}
	return u.String(), nil
}

func normIP(v string) (string, error) {
	a, err := netip.ParseAddr(v)
	if err != nil {
		return "", fmt.Errorf("%q is not an IP address", v)
	}
	return a.Unmap().String(), nil
}

func normProxy(v string) (string, error) {
	return checks.ParseProxy(v)
}
