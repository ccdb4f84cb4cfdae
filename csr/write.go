package csr

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// ErrExists is returned when a file would be overwritten without force.
var ErrExists = errors.New("already exists")

// WriteFile writes data to path with mode perm so that no reader ever sees
// a partial file: the bytes go to a temporary file in the same directory,
// are synced, and only then take the name. Without force an existing path is
// never replaced (the name is taken with link(2), which fails if it exists);
// with force it is replaced atomically by rename(2). The temporary file is
// removed on every error path.
func WriteFile(path string, data []byte, perm fs.FileMode, force bool) (err error) {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	if !force {
		if _, err := os.Lstat(path); err == nil {
			return fmt.Errorf("%s %w (use --force to replace it)", path, ErrExists)
		}
	}
	tmp, err := os.CreateTemp(dir, "."+base+".tmp-*")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, plainOSError(err))
	}
	tmpName := tmp.Name()
	defer func() {
		if tmp != nil {
			tmp.Close()
		}
		os.Remove(tmpName) // after link or rename it is gone or a second name
	}()
	if err := tmp.Chmod(perm); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if _, err := tmp.Write(data); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := tmp.Sync(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	tmp = nil
	if force {
		if err := os.Rename(tmpName, path); err != nil {
			return fmt.Errorf("write %s: %w", path, err)
		}
	} else if err := os.Link(tmpName, path); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return fmt.Errorf("%s %w (use --force to replace it)", path, ErrExists)
		}
		// Some filesystems have no hard links: fall back to an exclusive
		// create, which still never replaces an existing file.
		if err := writeExclusive(path, data, perm); err != nil {
			return err
		}
	}
	syncDir(dir)
	return nil
}

func writeExclusive(path string, data []byte, perm fs.FileMode) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, perm)
	if err != nil {
		if errors.Is(err, fs.ErrExist) {
			return fmt.Errorf("%s %w (use --force to replace it)", path, ErrExists)
		}
		return fmt.Errorf("write %s: %w", path, plainOSError(err))
	}
	_, err = f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(path)
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

// syncDir makes the new name durable; failure only weakens crash safety.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}
