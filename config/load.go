package config

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"github.com/pelletier/go-toml/v2"

	"github.com/axysdoctor/axysdoctor/csr"
)

// maxFileSize bounds what Load reads: a config file is a few kilobytes.
const maxFileSize = 1 << 20

// File is a loaded config file.
type File struct {
	Path string
	// Exists is false when there is no file yet (Load then returns no
	// profiles and no error: having no config is normal).
	Exists   bool
	profiles []Profile
}

// Load reads the config file at path. Profiles come back with absolute
// paths. Every problem is an *Error naming the line and column; nothing in
// a broken file is used.
func Load(path string) (*File, error) {
	data, err := readFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return &File{Path: path}, nil
	}
	if err != nil {
		return nil, &Error{Path: path, Msg: err.Error()}
	}
	profiles, err := parse(path, data)
	if err != nil {
		return nil, err
	}
	for i := range profiles {
		profiles[i] = profiles[i].resolve(filepath.Dir(path))
	}
	return &File{Path: path, Exists: true, profiles: profiles}, nil
}

// Names lists the profiles in the order the file defines them.
func (f *File) Names() []string {
	names := make([]string, len(f.profiles))
	for i, p := range f.profiles {
		names[i] = p.Name
	}
	return names
}

// Profiles returns every profile, in file order.
func (f *File) Profiles() []Profile { return slices.Clone(f.profiles) }

// Lookup finds a profile by name; the error lists the names there are.
func (f *File) Lookup(name string) (Profile, error) {
	for _, p := range f.profiles {
		if p.Name == name {
			return p, nil
		}
	}
	switch {
	case !f.Exists:
		return Profile{}, fmt.Errorf("no profile %q: there is no config file at %s (see `axysdoctor profiles --help`)", name, f.Path)
	case len(f.profiles) == 0:
		return Profile{}, fmt.Errorf("no profile %q: %s defines none", name, f.Path)
	}
	return Profile{}, fmt.Errorf("no profile %q in %s (profiles: %s)", name, f.Path, strings.Join(f.Names(), ", "))
}

// readFile reads a regular file up to maxFileSize, without blocking on a
// FIFO and without opening a device (csr.ReadRegular).
func readFile(path string) ([]byte, error) {
	data, err := csr.ReadRegular(path, maxFileSize)
	var re *csr.ReadError
	if errors.As(err, &re) {
		if errors.Is(err, csr.ErrTooLarge) {
			return nil, fmt.Errorf("larger than %d KB: not a config file", maxFileSize>>10)
		}
		return nil, re.Err
	}
	return data, err
}

var profileName = regexp.MustCompile(`^[A-Za-z0-9_-]{1,64}$`)

// ValidName reports whether name can name a profile: letters, digits, -
// and _, so that it is a bare TOML key and a shell word.
func ValidName(name string) bool { return profileName.MatchString(name) }

// parse decodes and checks a whole file, returning its profiles as written
// (paths not yet resolved), in file order.
func parse(path string, data []byte) ([]Profile, error) {
	fail := func(at position, format string, args ...any) error {
		return &Error{Path: path, Line: at.line, Column: at.column, Msg: fmt.Sprintf(format, args...)}
	}
	if off := privateKeyAt(data); off >= 0 {
		return nil, fail(offsetPosition(data, off), "%s", "a private key must not be written in the config file: "+wherePrivateKeysLive)
	}
	var doc map[string]any
	if err := toml.Unmarshal(data, &doc); err != nil {
		var de *toml.DecodeError
		if errors.As(err, &de) {
			line, col := de.Position()
			return nil, fail(position{line, col}, "not valid TOML: %s", strings.TrimPrefix(de.Error(), "toml: "))
		}
		return nil, &Error{Path: path, Msg: err.Error()}
	}
	pos, order := locate(data)
	for _, k := range sortedKeys(doc, nil, pos) {
		if k == "profiles" {
			continue
		}
		if refusal := refuseKey(k); refusal != "" {
			return nil, fail(pos[keyPath(k)], "%s", refusal)
		}
		return nil, fail(pos[keyPath(k)], "unknown setting %q: profiles go in [profiles.NAME] tables", k)
	}
	table, ok := doc["profiles"].(map[string]any)
	if !ok && doc["profiles"] != nil {
		return nil, fail(pos[keyPath("profiles")], "profiles must be a table of [profiles.NAME] tables")
	}
	var out []Profile
	for _, k := range order {
		parts := strings.Split(k, "\x00")
		if len(parts) != 2 || parts[0] != "profiles" {
			continue
		}
		name := parts[1]
		at := pos[k]
		if !ValidName(name) {
			return nil, fail(at, "profile name %q: use letters, digits, - and _", name)
		}
		values, ok := table[name].(map[string]any)
		if !ok {
			return nil, fail(at, "profile %s must be a table ([profiles.%s])", name, name)
		}
		p, err := decodeProfile(name, values, pos, fail)
		if err != nil {
			return nil, err
		}
		if err := p.validate(); err != nil {
			return nil, fail(at, "profile %s: %v", name, err)
		}
		out = append(out, p)
	}
	return out, nil
}

// decodeProfile checks every key of one profile table.
func decodeProfile(name string, values map[string]any, pos map[string]position, fail func(position, string, ...any) error) (Profile, error) {
	p := Profile{Name: name}
	for _, key := range sortedKeys(values, []string{"profiles", name}, pos) {
		at := pos[keyPath("profiles", name, key)]
		if refusal := refuseKey(key); refusal != "" {
			return p, fail(at, "profile %s: %s", name, refusal)
		}
		f, ok := lookupField(key)
		if !ok {
			return p, fail(at, "profile %s: %v", name, unknownKey(key))
		}
		var err error
		switch v := values[key].(type) {
		case string:
			err = f.set(&p, v)
		case bool:
			if f.boolean == nil {
				err = fmt.Errorf("%s takes a string, not true or false", key)
			} else {
				*f.boolean(&p) = v
			}
		case []any:
			if f.list == nil {
				err = fmt.Errorf("%s takes one value, not a list", key)
			}
			for _, item := range v {
				s, ok := item.(string)
				if !ok {
					err = fmt.Errorf("%s takes a list of strings", key)
					break
				}
				if err = f.set(&p, s); err != nil {
					break
				}
			}
		default:
			err = fmt.Errorf("%s takes a string (such as %s = \"…\"), not %T", key, key, v)
		}
		if err != nil {
			return p, fail(at, "profile %s: %v", name, err)
		}
	}
	return p, nil
}

// sortedKeys orders a table's keys by where they are written, so the first
// error reported is the first in the file.
func sortedKeys(m map[string]any, prefix []string, pos map[string]position) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	if pos != nil {
		slices.SortStableFunc(keys, func(a, b string) int {
			pa, pb := pos[keyPath(append(slices.Clone(prefix), a)...)], pos[keyPath(append(slices.Clone(prefix), b)...)]
			if pa.line != pb.line {
				return pa.line - pb.line
			}
			return pa.column - pb.column
		})
	}
	return keys
}

func offsetPosition(data []byte, off int) position {
	before := data[:off]
	line := 1 + strings.Count(string(before), "\n")
	col := off - strings.LastIndexByte(string(before), '\n')
	return position{line, col}
}

// resolve makes path values absolute: "~/" is the home directory, and a
// relative path is taken from dir, the config file's directory, so that a
// profile means the same files whatever the current directory. "-"
// (stdin, for api-key-file) stays as it is.
func (p Profile) resolve(dir string) Profile {
	home, _ := os.UserHomeDir()
	for _, f := range fields {
		if !f.path {
			continue
		}
		v := f.text(&p)
		switch {
		case *v == "" || *v == "-" || filepath.IsAbs(*v):
		case (*v == "~" || strings.HasPrefix(*v, "~/")) && home != "":
			*v = filepath.Join(home, strings.TrimPrefix(*v, "~"))
		default:
			*v = filepath.Join(dir, *v)
		}
	}
	return p
}
