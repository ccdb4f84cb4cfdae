package bundle

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"encoding/pem"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/axysdoctor/axysdoctor/checks"
)

// keyPEM is a fresh private key as a PEM file (made here: no key markers
// live in the repository, where secret scanners would flag them).
func keyPEM(t *testing.T) []byte {
	t.Helper()
	k, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	der, err := x509.MarshalPKCS8PrivateKey(k)
	if err != nil {
		t.Fatal(err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})
}

// The last look before a bundle leaves: any secret in any file stops the
// write, and nothing is left behind.
func TestWriteRefusesSecrets(t *testing.T) {
	key := keyPEM(t)
	s := Secrets{APIKey: "axys_prog_0123456789abcdef", KeyFile: key}
	cases := map[string]string{
		"the whole key":       "key: axys_prog_0123456789abcdef",
		"8 of its characters": "…89abcdef", // more than the last four
		"a line of the key":   "quoted: " + strings.Split(string(key), "\n")[2],
		"a PEM key":           string(keyPEM(t)),
	}
	for name, text := range cases {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "b.zip")
			err := Write(path, []File{{"ok.txt", []byte("fine")}, {"leak.txt", []byte(text)}}, s, time.Now())
			if err == nil || !strings.Contains(err.Error(), "leak.txt") {
				t.Fatalf("got %v", err)
			}
			if strings.Contains(err.Error(), "0123456789") {
				t.Error("the error quotes the key")
			}
			if _, err := os.Stat(path); err == nil {
				t.Error("a bundle was written")
			}
		})
	}
	path := filepath.Join(t.TempDir(), "b.zip")
	if err := Write(path, []File{{"ok.txt", []byte("API key …cdef (sha256:1234abcd)")}}, s, time.Now()); err != nil {
		t.Fatalf("the redacted form is refused: %v", err)
	}
	if err := Write(path, []File{{"ok.txt", nil}}, s, time.Now()); err == nil || !strings.Contains(err.Error(), "already exists") {
		t.Errorf("overwrite: %v", err)
	}
}

func TestRedactProxy(t *testing.T) {
	for in, want := range map[string]string{
		"http://user:pw@proxy:3128":    "http://REDACTED@proxy:3128",
		"proxy.corp:3128":              "http://proxy.corp:3128",
		"http://proxy:3128/?token=abc": "http://proxy:3128/?REDACTED",
		"::not a url::":                "(set, but not a URL: value not shown)",
	} {
		if got := redactProxy("HTTPS_PROXY", in); got != want {
			t.Errorf("%q: %q, want %q", in, got, want)
		}
	}
}

func TestCollectReadsResolvConf(t *testing.T) {
	dir := t.TempDir()
	rc := filepath.Join(dir, "resolv.conf")
	os.WriteFile(rc, []byte("# generated\nnameserver 10.0.0.2\nsearch corp.example\noptions ndots:5\n"), 0o644)
	f := Collect(Sources{Getenv: func(string) string { return "" }, ResolvConf: rc, OSRelease: filepath.Join(dir, "none")}, "axd-1", "v1", checksReport(), time.Now())
	if strings.Join(f.Resolver.ResolvConf, "|") != "nameserver 10.0.0.2|search corp.example|options ndots:5" {
		t.Errorf("resolv.conf %q", f.Resolver.ResolvConf)
	}
	if f.Gateway.ClockSkewMS != nil || f.Gateway.ClockSkewNote == "" {
		t.Errorf("no Date header: skew %v note %q", f.Gateway.ClockSkewMS, f.Gateway.ClockSkewNote)
	}
}

func checksReport() checks.Report { return checks.Report{} }
