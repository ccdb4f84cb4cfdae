package ui

import (
	"strings"
	"testing"
)

func TestFarewellAfterTheKeyAndCSRExist(t *testing.T) {
	dir := t.TempDir()
	m := newTestModel(t, testBackend(dir))
	if got := m.Farewell(); got != "" {
		t.Fatalf("nothing was made, yet: %q", got)
	}
	toForm(t, m)
	fillForm(t, m)
	press(m, "q")
	if !m.quitting || m.View() != "" {
		t.Fatal("q did not quit")
	}
	made := m.c.journey.created
	got := m.Farewell()
	for _, want := range []string{made.keyPath, made.csrPath, made.fingerprint, "never send it", "Axys onboarding contact", "about 24 hours", "--key " + made.keyPath} {
		if !strings.Contains(got, want) {
			t.Errorf("farewell lacks %q:\n%s", want, got)
		}
	}
}

func TestFarewellInTheDemoSaysTheFilesGo(t *testing.T) {
	m := newTestModel(t, emulatorBackend(t, "ok", "strict"))
	press(m, "enter", "enter")
	for m.current == stepForm {
		press(m, "enter")
	}
	if got := m.Farewell(); !strings.Contains(got, "This was the demo") || !strings.Contains(got, keygenOf(m).made.fingerprint) {
		t.Errorf("%s", got)
	}
}
