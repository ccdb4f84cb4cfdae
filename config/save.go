package config

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"github.com/pelletier/go-toml/v2"
	"github.com/pelletier/go-toml/v2/unstable"

	"github.com/axysdoctor/axysdoctor/csr"
)

// Save adds p to the config file at path, or updates the profile of the
// same name, creating the file (0600, in a 0700 directory) when there is
// none. It edits the file's text rather than re-encoding it: other
// profiles, comments, blank lines and the order of keys stay as they were,
// and a value that did not change keeps its text (a relative path stays
// relative). Only the changed keys' lines are rewritten, new keys are added
// after the profile's last key, and a new profile goes at the end. A file
// that does not load is not touched; neither is one whose edit would not
// read back as exactly p with every other profile unchanged.
func Save(path string, p Profile) error {
	if !ValidName(p.Name) {
		return fmt.Errorf("profile name %q: use letters, digits, - and _", p.Name)
	}
	p, err := p.normalized()
	if err != nil {
		return fmt.Errorf("profile %s: %w", p.Name, err)
	}
	data, err := readFile(path)
	mode := fs.FileMode(0o600)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		data = nil
	case err != nil:
		return &Error{Path: path, Msg: err.Error()}
	default:
		if st, err := os.Stat(path); err == nil {
			mode = st.Mode().Perm()
		}
	}
	before, err := parse(path, data)
	if err != nil {
		return fmt.Errorf("not changing a config file that does not load: %w", err)
	}
	dir := filepath.Dir(path)
	edited, err := upsert(data, before, p, dir)
	if err != nil {
		return &Error{Path: path, Msg: err.Error()}
	}
	if err := verify(path, edited, before, p, dir); err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	return csr.WriteFile(path, edited, mode, true)
}

// normalized is p with every value in the form Load gives it, so an
// unchanged value compares equal and a bad one is refused before writing.
func (p Profile) normalized() (Profile, error) {
	q := Profile{Name: p.Name}
	for _, fl := range p.Flags() {
		if err := q.Set(fl.Name, fl.Value); err != nil {
			return q, err
		}
	}
	return q, q.validate()
}

// section is where one [profiles.NAME] table sits in the file's text.
type section struct {
	found     bool
	headerEnd int                       // just after the header's line
	keys      map[string]unstable.Range // each key's "key = value" bytes
	lastEnd   int                       // just after the last key's line
}

func findSection(data []byte, name string) section {
	s := section{keys: map[string]unstable.Range{}}
	var p unstable.Parser
	p.Reset(data)
	var table []string
	inside := false
	for p.NextExpression() {
		e := p.Expression()
		switch e.Kind {
		case unstable.Table, unstable.ArrayTable:
			table = keyParts(e.Key())
			inside = e.Kind == unstable.Table && slices.Equal(table, []string{"profiles", name})
			if inside {
				s.found = true
				it := e.Key()
				var last unstable.Range
				for it.Next() {
					last = it.Node().Raw
				}
				s.headerEnd = lineEnd(data, int(last.Offset+last.Length))
				s.lastEnd = s.headerEnd
			}
		case unstable.KeyValue:
			if parts := keyParts(e.Key()); inside && len(parts) == 1 {
				s.keys[parts[0]] = e.Raw
				s.lastEnd = lineEnd(data, int(e.Raw.Offset+e.Raw.Length))
			}
		}
	}
	return s
}

// upsert returns data with profile p written in.
func upsert(data []byte, before []Profile, p Profile, dir string) ([]byte, error) {
	i := slices.IndexFunc(before, func(q Profile) bool { return q.Name == p.Name })
	sec := findSection(data, p.Name)
	if i < 0 {
		return appendProfile(data, p), nil
	}
	if !sec.found {
		return nil, fmt.Errorf("profile %s is written as dotted keys or an inline table: edit it by hand, or rewrite it as a [profiles.%s] table", p.Name, p.Name)
	}
	old, want := before[i].resolve(dir), p.resolve(dir)
	type edit struct {
		start, end int
		text       string
	}
	var edits []edit
	var added strings.Builder
	for _, f := range fields {
		vals := f.values(&p)
		r, present := sec.keys[f.name]
		switch {
		case !present:
			if len(vals) > 0 {
				added.WriteString(keyLine(f, vals))
			}
		case slices.Equal(f.values(&old), f.values(&want)):
			// unchanged: keep the text as the user wrote it
		case len(vals) == 0:
			start := bytes.LastIndexByte(data[:r.Offset], '\n') + 1
			edits = append(edits, edit{start, lineEnd(data, int(r.Offset+r.Length)), ""})
		default:
			edits = append(edits, edit{int(r.Offset), int(r.Offset + r.Length), strings.TrimSuffix(keyLine(f, vals), "\n")})
		}
	}
	if added.Len() > 0 {
		text := added.String()
		if sec.lastEnd > 0 && data[sec.lastEnd-1] != '\n' {
			text = "\n" + text
		}
		edits = append(edits, edit{sec.lastEnd, sec.lastEnd, text})
	}
	sort.Slice(edits, func(a, b int) bool { return edits[a].start > edits[b].start })
	out := slices.Clone(data)
	for _, e := range edits {
		out = slices.Concat(out[:e.start], []byte(e.text), out[e.end:])
	}
	return out, nil
}

func appendProfile(data []byte, p Profile) []byte {
	var b bytes.Buffer
	b.Write(data)
	if len(data) > 0 {
		if data[len(data)-1] != '\n' {
			b.WriteByte('\n')
		}
		b.WriteByte('\n')
	}
	fmt.Fprintf(&b, "[profiles.%s]\n", p.Name)
	for _, f := range fields {
		if vals := f.values(&p); len(vals) > 0 {
			b.WriteString(keyLine(f, vals))
		}
	}
	return b.Bytes()
}

// keyLine is `key = value` for one field, encoded by the TOML library.
func keyLine(f field, vals []string) string {
	var v any = vals[0]
	switch {
	case f.list != nil:
		v = vals
	case f.boolean != nil:
		v = vals[0] == "true"
	}
	b, err := toml.Marshal(map[string]any{f.name: v})
	if err != nil {
		panic(err) // strings, lists of strings and booleans always encode
	}
	return string(b)
}

// lineEnd is the offset just after the newline ending the line at off.
func lineEnd(data []byte, off int) int {
	if i := bytes.IndexByte(data[off:], '\n'); i >= 0 {
		return off + i + 1
	}
	return len(data)
}

// verify reads the edited text back: it must load, hold p as given, and
// hold every other profile exactly as before.
func verify(path string, edited []byte, before []Profile, p Profile, dir string) error {
	after, err := parse(path, edited)
	if err != nil {
		return fmt.Errorf("not saved: the edited file would not load: %w", err)
	}
	others := func(list []Profile) []Profile {
		return slices.DeleteFunc(slices.Clone(list), func(q Profile) bool { return q.Name == p.Name })
	}
	i := slices.IndexFunc(after, func(q Profile) bool { return q.Name == p.Name })
	if i < 0 || !sameProfile(after[i].resolve(dir), p.resolve(dir)) || !slices.EqualFunc(others(before), others(after), sameProfile) {
		return &Error{Path: path, Msg: fmt.Sprintf("not saved: the edit of profile %s would not read back as written (please report this)", p.Name)}
	}
	return nil
}

func sameProfile(a, b Profile) bool {
	return a.Name == b.Name && slices.Equal(a.Flags(), b.Flags())
}
