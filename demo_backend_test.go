package main

import (
	"bytes"
	"context"
	"io"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/teatest"

	"github.com/axysdoctor/axysdoctor/ui"
)

// TestDemoEveryPathReachesTheChecks walks each of the four paths of
// `axysdoctor demo` with enter through the defaults, at 80×24, against
// the backend the command builds, and expects a clean run at the end.
func TestDemoEveryPathReachesTheChecks(t *testing.T) {
	enter := tea.KeyMsg{Type: tea.KeyEnter}
	down := tea.KeyMsg{Type: tea.KeyDown}
	// Each path is a list of (what must be on screen, keys to press then).
	type stop struct {
		wait string
		keys []tea.KeyMsg
	}
	repeat := func(k tea.KeyMsg, n int) []tea.KeyMsg {
		out := make([]tea.KeyMsg, n)
		for i := range out {
			out[i] = k
		}
		return out
	}
	form := []stop{
		{"Detected calling IP: 127.0.0.1", repeat(enter, 10)},
		{"Press enter to have the emulator sign it.", []tea.KeyMsg{enter}},
	}
	test := []stop{
		{"✓ the private key belongs to the certificate", []tea.KeyMsg{enter}},
		{"Using the key from the emulator", []tea.KeyMsg{enter}},
	}
	paths := map[string][]stop{
		"onboarding": append(append([]stop{
			{"What do you want to do?", []tea.KeyMsg{enter}},
			{"Which environment?", []tea.KeyMsg{enter}},
		}, form...), append([]stop{{"Signed certificate", []tea.KeyMsg{enter}}}, test...)...),
		"renewal": append(append([]stop{
			{"What do you want to do?", []tea.KeyMsg{down, enter}},
			{"Which environment?", []tea.KeyMsg{enter}},
			{"which certificate are you renewing?", []tea.KeyMsg{enter}},
			{"valid for", []tea.KeyMsg{enter}},
		}, form...), append([]stop{{"Signed certificate", []tea.KeyMsg{enter}}}, test...)...),
		"have a certificate": append([]stop{
			{"What do you want to do?", []tea.KeyMsg{down, down, enter}},
			{"Which environment?", []tea.KeyMsg{enter}},
			{"Signed certificate", []tea.KeyMsg{enter}},
		}, test...),
		"triage": append([]stop{
			{"What do you want to do?", []tea.KeyMsg{down, down, down, enter}},
			{"Which environment?", []tea.KeyMsg{enter}},
			{"Signed certificate", []tea.KeyMsg{enter}},
		}, test...),
	}
	for name, stops := range paths {
		t.Run(name, func(t *testing.T) {
			b, stopDemo, err := demoBackend("ok", "strict")
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(stopDemo)
			m := ui.New(context.Background(), ui.Options{Backend: b, Output: io.Discard, ReportDir: t.TempDir()})
			tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(80, 24))
			for _, s := range stops {
				waitForScreen(t, tm, s.wait)
				for _, k := range s.keys {
					tm.Send(k)
				}
			}
			// Not the summary line alone: it reads "running… 10 passed" once
			// the last check is in and before the run has ended.
			waitForScreen(t, tm, "All checks pass: this setup gets a 200.")
			tm.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("q")})
			final := tm.FinalModel(t, teatest.WithFinalTimeout(10*time.Second)).(*ui.Model)
			if rep, ok := final.LastReport(); !ok || rep.ExitCode(true) != 0 {
				t.Errorf("report %v", rep.Summary())
			}
		})
	}
}

// waitForScreen waits until the program has drawn text (generously: RSA
// generation under the race detector on two cores is slow).
func waitForScreen(t *testing.T, tm *teatest.TestModel, text string) {
	t.Helper()
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool { return bytes.Contains(b, []byte(text)) },
		teatest.WithDuration(60*time.Second), teatest.WithCheckInterval(20*time.Millisecond))
}
