package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/spf13/pflag"

	"github.com/axysdoctor/axysdoctor/config"
	"github.com/axysdoctor/axysdoctor/emulator"
)

// writeConfig writes config.toml under a fresh XDG_CONFIG_HOME and returns
// the variables that point axysdoctor at it.
func writeConfig(t *testing.T, text string) (map[string]string, string) {
	t.Helper()
	xdg := t.TempDir()
	path := filepath.Join(xdg, "axysdoctor", "config.toml")
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return map[string]string{"XDG_CONFIG_HOME": xdg}, path
}

// profileTOML is a [profiles.NAME] table that diagnoses emu with files.
func profileTOML(name string, emu *emulator.Emulator, files emulator.Files) string {
	return fmt.Sprintf(`[profiles.%s]
env = %q
base-url = %q
cert = %q
key = %q
api-key-file = %q
ca-file = %q
resolver = %q
egress-server = [%q]
`, name, emu.Environment, emu.BaseURL, files.Cert, files.Key, files.APIKey, files.CA, emu.DNSAddr, emu.DNSAddr)
}

func summaryOf(t *testing.T, stdout string) map[string]int {
	t.Helper()
	var doc struct{ Summary map[string]int }
	if err := json.Unmarshal([]byte(stdout), &doc); err != nil {
		t.Fatalf("not a JSON report: %v\n%s", err, stdout)
	}
	return doc.Summary
}

func TestCheckWithAProfile(t *testing.T) {
	emu, files, _ := startEmulator(t, emulator.Options{})
	vars, _ := writeConfig(t, "# emulator\n"+profileTOML("emu", emu, files))

	r := runCLI(t, vars, "", "check", "--profile", "emu", "-o", "json")
	if r.code != 0 || summaryOf(t, r.stdout)["pass"] != 10 {
		t.Fatalf("check --profile: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}

	// A flag overrides the profile: the tenant-level key gets a 404.
	r = runCLI(t, vars, "", "check", "--profile", "emu", "-o", "json", "--api-key-file", files.TenantAPIKey)
	var rep jsonReport
	json.Unmarshal([]byte(r.stdout), &rep)
	if status, row, _ := rep.get("api.probe"); r.code != 1 || status != "fail" || row != "tenant-credentials" {
		t.Errorf("--api-key-file over the profile: exit %d, api.probe %s %s", r.code, status, row)
	}

	// --api-key-env replaces the profile's api-key-file (one source of the key).
	vars["WRONG_KEY"] = "axys_prog_notthekey0000000000000000"
	r = runCLI(t, vars, "", "check", "--profile", "emu", "-o", "json", "--api-key-env", "WRONG_KEY")
	json.Unmarshal([]byte(r.stdout), &rep)
	if status, row, _ := rep.get("api.probe"); r.code != 1 || status != "fail" || row != "api-key" {
		t.Errorf("--api-key-env over the profile's api-key-file: exit %d, api.probe %s %s", r.code, status, row)
	}
}

// Paths in a profile are relative to the config file, not to where
// axysdoctor runs.
func TestProfilePathsAreRelativeToTheConfigFile(t *testing.T) {
	emu, err := emulator.Start(emulator.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer emu.Close()
	vars, path := writeConfig(t, "")
	dir := filepath.Join(filepath.Dir(path), "creds")
	os.Mkdir(dir, 0o700)
	files, err := emu.WriteDir(dir, false)
	if err != nil {
		t.Fatal(err)
	}
	text := profileTOML("emu", emu, files)
	text = strings.ReplaceAll(text, dir+"/", "creds/")
	os.WriteFile(path, []byte(text), 0o600)
	if !strings.Contains(text, `cert = "creds/client.pem"`) {
		t.Fatalf("the profile's paths are not relative:\n%s", text)
	}
	r := runCLI(t, vars, "", "check", "--profile", "emu", "-o", "json")
	if r.code != 0 {
		t.Errorf("exit %d: %s", r.code, r.stderr)
	}
}

func TestProfilesListsThemAndTheMissingFiles(t *testing.T) {
	emu, files, _ := startEmulator(t, emulator.Options{})
	missing := filepath.Join(t.TempDir(), "gone.key")
	broken := strings.Replace(profileTOML("prod", emu, files), files.Key, missing, 1)
	vars, path := writeConfig(t, profileTOML("staging", emu, files)+"\n"+broken)
	r := runCLI(t, vars, "", "profiles")
	if r.code != 1 {
		t.Errorf("exit %d, want 1 (a file is missing)", r.code)
	}
	for _, want := range []string{path, "staging  staging · " + emu.BaseURL, "prod  staging", missing + "  MISSING", "1 referenced file is missing"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("profiles lacks %q:\n%s", want, r.stdout)
		}
	}
	if strings.Count(r.stdout, "MISSING") != 1 {
		t.Errorf("one file is missing:\n%s", r.stdout)
	}

	os.WriteFile(path, []byte(profileTOML("staging", emu, files)), 0o600)
	if r := runCLI(t, vars, "", "profiles"); r.code != 0 {
		t.Errorf("nothing missing: exit %d\n%s", r.code, r.stdout)
	}
}

// A broken config file, or a secret in it, is a usage error naming where.
func TestProfileErrorsExit2(t *testing.T) {
	const key = "axys_prog_0123456789abcdef0123456789abcdef"
	cases := []struct {
		name, text string
		args       []string
		want       []string
	}{
		{"malformed", "[profiles.emu]\nenv = \"staging\"\ncert = \"a.pem\n", []string{"check", "--profile", "emu"}, []string{"config.toml:3:", "not valid TOML"}},
		{"API key inside", "[profiles.emu]\ncert = \"a.pem\"\napi_key = \"" + key + "\"\n", []string{"check", "--profile", "emu"}, []string{"config.toml:3:1:", "api-key-env", "api-key-file"}},
		{"unknown profile", "[profiles.staging]\nenv = \"staging\"\n", []string{"check", "--profile", "prod"}, []string{`no profile "prod"`, "profiles: staging"}},
		{"profiles, malformed", "[profiles.emu\n", []string{"profiles"}, []string{"config.toml:1:"}},
		{"compare, API key inside", "[profiles.a]\nX-API-Key = \"" + key + "\"\n", []string{"compare", "a", "b"}, []string{"config.toml:2:1:", "must not be written"}},
		{"exporter, unknown key", "[profiles.a]\ncertificate = \"a.pem\"\n", []string{"exporter", "--listen", "127.0.0.1:0"}, []string{"config.toml:2:1:", `unknown key "certificate"`}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			vars, _ := writeConfig(t, c.text)
			r := runCLI(t, vars, "", c.args...)
			if r.code != 2 {
				t.Errorf("exit %d, want 2", r.code)
			}
			if strings.Count(strings.TrimSpace(r.stderr), "\n") != 0 {
				t.Errorf("stderr is not one line: %q", r.stderr)
			}
			for _, w := range c.want {
				if !strings.Contains(r.stderr, w) {
					t.Errorf("stderr %q lacks %q", r.stderr, w)
				}
			}
			if strings.Contains(r.stderr+r.stdout, key) {
				t.Error("the key is echoed")
			}
		})
	}
}

func TestProfileNamesComplete(t *testing.T) {
	vars, _ := writeConfig(t, "[profiles.staging]\nenv = \"staging\"\n[profiles.production]\nenv = \"production\"\n")
	for _, args := range [][]string{
		{"__complete", "check", "--profile", ""},
		{"__complete", "exporter", "--profile", "p"},
		{"__complete", "compare", ""},
	} {
		r := runCLI(t, vars, "", args...)
		if !strings.Contains(r.stdout, "staging\tstaging") || !strings.Contains(r.stdout, "production\tproduction") {
			t.Errorf("%v: %q", args, r.stdout)
		}
	}
}

// Profiles hold check's flags by name: every key is a flag, and every flag
// that says what to diagnose is a key, so a new flag cannot be forgotten.
func TestProfileKeysAreCheckFlags(t *testing.T) {
	e, _, _ := testEnv(nil, "")
	fl := newCheckCmd(e).Flags()
	keys := config.Keys()
	for _, k := range keys {
		if fl.Lookup(k) == nil {
			t.Errorf("profile key %q is not a check flag", k)
		}
	}
	notKeys := []string{"output", "verbose", "profile", "watch", "bundle", "help"} // how to run, not what to diagnose
	fl.VisitAll(func(f *pflag.Flag) {
		if !slices.Contains(keys, f.Name) && !slices.Contains(notKeys, f.Name) {
			t.Errorf("check flag --%s has no profile key", f.Name)
		}
	})
}

// The wizard turns a profile into options with config.Profile.Options;
// check, compare and the exporter go through check's flags. Both must mean
// the same diagnosis.
func TestProfileOptionsMatchCheck(t *testing.T) {
	emu, files, _ := startEmulator(t, emulator.Options{})
	text := profileTOML("emu", emu, files) + "egress-ip = [\"127.0.0.1\"]\nexpect-tenant = \"Acme Financial Services Ltd\"\ntimeout = \"3s\"\nproxy = \"direct\"\n"
	vars, path := writeConfig(t, text)
	e, _, _ := testEnv(vars, "")
	_, fromFlags, _, err := profileOptions(e, "profile", "emu", nil)
	if err != nil {
		t.Fatal(err)
	}
	file, err := config.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	p, _ := file.Lookup("emu")
	fromProfile, err := p.Options(e.getenv)
	if err != nil {
		t.Fatal(err)
	}
	fromProfile.UserAgent = fromFlags.UserAgent
	if a, b := fmt.Sprintf("%#v", fromFlags), fmt.Sprintf("%#v", fromProfile); a != b || fromFlags.APIKey.Reveal() != fromProfile.APIKey.Reveal() {
		t.Errorf("check's options:\n%s\nProfile.Options:\n%s", a, b)
	}
}

// A flag replaces the profile's whole choice it belongs to: a PKCS#12
// given on the command line drops the profile's cert, key and their
// password variable; --env drops the profile's base URL.
func TestFlagsTakeOverTheProfilesChoice(t *testing.T) {
	p := config.Profile{Name: "p", Env: "staging", BaseURL: "https://127.0.0.1:8443/v2", Cert: "/c.pem", Key: "/k.pem",
		KeyPasswordEnv: "KEY_PW", APIKeyFile: "/api-key", Resolver: "127.0.0.1:53", EgressIPs: []string{"192.0.2.1", "192.0.2.2"}}
	var f checkFlags
	fs := pflag.NewFlagSet("t", pflag.ContinueOnError)
	f.register(fs)
	if err := fs.Parse([]string{"--p12", "/new.p12", "--env", "production", "--egress-ip", "198.51.100.7"}); err != nil {
		t.Fatal(err)
	}
	if err := applyProfile(fs, p); err != nil {
		t.Fatal(err)
	}
	if f.p12 != "/new.p12" || f.cert != "" || f.key != "" || f.keyPasswordEnv != "" {
		t.Errorf("certificate: p12 %q cert %q key %q key-password-env %q", f.p12, f.cert, f.key, f.keyPasswordEnv)
	}
	if f.env != "production" || f.baseURL != "" {
		t.Errorf("environment %q base URL %q", f.env, f.baseURL)
	}
	if !slices.Equal(f.egressIPs, []string{"198.51.100.7"}) {
		t.Errorf("egress IPs %v: the flag's list replaces the profile's", f.egressIPs)
	}
	if f.apiKeyFile != "/api-key" || f.resolver != "127.0.0.1:53" {
		t.Errorf("untouched keys not applied: %q %q", f.apiKeyFile, f.resolver)
	}

	var g checkFlags
	fs = pflag.NewFlagSet("t", pflag.ContinueOnError)
	g.register(fs)
	applyProfile(fs, p)
	if !slices.Equal(g.egressIPs, p.EgressIPs) || g.baseURL != p.BaseURL || g.keyPasswordEnv != "KEY_PW" {
		t.Errorf("without flags the profile applies whole: %+v", g)
	}
}
