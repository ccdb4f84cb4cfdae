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
	if m.current != stepEnvironment || m.c.journey.mode != modeRenew {
		t.Fatalf("step %v mode %v", m.current, m.c.journey.mode)
	}
	press(m, "down", "down", "enter")
	if m.current != stepCurrentCert || m.c.journey.env.Name != "production" {
		t.Fatalf("step %v env %q", m.current, m.c.journey.env.Name)
	}
	if h := m.header(); !strings.Contains(h, "Renewal · step 3 of 8: Current certificate") {
		t.Errorf("header %q", h)
	}
}

// toForm drives a new onboarding to the CSR form.
func toForm(t *testing.T, m *Model) {
	t.Helper()
	press(m, "enter", "enter")
	if m.current != stepForm {
		t.Fatalf("step %v, want the form", m.current)
	}
}

func TestFormValidationBlocksNext(t *testing.T) {
	m := newTestModel(t, testBackend(t.TempDir()))
	toForm(t, m)
	// Required field left empty: enter stays on it and says why.
	press(m, "enter")
	if f := formOf(m); f.list.focused != fieldOrg || !strings.Contains(f.list.err, "Organization (O) is required") {
		t.Fatalf("focused %d err %q", f.list.focused, f.list.err)
	}
	press(m, "Acme Financial Services Ltd", "enter", "Acme Cards", "enter", "*.acmecards.example", "enter")
	if f := formOf(m); m.current != stepForm || f.list.focused != fieldCN || !strings.Contains(f.list.err, "wildcard") {
		t.Fatalf("step %v focused %d err %q", m.current, f.list.focused, f.list.err)
	}
	if !strings.Contains(m.View(), "✗ \"*.acmecards.example\" is a wildcard") {
		t.Errorf("the reason is not on screen:\n%s", m.View())
	}
	press(m, "ctrl+c")
	if m.c.ctx.Err() == nil || !m.quitting {
		t.Fatal("ctrl+c did not quit while typing")
	}
}

func TestFormSubmitRefusesABadFieldAnywhere(t *testing.T) {
	m := newTestModel(t, testBackend(t.TempDir()))
	toForm(t, m)
	press(m, "Acme", "tab", "Cards", "tab", "api.acme.example", "tab", "tab")
	if got := formOf(m).list.fields[fieldIPs].input.Value(); got != "203.0.113.10" {
		t.Errorf("the detected egress IP was not offered: %q", got)
	}
	press(m, "backspace", "backspace", "999")
	for formOf(m).list.focused != fieldCSROut {
		press(m, "tab")
	}
	press(m, "enter")
	if f := formOf(m); m.current != stepForm || f.list.focused != fieldIPs || !strings.Contains(f.list.err, "203.0.113.999") {
		t.Fatalf("step %v focused %d err %q", m.current, f.list.focused, f.list.err)
	}
}

func TestQIsALetterWhileTyping(t *testing.T) {
	m := newTestModel(t, testBackend(t.TempDir()))
	toForm(t, m)
	press(m, "q", "?")
	if got := formOf(m).list.fields[fieldOrg].input.Value(); m.quitting || got != "q?" {
		t.Fatalf("q quit (%v) or was lost (%q)", m.quitting, got)
	}
}

func TestEscGoesBackAndKeepsInput(t *testing.T) {
	m := newTestModel(t, testBackend(t.TempDir()))
	toForm(t, m)
	press(m, "Acme Financial", "tab", "Acme Cards")
	press(m, "esc")
	if m.current != stepEnvironment {
		t.Fatalf("esc went to %v", m.current)
	}
	press(m, "esc")
	if m.current != stepWelcome {
		t.Fatalf("second esc went to %v", m.current)
	}
	press(m, "enter", "enter")
	if m.current != stepForm {
		t.Fatalf("step %v", m.current)
	}
	f := formOf(m).list.fields
	if f[fieldOrg].input.Value() != "Acme Financial" || f[fieldUnits].input.Value() != "Acme Cards" {
		t.Errorf("input lost: %q %q", f[fieldOrg].input.Value(), f[fieldUnits].input.Value())
	}
}

// fillForm fills the form's required fields and submits it.
func fillForm(t *testing.T, m *Model) {
	t.Helper()
	press(m, "Acme Financial Services Ltd", "enter", "Acme Cards, Acme Prepaid", "enter", "api.acmecards.example", "enter")
	for m.current == stepForm {
		press(m, "enter")
		if f := formOf(m); f.list.err != "" {
			t.Fatalf("form error %q", f.list.err)
		}
	}
}

func TestKeygenWritesKeyAndCSRThenOffersTheCertificate(t *testing.T) {
	dir := t.TempDir()
	m := newTestModel(t, testBackend(dir))
	toForm(t, m)
	fillForm(t, m)
	if k := keygenOf(m); m.current != stepKeygen || k.phase != keygenWritten {
		t.Fatalf("step %v phase %v err %v", m.current, k.phase, k.err)
	}
	st, err := os.Stat(filepath.Join(dir, "client.key"))
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("key: %v %v", st, err)
	}
	if _, err := os.Stat(filepath.Join(dir, "client.csr")); err != nil {
		t.Fatal(err)
	}
	v := m.View()
	if !strings.Contains(v, "OU=Acme Cards, OU=Acme Prepaid") || !strings.Contains(v, "about 24 hours") {
		t.Errorf("view:\n%s", v)
	}
	// The fingerprint is csr.Fingerprint's, whole: SHA-256 in colon-separated hex.
	fp := keygenOf(m).made.fingerprint
	if len(fp) != 95 || strings.Count(fp, ":") != 31 || !strings.Contains(strings.ReplaceAll(v, "\n            ", ""), fp[:40]) {
		t.Errorf("fingerprint %q not shown whole:\n%s", fp, v)
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
	if l := loadOf(m); m.current != stepLoad || l.inputs[inKey].Value() != filepath.Join(dir, "client.key") {
		t.Fatalf("step %v key path %q", m.current, l.inputs[inKey].Value())
	}
}

func TestLoadShowsTheCardOrSaysWhatIsWrong(t *testing.T) {
	dir := t.TempDir()
	certPath, keyPath := fixture(t, dir, fixedNow.AddDate(0, 0, 83))
	m := newTestModel(t, testBackend(dir))
	press(m, "down", "down", "enter", "enter")
	if m.current != stepLoad {
		t.Fatalf("step %v", m.current)
	}
	press(m, filepath.Join(dir, "missing.pem"), "enter", keyPath, "enter")
	if l := loadOf(m); l.loaded != nil || !strings.Contains(l.err, "no such file") {
		t.Fatalf("err %q", l.err)
	}
	// The key given as the certificate: the card says what it is.
	setStep(m, stepLoad, func(l *loadStep) { l.inputs[inCert].SetValue(keyPath) })
	press(m, "enter")
	if loadOf(m).loaded == nil || !strings.Contains(m.View(), "not a certificate: are the") {
		t.Fatalf("view:\n%s", m.View())
	}
	press(m, "e")
	setStep(m, stepLoad, func(l *loadStep) { l.inputs[inCert].SetValue(certPath) })
	press(m, "enter")
	v := m.View()
	for _, want := range []string{"OU=Acme Cards", "valid for 83 more days", "30d", "✓ the private key belongs to the certificate"} {
		if !strings.Contains(v, want) {
			t.Errorf("card lacks %q:\n%s", want, v)
		}
	}
	press(m, "enter")
	if m.current != stepAPIKey || m.c.journey.creds.certPath != certPath {
		t.Fatalf("step %v creds %q", m.current, m.c.journey.creds.certPath)
	}
}

// The card shows the engine's own verdicts: what checks.LocalChecks says,
// word for word, in the reminder window and with a key that does not match.
func TestCertCardShowsTheEnginesVerdicts(t *testing.T) {
	dir := t.TempDir()
	certPath, _ := fixture(t, dir, fixedNow.AddDate(0, 0, 12))
	_, otherKey := fixture(t, t.TempDir(), fixedNow.AddDate(0, 0, 12))
	mat, err := checks.LoadMaterial(checks.Options{CertPath: certPath, KeyPath: otherKey}, checks.Passwords{}, fixedNow)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]checks.Result{}
	for _, r := range checks.LocalChecks(mat, fixedNow) {
		want[r.ID] = r
	}
	m := newTestModel(t, testBackend(dir))
	press(m, "down", "down", "enter", "enter")
	setStep(m, stepLoad, func(l *loadStep) { l.inputs[inCert].SetValue(certPath); l.inputs[inKey].SetValue(otherKey) })
	press(m, "enter")
	v := strings.ReplaceAll(m.View(), "\n           ", " ") // unwrap the card's values
	for _, id := range []string{checks.IDCertValidity, checks.IDCertKeypair} {
		r := want[id]
		if r.Status == checks.Pass || !strings.Contains(v, r.Summary) {
			t.Errorf("%s: the card does not show the engine's %s %q:\n%s", id, r.Status, r.Summary, v)
		}
	}
}

func TestAPIKeyIsMasked(t *testing.T) {
	m := newTestModel(t, testBackend(t.TempDir()))
	show(m, modeHaveCert, stepAPIKey)
	press(m, "axys_prog_0123456789abcdef")
	v := m.View()
	if strings.Contains(v, "0123456789") || !strings.Contains(v, "…cdef (sha256:") || !strings.Contains(v, "••••") {
		t.Fatalf("view:\n%s", v)
	}
	_, cmd := m.Update(keyEnter())
	msg, ok := cmd().(apiKeyMsg)
	if !ok || msg.key.Reveal() != "axys_prog_0123456789abcdef" {
		t.Fatalf("handoff %#v", msg)
	}
}

func TestAPIKeyFromTheEnvironment(t *testing.T) {
	b := testBackend(t.TempDir())
	b.APIKey, b.APIKeySource = checks.NewAPIKey("axys_prog_0123456789abcdef"), "$AXYS_API_KEY"
	m := newTestModel(t, b)
	show(m, modeHaveCert, stepAPIKey)
	if v := m.View(); !strings.Contains(v, "Using the key from $AXYS_API_KEY: …cdef") || strings.Contains(v, "0123456789") {
		t.Fatalf("view:\n%s", v)
	}
	press(m, "e")
	if !stepOf[apiKeyStep](m, stepAPIKey).typing {
		t.Error("e did not open the input")
	}
}

// startChecks puts the checks step in a running diagnosis whose events
// the test sends by hand, and returns the run they must carry.
func startChecks(m *Model) int {
	show(m, modeHaveCert, stepChecks)
	setStep(m, stepChecks, func(c *checksStep) {
		c.running, c.now = true, fixedNow
		drained := make(chan tea.Msg)
		close(drained)
		c.events = drained
	})
	return newRun(m, stepChecks, jobChecks) // the test's run
}

func TestChecksFillInAsEventsArrive(t *testing.T) {
	m := newTestModel(t, testBackend(t.TempDir()))
	run := startChecks(m)
	ev := func(e checks.Event) asyncMsg {
		return asyncMsg{step: stepChecks, job: jobChecks, run: run, msg: checkEventMsg{e}}
	}
	rep := sampleReport()
	send(m, ev(checks.Event{Type: checks.Started, ID: checks.IDNetEgress}))
	send(m, ev(checks.Event{Type: checks.Finished, ID: checks.IDKeyFile, Result: rep.Results[0]}))
	v := m.View()
	if !strings.Contains(v, "✓ key.file") || !strings.Contains(v, "running… 1 passed") || !strings.Contains(v, "Egress IP addresses…") {
		t.Fatalf("view:\n%s", v)
	}
	press(m, "esc")
	if m.current != stepChecks {
		t.Fatal("esc left the checks while they ran")
	}
	old := ev(checks.Event{Type: checks.Finished, ID: checks.IDAPIProbe, Result: rep.Results[9]})
	old.run--
	send(m, old)
	if _, ok := checksOf(m).results[checks.IDAPIProbe]; ok {
		t.Error("an event from an older run was shown")
	}
	send(m, asyncMsg{step: stepChecks, job: jobChecks, run: run, msg: checksDoneMsg{rep}})
	if v = m.View(); !strings.Contains(v, "7 passed · 1 warning · 2 failed · 0 skipped") {
		t.Fatalf("view:\n%s", v)
	}
	if got, ok := m.LastReport(); !ok || len(got.Results) != 10 {
		t.Error("the finished report was not recorded")
	}
	if c := checksOf(m); c.order[c.cursor][0] != checks.IDCertValidity {
		t.Errorf("cursor on %s, want the first problem", c.order[c.cursor][0])
	}
	press(m, "down", "down", "down", "down", "enter")
	if m.current != stepDetail || stepOf[detailStep](m, stepDetail).result.ID != checks.IDDNSFCrDNS {
		t.Fatalf("step %v", m.current)
	}
	if !strings.Contains(m.View(), "▶ authorized-ips") {
		t.Errorf("the matched row is not highlighted:\n%s", m.View())
	}
	press(m, "esc", "s")
	if m.current != stepSave {
		t.Fatalf("step %v", m.current)
	}
}

func TestSaveWritesARedactedReport(t *testing.T) {
	dir := t.TempDir()
	m := newTestModel(t, testBackend(dir))
	m.c.reportDir = dir
	m.c.journey.report = sampleReport()
	show(m, modeHaveCert, stepChecks)
	press(m, "s", "right", "enter")
	saved := m.SavedReport()
	if !strings.HasSuffix(saved, ".json") || !strings.HasPrefix(saved, dir) {
		t.Fatalf("saved %q", saved)
	}
	data, err := os.ReadFile(saved)
	if err != nil || !strings.Contains(string(data), `"id": "dns.fcrdns"`) || strings.Contains(string(data), "0123456789") {
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
	if m.current != stepCurrentCert {
		t.Fatalf("step %v", m.current)
	}
	press(m, certPath, "enter")
	if v := m.View(); !strings.Contains(v, "expires in 20 days") || !strings.Contains(v, "30-day reminder") {
		t.Fatalf("view:\n%s", v)
	}
	press(m, "enter")
	if m.current != stepForm {
		t.Fatalf("step %v", m.current)
	}
	f := formOf(m)
	v := func(i int) string { return f.list.fields[i].input.Value() }
	if v(fieldOrg) != "Acme Financial Services Ltd" || v(fieldUnits) != "Acme Cards" || v(fieldCN) != "api.acmecards.example" || v(fieldIPs) != "203.0.113.10" {
		t.Errorf("not pre-filled: %q %q %q %q", v(fieldOrg), v(fieldUnits), v(fieldCN), v(fieldIPs))
	}
	if !strings.Contains(strings.Join(f.notes, " "), "same O, OU, CN and SANs") {
		t.Errorf("notes %q", f.notes)
	}
}

func TestLoadCompletesPaths(t *testing.T) {
	dir := t.TempDir()
	certPath, _ := fixture(t, dir, fixedNow.AddDate(0, 0, 80))
	os.WriteFile(filepath.Join(dir, "client.p\x1b[31mred"), nil, 0o644) // a name no terminal should get raw
	m := newTestModel(t, testBackend(dir))
	press(m, "down", "down", "enter", "enter")
	press(m, filepath.Join(dir, "client.p"))
	if got := loadOf(m).inputs[inCert].AvailableSuggestions(); len(got) != 1 || got[0] != certPath {
		t.Fatalf("suggestions %q", got)
	}
	press(m, "tab")
	if got := loadOf(m).inputs[inCert].Value(); got != certPath {
		t.Errorf("tab gave %q", got)
	}
}

func TestDemoSigningThenBackAndForth(t *testing.T) {
	m := newTestModel(t, emulatorBackend(t, "ok", "strict"))
	press(m, "enter", "enter")
	for m.current == stepForm {
		press(m, "enter")
	}
	press(m, "enter") // sign
	if l := loadOf(m); m.current != stepLoad || !strings.HasSuffix(l.inputs[inCert].Value(), "client.pem") {
		t.Fatalf("step %v cert %q", m.current, l.inputs[inCert].Value())
	}
	press(m, "esc")
	if m.current != stepKeygen || keygenOf(m).busy() {
		t.Fatalf("back at %v, busy %v", m.current, keygenOf(m).busy())
	}
	press(m, "enter")
	if m.current != stepLoad {
		t.Fatalf("enter after signing went to %v", m.current)
	}
}
