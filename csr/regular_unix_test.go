//go:build unix

package csr

import (
	"errors"
	"net"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestReadRegularRefusesWhatIsNotAFile: every kind of special file is
// refused with one line naming it, without blocking (a FIFO with no writer
// blocked the old open for ever) and without reading (/dev/zero never
// ends).
func TestReadRegularRefusesWhatIsNotAFile(t *testing.T) {
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
	defer l.Close()
	regular := filepath.Join(dir, "ok.pem")
	os.WriteFile(regular, []byte("hello"), 0o600)
	big := filepath.Join(dir, "big")
	os.WriteFile(big, make([]byte, 2049), 0o600)
	linkToFIFO := filepath.Join(dir, "link")
	os.Symlink(fifo, linkToFIFO)
	linkToFile := filepath.Join(dir, "link-ok")
	os.Symlink(regular, linkToFile)

	cases := []struct {
		path, want string
		is         error
	}{
		{fifo, "is a named pipe (FIFO), not a regular file", ErrNotRegular},
		{linkToFIFO, "is a named pipe (FIFO), not a regular file", ErrNotRegular},
		{sock, "is a socket, not a regular file", ErrNotRegular},
		{"/dev/zero", "is a character device, not a regular file", ErrNotRegular},
		{"/dev/null", "is a character device, not a regular file", ErrNotRegular},
		{dir, "is a directory, not a regular file", ErrNotRegular},
		{big, "larger than 2 KB", ErrTooLarge},
		{filepath.Join(dir, "missing"), "no such file", nil},
	}
	for _, c := range cases {
		t.Run(filepath.Base(c.path), func(t *testing.T) {
			_, err := ReadRegular(c.path, 2048)
			var re *ReadError
			if !errors.As(err, &re) || re.Path != c.path || !strings.HasSuffix(err.Error(), c.want) {
				t.Fatalf("error %v, want a *ReadError for %s ending %q", err, c.path, c.want)
			}
			if c.is != nil && !errors.Is(err, c.is) {
				t.Errorf("%v is not %v", err, c.is)
			}
		})
	}
	for _, p := range []string{regular, linkToFile} {
		if data, err := ReadRegular(p, 2048); err != nil || string(data) != "hello" {
			t.Errorf("%s: %q %v", p, data, err)
		}
	}
}

// BenchmarkReadRegularRefusals: a FIFO, /dev/zero and an oversized file
// are refused in microseconds, without reading (goal: well under 2 s and
// 100 MB; before, the FIFO never returned and /dev/zero read 1 MB).
func BenchmarkReadRegularRefusals(b *testing.B) {
	dir := b.TempDir()
	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		b.Fatal(err)
	}
	big := filepath.Join(dir, "big")
	os.WriteFile(big, make([]byte, 4<<20), 0o600)
	for name, path := range map[string]string{"fifo": fifo, "dev-zero": "/dev/zero", "4 MB file": big} {
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := ReadRegular(path, MaxFileSize); err == nil {
					b.Fatal("read")
				}
			}
		})
	}
}
