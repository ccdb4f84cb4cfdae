package ui

import (
	"context"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/axysdoctor/axysdoctor/checks"
	"github.com/axysdoctor/axysdoctor/internal/testnet"
)

// messageLine is the form's line under the fields.
func messageLine(m *Model) string {
	f := formOf(m)
	return f.list.message(m.c.styles, m.c.width)
}

func TestFormShowsTheReasonAsYouType(t *testing.T) {
	m := newTestModel(t, testBackend(t.TempDir()))
	toForm(t, m)
	press(m, "tab", "tab", "*.acme")
	if got := messageLine(m); !strings.Contains(got, `✗ "*.acme" is a wildcard`) {
		t.Fatalf("while typing: %q", got)
	}
	if !strings.Contains(m.View(), "Common name (CN) * ✗") {
		t.Errorf("no ✗ on the field:\n%s", m.View())
	}
	press(m, "backspace", "backspace", "backspace", "backspace", "backspace", "backspace", "api.acme.example")
	if got := messageLine(m); strings.Contains(got, "✗") || !strings.Contains(got, "primary domain you call from") {
		t.Errorf("a valid value still shows a problem: %q", got)
	}
}

func TestFormFlagsAnEmptiedRequiredFieldOnLeaving(t *testing.T) {
	m := newTestModel(t, testBackend(t.TempDir()))
	toForm(t, m)
	press(m, "tab") // leaving an untouched empty field is not flagged
	if f := formOf(m); f.list.fields[fieldOrg].flagged || f.list.err != "" {
		t.Fatalf("flagged without being touched: %q", f.list.err)
	}
	press(m, "shift+tab", "Acme", "backspace", "backspace", "backspace", "backspace")
	if formOf(m).list.fields[fieldOrg].flagged {
		t.Fatal("flagged before leaving")
	}
	press(m, "tab")
	f := formOf(m)
	if !f.list.fields[fieldOrg].flagged || !strings.Contains(f.list.err, "Organization (O) is required") {
		t.Fatalf("flagged %v err %q", f.list.fields[fieldOrg].flagged, f.list.err)
	}
	if !strings.Contains(m.View(), "Organization (O) * ✗") {
		t.Errorf("no ✗:\n%s", m.View())
	}
	press(m, "shift+tab", "A")
	if formOf(m).list.fields[fieldOrg].flagged {
		t.Error("still flagged after typing a value")
	}
}

// backToFormAndSubmit goes back from the key step and submits again.
func backToFormAndSubmit(m *Model) {
	press(m, "esc")
	for formOf(m).list.focused != fieldCSROut {
		press(m, "tab")
	}
	press(m, "enter")
}

func TestResubmittingOffersToKeepTheKeyAndCSR(t *testing.T) {
	dir := t.TempDir()
	m := newTestModel(t, testBackend(dir))
	toForm(t, m)
	fillForm(t, m)
	made := *m.c.journey.created
	keyBefore, _ := os.ReadFile(made.keyPath)

	backToFormAndSubmit(m)
	if f := formOf(m); m.current != stepForm || !f.offering {
		t.Fatalf("step %v, offering %v, err %q", m.current, f.offering, f.list.err)
	}
	if v := m.View(); !strings.Contains(v, "Keep the key and CSR") || !strings.Contains(v, "client-2.key and client-2.csr") {
		t.Fatalf("view:\n%s", v)
	}
	press(m, "enter") // keep
	k := keygenOf(m)
	if m.current != stepKeygen || k.phase != keygenWritten || k.made.fingerprint != made.fingerprint {
		t.Fatalf("step %v phase %v fingerprint %q", m.current, k.phase, k.made.fingerprint)
	}
	if after, _ := os.ReadFile(made.keyPath); string(after) != string(keyBefore) {
		t.Fatal("keeping rewrote the key")
	}

	backToFormAndSubmit(m)
	press(m, "down", "enter") // choose new paths
	f := formOf(m)
	if got := f.list.fields[fieldKeyOut].value(); got != filepath.Join(dir, "client-2.key") {
		t.Fatalf("new key path %q", got)
	}
	press(m, "enter", "enter")
	if m.current != stepKeygen || keygenOf(m).made.keyPath != filepath.Join(dir, "client-2.key") {
		t.Fatalf("step %v made %q err %v", m.current, keygenOf(m).made.keyPath, keygenOf(m).err)
	}
	if m.c.journey.created.fingerprint == made.fingerprint {
		t.Error("new paths did not make a new CSR")
	}
}

func TestEditedFormSaysTheKeptCSRLacksTheEdits(t *testing.T) {
	m := newTestModel(t, testBackend(t.TempDir()))
	toForm(t, m)
	fillForm(t, m)
	press(m, "esc")
	setStep(m, stepForm, func(f *formStep) { f.list.fields[fieldCountry].input.SetValue("GB") })
	for formOf(m).list.focused != fieldCSROut {
		press(m, "tab")
	}
	press(m, "enter")
	if v := m.View(); !strings.Contains(v, "made before your last edits") {
		t.Fatalf("view:\n%s", v)
	}
}

// Files that the wizard did not make are never offered: the message names
// which one is in the way, and the focus goes to its field.
func TestCollisionNamesTheFile(t *testing.T) {
	for _, c := range []struct {
		name, existing, want string
		focus                int
	}{
		{"csr", "client.csr", "the CSR file %s already exists", fieldCSROut},
		{"key", "client.key", "the key file %s already exists: axysdoctor never overwrites a key", fieldKeyOut},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, c.existing)
			os.WriteFile(path, []byte("someone else's"), 0o600)
			m := newTestModel(t, testBackend(dir))
			toForm(t, m)
			press(m, "Acme Financial Services Ltd", "enter", "Acme Cards", "enter", "api.acmecards.example", "enter")
			for formOf(m).list.focused != fieldCSROut {
				press(m, "tab")
			}
			press(m, "enter")
			f := formOf(m)
			want := strings.Replace(c.want, "%s", path, 1)
			if m.current != stepForm || f.offering || !strings.Contains(f.list.err, want) || f.list.focused != c.focus {
				t.Fatalf("step %v offering %v focus %d err %q", m.current, f.offering, f.list.focused, f.list.err)
			}
			if data, _ := os.ReadFile(path); string(data) != "someone else's" {
				t.Error("the file was replaced")
			}
		})
	}
}

func TestCallingIPLookupShowsASpinner(t *testing.T) {
	m := newTestModel(t, testBackend(t.TempDir()))
	press(m, "enter")
	_, cmd := m.Update(keyEnter())
	m.Update(cmd()) // to the form; the lookup's answer is not delivered
	if m.current != stepForm || !formOf(m).finding {
		t.Fatalf("step %v finding %v", m.current, formOf(m).finding)
	}
	if v := m.View(); !strings.Contains(v, "Detecting your calling IP…") {
		t.Errorf("view:\n%s", v)
	}
}

// The lookup gives up after egressBound and shows why, whole.
func TestCallingIPLookupIsBoundedAndSaysWhy(t *testing.T) {
	opts := checks.Options{EgressServers: []string{testnet.UDPBlackhole(t)}, Timeout: 30 * time.Second}
	start := time.Now()
	msg := detectEgressCmd(context.Background(), opts, checks.Deps{})().(egressMsg)
	if took := time.Since(start); took > egressBound+time.Second {
		t.Errorf("took %v", took)
	}
	if len(msg.addrs) != 0 || !strings.Contains(msg.failure, "within 1.5s") || !strings.Contains(msg.failure, "timeout (no answer)") {
		t.Fatalf("%+v", msg)
	}

	m := newTestModel(t, testBackend(t.TempDir()))
	toForm(t, m)
	send(m, asyncMsg{step: stepForm, job: jobEgress, run: m.c.tasks[taskKey{stepForm, jobEgress}], msg: msg})
	v := strings.Join(strings.Fields(m.View()), " ")
	if !strings.Contains(v, strings.Join(strings.Fields(msg.failure), " ")) {
		t.Errorf("the failure is not shown whole:\n%s\nwant %q", m.View(), msg.failure)
	}
}

func TestDetectedIPIsOffered(t *testing.T) {
	b := testBackend(t.TempDir())
	b.Base.EgressIPs = []netip.Addr{netip.MustParseAddr("198.51.100.7")}
	m := newTestModel(t, b)
	toForm(t, m)
	if got := formOf(m).list.fields[fieldIPs].value(); got != "198.51.100.7" {
		t.Errorf("IPs %q", got)
	}
	if !strings.Contains(m.View(), "Detected calling IP: 198.51.100.7") {
		t.Errorf("view:\n%s", m.View())
	}
}
