//go:build unix

package main

import (
	"bytes"
	"crypto/x509"
	"crypto/x509/pkix"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// specialFiles makes one of each thing that is not a regular file.
func specialFiles(t *testing.T) map[string]string {
	t.Helper()
	dir := t.TempDir()
	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	sock := filepath.Join(dir, "sock")
	l, err := net.Listen("unix", sock)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	return map[string]string{
		"named pipe (FIFO)": fifo,
		"socket":            sock,
		"character device":  "/dev/zero",
		"directory":         dir,
	}
}

// TestEveryFileInputRefusesSpecialFiles: a FIFO, a device, a socket or a
// directory given as any file input ends at once with exit 2 and one line
// naming what it is. Before, a FIFO hung every command for ever.
func TestEveryFileInputRefusesSpecialFiles(t *testing.T) {
	dir := t.TempDir()
	leaf, key := oddIssue(t, nil, &x509.Certificate{Subject: pkix.Name{CommonName: "api.acme.example", Organization: []string{"Acme"}}, DNSNames: []string{"api.acme.example"}})
	cert, keyPath, apiKey := filepath.Join(dir, "c.pem"), filepath.Join(dir, "c.key"), filepath.Join(dir, "api-key")
	os.WriteFile(cert, pemCert(leaf), 0o600)
	os.WriteFile(keyPath, pemKey(t, key), 0o600)
	os.WriteFile(apiKey, []byte("k-0123456789abcdef\n"), 0o600)
	check := []string{"check", "--base-url", "https://127.0.0.1:1/v2", "--cert", cert, "--key", keyPath, "--ca-file", cert, "--api-key-file", apiKey}
	out := filepath.Join(dir, "out")
	inputs := map[string]func(path string) []string{
		"check --cert":         func(p string) []string { return append(check, "--cert", p) },
		"check --key":          func(p string) []string { return append(check, "--key", p) },
		"check --p12":          func(p string) []string { return []string{"check", "--base-url", "https://127.0.0.1:1/v2", "--p12", p} },
		"check --ca-file":      func(p string) []string { return append(check, "--ca-file", p) },
		"check --api-key-file": func(p string) []string { return append(check, "--api-key-file", p) },
		"csr --from-cert": func(p string) []string {
			return []string{"csr", "--from-cert", p, "--key-out", out + ".key", "--csr-out", out + ".csr"}
		},
		"inspect FILE":  func(p string) []string { return []string{"inspect", p} },
		"inspect --key": func(p string) []string { return []string{"inspect", "--key", p, cert} },
	}
	for what, path := range specialFiles(t) {
		for input, args := range inputs {
			t.Run(input+" "+what, func(t *testing.T) {
				r := runCLI(t, nil, "", args(path)...)
				if r.code != 2 {
					t.Fatalf("exit %d, want 2; stderr %q", r.code, r.stderr)
				}
				want := "is a " + what + ", not a regular file"
				if strings.Count(strings.TrimSpace(r.stderr), "\n") != 0 || !strings.Contains(r.stderr, path+": "+want) {
					t.Errorf("stderr %q: want one line with %q", r.stderr, path+": "+want)
				}
			})
		}
	}
	if _, err := os.Stat(out + ".key"); err == nil {
		t.Error("csr wrote a key despite refusing its input")
	}
}

// TestCAFileIsAnInputError: --ca-file problems end with exit 2 before any
// check runs, instead of becoming a TLS failure (or, for /dev/zero, an
// out-of-memory crash).
func TestCAFileIsAnInputError(t *testing.T) {
	dir := t.TempDir()
	leaf, key := oddIssue(t, nil, &x509.Certificate{Subject: pkix.Name{CommonName: "api.acme.example"}, DNSNames: []string{"api.acme.example"}})
	cert, keyPath := filepath.Join(dir, "c.pem"), filepath.Join(dir, "c.key")
	os.WriteFile(cert, pemCert(leaf), 0o600)
	os.WriteFile(keyPath, pemKey(t, key), 0o600)
	write := func(name string, data []byte) string {
		p := filepath.Join(dir, name)
		os.WriteFile(p, data, 0o600)
		return p
	}
	cases := []struct{ path, want string }{
		{filepath.Join(dir, "missing.pem"), "missing.pem: no such file"},
		{write("empty.pem", nil), "empty.pem: the file is empty"},
		{write("der.crt", leaf.Raw), "der.crt: is DER, not PEM"},
		{write("key.pem", pemKey(t, key)), "key.pem: holds no CA certificate (it has a private key)"},
		{write("junk.txt", []byte("hello\n")), "junk.txt: text without a -----BEGIN line"},
		{write("big.pem", make([]byte, 2<<20)), "big.pem: larger than 1 MB"},
		{"/dev/zero", "/dev/zero: is a character device, not a regular file"},
	}
	for _, c := range cases {
		t.Run(filepath.Base(c.path), func(t *testing.T) {
			r := runCLI(t, nil, "", "check", "--base-url", "https://127.0.0.1:1/v2", "--cert", cert, "--key", keyPath, "--ca-file", c.path)
			if r.code != 2 || r.stdout != "" || !strings.Contains(r.stderr, "axysdoctor: --ca-file ") || !strings.Contains(r.stderr, c.want) || strings.Count(strings.TrimSpace(r.stderr), "\n") != 0 {
				t.Errorf("exit %d, stdout %q, stderr %q; want exit 2 and one --ca-file line with %q", r.code, r.stdout, r.stderr, c.want)
			}
		})
	}
}

// TestCSRForceNeverDestroys: csr --force leaves a FIFO a FIFO, and keeps
// the previous CSR when the new key cannot be written.
func TestCSRForceNeverDestroys(t *testing.T) {
	dir := t.TempDir()
	fifo, csrPath := filepath.Join(dir, "fifo"), filepath.Join(dir, "client.csr")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(csrPath, []byte("previous CSR"), 0o644)
	base := []string{"csr", "--org", "Acme", "--unit", "Cards", "--cn", "api.acme.example", "--key-type", "p256", "--force", "--csr-out", csrPath}
	r := runCLI(t, nil, "", append(base, "--key-out", fifo)...)
	if r.code != 2 || !strings.Contains(r.stderr, fifo+" is a named pipe (FIFO), not a regular file: axysdoctor never replaces it, --force or not; nothing was written") {
		t.Errorf("FIFO as --key-out: exit %d, %q", r.code, r.stderr)
	}
	if st, err := os.Lstat(fifo); err != nil || st.Mode()&os.ModeNamedPipe == 0 {
		t.Errorf("the FIFO was replaced: %v %v", st.Mode(), err)
	}
	r = runCLI(t, nil, "", append(base, "--key-out", filepath.Join(dir, "missing", "client.key"))...)
	if r.code != 2 || !strings.Contains(r.stderr, "no such file") {
		t.Errorf("key in a missing directory: exit %d, %q", r.code, r.stderr)
	}
	if b, _ := os.ReadFile(csrPath); string(b) != "previous CSR" {
		t.Errorf("the previous CSR now holds %q", b)
	}
}

// TestFIFOInputNeverHangs runs the real binary on a FIFO no one writes to:
// it ends at once with exit 2, so there is nothing for Ctrl+C to
// interrupt. Before, the open blocked for ever, and both Ctrl+C and
// SIGTERM were ignored (the signal handler was waiting for the open too).
func TestFIFOInputNeverHangs(t *testing.T) {
	fifo := filepath.Join(t.TempDir(), "cert.pem")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"inspect", fifo}, {"check", "--cert", fifo}, {"csr", "--from-cert", fifo}} {
		cmd := exec.Command(os.Args[0], args...)
		cmd.Env = append(os.Environ(), "AXYSDOCTOR_AS_MAIN=1")
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		cmd.Run()
		if code := cmd.ProcessState.ExitCode(); code != exitUsage || !strings.Contains(stderr.String(), "is a named pipe (FIFO)") {
			t.Errorf("%v: exit %d, stderr %q", args, code, stderr.String())
		}
	}
}
