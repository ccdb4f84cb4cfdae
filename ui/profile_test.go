package ui

import (
	"context"
	"crypto/x509"
	"encoding/pem"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"software.sslmate.com/src/go-pkcs12"

	"github.com/axysdoctor/axysdoctor/checks"
	"github.com/axysdoctor/axysdoctor/config"
	"github.com/axysdoctor/axysdoctor/emulator"
)

// emulatorProfile starts an emulator and returns a profile of its
// credentials, written into a config file in a temporary directory and
// loaded back, as package main hands profiles to the wizard.
func emulatorProfile(t *testing.T, name string) (*emulator.Emulator, emulator.Files, Config) {
	t.Helper()
	emu, err := emulator.Start(emulator.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(emu.Close)
	files, err := emu.WriteDir(t.TempDir(), false)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "axysdoctor", "config.toml")
	p := config.Profile{Name: name, Env: "staging", BaseURL: emu.BaseURL, Cert: files.Cert, Key: files.Key, APIKeyFile: files.APIKey,
		CAFile: files.CA, Resolver: emu.DNSAddr, EgressServers: []string{emu.DNSAddr}, Timeout: 2 * time.Second}
	return emu, files, Config{Path: path, Profiles: saveAndLoad(t, path, p), WorkDir: t.TempDir()}
}

// saveAndLoad writes profiles into the config file at path and returns
// all of the file's profiles as Load reads them.
func saveAndLoad(t *testing.T, path string, profiles ...config.Profile) []config.Profile {
	t.Helper()
	for _, p := range profiles {
		if err := config.Save(path, p); err != nil {
			t.Fatal(err)
		}
	}
	f, err := config.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	return f.Profiles()
}

// newProfileModel is the real wizard (no demo) with cfg, on a screen wide
// enough for temporary paths to fit on a line (the golden files hold the
// views at 80×24).
func newProfileModel(t *testing.T, cfg Config) *Model {
	t.Helper()
	m := New(context.Background(), Options{Backend: RealBackend(func(string) string { return "" }, t.TempDir()), Output: io.Discard, ReportDir: t.TempDir(), Config: cfg})
	t.Cleanup(m.Stop)
	send(m, tea.WindowSizeMsg{Width: 200, Height: 60})
	return m
}

// runFromProfile starts from cfg.Start and presses enter through the
// defaults to the end of the checks.
func runFromProfile(t *testing.T, m *Model) {
	t.Helper()
	press(m, "enter") // the welcome selects --profile's
	if m.current != stepEnvironment {
		t.Fatalf("step %v after choosing the profile:\n%s", m.current, m.View())
	}
	press(m, "enter", "enter") // environment; the load step reads the files
	if l := loadOf(m); l.loaded == nil || !l.loaded.usable() {
		t.Fatalf("the profile's credentials were not read:\n%s", m.View())
	}
	press(m, "enter", "enter") // the card; the API key
	if m.current != stepChecks || checksOf(m).running {
		t.Fatalf("step %v, running %v", m.current, checksOf(m).running)
	}
}

func TestWelcomeOffersTheProfilesAndSelectsTheStartOne(t *testing.T) {
	path := filepath.Join(t.TempDir(), "config.toml")
	profiles := saveAndLoad(t, path, config.Profile{Name: "staging", Env: "staging"}, config.Profile{Name: "prod", Env: "production"})
	m := newProfileModel(t, Config{Path: path, Profiles: profiles, Start: "prod"})
	w := stepOf[welcomeStep](m, stepWelcome)
	if w.menu.cursor != len(modes)+1 {
		t.Errorf("cursor %d, want on prod (%d)", w.menu.cursor, len(modes)+1)
	}
	v := m.View()
	for _, want := range []string{"Or check a saved profile:", "staging · https://staging.api.axyscards.com/v2", "› prod", "production · https://production.api.axyscards.com/v2", "--profile prod is selected"} {
		if !strings.Contains(v, want) {
			t.Errorf("the welcome lacks %q:\n%s", want, v)
		}
	}
	// Without a config file, today's welcome.
	if v := newProfileModel(t, Config{}).View(); strings.Contains(v, "saved profile") {
		t.Errorf("profiles offered without a config file:\n%s", v)
	}
}

func TestEnterThroughAProfileReachesTheChecks(t *testing.T) {
	emu, files, cfg := emulatorProfile(t, "emu")
	cfg.Start = "emu"
	m := newProfileModel(t, cfg)
	press(m, "enter")
	j := m.c.journey
	if j.profile == nil || j.mode != modeTriage || j.settings.BaseURL != emu.BaseURL || j.settings.CAFile != files.CA ||
		j.settings.Resolver != emu.DNSAddr || !slices.Equal(j.settings.EgressServers, []string{emu.DNSAddr}) || j.settings.Timeout != 2*time.Second {
		t.Fatalf("the profile did not fill the journey: %+v", j.settings)
	}
	if h := m.header(); !strings.Contains(h, "Profile emu · step 2 of 5: Environment") {
		t.Errorf("header %q", h)
	}
	if v := m.View(); !strings.Contains(v, "From profile emu") || !strings.Contains(v, "base URL "+emu.BaseURL) {
		t.Errorf("the environment step does not say where its values come from:\n%s", v)
	}
	press(m, "enter")
	l := loadOf(m)
	if l.inputs[inCert].Value() != files.Cert || l.inputs[inKey].Value() != files.Key || l.focused != inKey {
		t.Fatalf("load step: %q %q focused %d", l.inputs[inCert].Value(), l.inputs[inKey].Value(), l.focused)
	}
	press(m, "enter", "enter")
	if v := m.View(); m.current != stepAPIKey || !strings.Contains(v, "Using the key from file "+files.APIKey) {
		t.Fatalf("API key step:\n%s", v)
	}
	press(m, "enter")
	c := checksOf(m)
	if sum := c.report.Summary(); sum.Pass != 10 {
		t.Fatalf("%s\n%s", sum, m.View())
	}
	if got := m.c.journey.report.Environment.BaseURL; got != emu.BaseURL {
		t.Errorf("the run went to %s", got)
	}
}

func TestAModeAfterAProfileDropsIt(t *testing.T) {
	_, _, cfg := emulatorProfile(t, "emu")
	cfg.Start = "emu"
	m := newProfileModel(t, cfg)
	defaults := m.c.journey.settings
	press(m, "enter", "esc")
	if m.current != stepWelcome || m.c.journey.profile == nil {
		t.Fatalf("step %v", m.current)
	}
	press(m, "up", "up", "up", "up", "enter") // from the profile up to New onboarding
	j := m.c.journey
	if j.profile != nil || j.mode != modeOnboard || !reflect.DeepEqual(j.settings, defaults) || !j.keyOffer.key.Empty() {
		t.Errorf("the profile still applies: profile %v mode %v settings %+v", j.profile, j.mode, j.settings)
	}
	if h := m.header(); !strings.Contains(h, "New onboarding · step 2") {
		t.Errorf("header %q", h)
	}
}

func TestAProfileWhoseKeyIsNotSetAsksForIt(t *testing.T) {
	path := filepath.Join(t.TempDir(), "config.toml")
	certPath, keyPath := fixture(t, t.TempDir(), time.Date(2027, 2, 18, 0, 0, 0, 0, time.UTC))
	profiles := saveAndLoad(t, path, config.Profile{Name: "stg", Cert: certPath, Key: keyPath, APIKeyEnv: "AXYS_STG_KEY"})
	m := newProfileModel(t, Config{Path: path, Profiles: profiles, Start: "stg"})
	m.c.now = func() time.Time { return fixedNow }
	press(m, "enter", "enter", "enter", "enter")
	a := stepOf[apiKeyStep](m, stepAPIKey)
	if m.current != stepAPIKey || !a.typing || !strings.Contains(m.View(), "Profile stg: $AXYS_STG_KEY is not set in this shell") {
		t.Fatalf("step %v typing %v:\n%s", m.current, a.typing, m.View())
	}

	// With the variable set, the step offers its key.
	m = newProfileModel(t, Config{Path: path, Profiles: profiles, Start: "stg", Getenv: func(k string) string {
		return map[string]string{"AXYS_STG_KEY": "axys_prog_0123456789abcdef"}[k]
	}})
	m.c.now = func() time.Time { return fixedNow }
	press(m, "enter", "enter", "enter", "enter")
	if a := stepOf[apiKeyStep](m, stepAPIKey); a.typing || !strings.Contains(m.View(), "Using the key from $AXYS_STG_KEY: …cdef") {
		t.Fatalf("typing %v:\n%s", a.typing, m.View())
	}
}

// A PKCS#12 profile reads its file with the password its variable holds,
// and a profile saved from the run names the same file and variable.
func TestAPKCS12ProfileRoundTrips(t *testing.T) {
	dir := t.TempDir()
	certPath, keyPath := fixture(t, dir, time.Date(2027, 2, 18, 0, 0, 0, 0, time.UTC))
	certPEM, _ := os.ReadFile(certPath)
	keyPEM, _ := os.ReadFile(keyPath)
	cb, _ := pem.Decode(certPEM)
	kb, _ := pem.Decode(keyPEM)
	cert, _ := x509.ParseCertificate(cb.Bytes)
	key, _ := x509.ParsePKCS8PrivateKey(kb.Bytes)
	p12, err := pkcs12.Modern.Encode(key, cert, nil, "s3cret")
	if err != nil {
		t.Fatal(err)
	}
	p12Path := filepath.Join(dir, "client.p12")
	os.WriteFile(p12Path, p12, 0o600)
	path := filepath.Join(t.TempDir(), "config.toml")
	profiles := saveAndLoad(t, path, config.Profile{Name: "p12", Env: "production", P12: p12Path, P12PasswordEnv: "P12_PW", Strict: true})
	m := newProfileModel(t, Config{Path: path, Profiles: profiles, Start: "p12", Getenv: func(k string) string {
		return map[string]string{"P12_PW": "s3cret"}[k]
	}})
	m.c.now = func() time.Time { return fixedNow }
	press(m, "enter", "enter", "enter")
	l := loadOf(m)
	if l.loaded == nil || !l.loaded.usable() || !l.loaded.fromP12() {
		t.Fatalf("the PKCS#12 file was not read with $P12_PW:\n%s", m.View())
	}
	press(m, "enter")
	got := m.c.journey.profileToSave("p12", m.c.backend.Base, "/elsewhere", keySource{env: "AXYS_API_KEY"})
	if got.P12 != p12Path || got.Cert != "" || got.Key != "" || got.P12PasswordEnv != "P12_PW" || !got.Strict || got.Env != "production" {
		t.Errorf("profile to save: %+v", got)
	}
}

func TestProfileToSaveMakesPathsAbsolute(t *testing.T) {
	var j journey
	j.env, _ = checks.ResolveEnvironment("sandbox", "")
	j.creds = loaded{certPath: "certs/client.pem", keyPath: "/abs/client.key"}
	j.settings = settings{CAFile: "ca.pem", Timeout: checks.DefaultTimeout}
	p := j.profileToSave("sb", checks.Options{}, "/work", keySource{file: "api-key"})
	if p.Cert != "/work/certs/client.pem" || p.Key != "/abs/client.key" || p.CAFile != "/work/ca.pem" || p.APIKeyFile != "/work/api-key" || p.APIKeyEnv != "" {
		t.Errorf("%+v", p)
	}
	if p.Env != "sandbox" || p.BaseURL != "" || p.Timeout != 0 {
		t.Errorf("defaults written: env %q base %q timeout %v", p.Env, p.BaseURL, p.Timeout)
	}
}

// afterARunWithATypedKey starts from cfg's profile, types the API key
// instead of the profile's, runs the checks and opens "save as profile".
func afterARunWithATypedKey(t *testing.T, cfg Config, apiKey string) *Model {
	t.Helper()
	m := newProfileModel(t, cfg)
	press(m, "enter", "enter", "enter", "enter", "e", apiKey, "enter")
	if sum := checksOf(m).report.Summary(); sum.Pass != 10 || !m.c.journey.keyTyped {
		t.Fatalf("%s typed %v\n%s", sum, m.c.journey.keyTyped, m.View())
	}
	press(m, "p")
	if m.current != stepSaveProfile {
		t.Fatalf("p did not open the save step:\n%s", m.View())
	}
	return m
}

func TestSaveAProfileAfterARun(t *testing.T) {
	emu, files, cfg := emulatorProfile(t, "emu")
	cfg.Start = "emu"
	m := afterARunWithATypedKey(t, cfg, emu.APIKey())
	// The profile's own source is offered, and the key typed over it is
	// to be put there.
	ps := stepOf[profileSaveStep](m, stepSaveProfile)
	if name, env, file := ps.list.fields[pfName].value(), ps.list.fields[pfKeyEnv].value(), ps.list.fields[pfKeyFile].value(); name != "emu" || env != "" || file != files.APIKey {
		t.Errorf("offered name %q, variable %q, file %q: want the starting profile's", name, env, file)
	}
	if v := m.View(); !strings.Contains(v, "You typed it here, so the profile expects it in the file "+files.APIKey) {
		t.Errorf("the step does not say where the typed key is expected:\n%s", v)
	}
	// Another name, and the key in $AXYS_API_KEY instead of the file.
	send(m, ctrlU())
	press(m, "wiz", "tab", "AXYS_API_KEY", "tab")
	send(m, ctrlU())
	if v := m.View(); !strings.Contains(v, "You typed it here, so the profile expects it in $AXYS_API_KEY") {
		t.Errorf("the step does not say where the typed key is expected:\n%s", v)
	}
	press(m, "enter")
	if ps := stepOf[profileSaveStep](m, stepSaveProfile); ps.phase != profileSaved {
		t.Fatalf("phase %v:\n%s", ps.phase, m.View())
	}
	data, err := os.ReadFile(cfg.Path)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(data), emu.APIKey()) {
		t.Fatalf("the API key is in the config file:\n%s", data)
	}
	f, err := config.Load(cfg.Path)
	if err != nil {
		t.Fatal(err)
	}
	if got := f.Names(); !slices.Equal(got, []string{"emu", "wiz"}) {
		t.Fatalf("profiles %v", got)
	}
	p, _ := f.Lookup("wiz")
	want := config.Profile{Name: "wiz", Env: "staging", BaseURL: emu.BaseURL, Cert: files.Cert, Key: files.Key, APIKeyEnv: "AXYS_API_KEY",
		CAFile: files.CA, Resolver: emu.DNSAddr, EgressServers: []string{emu.DNSAddr}, Timeout: 2 * time.Second}
	if !reflect.DeepEqual(p, want) {
		t.Errorf("saved\n%+v\nwant\n%+v", p, want)
	}
	// The saved profile runs as the wizard's run did.
	opts, err := p.Options(func(k string) string { return map[string]string{"AXYS_API_KEY": emu.APIKey()}[k] })
	if err != nil {
		t.Fatal(err)
	}
	mat, err := checks.LoadMaterial(opts, p.Passwords(nil), time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if sum := checks.Diagnose(context.Background(), opts, mat, checks.Deps{}, nil).Summary(); sum.Pass != 10 {
		t.Errorf("the saved profile's run: %s", sum)
	}
	// The session knows: the welcome lists it, and quitting says so.
	send(m, tea.WindowSizeMsg{Width: 200, Height: 60})
	if !slices.ContainsFunc(m.c.journey.profiles, func(p config.Profile) bool { return p.Name == "wiz" }) {
		t.Error("the session's profiles lack wiz")
	}
	if fw := m.Farewell(); !strings.Contains(fw, "profile wiz saved in "+cfg.Path) || !strings.Contains(fw, "axysdoctor check --profile wiz") {
		t.Errorf("farewell %q", fw)
	}
}

func TestSavingOverAnotherProfileAsksFirst(t *testing.T) {
	emu, files, cfg := emulatorProfile(t, "emu")
	cfg.Start = "emu"
	other := config.Profile{Name: "prod", Env: "production", Cert: "/etc/axys/prod.pem", Key: "/etc/axys/prod.key"}
	saveAndLoad(t, cfg.Path, other)
	before, _ := os.ReadFile(cfg.Path)
	m := afterARunWithATypedKey(t, cfg, emu.APIKey())
	send(m, ctrlU())
	press(m, "prod", "enter", "enter", "enter")
	ps := stepOf[profileSaveStep](m, stepSaveProfile)
	if ps.phase != profileAsking {
		t.Fatalf("phase %v: saved without asking\n%s", ps.phase, m.View())
	}
	send(m, tea.WindowSizeMsg{Width: 200, Height: 60}) // long paths on one line each
	v := m.View()
	for _, want := range []string{"Profile prod is already in " + cfg.Path, "cert", "was /etc/axys/prod.pem", "now " + files.Cert, "y replaces it · n keeps it"} {
		if !strings.Contains(v, want) {
			t.Errorf("the question lacks %q:\n%s", want, v)
		}
	}
	if after, _ := os.ReadFile(cfg.Path); string(after) != string(before) {
		t.Fatal("the file changed before the answer")
	}
	// n keeps it, and the name is to be changed.
	press(m, "n")
	if ps := stepOf[profileSaveStep](m, stepSaveProfile); ps.phase != profileEditing || ps.list.focused != pfName || !strings.Contains(m.View(), "kept profile prod as it is") {
		t.Fatalf("after n: phase %v\n%s", ps.phase, m.View())
	}
	if after, _ := os.ReadFile(cfg.Path); string(after) != string(before) {
		t.Fatal("n changed the file")
	}
	// Asked again, y replaces it.
	press(m, "enter", "enter", "enter", "y")
	if ps := stepOf[profileSaveStep](m, stepSaveProfile); ps.phase != profileSaved {
		t.Fatalf("after y: phase %v\n%s", ps.phase, m.View())
	}
	f, _ := config.Load(cfg.Path)
	if p, _ := f.Lookup("prod"); p.Cert != files.Cert || p.Env != "staging" || p.BaseURL != emu.BaseURL {
		t.Errorf("prod was not replaced: %+v", p)
	}

	// Saving the same values again asks nothing.
	press(m, "esc", "p")
	send(m, ctrlU())
	press(m, "prod", "enter", "enter", "enter")
	if ps := stepOf[profileSaveStep](m, stepSaveProfile); ps.phase != profileSaved {
		t.Errorf("saving identical values: phase %v\n%s", ps.phase, m.View())
	}
}

func TestTheKeyItselfIsRefusedWhereItsSourceGoes(t *testing.T) {
	emu, _, cfg := emulatorProfile(t, "emu")
	cfg.Start = "emu"
	m := afterARunWithATypedKey(t, cfg, emu.APIKey())
	press(m, "tab")
	send(m, ctrlU())
	press(m, emu.APIKey(), "enter")
	ps := stepOf[profileSaveStep](m, stepSaveProfile)
	if ps.list.focused != pfKeyEnv || !strings.Contains(m.View(), "this is the API key itself") {
		t.Fatalf("focused %d:\n%s", ps.list.focused, m.View())
	}
	// A file with the key's text as its name is refused as well, and so is
	// a name that is not a variable's.
	send(m, ctrlU())
	press(m, "tab")
	send(m, ctrlU())
	press(m, emu.APIKey(), "enter")
	if !strings.Contains(m.View(), "this is the API key itself") {
		t.Errorf("the key as a file name:\n%s", m.View())
	}
	if err := m.c.validateKeyEnv("axys key"); err == nil {
		t.Error("a name with a space was taken as a variable's")
	}
	if err := m.c.validateKeyFile("-"); err == nil {
		t.Error("stdin was taken as the key's file")
	}
	f, _ := config.Load(cfg.Path)
	if got := f.Names(); !slices.Equal(got, []string{"emu"}) {
		t.Errorf("something was saved: %v", got)
	}
}

func TestSaveAsProfileNeedsAConfigFile(t *testing.T) {
	m := newTestModel(t, testBackend(t.TempDir())) // no config file
	finishedRun(m)
	press(m, "p")
	if m.current != stepChecks || strings.Contains(m.View(), "as a profile") {
		t.Errorf("p without a config file: step %v\n%s", m.current, m.View())
	}
	// The demo's files vanish when it ends: no profile of them.
	b := testBackend(t.TempDir())
	b.Demo = true
	m = New(context.Background(), Options{Backend: b, Output: io.Discard, Config: Config{Path: filepath.Join(t.TempDir(), "config.toml")}})
	t.Cleanup(m.Stop)
	finishedRun(m)
	press(m, "p")
	if m.current != stepChecks {
		t.Errorf("p in the demo: step %v", m.current)
	}
}

// finishedRun shows the checks step with the sample report.
func finishedRun(m *Model) {
	run := startChecks(m)
	send(m, asyncMsg{step: stepChecks, job: jobChecks, run: run, msg: checksDoneMsg{sampleReport()}})
}

// ctrlU empties a field up to the cursor (it ends the field's text).
func ctrlU() tea.KeyMsg { return tea.KeyMsg{Type: tea.KeyCtrlU} }

// A config file broken since the wizard started is not touched, and the
// step says where it is broken.
func TestSavingIntoABrokenConfigSaysWhere(t *testing.T) {
	emu, _, cfg := emulatorProfile(t, "emu")
	cfg.Start = "emu"
	m := afterARunWithATypedKey(t, cfg, emu.APIKey())
	broken := []byte("[profiles.emu]\ntimeout = 5\n")
	os.WriteFile(cfg.Path, broken, 0o600)
	send(m, ctrlU())
	press(m, "wiz", "enter", "enter", "enter")
	ps := stepOf[profileSaveStep](m, stepSaveProfile)
	if ps.phase != profileEditing || !strings.Contains(m.View(), cfg.Path+":2:1:") {
		t.Errorf("phase %v:\n%s", ps.phase, m.View())
	}
	if after, _ := os.ReadFile(cfg.Path); string(after) != string(broken) {
		t.Errorf("the broken file was changed:\n%s", after)
	}
}
