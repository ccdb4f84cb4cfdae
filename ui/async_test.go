package ui

import (
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
)

// heldRead starts reading certPath and keyPath in the signed-certificate
// step and returns the read's answer without delivering it.
func heldRead(t *testing.T, m *Model, certPath, keyPath string) tea.Msg {
	t.Helper()
	setStep(m, stepLoad, func(l *loadStep) {
		l.inputs[inCert].SetValue(certPath)
		l.inputs[inKey].SetValue(keyPath)
		l.focused = inKey
	})
	_, cmd := m.Update(keyEnter())
	if !loadOf(m).reading || cmd == nil {
		t.Fatal("enter did not start a read")
	}
	return cmd()
}

// The bug this architecture fixes: esc while a certificate was being read
// sent the answer to whatever step was showing, and the certificate step
// said "Reading…" for ever.
func TestAnswerArrivingWhileAwayReachesItsStep(t *testing.T) {
	dir := t.TempDir()
	certPath, keyPath := fixture(t, dir, fixedNow.AddDate(0, 0, 83))
	m := newTestModel(t, testBackend(dir))
	press(m, "down", "down", "enter", "enter")
	answer := heldRead(t, m, certPath, keyPath)
	press(m, "esc")
	send(m, answer) // it arrives while the user is on the environment step
	press(m, "enter")
	if m.current != stepLoad {
		t.Fatalf("step %v", m.current)
	}
	v := m.View()
	if strings.Contains(v, "Reading…") || !strings.Contains(v, "valid for 83 more days") {
		t.Fatalf("view:\n%s", v)
	}
	press(m, "enter")
	if m.current != stepAPIKey || m.c.journey.creds.certPath != certPath {
		t.Fatalf("step %v creds %q", m.current, m.c.journey.creds.certPath)
	}
}

// An answer to a read that was superseded is dropped, whenever it comes.
func TestStaleAnswerIsDropped(t *testing.T) {
	dir := t.TempDir()
	oldCert, oldKey := fixture(t, dir, fixedNow.AddDate(0, 0, 83))
	newDir := t.TempDir()
	newCert, newKey := fixture(t, newDir, fixedNow.AddDate(0, 0, 20))
	m := newTestModel(t, testBackend(dir))
	press(m, "down", "down", "enter", "enter")
	first := heldRead(t, m, oldCert, oldKey)
	press(m, "esc", "enter")
	second := heldRead(t, m, newCert, newKey)
	send(m, second)
	send(m, first) // late, and stale
	l := loadOf(m)
	if l.loaded == nil || l.loaded.certPath != newCert {
		t.Fatalf("shown: %+v", l.loaded)
	}
	if v := m.View(); !strings.Contains(v, "expires in 20 days") {
		t.Errorf("view:\n%s", v)
	}
}

// Going back past the step and coming forward with other files (a new
// key from the form) makes a read still on its way stale.
func TestNewPathsMakeAnOutstandingReadStale(t *testing.T) {
	dir := t.TempDir()
	certPath, keyPath := fixture(t, dir, fixedNow.AddDate(0, 0, 83))
	m := newTestModel(t, testBackend(dir))
	press(m, "down", "down", "enter", "enter")
	answer := heldRead(t, m, certPath, keyPath)
	send(m, csrReadyMsg{keyPath: dir + "/other.key"})
	send(m, answer)
	if l := loadOf(m); l.loaded != nil || l.reading {
		t.Fatalf("a read of the old files was shown: loaded %v reading %v", l.loaded != nil, l.reading)
	}
}

// A spinner's ticks from a replaced run stop, so it never turns twice as
// fast; the current run's keep it turning.
func TestSpinnerTicksFollowTheirRun(t *testing.T) {
	m := newTestModel(t, testBackend(t.TempDir()))
	startChecks(m)
	old := newRun(m, stepChecks, jobSpin)
	cur := newRun(m, stepChecks, jobSpin)
	tick := checksOf(m).spinner.Tick()
	_, cmd := m.Update(asyncMsg{step: stepChecks, job: jobSpin, run: old, msg: tick})
	if cmd != nil {
		t.Error("a stale tick asked for another")
	}
	_, cmd = m.Update(asyncMsg{step: stepChecks, job: jobSpin, run: cur, msg: tick})
	if cmd == nil {
		t.Error("the current tick did not ask for the next")
	}
}
