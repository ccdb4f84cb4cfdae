package main

import (
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode"
)

// hostileName clears the screen, sets the window title, forges a line and
// reverses the rest of the line with a bidi override.
const hostileName = "evil\x1b[2J\x1b]0;pwned\x07\r\n✓ api.acme.example belongs to everything\u202Etxt.exe"

// assertTerminalSafe fails when out holds anything a terminal would act
// on: C0/C1 controls other than newline, bidi controls, zero-width
// characters; and when it holds more lines than want.
func assertTerminalSafe(t *testing.T, where, out string, maxLines int) {
	t.Helper()
	for _, r := range out {
		if (r < 0x20 && r != '\n') || r == 0x7f || (r >= 0x80 && r < 0xa0) || unicode.Is(unicode.Cf, r) {
			t.Errorf("%s holds %U:\n%q", where, r, out)
			return
		}
	}
	if n := strings.Count(out, "\n"); n > maxLines {
		t.Errorf("%s has %d lines, at most %d expected: a forged line?\n%s", where, n, maxLines, out)
	}
	if strings.Contains(out, "\n✓ api.acme.example belongs") {
		t.Errorf("%s shows the forged line as a line of its own:\n%s", where, out)
	}
}

// TestHostileTextNeverReachesTheTerminal: a certificate whose subject and
// SANs carry escape sequences, line breaks and a bidi override, and a PEM
// file whose header does, through inspect (text and JSON), its errors on
// stderr and csr --from-cert. Before, inspect cleared the screen, set the
// window title and printed the forged line.
func TestHostileTextNeverReachesTheTerminal(t *testing.T) {
	dir := t.TempDir()
	leaf, _ := oddIssue(t, nil, &x509.Certificate{
		Subject:  pkix.Name{CommonName: hostileName, Organization: []string{hostileName}, OrganizationalUnit: []string{"Cards\u200B"}},
		DNSNames: []string{"a.example\x1b[2J"},
	})
	cert := filepath.Join(dir, "evil.pem")
	os.WriteFile(cert, pemCert(leaf), 0o600)
	header := filepath.Join(dir, "header.pem")
	os.WriteFile(header, []byte("-----BEGIN \x1b]0;pwned\x07CERTIFICATE-----\nnot base64 at all\n"), 0o600)
	block := filepath.Join(dir, "block.pem")
	os.WriteFile(block, []byte("-----BEGIN \x1b[2J\u202EX-----\nAAAA\n-----END \x1b[2J\u202EX-----\n"), 0o600)

	r := runCLI(t, nil, "", "inspect", cert)
	assertTerminalSafe(t, "inspect text", r.stdout, 12)
	if r.code != 0 || !strings.Contains(r.stdout, `evil\x1b[2J\x1b]0;pwned\x07\r\n✓ api.acme.example belongs to everything<U+202E>txt.exe`) {
		t.Errorf("exit %d; the name is not shown escaped:\n%s%s", r.code, r.stdout, r.stderr)
	}
	r = runCLI(t, nil, "", "inspect", "-o", "json", cert, block)
	assertTerminalSafe(t, "inspect JSON", r.stdout, 100)
	var doc struct {
		Files []struct {
			Items []struct{ Subject, Description, Format, Problem string }
		}
	}
	if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil {
		t.Fatal(err)
	}
	// What `jq -r` would print: the decoded strings themselves.
	for _, f := range doc.Files {
		for _, it := range f.Items {
			assertTerminalSafe(t, "a decoded JSON string", it.Subject+it.Description+it.Format+it.Problem, 0)
		}
	}
	r = runCLI(t, nil, "", "inspect", header)
	assertTerminalSafe(t, "inspect's error", r.stderr, 1)
	if r.code != 2 || !strings.Contains(r.stderr, `-----BEGIN \x1b]0;pwned\x07CERTIFICATE-----`) {
		t.Errorf("exit %d, stderr %q", r.code, r.stderr)
	}
	r = runCLI(t, nil, "", "csr", "--from-cert", cert, "--key-type", "p256", "--key-out", filepath.Join(dir, "n.key"), "--csr-out", filepath.Join(dir, "n.csr"))
	assertTerminalSafe(t, "csr --from-cert stdout", r.stdout, 20)
	assertTerminalSafe(t, "csr --from-cert stderr", r.stderr, 1)
}
