package main

import (
	"bufio"
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// signalsReady is what the test binary, run as axysdoctor, prints on
// stderr once it catches signals.
const signalsReady = "axysdoctor-test: signals caught"

// TestMain lets the tests run this binary as axysdoctor itself, for the
// tests that need a real process (signals).
func TestMain(m *testing.M) {
	if os.Getenv("AXYSDOCTOR_AS_MAIN") == "1" {
		os.Exit(runProcess(os.Args[1:], newSystemEnv(), func() {
			os.Stderr.WriteString(signalsReady + "\n")
		}))
	}
	os.Exit(m.Run())
}

// TestSignalDuringKeyGeneration interrupts `csr` while it generates an
// RSA-4096 key (it warns about the key type on stderr just before it
// starts) and checks that no key, CSR or temporary file is left, and that
// an existing key that --force would have replaced is untouched.
func TestSignalDuringKeyGeneration(t *testing.T) {
	for _, sig := range []os.Signal{os.Interrupt, syscall.SIGTERM} {
		for _, existing := range []bool{false, true} {
			name := sig.String()
			if existing {
				name += " with an existing key"
			}
			t.Run(name, func(t *testing.T) {
				dir := t.TempDir()
				keyPath, csrPath := filepath.Join(dir, "client.key"), filepath.Join(dir, "client.csr")
				args := []string{"csr", "--org", "Acme", "--unit", "Cards", "--cn", "api.acme.example", "--key-type", "rsa4096",
					"--key-out", keyPath, "--csr-out", csrPath}
				var old []byte
				if existing {
					old = []byte("the previous key, which must survive\n")
					os.WriteFile(keyPath, old, 0o600)
					args = append(args, "--force")
				}
				cmd := exec.Command(os.Args[0], args...)
				cmd.Env = append(os.Environ(), "AXYSDOCTOR_AS_MAIN=1")
				stderr, _ := cmd.StderrPipe()
				if err := cmd.Start(); err != nil {
					t.Fatal(err)
				}
				rd := bufio.NewReader(stderr)
				line, err := rd.ReadString('\n')
				if strings.Contains(line, signalsReady) {
					line, err = rd.ReadString('\n')
				}
				if err != nil || !strings.Contains(line, "RSA-2048") {
					t.Fatalf("expected the key-type warning first, got %q (%v)", line, err)
				}
				cmd.Process.Signal(sig) // generation is under way
				rest := new(bytes.Buffer)
				rest.ReadFrom(rd)
				err = cmd.Wait()
				code := cmd.ProcessState.ExitCode()
				if code != exitInterrupted || !strings.Contains(rest.String(), "nothing was written") {
					t.Fatalf("exit %d (%v), stderr %q", code, err, rest.String())
				}
				entries, _ := os.ReadDir(dir)
				for _, e := range entries {
					if e.Name() != "client.key" || !existing {
						t.Errorf("left behind: %s", e.Name())
					}
				}
				if existing {
					if now, _ := os.ReadFile(keyPath); !bytes.Equal(now, old) {
						t.Error("the existing key changed")
					}
				}
			})
		}
	}
}
