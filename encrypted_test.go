package main

import (
	"encoding/pem"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/youmark/pkcs8"
	"software.sslmate.com/src/go-pkcs12"

	"github.com/axysdoctor/axysdoctor/csr"
	"github.com/axysdoctor/axysdoctor/emulator"
)

// TestCheckWithEncryptedKeyAndPKCS12 runs check with an encrypted PKCS#8
// key and with a PKCS#12 file, each with the right password (passes), a
// wrong one and none (one line, exit 2).
func TestCheckWithEncryptedKeyAndPKCS12(t *testing.T) {
	_, files, args := startEmulator(t, emulator.Options{})
	f, err := csr.ReadFile(files.Key, nil)
	if err != nil {
		t.Fatal(err)
	}
	key := f.Keys()[0]
	certFile, _ := csr.ReadFile(files.Cert, nil)
	dir := t.TempDir()
	encDER, err := pkcs8.MarshalPrivateKey(key, []byte("s3cret"), nil)
	if err != nil {
		t.Fatal(err)
	}
	encKey := filepath.Join(dir, "enc.key")
	os.WriteFile(encKey, pem.EncodeToMemory(&pem.Block{Type: "ENCRYPTED PRIVATE KEY", Bytes: encDER}), 0o600)
	p12, err := pkcs12.Modern.Encode(key, certFile.Certificates()[0], nil, "s3cret")
	if err != nil {
		t.Fatal(err)
	}
	p12Path := filepath.Join(dir, "client.p12")
	os.WriteFile(p12Path, p12, 0o600)

	base := append([]string{}, args...)
	withKey := append(append([]string{}, base...), "--key", encKey)
	withP12 := func(extra ...string) []string {
		var a []string
		for i := 0; i < len(base); i++ {
			if base[i] == "--cert" || base[i] == "--key" {
				i++
				continue
			}
			a = append(a, base[i])
		}
		return append(append(a, "--p12", p12Path), extra...)
	}
	cases := []struct {
		name string
		args []string
		env  map[string]string
		code int
		err  string
	}{
		{"encrypted key, right password", append(withKey, "--key-password-env", "PW"), map[string]string{"PW": "s3cret"}, 0, ""},
		{"encrypted key, wrong password", append(withKey, "--key-password-env", "PW"), map[string]string{"PW": "nope"}, 2, "wrong password"},
		{"encrypted key, no password", withKey, nil, 2, "pass --key-password-env NAME"},
		{"encrypted key, empty variable", append(withKey, "--key-password-env", "PW"), nil, 2, "$PW (--key-password-env) is empty"},
		{"PKCS#12, right password", withP12("--p12-password-env", "PW"), map[string]string{"PW": "s3cret"}, 0, ""},
		{"PKCS#12, wrong password", withP12("--p12-password-env", "PW"), map[string]string{"PW": "nope"}, 2, "wrong password"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := runCLI(t, c.env, "", c.args...)
			if r.code != c.code {
				t.Fatalf("exit %d, want %d\n%s%s", r.code, c.code, r.stdout, r.stderr)
			}
			if c.err != "" && (!strings.Contains(r.stderr, c.err) || strings.Count(strings.TrimSpace(r.stderr), "\n") != 0) {
				t.Errorf("stderr %q: want one line with %q", r.stderr, c.err)
			}
			if c.code == 0 && !strings.Contains(r.stdout, "10 passed") {
				t.Errorf("stdout:\n%s", r.stdout)
			}
		})
	}
}
