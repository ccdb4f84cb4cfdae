package main

import (
	"bufio"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/axysdoctor/axysdoctor/emulator"
	"github.com/axysdoctor/axysdoctor/internal/testnet"
)

// interruptAfter starts this test binary as axysdoctor with args, waits
// until its stderr shows marker (when given), sends sig, and returns the
// exit code and how long the process took to end after the signal.
func interruptAfter(t *testing.T, sig os.Signal, stdin io.Reader, marker string, args ...string) (int, time.Duration, string) {
	t.Helper()
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(os.Environ(), "AXYSDOCTOR_AS_MAIN=1")
	cmd.Stdin = stdin
	stderr, _ := cmd.StderrPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	rd := bufio.NewReader(stderr)
	var seen strings.Builder
	if marker == "" {
		marker = signalsReady
	}
	for _, marker := range []string{signalsReady, marker} {
		for !strings.Contains(seen.String(), marker) {
			line, err := rd.ReadString('\n')
			seen.WriteString(line)
			if err != nil {
				t.Fatalf("the process ended before %q: %q", marker, seen.String())
			}
		}
	}
	sent := time.Now()
	cmd.Process.Signal(sig)
	rest, _ := io.ReadAll(rd)
	cmd.Wait()
	took := time.Since(sent)
	return cmd.ProcessState.ExitCode(), took, seen.String() + string(rest)
}

// TestInterruptEndsEveryWaitWithinASecond: Ctrl+C or SIGTERM ends the
// process within one second, exit 130, whether it waits on the network
// (a gateway that never answers, with a long --timeout) or on a read that
// never ends (--api-key-file - on a pipe nobody closes).
func TestInterruptEndsEveryWaitWithinASecond(t *testing.T) {
	emu, err := emulator.Start(emulator.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer emu.Close()
	files, err := emu.WriteDir(t.TempDir(), false)
	if err != nil {
		t.Fatal(err)
	}
	blackhole := testnet.TCPBlackhole(t)
	silentDNS := testnet.UDPBlackhole(t)
	network := []string{"check", "--base-url", "https://" + blackhole + "/v2", "--cert", files.Cert, "--key", files.Key,
		"--ca-file", files.CA, "--resolver", silentDNS, "--egress-server", silentDNS, "--timeout", "60s", "--proxy", "direct"}
	for _, sig := range []os.Signal{os.Interrupt, syscall.SIGTERM, syscall.SIGHUP} {
		t.Run("network wait/"+sig.String(), func(t *testing.T) {
			code, took, stderr := interruptAfter(t, sig, nil, "no API key", network...)
			if code != exitInterrupted || took > time.Second {
				t.Errorf("exit %d after %s, want %d within 1s; stderr %q", code, took, exitInterrupted, stderr)
			}
		})
	}
	t.Run("read from a pipe that never ends", func(t *testing.T) {
		r, w, err := os.Pipe()
		if err != nil {
			t.Fatal(err)
		}
		defer r.Close()
		defer w.Close()
		args := append([]string{}, network...)
		args = append(args, "--api-key-file", "-")
		code, took, stderr := interruptAfter(t, os.Interrupt, r, "", args...)
		if code != exitInterrupted || took > time.Second {
			t.Errorf("exit %d after %s, want %d within 1s; stderr %q", code, took, exitInterrupted, stderr)
		}
	})
}

// TestDemoRemovesItsDirectoryOnHangup: the plain demo's temporary
// directory, which holds a private key, is gone after SIGHUP.
func TestDemoRemovesItsDirectoryOnHangup(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	// slow-handshake stalls for the demo's 2 s timeout, with the key on disk.
	code, took, stderr := interruptAfter(t, syscall.SIGHUP, nil, "credentials in", "demo", "--plain", "--scenario", "slow-handshake")
	if entries, _ := os.ReadDir(tmp); len(entries) != 0 {
		t.Errorf("left behind after SIGHUP: %v", entries)
	}
	if code != exitInterrupted || took > time.Second {
		t.Errorf("exit %d after %s, want %d within 1s; stderr %q", code, took, exitInterrupted, stderr)
	}
}

// TestInterruptDuringKeyDerivation: an encrypted key whose derivation
// takes about a second and a half (within the budget; testdata/README.md
// says how it was made) is being opened when Ctrl+C comes: the process
// still ends within a second, exit 130.
func TestInterruptDuringKeyDerivation(t *testing.T) {
	t.Setenv("SLOW_KEY_PW", "pw")
	code, took, stderr := interruptAfter(t, os.Interrupt, nil, "", "inspect", "--password-env", "SLOW_KEY_PW", filepath.Join("testdata", "slow-derivation.key"))
	if code != exitInterrupted || took > time.Second {
		t.Errorf("exit %d after %s, want %d within 1s; stderr %q", code, took, exitInterrupted, stderr)
	}
}
