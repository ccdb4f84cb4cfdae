package csr

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
)

// ErrNotRegular means a path names something other than a regular file: a
// named pipe, a device, a socket or a directory. Reading one could block
// for ever (a FIFO with no writer), never end (/dev/zero) or have side
// effects (a tape or a terminal), so it is refused before any read.
var ErrNotRegular = errors.New("not a regular file")

// ErrTooLarge means a file is larger than the limit its reader allows.
var ErrTooLarge = errors.New("too large")

// notRegularError names what a path is instead of a regular file.
type notRegularError struct{ what string }

func (e *notRegularError) Error() string { return "is " + e.what + ", not a regular file" }

func (e *notRegularError) Is(target error) bool { return target == ErrNotRegular }

// tooLargeError states the limit a file exceeded.
type tooLargeError struct{ limit int64 }

func (e *tooLargeError) Error() string { return "larger than " + formatBytes(e.limit) }

func (e *tooLargeError) Is(target error) bool { return target == ErrTooLarge }

// ReadRegular is the one way axysdoctor reads a file it was given. It refuses
// anything that is not a regular file (checked with stat before opening, so
// a device is never opened, and again with fstat on the opened descriptor,
// so a swap in between is caught), opens without blocking (a FIFO swapped in
// cannot hang the open), and reads at most limit bytes. Errors are
// *ReadError naming path, in one line.
func ReadRegular(path string, limit int64) ([]byte, error) {
	fail := func(err error) ([]byte, error) { return nil, &ReadError{Path: path, Err: err} }
	st, err := os.Stat(path)
	if err != nil {
		return fail(plainOSError(err))
	}
	if err := regular(st); err != nil {
		return fail(err)
	}
	f, err := openNonBlocking(path)
	if err != nil {
		return fail(plainOSError(err))
	}
	defer f.Close()
	st, err = f.Stat()
	if err != nil {
		return fail(plainOSError(err))
	}
	if err := regular(st); err != nil {
		return fail(err)
	}
	if st.Size() > limit {
		return fail(&tooLargeError{limit})
	}
	// The file may grow between fstat and read: the limit holds regardless.
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return fail(plainOSError(err))
	}
	if int64(len(data)) > limit {
		return fail(&tooLargeError{limit})
	}
	return data, nil
}

// regular returns nil for a regular file, else an error naming what st is.
func regular(st fs.FileInfo) error {
	m := st.Mode()
	switch {
	case m.IsRegular():
		return nil
	case m.IsDir():
		return &notRegularError{"a directory"}
	case m&fs.ModeNamedPipe != 0:
		return &notRegularError{"a named pipe (FIFO)"}
	case m&fs.ModeSocket != 0:
		return &notRegularError{"a socket"}
	case m&fs.ModeCharDevice != 0:
		return &notRegularError{"a character device"}
	case m&fs.ModeDevice != 0:
		return &notRegularError{"a block device"}
	}
	return &notRegularError{fmt.Sprintf("a special file (%s)", m.Type())}
}

// formatBytes writes a limit the way docs/security.md states it.
func formatBytes(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}
