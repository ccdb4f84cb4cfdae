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
	got := strings.ReplaceAll(flat(m.Farewell()), ": ", ":") // the fingerprint is on two lines
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
	if got := strings.ReplaceAll(flat(m.Farewell()), ": ", ":"); !strings.Contains(got, "This was the demo") || !strings.Contains(got, keygenOf(m).made.fingerprint) {
		t.Errorf("%s", got)
	}
}

func TestFingerprintLinesBreakBetweenBytes(t *testing.T) {
	fp := "3C:B5:25:6D:1F:11:32:5D:77:DC:A7:5E:DF:B5:A2:D3:23:7A:3D:16:90:F1:58:2B:9D:23:8A:93:86:F7:02:2D"
	for _, w := range []int{40, 64, 65, 66, 95, 200} {
		lines := fingerprintLines(fp, w)
		if got := strings.Join(lines, ""); got != fp {
			t.Errorf("width %d: %q", w, got)
		}
		for _, l := range lines {
			if len(l) > w || (l != lines[len(lines)-1] && !strings.HasSuffix(l, ":")) {
				t.Errorf("width %d: line %q", w, l)
			}
		}
	}
}
