package ui

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/teatest"

	"github.com/axysdoctor/axysdoctor/csr"
	"github.com/axysdoctor/axysdoctor/emulator"
)

// Flows drive the real wizard in a real Bubble Tea program against the
// real emulator on loopback, as a person at an 80×24 terminal would.

func startDemo(t *testing.T, scenario, style string) (*Model, *teatest.TestModel, Backend) {
	t.Helper()
	b := emulatorBackend(t, scenario, style)
	m := New(context.Background(), Options{Backend: b, Output: io.Discard, ReportDir: t.TempDir()})
	tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(80, 24))
	t.Cleanup(func() { tm.Quit() })
	return m, tm, b
}

// waitScreen waits until the program has drawn text (timeouts are generous:
// RSA generation under the race detector on two cores is slow).
func waitScreen(t *testing.T, tm *teatest.TestModel, texts ...string) {
	t.Helper()
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool {
		for _, s := range texts {
			if !bytes.Contains(b, []byte(s)) {
				return false
			}
		}
		return true
	}, teatest.WithDuration(60*time.Second), teatest.WithCheckInterval(20*time.Millisecond))
}

func keyOf(k tea.KeyType) tea.KeyMsg { return tea.KeyMsg{Type: k} }

// walkToResults presses enter through the defaults, waiting at each step.
func walkToResults(t *testing.T, tm *teatest.TestModel) {
	t.Helper()
	waitScreen(t, tm, "What do you want to do?")
	tm.Send(keyOf(tea.KeyEnter))
	waitScreen(t, tm, "Which environment?")
	tm.Send(keyOf(tea.KeyEnter))
	waitScreen(t, tm, "Detected calling IP: 127.0.0.1")
	for range fieldCount {
		tm.Send(keyOf(tea.KeyEnter))
	}
	waitScreen(t, tm, "Press enter to have the emulator sign it.")
	tm.Send(keyOf(tea.KeyEnter))
	waitScreen(t, tm, "Signed certificate")
	tm.Send(keyOf(tea.KeyEnter))
	waitScreen(t, tm, "belongs to")
	tm.Send(keyOf(tea.KeyEnter))
	waitScreen(t, tm, "Using the key from the emulator")
	tm.Send(keyOf(tea.KeyEnter))
}

func TestFlowDemoHappyPath(t *testing.T) {
	_, tm, b := startDemo(t, "ok", "strict")
	walkToResults(t, tm)
	waitScreen(t, tm, "10 passed · 0 warnings · 0 failed · 0 skipped", "this setup gets a 200")
	tm.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("s")})
	waitScreen(t, tm, "Save the report")
	tm.Send(keyOf(tea.KeyEnter))
	waitScreen(t, tm, "Saved to")
	tm.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("q")})
	final := tm.FinalModel(t, teatest.WithFinalTimeout(10*time.Second)).(*Model)
	rep, ok := final.LastReport()
	if !ok || rep.ExitCode(true) != 0 {
		t.Fatalf("report %+v", rep.Summary())
	}
	data, err := os.ReadFile(final.SavedReport())
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(data), b.APIKey.Reveal()) || !strings.Contains(string(data), b.APIKey.Redacted()) {
		t.Error("the saved report is not redacted")
	}
	keyPEM, _ := os.ReadFile(filepath.Join(b.Dir, "client.key"))
	if len(keyPEM) == 0 || bytes.Contains(data, keyPEM[40:90]) {
		t.Error("the saved report holds private key material (or there is no key)")
	}
}

// TestFlowFailureScenarios plays every fault the demo offers: the results
// screen puts the cursor on the failing check, and its detail shows the
// evidence, the fix and the failure table with the matching row
// highlighted.
func TestFlowFailureScenarios(t *testing.T) {
	type flow struct{ scenario, style, check, row string }
	var flows []flow
	for _, sc := range emulator.Scenarios {
		if sc.ExpectCheck != "" {
			flows = append(flows, flow{sc.Name, emulator.StyleStrict, sc.ExpectCheck, sc.ExpectRow})
		}
	}
	flows = append(flows, flow{"expired-cert", emulator.StyleNginx, "cert.validity", "tls-handshake"})
	for _, f := range flows {
		t.Run(f.scenario+"/"+f.style, func(t *testing.T) {
			_, tm, _ := startDemo(t, f.scenario, f.style)
			walkToResults(t, tm)
			waitScreen(t, tm, "Select a check and press enter")
			tm.Send(keyOf(tea.KeyEnter)) // the cursor waits on the first problem
			// At 80×24 the observation comes first, on screen.
			waitScreen(t, tm, "Check detail", f.check, "Observed")
			tm.Send(keyOf(tea.KeyCtrlC))
			final := tm.FinalModel(t, teatest.WithFinalTimeout(10*time.Second)).(*Model)
			d := stepOf[detailStep](final, stepDetail)
			if d.result.ID != f.check || d.result.Row != f.row || !strings.Contains(d.view(), "What to do") || !strings.Contains(d.view(), "▶ "+f.row) {
				t.Errorf("detail of %s, row %s:\n%s", d.result.ID, d.result.Row, d.view())
			}
		})
	}
}

func TestFlowQuitDuringKeyGenerationLeavesNoPartialKey(t *testing.T) {
	m, tm, b := startDemo(t, "ok", "strict")
	waitScreen(t, tm, "What do you want to do?")
	tm.Send(keyOf(tea.KeyEnter))
	waitScreen(t, tm, "Which environment?")
	tm.Send(keyOf(tea.KeyEnter))
	waitScreen(t, tm, "Detected calling IP")
	for range fieldCount {
		tm.Send(keyOf(tea.KeyEnter))
	}
	tm.Send(keyOf(tea.KeyCtrlC))
	tm.WaitFinished(t, teatest.WithFinalTimeout(10*time.Second))
	m.Wait()
	entries, _ := os.ReadDir(b.Dir)
	for _, e := range entries {
		if strings.Contains(e.Name(), ".tmp-") {
			t.Errorf("temporary file left: %s", e.Name())
		}
	}
	// Either nothing was written, or a whole, readable key was.
	if _, err := os.Stat(filepath.Join(b.Dir, "client.key")); err == nil {
		if _, err := csr.ReadFile(filepath.Join(b.Dir, "client.key"), nil); err != nil {
			t.Errorf("a partial key was left: %v", err)
		}
	}
	if m.c.ctx.Err() == nil {
		t.Error("quitting did not cancel the work")
	}
}

func TestFlowQuitWhileChecksRun(t *testing.T) {
	m, tm, _ := startDemo(t, "slow-handshake", "strict")
	walkToResults(t, tm)
	waitScreen(t, tm, "running…")
	tm.Send(keyOf(tea.KeyCtrlC))
	tm.WaitFinished(t, teatest.WithFinalTimeout(10*time.Second))
	if m.c.ctx.Err() == nil {
		t.Error("quitting did not cancel the checks")
	}
}

// TestFlowFromAProfile is `axysdoctor --profile emu`: enter through the
// defaults reaches a clean run against the profile's gateway.
func TestFlowFromAProfile(t *testing.T) {
	emu, _, cfg := emulatorProfile(t, "emu")
	cfg.Start = "emu"
	m := New(context.Background(), Options{Backend: RealBackend(func(string) string { return "" }, t.TempDir()), Output: io.Discard, ReportDir: t.TempDir(), Config: cfg})
	tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(80, 24))
	t.Cleanup(func() { tm.Quit() })
	for _, wait := range []string{"--profile emu is selected", "From profile emu: its environment", "From profile emu: enter reads them.", "belongs to", "Using the key from file"} {
		waitScreen(t, tm, wait)
		tm.Send(keyOf(tea.KeyEnter))
	}
	waitScreen(t, tm, "10 passed · 0 warnings · 0 failed · 0 skipped", "this setup gets a 200", "p saves these settings as a profile")
	tm.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("q")})
	final := tm.FinalModel(t, teatest.WithFinalTimeout(10*time.Second)).(*Model)
	if rep, ok := final.LastReport(); !ok || rep.ExitCode(true) != 0 || rep.Environment.BaseURL != emu.BaseURL {
		t.Errorf("report %v against %s", rep.Summary(), rep.Environment.BaseURL)
	}
}
