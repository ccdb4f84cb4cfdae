package checks

import (
	"encoding/base64"
	"strings"
	"unicode/utf8"
)

// The API key must never leave the engine, however a peer echoes it: split
// by spaces or line breaks, percent-encoded, JSON- or C-escaped, base64'd
// (inside a Basic header or a token), or cut at the edge of what was read.
// A redactor finds the whole key in all of those forms anywhere in a text,
// and any fragment of it of minFragment characters or more at either edge
// of the text (where a read limit cut it), and replaces what it finds. It
// runs on raw text before anything is cut or flattened, so no cut of ours
// can leave a piece of the key behind. Fragments are matched at the edges
// only: in the middle of a text, eight characters that happen to appear in
// a test key ("cceptanc" in "Acceptance") are not the key.

// minFragment is the shortest piece of the key that is redacted on its own.
const minFragment = 8

// redacted stands in for the key.
const redacted = "[api key]"

type redactor struct {
	key string
	min int // the shortest fragment matched
}

func newRedactor(k APIKey) redactor {
	key := k.Reveal()
	r := redactor{key: key, min: minFragment}
	if len(key) < minFragment {
		r.min = len(key)
	}
	return r
}

// active: keys shorter than four characters are not redacted (every text
// would match them).
func (r redactor) active() bool { return len(r.key) >= 4 }

// apply returns s with every occurrence of the key, or of a fragment of it,
// in any of the forms above replaced.
func (r redactor) apply(s string) string {
	if !r.active() || s == "" {
		return s
	}
	s = r.base64Runs(s)
	return r.replace(s, r.find(s))
}

// unit is one character of s after decoding: a byte of the key's alphabet,
// or a separator (white space, control characters, escaped line breaks),
// which may sit between two characters of a match.
type unit struct {
	b          byte
	sep        bool
	start, end int // span in s
}

// decodeUnits reads s as text that may hold escapes.
func decodeUnits(s string) []unit {
	var out []unit
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]):
			b := unhex(s[i+1])<<4 | unhex(s[i+2])
			out = append(out, unit{b: b, sep: isSep(b), start: i, end: i + 3})
			i += 3
		case c == '\\' && i+1 < len(s):
			n, b, sep := decodeEscape(s[i:])
			out = append(out, unit{b: b, sep: sep, start: i, end: i + n})
			i += n
		case c < utf8.RuneSelf:
			out = append(out, unit{b: c, sep: isSep(c), start: i, end: i + 1})
			i++
		default:
			r, n := utf8.DecodeRuneInString(s[i:])
			// Zero-width and other invisible characters can split a key
			// too; any other non-ASCII character ends a match.
			out = append(out, unit{b: 0xff, sep: invisible(r), start: i, end: i + n})
			i += n
		}
	}
	return out
}

// decodeEscape reads one backslash escape at the start of s: \uXXXX, \xXX,
// \n \r \t (separators), or \c for any other c.
func decodeEscape(s string) (n int, b byte, sep bool) {
	switch s[1] {
	case 'u':
		if len(s) >= 6 && isHex(s[2]) && isHex(s[3]) && isHex(s[4]) && isHex(s[5]) {
			v := rune(unhex(s[2]))<<12 | rune(unhex(s[3]))<<8 | rune(unhex(s[4]))<<4 | rune(unhex(s[5]))
			if v < utf8.RuneSelf {
				return 6, byte(v), isSep(byte(v))
			}
			return 6, 0xff, invisible(v)
		}
	case 'x':
		if len(s) >= 4 && isHex(s[2]) && isHex(s[3]) {
			v := unhex(s[2])<<4 | unhex(s[3])
			return 4, v, isSep(v)
		}
	case 'n', 'r', 't':
		return 2, ' ', true
	}
	return 2, s[1], isSep(s[1])
}

func isSep(b byte) bool { return b <= ' ' || b == 0x7f }

func invisible(r rune) bool {
	switch {
	case r >= 0x80 && r < 0xa0, r == 0xad, r >= 0x200b && r <= 0x200f, r >= 0x2028 && r <= 0x202e,
		r >= 0x2060 && r <= 0x2069, r == 0xfeff, r == 0x3000, r == 0xa0:
		return true
	}
	return false
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

func unhex(c byte) byte {
	switch {
	case c <= '9':
		return c - '0'
	case c >= 'a':
		return c - 'a' + 10
	}
	return c - 'A' + 10
}

// span is a range of s to replace.
type span struct{ start, end int }

// find returns the spans of s holding the key, or a fragment of it at the
// start or the end of s.
func (r redactor) find(s string) []span {
	units := decodeUnits(s)
	var vals []unit
	for _, u := range units {
		if !u.sep {
			vals = append(vals, u)
		}
	}
	var spans []span
	for i := 0; i < len(vals); {
		best := 0
		for j := 0; j < len(r.key); j++ {
			if vals[i].b != r.key[j] {
				continue
			}
			n := 1
			for i+n < len(vals) && j+n < len(r.key) && vals[i+n].b == r.key[j+n] {
				n++
			}
			best = max(best, n)
		}
		atEdge := i == 0 || i+best == len(vals)
		if best == len(r.key) || (best >= r.min && atEdge) {
			spans = append(spans, span{vals[i].start, vals[i+best-1].end})
			i += best
			continue
		}
		i++
	}
	return spans
}

// replace puts redacted in place of each span (spans are in order and do
// not overlap).
func (r redactor) replace(s string, spans []span) string {
	if len(spans) == 0 {
		return s
	}
	var b strings.Builder
	last := 0
	for _, sp := range spans {
		b.WriteString(s[last:sp.start])
		b.WriteString(redacted)
		last = sp.end
	}
	b.WriteString(s[last:])
	return b.String()
}

// base64Runs replaces every run of base64 characters whose decoding holds
// the key or a fragment of it, whatever the run's alignment.
func (r redactor) base64Runs(s string) string {
	minRun := (r.min*4 + 2) / 3 // characters that encode r.min bytes
	var spans []span
	for i := 0; i < len(s); {
		if !isB64(s[i]) {
			i++
			continue
		}
		j := i
		for j < len(s) && isB64(s[j]) {
			j++
		}
		if j-i >= minRun && r.base64Holds(s[i:j]) {
			spans = append(spans, span{i, j})
		}
		i = j
	}
	return r.replace(s, spans)
}

func (r redactor) base64Holds(run string) bool {
	run = strings.TrimRight(run, "=")
	for off := range 4 {
		if off >= len(run) {
			break
		}
		chunk := run[off:]
		if len(chunk)%4 == 1 {
			chunk = chunk[:len(chunk)-1]
		}
		for _, enc := range []*base64.Encoding{base64.RawStdEncoding, base64.RawURLEncoding} {
			if dec, err := enc.DecodeString(chunk); err == nil && len(r.find(string(dec))) > 0 {
				return true
			}
		}
	}
	return false
}

func isB64(c byte) bool {
	return 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '+' || c == '/' || c == '-' || c == '_' || c == '='
}
