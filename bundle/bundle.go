package bundle

import (
	"archive/zip"
	"bytes"
	"encoding/pem"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/axysdoctor/axysdoctor/csr"
)

// File is one file of a bundle.
type File struct {
	Name string
	Data []byte
}

// Secrets are what a bundle must never contain.
type Secrets struct {
	APIKey string
	// KeyFile is the private key file's content, as read from disk.
	KeyFile []byte
	// Others are further secrets looked for whole, such as a proxy's
	// password (checks.ProxySecrets).
	Others []string
}

// fragment is the length of the pieces of the API key looked for: long
// enough not to match by chance, short enough to catch a key cut in two.
const fragment = 8

// ErrExists is returned when the bundle's path is taken: a bundle never
// replaces a file.
var ErrExists = errors.New("already exists")

// Write zips files into path, mode 0600, never replacing an existing file.
// It refuses, writing nothing, when a file would contain the API key (or
// any 8 characters of it) or the private key's bytes: the reports are
// redacted by construction, and this is the last look before a bundle
// leaves the machine.
func Write(path string, files []File, s Secrets, now time.Time) error {
	for _, f := range files {
		if what := leak(f.Data, s); what != "" {
			return fmt.Errorf("not written: %s would contain %s", f.Name, what)
		}
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range files {
		h := &zip.FileHeader{Name: f.Name, Method: zip.Deflate, Modified: now}
		h.SetMode(0o600)
		w, err := zw.CreateHeader(h)
		if err != nil {
			return err
		}
		if _, err := w.Write(f.Data); err != nil {
			return err
		}
	}
	if err := zw.Close(); err != nil {
		return err
	}
	if err := csr.WriteFile(path, buf.Bytes(), 0o600, false); err != nil {
		if errors.Is(err, csr.ErrExists) {
			return fmt.Errorf("%s %w: a bundle never replaces a file; choose another name", path, ErrExists)
		}
		return err
	}
	return nil
}

// Exists reports whether path is taken, so a run can refuse before it
// starts rather than after.
func Exists(path string) bool {
	_, err := os.Lstat(path)
	return err == nil
}

// leak names the secret data holds, or "".
func leak(data []byte, s Secrets) string {
	for _, frag := range fragments(s.APIKey) {
		if bytes.Contains(data, []byte(frag)) {
			return "the API key"
		}
	}
	if bytes.Contains(data, []byte("PRIVATE KEY-----")) {
		return "a PEM private key"
	}
	for _, o := range s.Others {
		if len(o) >= 4 && bytes.Contains(data, []byte(o)) {
			return "a proxy's password"
		}
	}
	for _, line := range keyLines(s.KeyFile) {
		if bytes.Contains(data, line) {
			return "bytes of the private key"
		}
	}
	return ""
}

// fragments are the key's substrings of fragment characters (the whole key
// when shorter).
func fragments(key string) []string {
	key = strings.TrimSpace(key)
	if len(key) <= fragment {
		if key == "" {
			return nil
		}
		return []string{key}
	}
	var out []string
	for i := 0; i+fragment <= len(key); i++ {
		out = append(out, key[i:i+fragment])
	}
	return out
}

// keyLines are the base64 lines of every PEM block in a key file: any one
// of them in a bundle means key material went out.
func keyLines(keyFile []byte) [][]byte {
	var out [][]byte
	for rest := keyFile; ; {
		var b *pem.Block
		b, rest = pem.Decode(rest)
		if b == nil {
			return out
		}
		enc := []byte(pemBody(b))
		for _, l := range bytes.Split(enc, []byte("\n")) {
			if len(l) >= 16 {
				out = append(out, l)
			}
		}
	}
}

// pemBody is the block's base64 lines as PEM writes them (64 columns).
func pemBody(b *pem.Block) string {
	text := string(pem.EncodeToMemory(&pem.Block{Type: b.Type, Bytes: b.Bytes}))
	lines := strings.Split(strings.TrimSpace(text), "\n")
	if len(lines) < 2 {
		return ""
	}
	return strings.Join(lines[1:len(lines)-1], "\n")
}
