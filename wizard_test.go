package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/teatest"

	"github.com/axysdoctor/axysdoctor/config"
	"github.com/axysdoctor/axysdoctor/emulator"
	"github.com/axysdoctor/axysdoctor/ui"
)

// ttyCLI runs the command line as if on a terminal, with a context that
// is already cancelled: the wizard, were it to start, would end at once
// with exit 130, so a test sees what stops it before it starts.
func ttyCLI(t *testing.T, vars map[string]string, args ...string) result {
	t.Helper()
	e, out, errb := testEnv(vars, "")
	e.stdinTTY, e.stdoutTTY = true, true
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	code := run(ctx, args, e)
	return result{code, out.String(), errb.String()}
}

func TestWizardStopsOnABrokenConfigFile(t *testing.T) {
	vars, path := writeConfig(t, "[profiles.emu]\nenv = \"staging\"\ntimeout = 5\n")
	r := ttyCLI(t, vars)
	want := "axysdoctor: " + path + ":3:1: profile emu: timeout takes a string"
	if r.code != 2 || !strings.HasPrefix(r.stderr, want) || strings.Count(r.stderr, "\n") != 1 {
		t.Errorf("exit %d, stderr %q, want one line starting %q", r.code, r.stderr, want)
	}
	// A secret written in the file is refused in the same way.
	vars, path = writeConfig(t, "[profiles.emu]\napi-key = \"axys_prog_0123456789abcdef\"\n")
	if r := ttyCLI(t, vars); r.code != 2 || !strings.Contains(r.stderr, path+":2:1: profile emu: an API key must not be written") {
		t.Errorf("exit %d, stderr %q", r.code, r.stderr)
	}
}

func TestWizardProfileFlagErrors(t *testing.T) {
	emu, files, _ := startEmulator(t, emulator.Options{})
	vars, path := writeConfig(t, profileTOML("emu", emu, files)+"\n"+profileTOML("other", emu, files))
	r := ttyCLI(t, vars, "--profile", "nope")
	if r.code != 2 || !strings.Contains(r.stderr, `--profile: no profile "nope" in `+path+" (profiles: emu, other)") {
		t.Errorf("unknown profile: exit %d, stderr %q", r.code, r.stderr)
	}
	// Without a terminal, the help names check with the profile.
	r = runCLI(t, vars, "", "--profile", "emu")
	if r.code != 2 || !strings.Contains(r.stderr, "axysdoctor check --profile emu") {
		t.Errorf("no terminal: exit %d, stderr %q", r.code, r.stderr)
	}
}

// What a new user does: start the wizard from a profile, press enter
// through the defaults to the checks, type the API key the profile
// expects in $AXYS_API_KEY (not set in this shell), and save the run as a
// profile of its own; then check --profile, compare and the exporter use
// the profile the wizard made.
func TestAProfileMadeByTheWizardServesCheckCompareAndExporter(t *testing.T) {
	vars, _, stgFiles := stagingAndProduction(t)
	stgKey, _ := os.ReadFile(stgFiles.APIKey)
	apiKey := strings.TrimSpace(string(stgKey))
	cfgPath := filepath.Join(vars["XDG_CONFIG_HOME"], "axysdoctor", "config.toml")
	text, _ := os.ReadFile(cfgPath)
	keyLine := fmt.Sprintf("api-key-file = %q\n", stgFiles.APIKey)
	if !strings.Contains(string(text), keyLine) {
		t.Fatalf("no %q in\n%s", keyLine, text)
	}
	os.WriteFile(cfgPath, []byte(strings.Replace(string(text), keyLine, "", 1)), 0o600)
	e, _, _ := testEnv(vars, "")
	e.stdinTTY, e.stdoutTTY = true, true
	m, stop, err := newWizard(context.Background(), e, wizardOptions{profile: "staging"})
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(80, 24))
	enter := tea.KeyMsg{Type: tea.KeyEnter}
	for _, s := range []struct {
		wait string
		keys []tea.KeyMsg
	}{
		{"--profile staging is selected", []tea.KeyMsg{enter}},
		{"From profile staging: its environment", []tea.KeyMsg{enter}},
		{"From profile staging: enter reads them.", []tea.KeyMsg{enter}},
		{"✓ the private key belongs to the certificate", []tea.KeyMsg{enter}},
		{"Profile staging: $AXYS_API_KEY is not set in this shell", []tea.KeyMsg{runes(apiKey), enter}},
		{"All checks pass: this setup gets a 200.", []tea.KeyMsg{runes("p")}},
		{"You typed it here, so the profile expects it", []tea.KeyMsg{{Type: tea.KeyCtrlU}, runes("wiz"), enter, enter, enter}},
		{"Saved profile wiz to", []tea.KeyMsg{runes("q")}},
	} {
		waitForScreen(t, tm, s.wait)
		for _, k := range s.keys {
			tm.Send(k)
		}
	}
	final := tm.FinalModel(t, teatest.WithFinalTimeout(10*time.Second)).(*ui.Model)
	name, path := final.SavedProfile()
	if name != "wiz" {
		t.Fatalf("saved profile %q", name)
	}
	data, _ := os.ReadFile(path)
	if strings.Contains(string(data), apiKey) {
		t.Fatalf("the API key is in %s:\n%s", path, data)
	}
	if !strings.Contains(string(data), "[profiles.wiz]") || !strings.Contains(string(data), "api-key-env = 'AXYS_API_KEY'") {
		t.Fatalf("config file:\n%s", data)
	}

	// check --profile wiz, with the key where the wizard said it would be.
	vars["AXYS_API_KEY"] = apiKey
	r := runCLI(t, vars, "", "check", "--profile", "wiz", "-o", "json")
	if r.code != 0 || summaryOf(t, r.stdout)["pass"] != 10 {
		t.Fatalf("check --profile wiz: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	// compare wiz with the production profile.
	r = runCLI(t, vars, "", "compare", "wiz", "production", "-o", "json")
	var doc compareDoc
	if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil || r.code != 0 {
		t.Fatalf("compare: exit %d %v\n%s\n%s", r.code, err, r.stdout, r.stderr)
	}
	if doc.A.Name != "wiz" || doc.A.Report.Summary["pass"] != 10 || doc.B.Report.Summary["pass"] != 10 {
		t.Errorf("compare: %s %v / %v", doc.A.Name, doc.A.Report.Summary, doc.B.Report.Summary)
	}
	if status, _ := doc.static("compare.client-ca"); status != "pass" {
		t.Errorf("compare.client-ca %s", status)
	}
	// The exporter diagnoses wiz and serves it.
	lines, stopExporter := startExporter(t, vars, "--listen", "127.0.0.1:0", "--profile", "wiz")
	addr := waitFor(t, lines, regexp.MustCompile(`listening on http://(127\.0\.0\.1:\d+)/metrics · profiles wiz`))[1]
	waitFor(t, lines, regexp.MustCompile(`wiz: 10 passed`))
	resp, err := http.Get("http://" + addr + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(body), `axysdoctor_check_status{check="api.probe",profile="wiz",status="pass"} 1`) {
		t.Errorf("metrics lack wiz's api.probe pass:\n%s", body)
	}
	if code := stopExporter(); code != 0 {
		t.Errorf("exporter exit %d", code)
	}

	// The saved profile reads back as the run it came from.
	f, err := config.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	stg, _ := f.Lookup("staging")
	wiz, _ := f.Lookup("wiz")
	if wiz.BaseURL != stg.BaseURL || wiz.Cert != stg.Cert || wiz.Key != stg.Key || wiz.CAFile != stg.CAFile || wiz.Resolver != stg.Resolver || wiz.APIKeyFile != "" {
		t.Errorf("wiz %+v\nstaging %+v", wiz, stg)
	}
}

func runes(s string) tea.KeyMsg { return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(s)} }
