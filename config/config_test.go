package config

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/axysdoctor/axysdoctor/checks"
)

func write(t *testing.T, dir, text string) string {
	t.Helper()
	path := filepath.Join(dir, "axysdoctor", "config.toml")
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func vars(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestPathFollowsXDG(t *testing.T) {
	cases := []struct {
		env  map[string]string
		want string
	}{
		{map[string]string{"XDG_CONFIG_HOME": "/x", "HOME": "/h"}, "/x/axysdoctor/config.toml"},
		{map[string]string{"HOME": "/h"}, "/h/.config/axysdoctor/config.toml"},
		{map[string]string{"XDG_CONFIG_HOME": "rel", "HOME": "/h"}, "/h/.config/axysdoctor/config.toml"},
	}
	for _, c := range cases {
		if got, err := Path(vars(c.env)); err != nil || got != c.want {
			t.Errorf("%v: %q %v, want %q", c.env, got, err, c.want)
		}
	}
	if _, err := Path(vars(nil)); err == nil {
		t.Error("no XDG_CONFIG_HOME and no HOME: want an error")
	}
}

const sample = `# Acme's Axys credentials
[profiles.staging]
env = "staging"
cert = "staging/client.pem"   # relative: next to this file
key = "staging/client.key"
api-key-env = "AXYS_STAGING_KEY"
egress-ip = ["203.0.113.10", "2001:db8::10"]
timeout = "2s"

# production lives on the HSM host
[profiles.production]
env = "production"
p12 = "/etc/axys/prod.p12"
p12-password-env = "PROD_P12_PW"
api-key-file = "~/secrets/prod-key"
resolver = "10.0.0.53"
strict = true
`

func TestLoadResolvesPathsAndKeepsOrder(t *testing.T) {
	home := t.TempDir()
	t.Setenv("HOME", home)
	dir := t.TempDir()
	path := write(t, dir, sample)
	f, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if got := f.Names(); !slices.Equal(got, []string{"staging", "production"}) {
		t.Errorf("names %v", got)
	}
	st, err := f.Lookup("staging")
	if err != nil {
		t.Fatal(err)
	}
	cfgDir := filepath.Dir(path)
	if st.Cert != filepath.Join(cfgDir, "staging/client.pem") || st.Key != filepath.Join(cfgDir, "staging/client.key") {
		t.Errorf("relative paths not taken from the config directory: %q %q", st.Cert, st.Key)
	}
	if st.Timeout != 2*time.Second || !slices.Equal(st.EgressIPs, []string{"203.0.113.10", "2001:db8::10"}) {
		t.Errorf("staging %+v", st)
	}
	prod, _ := f.Lookup("production")
	if prod.APIKeyFile != filepath.Join(home, "secrets/prod-key") || prod.P12 != "/etc/axys/prod.p12" {
		t.Errorf("~ or absolute path: %q %q", prod.APIKeyFile, prod.P12)
	}
	if prod.Resolver != "10.0.0.53:53" || !prod.Strict {
		t.Errorf("resolver %q strict %v", prod.Resolver, prod.Strict)
	}
	_, err = f.Lookup("prod")
	if err == nil || !strings.Contains(err.Error(), "profiles: staging, production") {
		t.Errorf("unknown profile: %v", err)
	}
}

func TestMissingFileIsNoProfiles(t *testing.T) {
	f, err := Load(filepath.Join(t.TempDir(), "nope.toml"))
	if err != nil || f.Exists || len(f.Names()) != 0 {
		t.Fatalf("%+v %v", f, err)
	}
	if _, err := f.Lookup("x"); err == nil || !strings.Contains(err.Error(), "no config file") {
		t.Errorf("lookup without a file: %v", err)
	}
}

// A broken file says where, and never echoes a secret found in it.
func TestLoadErrorsNameLineAndColumn(t *testing.T) {
	const key = "axys_prog_0123456789abcdef0123456789abcdef"
	cases := []struct {
		name, text   string
		line, column int
		want         string
	}{
		{"bad TOML", "[profiles.a]\ncert = \"a.pem\"\negress-ip = [\"1.2.3.4\",\n", 3, 24, "not valid TOML"},
		{"duplicate key", "[profiles.a]\ncert = \"a\"\ncert = \"b\"\n", 3, 1, "already defined"},
		{"API key in a profile", "[profiles.a]\ncert = \"a.pem\"\n  api-key = \"" + key + "\"\n", 3, 3, "api-key-env"},
		{"API key at the top", "X-API-Key = \"" + key + "\"\n", 1, 1, "api-key-file"},
		{"key where its variable's name goes", "[profiles.a]\napi-key-env = \"" + key + "\"\n", 2, 1, "looks like an API key"},
		{"password", "[profiles.a]\np12 = \"a.p12\"\np12_password = \"hunter2hunter2\"\n", 3, 1, "p12-password-env"},
		{"private key", "[profiles.a]\nkey = \"\"\"\n" + pemLine("BEGIN") + "\nMIIE\n" + pemLine("END") + "\"\"\"\n", 3, 1, "its own file"},
		{"unknown key", "[profiles.a]\ncert = \"a.pem\"\ncertificate = \"b.pem\"\n", 3, 1, `unknown key "certificate"`},
		{"unknown setting", "profile = \"a\"\n", 1, 1, "[profiles.NAME]"},
		{"bad duration", "[profiles.a]\ntimeout = \"soon\"\n", 2, 1, "timeout"},
		{"number for a string", "[profiles.a]\ntimeout = 5\n", 2, 1, "takes a string"},
		{"bad IP", "[profiles.a]\negress-ip = [\"300.1.1.1\"]\n", 2, 1, "not an IP address"},
		{"http base URL", "[profiles.a]\nbase-url = \"http://127.0.0.1/v2\"\n", 2, 1, "only https"},
		{"p12 and cert", "[profiles.a]\np12 = \"a.p12\"\ncert = \"a.pem\"\n", 1, 11, "either p12 or cert"},
		{"bad name", "[profiles.\"my prod\"]\nenv = \"production\"\n", 1, 11, "profile name"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			path := write(t, t.TempDir(), c.text)
			_, err := Load(path)
			var ce *Error
			if !errors.As(err, &ce) {
				t.Fatalf("want *Error, got %v", err)
			}
			if ce.Line != c.line || ce.Column != c.column || !strings.Contains(ce.Msg, c.want) {
				t.Errorf("got %v; want %d:%d and %q", err, c.line, c.column, c.want)
			}
			if !strings.HasPrefix(err.Error(), path+":") {
				t.Errorf("%q does not start with the path", err)
			}
			for _, secret := range []string{key, "hunter2", "MIIE"} {
				if strings.Contains(err.Error(), secret) {
					t.Errorf("the error echoes a secret: %v", err)
				}
			}
		})
	}
}

func TestSetRefusesSecretsAndUnknownKeys(t *testing.T) {
	var p Profile
	if err := p.Set("api-key", "abc"); err == nil || !strings.Contains(err.Error(), "api-key-env") {
		t.Errorf("api-key: %v", err)
	}
	if err := p.Set("bogus", "1"); err == nil || !strings.Contains(err.Error(), "unknown key") {
		t.Errorf("bogus: %v", err)
	}
	if err := p.Set("egress-ip", "::ffff:10.0.0.1"); err != nil || p.EgressIPs[0] != "10.0.0.1" {
		t.Errorf("egress-ip: %v %v", err, p.EgressIPs)
	}
	if err := p.Set("strict", "true"); err != nil || !p.Strict {
		t.Errorf("strict: %v", err)
	}
	got := p.Flags()
	want := []Flag{{"egress-ip", "10.0.0.1"}, {"strict", "true"}}
	if !slices.Equal(got, want) {
		t.Errorf("flags %v, want %v", got, want)
	}
}

func TestOptionsReadTheKeyFromWhereTheProfileSays(t *testing.T) {
	dir := t.TempDir()
	keyFile := filepath.Join(dir, "key")
	os.WriteFile(keyFile, []byte("axys_prog_fromthefile0001\nignored\n"), 0o600)
	p := Profile{Env: "production", Cert: "/c.pem", Key: "/k.pem", APIKeyFile: keyFile, EgressIPs: []string{"203.0.113.10"}}
	o, err := p.Options(vars(nil))
	if err != nil {
		t.Fatal(err)
	}
	if o.APIKey.Reveal() != "axys_prog_fromthefile0001" || o.Environment.BaseURL != checks.ProductionURL || o.Timeout != checks.DefaultTimeout {
		t.Errorf("options %+v", o)
	}
	if len(o.EgressIPs) != 1 || o.EgressIPs[0].String() != "203.0.113.10" {
		t.Errorf("egress %v", o.EgressIPs)
	}
	p = Profile{APIKeyEnv: "MY_KEY"}
	o, _ = p.Options(vars(map[string]string{"MY_KEY": "k1", "AXYS_API_KEY": "k2"}))
	if o.APIKey.Reveal() != "k1" || p.APIKeySource() != "$MY_KEY" {
		t.Errorf("from $MY_KEY: %q", o.APIKey.Reveal())
	}
	o, _ = Profile{}.Options(vars(map[string]string{"AXYS_API_KEY": "k2"}))
	if o.APIKey.Reveal() != "k2" {
		t.Errorf("default variable: %q", o.APIKey.Reveal())
	}
	if _, err := (Profile{APIKeyFile: filepath.Join(dir, "none")}).Options(vars(nil)); err == nil {
		t.Error("a missing api-key-file: no error")
	}
}

func TestFromOptionsRoundTrips(t *testing.T) {
	p := Profile{Name: "x", Env: "production", BaseURL: "https://127.0.0.1:8443/v2", Cert: "/c.pem", Key: "/k.pem",
		CAFile: "/ca.pem", Resolver: "127.0.0.1:53", EgressServers: []string{"127.0.0.1:53"}, EgressIPs: []string{"127.0.0.1"},
		ExpectTenant: "Acme", Timeout: 2 * time.Second, Proxy: "direct"}
	o, err := p.Options(vars(nil))
	if err != nil {
		t.Fatal(err)
	}
	back := FromOptions("x", o)
	if !slices.Equal(back.Flags(), p.Flags()) {
		t.Errorf("round trip:\n got %v\nwant %v", back.Flags(), p.Flags())
	}
	o, _ = Profile{Env: "sandbox"}.Options(vars(nil))
	if got := FromOptions("s", o); got.Env != "sandbox" || got.BaseURL != "" || got.Timeout != 0 {
		t.Errorf("documented URL and default timeout are left out: %+v", got)
	}
}

func TestFilesSaysWhichAreMissing(t *testing.T) {
	dir := t.TempDir()
	cert := filepath.Join(dir, "c.pem")
	os.WriteFile(cert, []byte("x"), 0o644)
	p := Profile{Cert: cert, Key: filepath.Join(dir, "k.pem"), CAFile: dir, APIKeyFile: "-"}
	got := p.Files()
	want := []FileRef{{"cert", cert, ""}, {"key", filepath.Join(dir, "k.pem"), "missing"}, {"ca-file", dir, "not a regular file"}}
	if !slices.Equal(got, want) {
		t.Errorf("files %v, want %v", got, want)
	}
}

// pemLine builds a PEM armour line here, so that no key marker is written
// in the repository, where secret scanners would flag it.
func pemLine(what string) string { return "-----" + what + " PRIVATE" + " KEY-----" }

// The README's example is a config file that loads.
func TestREADMEExampleLoads(t *testing.T) {
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, block, ok := strings.Cut(string(readme), "```toml\n")
	block, _, _ = strings.Cut(block, "```")
	if !ok || block == "" {
		t.Fatal("no toml block in README.md")
	}
	f, err := Load(write(t, t.TempDir(), block))
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(f.Names(), []string{"staging", "production"}) {
		t.Errorf("profiles %v", f.Names())
	}
}
