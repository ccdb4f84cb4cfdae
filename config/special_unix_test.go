//go:build unix

package config

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestSpecialFilesAreRefusedAtOnce: a config file or an api-key-file that
// is a FIFO is refused without blocking (an open of a FIFO waits for a
// writer that never comes).
func TestSpecialFilesAreRefusedAtOnce(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "config.toml")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skipf("no FIFOs here: %v", err)
	}
	done := make(chan error, 1)
	go func() { _, err := Load(fifo); done <- err }()
	select {
	case err := <-done:
		if err == nil || !strings.Contains(err.Error(), "FIFO") {
			t.Errorf("Load on a FIFO: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Load blocked on a FIFO")
	}
	go func() { _, err := Profile{APIKeyFile: fifo}.ReadAPIKey(os.Getenv); done <- err }()
	select {
	case err := <-done:
		if err == nil || !strings.Contains(err.Error(), "FIFO") {
			t.Errorf("an api-key-file that is a FIFO: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("reading an api-key-file blocked on a FIFO")
	}
}
