package ui

import (
	"regexp"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/axysdoctor/axysdoctor/checks"
	"github.com/axysdoctor/axysdoctor/docs"
)

// toDetail shows r in the detail step after a finished run.
func toDetail(t *testing.T, m *Model, r checks.Result) {
	t.Helper()
	run := startChecks(m)
	send(m, asyncMsg{step: stepChecks, job: jobChecks, run: run, msg: checksDoneMsg{sampleReport()}})
	send(m, openDetailMsg{r})
	if m.current != stepDetail {
		t.Fatalf("step %v", m.current)
	}
}

var moreBelow = regexp.MustCompile(`↓ (\d+) more lines? \(pgdn\)`)

func TestDetailFitsAt80x24ObservationFirst(t *testing.T) {
	m := newTestModel(t, testBackend(t.TempDir()))
	r := sampleReport().Results[7]
	toDetail(t, m, r)
	v := m.View()
	if moreBelow.MatchString(v) {
		t.Fatalf("something is below the fold:\n%s", v)
	}
	observed, fix, table := strings.Index(v, "Observed"), strings.Index(v, "What to do"), strings.Index(v, "Failure table")
	if observed < 0 || !(observed < fix && fix < table) {
		t.Fatalf("want Observed, What to do, Failure table in that order:\n%s", v)
	}
	for _, e := range r.Evidence {
		if !strings.Contains(flat(v), e.Value) {
			t.Errorf("evidence %q is not on screen", e.Value)
		}
	}
	// Folded: only the matched row.
	if !strings.Contains(v, "▶ authorized-ips") || strings.Contains(v, "api-key  ") || !strings.Contains(v, "t shows the whole table") {
		t.Errorf("not folded to the matched row:\n%s", v)
	}
	press(m, "t")
	v = m.View()
	for _, row := range docs.Table {
		if !row.Ours && !strings.Contains(v, row.ID) {
			t.Errorf("expanded table lacks %s:\n%s", row.ID, v)
		}
	}
	press(m, "t")
	if strings.Contains(m.View(), "tenant-credentials") {
		t.Error("t does not fold the table again")
	}
}

func TestDetailSaysWhatIsBelowTheFoldAndScrolls(t *testing.T) {
	m := newTestModel(t, testBackend(t.TempDir()))
	toDetail(t, m, longResult())
	v := m.View()
	match := moreBelow.FindStringSubmatch(v)
	if match == nil {
		t.Fatalf("no hint:\n%s", v)
	}
	if lines := strings.Split(v, "\n"); len(lines) != 24 {
		t.Errorf("%d lines", len(lines))
	}
	press(m, "down")
	if v = m.View(); !strings.Contains(v, "↑ 1 line above") {
		t.Errorf("↓ did not scroll one line:\n%s", v)
	}
	send(m, tea.KeyMsg{Type: tea.KeyPgDown})
	send(m, tea.KeyMsg{Type: tea.KeyPgDown})
	v = m.View()
	if moreBelow.MatchString(v) || !strings.Contains(v, "lines above") || !strings.Contains(v, "docs.api.axyscards.com") {
		t.Errorf("pgdn does not reach the end:\n%s", v)
	}
	// A new result starts at its top.
	send(m, openDetailMsg{longResult()})
	if strings.Contains(m.View(), "lines above") {
		t.Error("a new result opened scrolled")
	}
}

// Every step gets the hint when its body does not fit, not only the
// detail: here the form on a short terminal.
func TestEveryStepHintsAtWhatIsBelow(t *testing.T) {
	m := newTestModel(t, testBackend(t.TempDir()))
	toForm(t, m)
	send(m, tea.WindowSizeMsg{Width: 80, Height: 16})
	if !moreBelow.MatchString(m.View()) {
		t.Errorf("no hint:\n%s", m.View())
	}
}
