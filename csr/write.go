package csr

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// ErrExists is returned when a file would be overwritten without force.
var ErrExists = errors.New("already exists")

// Output is one file to write.
type Output struct {
	Path string
	Data []byte
	Perm fs.FileMode
}

// WriteFile writes one file as WriteFiles does.
func WriteFile(path string, data []byte, perm fs.FileMode, force bool) error {
	return WriteFiles([]Output{{Path: path, Data: data, Perm: perm}}, force)
}

// WriteFiles writes every output or none, so that no reader ever sees a
// partial file and a failure changes nothing that existed:
//
//   - Every output is first staged as a temporary file in its target's
//     directory, written with its mode and synced. A failure here (a
//     read-only or missing directory, a full disk) removes the staged files
//     and touches no target.
//   - Only then do they take their names, in order. Without force a name is
//     taken with link(2), which never replaces an existing file. With force
//     an existing file is first kept under a hidden backup name and the new
//     one renamed over it; if a later output fails, every name taken so far
//     gets back what it held (or is removed, if it held nothing).
//
// Whatever force says, a target that is not a regular file (a device, a
// FIFO, a socket, a directory, a symbolic link) is never replaced.
func WriteFiles(outs []Output, force bool) (err error) {
	var paths []string
	for _, o := range outs {
		paths = append(paths, o.Path)
	}
	if err := CheckTargets(force, paths...); err != nil {
		return err
	}
	var staged []string
	defer func() {
		for _, s := range staged {
			os.Remove(s) // after link or rename it is gone or a second name
		}
	}()
	for _, o := range outs {
		s, err := stage(o)
		if err != nil {
			return err
		}
		staged = append(staged, s)
	}
	var taken []takenName
	defer func() {
		for i := len(taken) - 1; i >= 0; i-- {
			taken[i].finish(err == nil)
		}
	}()
	for i, o := range outs {
		t, err := take(staged[i], o, force, i < len(outs)-1)
		if err != nil {
			return err
		}
		taken = append(taken, t)
	}
	for _, o := range outs {
		syncDir(dirOf(o.Path))
	}
	return nil
}

// targetError refuses a target that exists and is not a regular file.
type targetError struct {
	path string
	err  error // a *notRegularError
}

func (e *targetError) Error() string {
	return fmt.Sprintf("%s %v: axysdoctor never replaces it, --force or not", e.path, e.err)
}

func (e *targetError) Unwrap() error { return e.err }

// Is: such a target does exist, so the caller's "choose another path"
// advice for ErrExists applies.
func (e *targetError) Is(target error) bool { return target == ErrExists }

// checkTarget refuses what must not be replaced: anything but a regular
// file, and, without force, anything at all.
func checkTarget(path string, force bool) error {
	st, err := os.Lstat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil
	case err != nil:
		return fmt.Errorf("write %s: %w", path, plainOSError(err))
	}
	if err := regular(st); err != nil {
		return &targetError{path: path, err: err}
	}
	if !force {
		return fmt.Errorf("%s %w: use --force to replace it", path, ErrExists)
	}
	return nil
}

// stage writes o's bytes to a synced temporary file next to its target.
func stage(o Output) (name string, err error) {
	base := filepath.Base(o.Path)
	tmp, err := os.CreateTemp(dirOf(o.Path), "."+base+".tmp-*")
	if err != nil {
		return "", fmt.Errorf("write %s: %w", o.Path, plainOSError(err))
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if err := tmp.Chmod(o.Perm); err != nil {
		return "", fmt.Errorf("write %s: %w", o.Path, err)
	}
	if _, err := tmp.Write(o.Data); err != nil {
		return "", fmt.Errorf("write %s: %w", o.Path, plainOSError(err))
	}
	if err := tmp.Sync(); err != nil {
		return "", fmt.Errorf("write %s: %w", o.Path, err)
	}
	if err := tmp.Close(); err != nil {
		return "", fmt.Errorf("write %s: %w", o.Path, err)
	}
	return tmp.Name(), nil
}

// takenName is a target that now holds a new file, and how to finish it:
// drop the backup on success, put things back on failure.
type takenName struct {
	path    string
	backup  string // the file the path held before, when forcing
	created os.FileInfo
}

func (t takenName) finish(ok bool) {
	switch {
	case ok && t.backup != "":
		os.Remove(t.backup)
	case ok:
	case t.backup != "":
		os.Rename(t.backup, t.path)
	case t.created != nil:
		// Remove only the file this run created, not one put there since.
		if st, err := os.Lstat(t.path); err == nil && os.SameFile(st, t.created) {
			os.Remove(t.path)
		}
	}
}

// take gives the staged file o's name. keep asks for the file the name
// held before to be kept as a backup, for outputs that later ones may still
// have to undo.
func take(staged string, o Output, force, keep bool) (takenName, error) {
	t := takenName{path: o.Path}
	// Checked again: the target may have changed while the key was made.
	if err := checkTarget(o.Path, force); err != nil {
		return t, err
	}
	if !force {
		err := os.Link(staged, o.Path)
		if errors.Is(err, fs.ErrExist) {
			return t, fmt.Errorf("%s %w: use --force to replace it", o.Path, ErrExists)
		}
		if err != nil {
			// Some filesystems have no hard links: an exclusive create
			// still never replaces an existing file.
			if err := writeExclusive(o); err != nil {
				return t, err
			}
		}
		t.created, err = os.Lstat(o.Path)
		return t, err
	}
	if _, err := os.Lstat(o.Path); err == nil && keep {
		backup := filepath.Join(dirOf(o.Path), "."+filepath.Base(o.Path)+".old-"+randomSuffix())
		if err := os.Link(o.Path, backup); err != nil {
			// No hard links: move it aside instead (the name is briefly
			// absent, never wrong).
			if err := os.Rename(o.Path, backup); err != nil {
				return t, fmt.Errorf("write %s: cannot keep the previous file while replacing it: %w", o.Path, plainOSError(err))
			}
		}
		t.backup = backup
	}
	if err := os.Rename(staged, o.Path); err != nil {
		t.finish(false)
		return takenName{}, fmt.Errorf("write %s: %w", o.Path, plainOSError(err))
	}
	var err error
	t.created, err = os.Lstat(o.Path)
	return t, err
}

func writeExclusive(o Output) error {
	f, err := os.OpenFile(o.Path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, o.Perm)
	if err != nil {
		if errors.Is(err, fs.ErrExist) {
			return fmt.Errorf("%s %w: use --force to replace it", o.Path, ErrExists)
		}
		return fmt.Errorf("write %s: %w", o.Path, plainOSError(err))
	}
	_, err = f.Write(o.Data)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(o.Path)
		return fmt.Errorf("write %s: %w", o.Path, err)
	}
	return nil
}

func dirOf(path string) string {
	if dir := filepath.Dir(path); dir != "" {
		return dir
	}
	return "."
}

func randomSuffix() string {
	b := make([]byte, 6)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// syncDir makes the new names durable; failure only weakens crash safety.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}
