package csr

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

func TestWriteFileModeAndNoOverwrite(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "client.key")
	if err := WriteFile(path, []byte("first"), 0o600, false); err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != 0o600 {
		t.Errorf("mode %v, want 0600", st.Mode().Perm())
	}
	err = WriteFile(path, []byte("second"), 0o600, false)
	if !errors.Is(err, ErrExists) {
		t.Fatalf("second write without force: %v", err)
	}
	if b, _ := os.ReadFile(path); string(b) != "first" {
		t.Fatalf("first file changed to %q", b)
	}
	if err := WriteFile(path, []byte("third"), 0o600, true); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(path); string(b) != "third" {
		t.Fatalf("forced write left %q", b)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("temporary files left behind: %v", entries)
	}
}

func TestWriteFileIntoMissingDirectory(t *testing.T) {
	err := WriteFile(filepath.Join(t.TempDir(), "nope", "k"), []byte("x"), 0o600, false)
	if err == nil {
		t.Fatal("wrote into a missing directory")
	}
}

func TestWriteFileDanglingSymlinkIsNotFollowed(t *testing.T) {
	dir := t.TempDir()
	link := filepath.Join(dir, "client.key")
	target := filepath.Join(dir, "elsewhere")
	if err := os.Symlink(target, link); err != nil {
		t.Fatal(err)
	}
	if err := WriteFile(link, []byte("k"), 0o600, false); !errors.Is(err, ErrExists) {
		t.Errorf("write through a symlink: %v", err)
	}
	if _, err := os.Stat(target); !os.IsNotExist(err) {
		t.Error("the symlink's target was created")
	}
}
