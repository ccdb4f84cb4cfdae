package main

import (
	"bytes"
	"encoding/pem"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/axysdoctor/axysdoctor/emulator"
)

// secretsOf returns the strings that must never appear in any output: the
// API key, and every base64 line of the private key's PEM.
func secretsOf(t *testing.T, apiKey string, keyPEM []byte) []string {
	t.Helper()
	out := []string{apiKey}
	// No eight characters of the key either: a fragment left at a cut
	// edge is a leak too.
	for i := 0; i+8 <= len(apiKey); i++ {
		out = append(out, apiKey[i:i+8])
	}
	b, _ := pem.Decode(keyPEM)
	if b == nil {
		t.Fatal("no PEM key")
	}
	for _, line := range strings.Split(string(pem.EncodeToMemory(&pem.Block{Type: b.Type, Bytes: b.Bytes})), "\n") {
		if len(line) >= 40 && !strings.HasPrefix(line, "-----") {
			out = append(out, line)
		}
	}
	return out
}

func assertClean(t *testing.T, where string, text []byte, secrets []string) {
	t.Helper()
	for _, s := range secrets {
		if bytes.Contains(text, []byte(s)) {
			t.Errorf("%s contains a secret (%.12s…)", where, s)
		}
	}
}

// TestSecretsNeverAppear runs every command and output format with a known
// API key and private key and looks for either in stdout, stderr and every
// file written. (The wizard's saved report is checked in ui's flow test.)
func TestSecretsNeverAppear(t *testing.T) {
	for _, scenario := range []string{"ok", "wrong-api-key", "redirect", "tenant-key", "reflect-key"} {
		emu, files, args := startEmulator(t, emulator.Options{Scenario: scenario})
		keyPEM, _ := os.ReadFile(files.Key)
		apiKey, _ := os.ReadFile(files.APIKey)
		secrets := secretsOf(t, strings.TrimSpace(string(apiKey)), keyPEM)
		dir := t.TempDir()
		runs := [][]string{}
		for _, format := range []string{"text", "json", "markdown"} {
			runs = append(runs, append(append([]string{}, args...), "--output", format, "--verbose"))
		}
		runs = append(runs,
			[]string{"inspect", files.Key, files.Cert},
			[]string{"inspect", "--output", "json", "--key", files.Key, files.Cert},
			[]string{"inspect", "--key", files.Key, files.Cert},
			[]string{"csr", "--from-cert", files.Cert, "--key-type", "p256", "--key-out", filepath.Join(dir, "n.key"), "--csr-out", filepath.Join(dir, "n.csr")},
			[]string{"demo", "--plain", "--scenario", scenario, "--output", "markdown"},
			[]string{"version"},
		)
		for _, a := range runs {
			env := map[string]string{"AXYS_API_KEY": strings.TrimSpace(string(apiKey))}
			r := runCLI(t, env, "", a...)
			name := scenario + ": " + a[0]
			assertClean(t, name+" stdout", []byte(r.stdout), secrets)
			assertClean(t, name+" stderr", []byte(r.stderr), secrets)
			if r.stdout == "" {
				t.Errorf("%s printed nothing (exit %d, %s)", name, r.code, r.stderr)
			}
		}
		// Files written by csr hold a new key (its own secret) and a CSR:
		// neither may hold the old key or the API key.
		for _, f := range []string{"n.csr"} {
			data, _ := os.ReadFile(filepath.Join(dir, f))
			assertClean(t, f, data, secrets)
		}
		_ = emu
	}
}

// TestNoFlagTakesASecret: argv is visible to every user of the machine, so
// no flag may carry an API key or a password — only the name of an
// environment variable or a file.
func TestNoFlagTakesASecret(t *testing.T) {
	e, _, _ := testEnv(nil, "")
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		c.Flags().VisitAll(func(f *pflagFlag) {
			n := f.Name
			if (strings.Contains(n, "password") || strings.Contains(n, "api-key") || n == "token" || n == "secret") &&
				!strings.HasSuffix(n, "-env") && !strings.HasSuffix(n, "-file") {
				t.Errorf("%s --%s takes a secret on the command line", c.CommandPath(), n)
			}
		})
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(newRootCmd(e))
}

type pflagFlag = pflag.Flag

// TestAPIKeyFileReadableByOthersWarns: like key.file for the private key,
// an --api-key-file others can read earns one warning line on stderr.
func TestAPIKeyFileReadableByOthersWarns(t *testing.T) {
	dir := t.TempDir()
	for _, mode := range []os.FileMode{0o600, 0o640, 0o644} {
		path := filepath.Join(dir, "key-"+mode.String())
		os.WriteFile(path, []byte("k-0123456789abcdef\n"), mode)
		os.Chmod(path, mode) // whatever the umask
		e, _, errb := testEnv(nil, "")
		key, _, err := readAPIKey(e, path, "")
		if err != nil || key.Empty() {
			t.Fatalf("%v: %v", mode, err)
		}
		warned := strings.Contains(errb.String(), "readable by group or others (mode 0"+strconv.FormatUint(uint64(mode), 8)+"): chmod 600 "+path)
		if warned != (mode != 0o600) || strings.Count(errb.String(), "\n") > 1 {
			t.Errorf("mode %v: stderr %q", mode, errb.String())
		}
		if strings.Contains(errb.String(), "0123456789abcdef") {
			t.Error("the warning shows the key")
		}
	}
}
