package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/axysdoctor/axysdoctor/emulator"
)

// watchEnv is a non-terminal environment whose pause between runs calls
// between instead of waiting, and records the intervals asked for.
func watchEnv(vars map[string]string, between func(run int) error) (env, *bytes.Buffer, *bytes.Buffer, *[]time.Duration) {
	e, out, errb := testEnv(vars, "")
	var pauses []time.Duration
	e.sleep = func(ctx context.Context, d time.Duration) error {
		pauses = append(pauses, d)
		return between(len(pauses))
	}
	return e, out, errb, &pauses
}

// The allowlist entry arrives while check --watch waits: the next run is
// green, the watch says what changed, prints the report and exits 0.
func TestWatchTurnsGreenWhenTheFaultIsLifted(t *testing.T) {
	emu, _, args := startEmulator(t, emulator.Options{Scenario: "not-allowlisted"})
	e, out, errb, pauses := watchEnv(nil, func(run int) error {
		if run == 1 {
			return emu.SetScenario("ok") // the tenant's IP is allowlisted now
		}
		return nil
	})
	code := run(context.Background(), append(args, "--watch", "-o", "json"), e)
	if code != 0 {
		t.Fatalf("exit %d\n%s\n%s", code, out, errb)
	}
	if len(*pauses) != 1 || (*pauses)[0] != 30*time.Second {
		t.Errorf("pauses %v, want one of 30s (--watch alone)", *pauses)
	}
	log := errb.String()
	for _, want := range []string{
		"watching every 30s until every check passes",
		"run 1: 9 passed · 0 warnings · 1 failed · 0 skipped",
		"api.probe fail: HTTP 403",
		"api.probe fail → pass: HTTP 200",
		"every check passes after 2 runs",
	} {
		if !strings.Contains(log, want) {
			t.Errorf("stderr lacks %q:\n%s", want, log)
		}
	}
	if strings.Contains(log, "key.file pass") {
		t.Errorf("unchanged passing checks are logged:\n%s", log)
	}
	if s := summaryOf(t, out.String()); s["pass"] != 10 {
		t.Errorf("the final report: %v", s)
	}
}

// A new API key written into the --api-key-file while the watch waits is
// used by the next run: the key is one of the three things a cutover
// changes.
func TestWatchRereadsTheAPIKeyFile(t *testing.T) {
	_, files, args := startEmulator(t, emulator.Options{})
	keyFile := filepath.Join(t.TempDir(), "api-key")
	os.WriteFile(keyFile, []byte("axys_prog_not_the_right_one_000000\n"), 0o600)
	args = withFlagValue(args, "--api-key-file", keyFile)
	e, out, errb, _ := watchEnv(nil, func(run int) error {
		if run > 3 {
			return context.Canceled // the new key was never used
		}
		right, _ := os.ReadFile(files.APIKey)
		return os.WriteFile(keyFile, right, 0o600) // the right key arrives
	})
	if code := run(context.Background(), append(args, "--watch", "-o", "json"), e); code != 0 {
		t.Fatalf("exit %d\n%s\n%s", code, out, errb)
	}
	if log := errb.String(); !strings.Contains(log, "api.probe fail → pass") {
		t.Errorf("the watch did not turn green with the new key:\n%s", log)
	}
}

// withFlagValue sets flag's value in args, replacing the one there.
func withFlagValue(args []string, flag, value string) []string {
	out := append([]string{}, args...)
	for i := 0; i+1 < len(out); i++ {
		if out[i] == flag {
			out[i+1] = value
			return out
		}
	}
	return append(out, flag, value)
}

func TestWatchStopsOnCtrlC(t *testing.T) {
	_, _, args := startEmulator(t, emulator.Options{Scenario: "missing-ptr"})
	e, out, errb, _ := watchEnv(nil, func(run int) error {
		if run == 3 {
			return context.Canceled // Ctrl+C during the third wait
		}
		return nil
	})
	code := run(context.Background(), append(args, "--watch=1m"), e)
	if code != exitInterrupted {
		t.Errorf("exit %d, want %d", code, exitInterrupted)
	}
	if !strings.Contains(errb.String(), "interrupted after 3 runs; still not passing: dns.fcrdns") || out.Len() != 0 {
		t.Errorf("stdout %q\nstderr %s", out, errb)
	}
	if strings.Count(errb.String(), "dns.fcrdns fail") != 1 {
		t.Errorf("an unchanged failure is logged more than once:\n%s", errb)
	}
}

func TestWatchIntervalMustBePositive(t *testing.T) {
	for _, v := range []string{"--watch=0s", "--watch=-1m", "--watch=soon"} {
		r := runCLI(t, nil, "", "check", v, "--cert", "x.pem")
		if r.code != 2 || !strings.Contains(r.stderr, "give a positive interval") {
			t.Errorf("%s: exit %d %q", v, r.code, r.stderr)
		}
	}
}

// On a terminal the table is redrawn in place: the second drawing moves
// the cursor up over the first, and a check that changed says what it was.
func TestWatchOnATerminalRedrawsTheTable(t *testing.T) {
	emu, _, args := startEmulator(t, emulator.Options{Scenario: "not-allowlisted"})
	e, _, errb, _ := watchEnv(map[string]string{"NO_COLOR": "1"}, func(int) error { return emu.SetScenario("ok") })
	e.stderrTTY = true
	if code := run(context.Background(), append(args, "--watch=5s"), e); code != 0 {
		t.Fatalf("exit %d\n%s", code, errb)
	}
	screen := errb.String()
	// header + 10 checks = 11 lines, drawn three times: run 1, run 2, green.
	if n := strings.Count(screen, "\x1b[11A"); n != 2 {
		t.Errorf("%d redraws over 11 lines, want 2:\n%q", n, screen)
	}
	for _, want := range []string{"run 1 · ", "next ", "(every 5s) · Ctrl+C stops", "(was fail)", "every check passes after 2 runs"} {
		if !strings.Contains(screen, want) {
			t.Errorf("screen lacks %q:\n%s", want, screen)
		}
	}
	if strings.Contains(screen, "watching every") {
		t.Error("the log line of a non-terminal is shown on a terminal")
	}
}
