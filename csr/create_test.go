package csr

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

func TestCreateWritesBothOrNothing(t *testing.T) {
	p, err := Request{Organization: "Acme", Units: []string{"Cards"}, CommonName: "api.acme.example"}.Prepare()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	key, req := filepath.Join(dir, "k"), filepath.Join(dir, "c")
	c, err := Create(context.Background(), p, P256, key, req, false)
	if err != nil || !KeyMatches(c.CSR.PublicKey, c.Key) {
		t.Fatalf("%v", err)
	}
	if st, _ := os.Stat(key); st.Mode().Perm() != 0o600 {
		t.Errorf("key mode %v", st.Mode())
	}
	before, _ := os.ReadFile(key)
	if _, err := Create(context.Background(), p, P256, key, filepath.Join(dir, "c2"), false); !errors.Is(err, ErrExists) {
		t.Errorf("existing key: %v", err)
	}
	if after, _ := os.ReadFile(key); string(after) != string(before) {
		t.Error("the key changed")
	}
	if _, err := os.Stat(filepath.Join(dir, "c2")); err == nil {
		t.Error("a CSR was written without its key")
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Create(ctx, p, RSA4096, filepath.Join(dir, "k3"), filepath.Join(dir, "c3"), false); !errors.Is(err, ErrInterrupted) {
		t.Errorf("cancelled: %v", err)
	}
	// The key's directory is missing: nothing is written at all.
	if _, err := Create(context.Background(), p, P256, filepath.Join(dir, "no", "k4"), filepath.Join(dir, "c4"), false); err == nil {
		t.Fatal("wrote into a missing directory")
	}
	if _, err := os.Stat(filepath.Join(dir, "c4")); err == nil {
		t.Error("the CSR was left without its key")
	}
}
