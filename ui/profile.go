package ui

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"

	"github.com/axysdoctor/axysdoctor/checks"
	"github.com/axysdoctor/axysdoctor/config"
)

// Config is the wizard's side of the config file: the profiles a session
// may start from and where "save as profile" writes. Package main loads
// the file before the wizard starts; the zero value (the demo, or no
// config directory) offers neither.
type Config struct {
	// Path is the config file (config.Path); "" turns profiles off.
	Path string
	// Profiles are the file's profiles as loaded, in file order.
	Profiles []config.Profile
	// Start is the profile named with --profile: the welcome selects it.
	Start string
	// Getenv reads the variables a profile names (its API key, its
	// passwords), in commands.
	Getenv func(string) string
	// WorkDir is where relative paths typed in the wizard are taken from:
	// a saved profile holds them absolute, since its own relative paths
	// are taken from the config file's directory.
	WorkDir string
}

// fromProfile is the profile a session started from, as readProfileCmd
// read it.
type fromProfile struct {
	profile config.Profile
	// opts are its options, without the API key (the journey's keyOffer
	// holds that).
	opts checks.Options
}

// credentials are the certificate and key paths the profile offers to
// the load step: a PKCS#12 file is both.
func (f fromProfile) credentials() (cert, key string) {
	if p := f.profile; p.P12 != "" {
		return p.P12, p.P12
	}
	return f.profile.Cert, f.profile.Key
}

// keySource is where an API key comes from: an environment variable, a
// file, or neither (typed into the wizard, or the demo's), with a label
// for the screen.
type keySource struct {
	env, file string
	label     string // when neither: "the emulator"
}

func (s keySource) String() string {
	switch {
	case s.file != "":
		return "file " + s.file
	case s.env != "":
		return "$" + s.env
	}
	return s.label
}

// sourceFrom reads a Backend's APIKeySource, "$NAME" for a variable.
func sourceFrom(label string) keySource {
	if name, ok := strings.CutPrefix(label, "$"); ok {
		return keySource{env: name}
	}
	return keySource{label: label}
}

// keyOffer is the API key the API-key step offers, and where it comes
// from; problem says why a profile's source gave none.
type keyOffer struct {
	key     checks.APIKey
	source  keySource
	problem string
}

// settingsOf are a profile's Advanced settings, its base URL among them
// when it is not its environment's documented one.
func settingsOf(o checks.Options) settings {
	s := settingsFrom(o)
	if doc, err := checks.ResolveEnvironment(o.Environment.Name, ""); err != nil || doc.BaseURL != o.Environment.BaseURL {
		s.BaseURL = o.Environment.BaseURL
	}
	return s
}

// describeProfile is a profile's line in a list: its environment and
// base URL.
func describeProfile(p config.Profile) string {
	env, err := checks.ResolveEnvironment(p.Env, p.BaseURL)
	if err != nil { // validated when the file was loaded
		return p.Env
	}
	return env.Name + " · " + env.BaseURL
}

// profileToSave is what "save as profile" writes for the last run: its
// options with every path absolute (taken from workDir), where the API
// key comes from (src, never the key), and what the starting profile held
// that a run does not show: its password variables, when the files are
// the same, and strict.
func (j journey) profileToSave(name string, base checks.Options, workDir string, src keySource) config.Profile {
	abs := func(p string) string {
		if p == "" || filepath.IsAbs(p) {
			return p
		}
		return filepath.Join(workDir, p)
	}
	o := j.options(base)
	o.CertPath, o.KeyPath, o.CAFile = abs(o.CertPath), abs(o.KeyPath), abs(o.CAFile)
	if j.creds.fromP12() {
		o.P12Path, o.CertPath, o.KeyPath = o.CertPath, "", ""
	}
	p := config.FromOptions(name, o)
	p.APIKeyEnv, p.APIKeyFile = src.env, abs(src.file)
	if from := j.profile; from != nil {
		sp := from.profile
		p.Strict = sp.Strict
		if p.Key != "" && p.Key == sp.Key {
			p.KeyPasswordEnv = sp.KeyPasswordEnv
		}
		if p.P12 != "" && p.P12 == sp.P12 {
			p.P12PasswordEnv = sp.P12PasswordEnv
		}
	}
	return p
}

// fromP12 reports whether the credentials under test are one PKCS#12
// file, which a profile names with p12.
func (l loaded) fromP12() bool {
	m := l.material
	if m == nil {
		return false
	}
	return m.FromP12 || (l.certPath == l.keyPath && m.CertFile != nil && m.CertFile.Container == "PKCS#12")
}

// normalizeProfile is p with every value in the form the config package
// loads it, so that it compares with a loaded profile; a value the file
// would refuse is an error now, before anything is written.
func normalizeProfile(p config.Profile) (config.Profile, error) {
	q := config.Profile{Name: p.Name}
	for _, f := range p.Flags() {
		if err := q.Set(f.Name, f.Value); err != nil {
			return q, err
		}
	}
	return q, nil
}

// change is one key whose value a save would change.
type change struct{ key, was, now string }

// changes lists the keys whose values differ between the profile in the
// file (was) and the one to save (now), in the order of config.Keys.
func changes(was, now config.Profile) []change {
	values := func(p config.Profile) map[string][]string {
		m := map[string][]string{}
		for _, f := range p.Flags() {
			m[f.Name] = append(m[f.Name], f.Value)
		}
		return m
	}
	vw, vn := values(was), values(now)
	var out []change
	for _, k := range config.Keys() {
		if !slices.Equal(vw[k], vn[k]) {
			out = append(out, change{k, strings.Join(vw[k], ", "), strings.Join(vn[k], ", ")})
		}
	}
	return out
}

// withProfile is list with p added, or in place of the profile of the
// same name.
func withProfile(list []config.Profile, p config.Profile) []config.Profile {
	out := slices.Clone(list)
	if i := slices.IndexFunc(out, func(q config.Profile) bool { return q.Name == p.Name }); i >= 0 {
		out[i] = p
		return out
	}
	return append(out, p)
}

// validateProfileName is the name's check, as the config file makes it.
func validateProfileName(s string) error {
	if !config.ValidName(strings.TrimSpace(s)) {
		return fmt.Errorf("%q cannot name a profile: use letters, digits, - and _, such as staging", s)
	}
	return nil
}
