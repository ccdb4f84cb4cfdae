//go:build unix

package csr

import (
	"context"
	"errors"
	"net"
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// TestForceNeverDestroys: with --force, a failure changes nothing that
// existed, and something that is not a regular file is never replaced.
// Before, a key that could not be written took the previous CSR with it,
// and a FIFO or a device node became a key file.
func TestForceNeverDestroys(t *testing.T) {
	p, err := Request{Organization: "Acme", Units: []string{"Cards"}, CommonName: "api.acme.example"}.Prepare()
	if err != nil {
		t.Fatal(err)
	}
	special := map[string]func(string) error{
		"FIFO":      func(p string) error { return syscall.Mkfifo(p, 0o600) },
		"directory": func(p string) error { return os.Mkdir(p, 0o700) },
		"symlink":   func(p string) error { return os.Symlink("/etc/hostname", p) },
		"socket": func(p string) error {
			l, err := net.Listen("unix", p)
			if err == nil {
				t.Cleanup(func() { l.Close() })
			}
			return err
		},
	}
	for what, mk := range special {
		for _, target := range []string{"key", "csr"} {
			for _, force := range []bool{false, true} {
				t.Run(what+" as the "+target+map[bool]string{true: " --force", false: ""}[force], func(t *testing.T) {
					dir := t.TempDir()
					keyPath, csrPath := filepath.Join(dir, "client.key"), filepath.Join(dir, "client.csr")
					other := csrPath
					victim := keyPath
					if target == "csr" {
						victim, other = csrPath, keyPath
					}
					if err := mk(victim); err != nil {
						t.Fatal(err)
					}
					os.WriteFile(other, []byte("previous"), 0o600)
					before, _ := os.Lstat(victim)
					_, err := Create(context.Background(), p, P256, keyPath, csrPath, force)
					if !errors.Is(err, ErrNotRegular) || !errors.Is(err, ErrExists) {
						t.Fatalf("error %v, want one refusing a non-regular file", err)
					}
					if after, err := os.Lstat(victim); err != nil || after.Mode() != before.Mode() || !os.SameFile(before, after) {
						t.Errorf("the %s was replaced: %v", what, err)
					}
					if b, _ := os.ReadFile(other); string(b) != "previous" {
						t.Errorf("the other file holds %q", b)
					}
					assertOnlyFiles(t, dir, "client.key", "client.csr")
				})
			}
		}
	}
	t.Run("the key cannot be written", func(t *testing.T) {
		dir := t.TempDir()
		csrPath := filepath.Join(dir, "client.csr")
		os.WriteFile(csrPath, []byte("previous CSR"), 0o644)
		if _, err := Create(context.Background(), p, P256, filepath.Join(dir, "missing", "client.key"), csrPath, true); err == nil {
			t.Fatal("wrote a key into a missing directory")
		}
		if b, err := os.ReadFile(csrPath); string(b) != "previous CSR" {
			t.Errorf("the previous CSR holds %q (%v)", b, err)
		}
		assertOnlyFiles(t, dir, "client.csr")
	})
}

// TestTakenNamesAreUndone: when a later output fails, every name already
// taken gets back what it held, or goes away if it held nothing.
func TestTakenNamesAreUndone(t *testing.T) {
	dir := t.TempDir()
	existing, fresh := filepath.Join(dir, "existing"), filepath.Join(dir, "fresh")
	os.WriteFile(existing, []byte("old"), 0o600)
	var taken []takenName
	for _, path := range []string{existing, fresh} {
		staged, err := stage(Output{Path: path, Data: []byte("new"), Perm: 0o600})
		if err != nil {
			t.Fatal(err)
		}
		tn, err := take(staged, Output{Path: path, Data: []byte("new"), Perm: 0o600}, true, true)
		if err != nil {
			t.Fatal(err)
		}
		if b, _ := os.ReadFile(path); string(b) != "new" {
			t.Fatalf("%s holds %q after take", path, b)
		}
		taken = append(taken, tn)
	}
	for _, tn := range taken {
		tn.finish(false)
	}
	if b, _ := os.ReadFile(existing); string(b) != "old" {
		t.Errorf("existing holds %q after undo", b)
	}
	if _, err := os.Lstat(fresh); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("fresh survived the undo: %v", err)
	}
	assertOnlyFiles(t, dir, "existing")
}

// assertOnlyFiles fails when dir holds anything but names (a temporary or
// backup file left behind).
func assertOnlyFiles(t *testing.T, dir string, names ...string) {
	t.Helper()
	want := map[string]bool{}
	for _, n := range names {
		want[n] = true
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if !want[e.Name()] {
			t.Errorf("left behind in %s: %s", dir, e.Name())
		}
	}
}
