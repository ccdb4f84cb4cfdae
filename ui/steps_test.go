package ui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/axysdoctor/axysdoctor/checks"
)

func TestWelcomeChoosesAMode(t *testing.T) {
	m := newTestModel(t, testBackend(t.TempDir()))
	press(m, "down", "enter")
	if m.state != stateEnvironment || m.mode != modeRenew {
		t.Fatalf("state %v mode %v", m.state, m.mode)
	}
	press(m, "down", "down", "enter")
	if m.state != stateCurrentCert || m.checks.env.Name != "production" {
		t.Fatalf("state %v env %q", m.state, m.checks.env.Name)
	}
}

// toForm drives a new onboarding to the CSR form.
func toForm(t *testing.T, m *Model) {
	t.Helper()
	press(m, "enter", "enter")
	if m.state != stateForm {
		t.Fatalf("state %v, want the form", m.state)
	}
}

func TestFormValidationBlocksNext(t *testing.T) {
	m := newTestModel(t, testBackend(t.TempDir()))
	toForm(t, m)
	// Required field left empty: enter stays on it and says why.
	press(m, "enter")
	if m.form.focused != fieldOrg || !strings.Contains(m.form.err, "Organization (O) is required") {
		t.Fatalf("focused %d err %q", m.form.focused, m.form.err)
	}
	press(m, "Acme Financial Services Ltd", "enter", "Acme Cards", "enter", "*.acmecards.example", "enter")
	if m.state != stateForm || m.form.focused != fieldCN || !strings.Contains(m.form.err, "wildcard") {
		t.Fatalf("state %v focused %d err %q", m.state, m.form.focused, m.form.err)
	}
	if !strings.Contains(m.View(), "✗ \"*.acmecards.example\" is a wildcard") {
		t.Errorf("the reason is not on screen:\n%s", m.View())
	}
	// Fix it, skip to the end with a bad IP: submitting refuses.
	press(m, "ctrl+c")
	if m.c.ctx.Err() == nil || !m.quitting {
		t.Fatal("ctrl+c did not quit while typing")
	}
}

func TestFormSubmitRefusesABadFieldAnywhere(t *testing.T) {
	m := newTestModel(t, testBackend(t.TempDir()))
	toForm(t, m)
	press(m, "Acme", "tab", "Cards", "tab", "api.acme.example", "tab", "tab")
	if got := m.form.fields[fieldIPs].input.Value(); got != "203.0.113.10" {
		t.Errorf("the detected egress IP was not offered: %q", got)
	}
	press(m, "backspace", "backspace", "999")
	for m.form.focused != fieldCSROut {
		press(m, "tab")
	}
	press(m, "enter")
	if m.state != stateForm || m.form.focused != fieldIPs || !strings.Contains(m.form.err, "203.0.113.999") {
		t.Fatalf("state %v focused %d err %q", m.state, m.form.focused, m.form.err)
	}
}

func TestQIsALetterWhileTyping(t *testing.T) {
	m := newTestModel(t, testBackend(t.TempDir()))
	toForm(t, m)
	press(m, "q")
	if m.quitting || m.form.fields[fieldOrg].input.Value() != "q" {
		t.Fatalf("q quit (%v) or was lost (%q)", m.quitting, m.form.fields[fieldOrg].input.Value())
	}
}

func TestEscGoesBackAndKeepsInput(t *testing.T) {
	m := newTestModel(t, testBackend(t.TempDir()))
	toForm(t, m)
	press(m, "Acme Financial", "tab", "Acme Cards")
	press(m, "esc")
	if m.state != stateEnvironment {
		t.Fatalf("esc went to %v", m.state)
	}
	press(m, "esc")
	if m.state != stateWelcome {
		t.Fatalf("second esc went to %v", m.state)
	}
	press(m, "enter", "enter")
	if m.state != stateForm {
		t.Fatalf("state %v", m.state)
	}
	if m.form.fields[fieldOrg].input.Value() != "Acme Financial" || m.form.fields[fieldUnits].input.Value() != "Acme Cards" {
		t.Errorf("input lost: %q %q", m.form.fields[fieldOrg].input.Value(), m.form.fields[fieldUnits].input.Value())
	}
}

func TestKeygenWritesKeyAndCSRThenOffersTheCertificate(t *testing.T) {
	dir := t.TempDir()
	m := newTestModel(t, testBackend(dir))
	toForm(t, m)
	press(m, "Acme Financial Services Ltd", "enter", "Acme Cards, Acme Prepaid", "enter", "api.acmecards.example", "enter")
	for m.state == stateForm {
		press(m, "enter")
		if m.form.err != "" {
			t.Fatalf("form error %q", m.form.err)
		}
	}
	if m.state != stateKeygen || m.keygen.phase != keygenWritten {
		t.Fatalf("state %v phase %v err %v", m.state, m.keygen.phase, m.keygen.err)
	}
	st, err := os.Stat(filepath.Join(dir, "client.key"))
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("key: %v %v", st, err)
	}
	if _, err := os.Stat(filepath.Join(dir, "client.csr")); err != nil {
		t.Fatal(err)
	}
	if v := m.View(); !strings.Contains(v, "OU=Acme Cards, OU=Acme Prepaid") || !strings.Contains(v, "about 24 hours") {
		t.Errorf("view:\n%s", v)
	}
	var clip strings.Builder
	m.c.clipboard = &clip
	press(m, "c")
	if !strings.HasPrefix(clip.String(), "\x1b]52;c;") {
		t.Errorf("no OSC 52 sequence: %q", clip.String())
	}
	if !strings.Contains(m.View(), "clipboard") {
		t.Errorf("the copy is not confirmed:\n%s", m.View())
	}
	press(m, "enter")
	if m.state != stateLoad || m.load.inputs[inKey].Value() != filepath.Join(dir, "client.key") {
		t.Fatalf("state %v key path %q", m.state, m.load.inputs[inKey].Value())
	}
	// Going back and creating again must not overwrite the key.
	before, _ := os.ReadFile(filepath.Join(dir, "client.key"))
	press(m, "esc", "esc")
	for m.form.focused != fieldCSROut {
		press(m, "tab")
	}
	press(m, "enter")
	if m.keygen.phase != keygenFailed || !strings.Contains(m.keygen.err.Error(), "already exists") {
		t.Fatalf("phase %v err %v", m.keygen.phase, m.keygen.err)
	}
	if after, _ := os.ReadFile(filepath.Join(dir, "client.key")); string(after) != string(before) {
		t.Fatal("the key was overwritten")
	}
}

func TestLoadShowsTheCardOrSaysWhatIsWrong(t *testing.T) {
	dir := t.TempDir()
	certPath, keyPath := fixture(t, dir, fixedNow.AddDate(0, 0, 83))
	m := newTestModel(t, testBackend(dir))
	press(m, "down", "down", "enter", "enter")
	if m.state != stateLoad {
		t.Fatalf("state %v", m.state)
	}
	press(m, filepath.Join(dir, "missing.pem"), "enter", keyPath, "enter")
	if m.load.loaded != nil || !strings.Contains(m.load.err, "no such file") {
		t.Fatalf("err %q", m.load.err)
	}
	// The key given as the certificate: the card says what it is.
	m.load.inputs[inCert].SetValue(keyPath)
	press(m, "enter")
	if m.load.loaded == nil || !strings.Contains(m.View(), "not a certificate: are the") {
		t.Fatalf("view:\n%s", m.View())
	}
	press(m, "e")
	m.load.inputs[inCert].SetValue(certPath)
	press(m, "enter")
	v := m.View()
	for _, want := range []string{"OU=Acme Cards", "83 days left", "30d", "belongs to this certificate"} {
		if !strings.Contains(v, want) {
			t.Errorf("card lacks %q:\n%s", want, v)
		}
	}
	press(m, "enter")
	if m.state != stateAPIKey || m.checks.certPath != certPath {
		t.Fatalf("state %v", m.state)
	}
}

func TestAPIKeyIsMasked(t *testing.T) {
	m := newTestModel(t, testBackend(t.TempDir()))
	m.goTo(stateAPIKey)
	m.apikey.focus()
	press(m, "axys_prog_0123456789abcdef")
	v := m.View()
	if strings.Contains(v, "0123456789") || !strings.Contains(v, "…cdef (sha256:") || !strings.Contains(v, "••••") {
		t.Fatalf("view:\n%s", v)
	}
	_, cmd := m.Update(keyEnter())
	msg, ok := cmd().(advanceMsg)
	if !ok || msg.data.(checks.APIKey).Reveal() != "axys_prog_0123456789abcdef" {
		t.Fatalf("advance %#v", msg)
	}
}

func TestAPIKeyFromTheEnvironment(t *testing.T) {
	b := testBackend(t.TempDir())
	b.APIKey, b.APIKeySource = checks.NewAPIKey("axys_prog_0123456789abcdef"), "$AXYS_API_KEY"
	m := newTestModel(t, b)
	m.goTo(stateAPIKey)
	if v := m.View(); !strings.Contains(v, "Using the key from $AXYS_API_KEY: …cdef") || strings.Contains(v, "0123456789") {
		t.Fatalf("view:\n%s", v)
	}
	press(m, "e")
	if !m.apikey.typing {
		t.Error("e did not open the input")
	}
}

func TestChecksFillInAsEventsArrive(t *testing.T) {
	m := newTestModel(t, testBackend(t.TempDir()))
	m.state = stateChecks
	m.checks.running, m.checks.run, m.checks.now = true, 1, fixedNow
	drained := make(chan tea.Msg)
	close(drained) // the events in this test are sent by hand
	m.checks.events = drained
	rep := sampleReport()
	send(m, checkEventMsg{run: 1, ev: checks.Event{Type: checks.Started, ID: checks.IDNetEgress}})
	send(m, checkEventMsg{run: 1, ev: checks.Event{Type: checks.Finished, ID: checks.IDKeyFile, Result: rep.Results[0]}})
	v := m.View()
	if !strings.Contains(v, "✓ key.file") || !strings.Contains(v, "running… 1 passed") || !strings.Contains(v, "Egress IP addresses…") {
		t.Fatalf("view:\n%s", v)
	}
	press(m, "esc")
	if m.state != stateChecks {
		t.Fatal("esc left the checks while they ran")
	}
	send(m, checkEventMsg{run: 0, ev: checks.Event{Type: checks.Finished, ID: checks.IDAPIProbe, Result: rep.Results[9]}})
	if _, ok := m.checks.results[checks.IDAPIProbe]; ok {
		t.Error("an event from an older run was shown")
	}
	send(m, checksDoneMsg{run: 1, report: rep})
	v = m.View()
	if !strings.Contains(v, "7 passed · 1 warning · 2 failed · 0 skipped") {
		t.Fatalf("view:\n%s", v)
	}
	if m.checks.order[m.checks.cursor][0] != checks.IDCertValidity {
		t.Errorf("cursor on %s, want the first problem", m.checks.order[m.checks.cursor][0])
	}
	press(m, "down", "down", "down", "down", "enter")
	if m.state != stateDetail || m.detail.result.ID != checks.IDDNSFCrDNS {
		t.Fatalf("state %v detail %s", m.state, m.detail.result.ID)
	}
	if !strings.Contains(m.View(), "▶ authorized-ips") {
		t.Errorf("the matched row is not highlighted:\n%s", m.View())
	}
	press(m, "esc", "s")
	if m.state != stateSave {
		t.Fatalf("state %v", m.state)
	}
}

func TestSaveWritesARedactedReport(t *testing.T) {
	dir := t.TempDir()
	m := newTestModel(t, testBackend(dir))
	m.c.reportDir = dir
	m.save = newSave(m.c)
	m.save.report = sampleReport()
	m.goTo(stateSave)
	press(m, "right", "enter")
	if m.save.saved == "" || !strings.HasSuffix(m.save.saved, ".json") {
		t.Fatalf("saved %q err %q", m.save.saved, m.save.err)
	}
	data, err := os.ReadFile(m.save.saved)
	if err != nil || !strings.Contains(string(data), `"id": "dns.fcrdns"`) {
		t.Fatalf("%v\n%s", err, data)
	}
	press(m, "q")
	if !m.quitting {
		t.Error("q does not quit after saving")
	}
}

func TestRenewalPrefillsTheForm(t *testing.T) {
	dir := t.TempDir()
	certPath, _ := fixture(t, dir, fixedNow.AddDate(0, 0, 20))
	m := newTestModel(t, testBackend(dir))
	press(m, "down", "enter", "enter")
	if m.state != stateCurrentCert {
		t.Fatalf("state %v", m.state)
	}
	press(m, certPath, "enter")
	if !strings.Contains(m.View(), "20 days left: renew now") {
		t.Fatalf("view:\n%s", m.View())
	}
	press(m, "enter")
	if m.state != stateForm {
		t.Fatalf("state %v", m.state)
	}
	f := m.form.fields
	if f[fieldOrg].input.Value() != "Acme Financial Services Ltd" || f[fieldUnits].input.Value() != "Acme Cards" ||
		f[fieldCN].input.Value() != "api.acmecards.example" || f[fieldIPs].input.Value() != "203.0.113.10" {
		t.Errorf("not pre-filled: %q %q %q %q", f[fieldOrg].input.Value(), f[fieldUnits].input.Value(), f[fieldCN].input.Value(), f[fieldIPs].input.Value())
	}
	if !strings.Contains(strings.Join(m.form.notes, " "), "same O, OU, CN and SANs") {
		t.Errorf("notes %q", m.form.notes)
	}
}

func TestLoadCompletesPaths(t *testing.T) {
	dir := t.TempDir()
	certPath, _ := fixture(t, dir, fixedNow.AddDate(0, 0, 80))
	m := newTestModel(t, testBackend(dir))
	press(m, "down", "down", "enter", "enter")
	press(m, filepath.Join(dir, "client.p"))
	if got := m.load.inputs[inCert].AvailableSuggestions(); len(got) != 1 || got[0] != certPath {
		t.Fatalf("suggestions %q", got)
	}
	press(m, "tab")
	if m.load.inputs[inCert].Value() != certPath {
		t.Errorf("tab gave %q", m.load.inputs[inCert].Value())
	}
}

func TestDemoSigningThenBackAndForth(t *testing.T) {
	b, stop, err := DemoBackend("ok", "strict")
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	m := newTestModel(t, b)
	press(m, "enter", "enter")
	for m.state == stateForm {
		press(m, "enter")
	}
	press(m, "enter") // sign
	if m.state != stateLoad || !strings.HasSuffix(m.load.inputs[inCert].Value(), "client.pem") {
		t.Fatalf("state %v cert %q", m.state, m.load.inputs[inCert].Value())
	}
	press(m, "esc")
	if m.state != stateKeygen || m.keygen.busy() {
		t.Fatalf("back at %v, busy %v", m.state, m.keygen.busy())
	}
	press(m, "enter")
	if m.state != stateLoad {
		t.Fatalf("enter after signing went to %v", m.state)
	}
}
