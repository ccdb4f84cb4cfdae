package checks

import (
	"encoding/pem"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/axysdoctor/axysdoctor/csr"
)

// TestLoadMaterialReadsTheCAFile: --ca-file's certificates land in
// ServerCAs, and an unusable --ca-file is a *csr.ReadError before any check.
func TestLoadMaterialReadsTheCAFile(t *testing.T) {
	dir := t.TempDir()
	a, b := newTestCA(t, "Gateway CA A"), newTestCA(t, "Gateway CA B")
	bundle := append(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: a.cert.Raw}), pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: b.cert.Raw})...)
	good := filepath.Join(dir, "ca.pem")
	os.WriteFile(good, bundle, 0o644)
	m, err := LoadMaterial(Options{CAFile: good}, Passwords{}, time.Now())
	if err != nil || len(m.ServerCAs) != 2 || !m.ServerCAs[1].Equal(b.cert) {
		t.Fatalf("ServerCAs %v, %v", m, err)
	}
	if m, err := LoadMaterial(Options{}, Passwords{}, time.Now()); err != nil || m.ServerCAs != nil {
		t.Errorf("without --ca-file: %v %v", m.ServerCAs, err)
	}
	empty := filepath.Join(dir, "empty.pem")
	os.WriteFile(empty, nil, 0o644)
	for _, p := range []string{empty, filepath.Join(dir, "missing.pem"), dir} {
		_, err := LoadMaterial(Options{CAFile: p}, Passwords{}, time.Now())
		var re *csr.ReadError
		if !errors.As(err, &re) || re.Path != p {
			t.Errorf("%s: %v, want a *csr.ReadError naming it", p, err)
		}
	}
}
