package checks

import (
	"encoding/base64"
	"encoding/hex"
	"slices"
	"strings"
	"unicode/utf8"
)

// Secrets must never leave the engine — the API key, and a proxy's
// password — however a peer echoes them: split by spaces, dashes or line
// breaks, in another case, percent-encoded, JSON-, C- or HTML-escaped,
// wrapped in terminal escape sequences, in full-width characters, hex- or
// base64-encoded (inside a Basic header or a token), or cut at the edge of
// what was read. A redactor finds a whole secret in all of those forms
// anywhere in a text, and any fragment of one of minFragment characters or
// more at either edge of the text (where a read limit cut it), and
// replaces what it finds. It runs on raw text before anything is cut or
// flattened, so no cut of ours can leave a piece behind. Fragments are
// matched at the edges only: in the middle of a text, eight characters
// that happen to appear in a test key ("cceptanc" in "Acceptance") are not
// the key.

// minFragment is the shortest piece of a secret that is redacted on its own.
const minFragment = 8

// redacted stands in for a secret.
const redacted = "[api key]"

// secret is one value to redact, as the matcher compares it: lower case,
// without the separators a peer may add or drop.
type secret struct {
	norm []byte
	min  int // the shortest fragment matched
	mark string
	// at lists, for each byte, where it occurs in norm: the matcher only
	// tries the places a text's character could start a match.
	at [256][]int
}

type redactor struct {
	secrets []secret
}

// newRedactor redacts the API key, and extra secrets (a proxy's password)
// shown as "[redacted]".
func newRedactor(k APIKey, extra ...string) redactor {
	var r redactor
	r.add(k.Reveal(), redacted)
	for _, e := range extra {
		r.add(e, "[redacted]")
	}
	return r
}

func (r *redactor) add(value, mark string) {
	var norm []byte
	for i := 0; i < len(value); i++ {
		if b, sep := normByte(value[i]); !sep {
			norm = append(norm, b)
		}
	}
	// Secrets shorter than four characters are not redacted: every text
	// would match them.
	if len(norm) < 4 {
		return
	}
	sec := secret{norm: norm, min: min(minFragment, len(norm)), mark: mark}
	for j, b := range norm {
		sec.at[b] = append(sec.at[b], j)
	}
	r.secrets = append(r.secrets, sec)
}

// active reports whether there is anything to redact.
func (r redactor) active() bool { return len(r.secrets) > 0 }

// apply returns s with every occurrence of a secret, or of a fragment of
// one at an edge, in any of the forms above replaced.
func (r redactor) apply(s string) string {
	if !r.active() || s == "" {
		return s
	}
	s = r.encodedRuns(s)
	return replaceSpans(s, r.find(s))
}

// normByte is how a character of a secret or of a text is compared: lower
// case; the characters a peer adds or drops between a secret's characters
// (white space, controls, dashes, underscores, dots, colons) are
// separators.
func normByte(b byte) (byte, bool) {
	switch {
	case b <= ' ' || b == 0x7f || b == '-' || b == '_' || b == '.' || b == ':':
		return 0, true
	case 'A' <= b && b <= 'Z':
		return b + 'a' - 'A', false
	}
	return b, false
}

// unit is one character of s after decoding: a byte of a secret's
// alphabet, or a separator, which may sit between two characters of a
// match.
type unit struct {
	b          byte
	sep        bool
	start, end int // span in s
}

// decodeUnits reads s as text that may hold escapes; with escapes false,
// it reads every character as itself (a backslash as a separator), so that
// a literal "\", "%2" or "&#" just before a secret is not read as an
// escape that swallows the secret's first character.
func decodeUnits(s string, escapes bool) []unit {
	var out []unit
	add := func(b byte, start, end int) {
		n, sep := normByte(b)
		out = append(out, unit{b: n, sep: sep, start: start, end: end})
	}
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == 0x1b:
			n := 1 + csiLen(s[i+1:])
			out = append(out, unit{sep: true, start: i, end: i + n})
			i += n
		case c == '%' && escapes && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]):
			add(unhex(s[i+1])<<4|unhex(s[i+2]), i, i+3)
			i += 3
		case c == '&' && escapes && i+3 < len(s) && s[i+1] == '#':
			n, b, ok := decodeEntity(s[i:])
			if !ok {
				add(c, i, i+1)
				i++
				continue
			}
			add(b, i, i+n)
			i += n
		case c == '\\' && !escapes:
			out = append(out, unit{sep: true, start: i, end: i + 1})
			i++
		case c == '\\' && i+1 < len(s):
			n, b, sep := decodeEscape(s[i:])
			if b == 0x1b {
				n += csiLen(s[i+n:])
				sep = true
			}
			if sep {
				out = append(out, unit{sep: true, start: i, end: i + n})
			} else {
				add(b, i, i+n)
			}
			i += n
		case c < utf8.RuneSelf:
			add(c, i, i+1)
			i++
		default:
			r, n := utf8.DecodeRuneInString(s[i:])
			switch {
			case r >= 0xff01 && r <= 0xff5e: // full-width ASCII
				add(byte(r-0xfee0), i, i+n)
			default:
				// Invisible characters can split a secret too; any other
				// non-ASCII character ends a match.
				out = append(out, unit{b: 0xff, sep: invisible(r), start: i, end: i + n})
			}
			i += n
		}
	}
	return out
}

// csiLen is the length of a terminal control sequence's body ("[0m")
// after an ESC, or 0.
func csiLen(s string) int {
	if len(s) == 0 || s[0] != '[' {
		return 0
	}
	for i := 1; i < len(s) && i < 32; i++ {
		if s[i] >= 0x40 && s[i] <= 0x7e {
			return i + 1
		}
	}
	return 0
}

// decodeEntity reads an HTML character reference (&#97; or &#x61;).
func decodeEntity(s string) (n int, b byte, ok bool) {
	end := strings.IndexByte(s, ';')
	if end < 3 || end > 10 {
		return 0, 0, false
	}
	body := s[2:end]
	base := 10
	if body[0] == 'x' || body[0] == 'X' {
		base, body = 16, body[1:]
	}
	v := 0
	for i := 0; i < len(body); i++ {
		d := body[i]
		switch {
		case '0' <= d && d <= '9':
			v = v*base + int(d-'0')
		case base == 16 && isHex(d):
			v = v*base + int(unhex(d))
		default:
			return 0, 0, false
		}
		if v > 0x10ffff {
			return 0, 0, false
		}
	}
	if v >= utf8.RuneSelf {
		return end + 1, 0xff, true
	}
	return end + 1, byte(v), true
}

// decodeEscape reads one backslash escape at the start of s: \uXXXX, \xXX,
// \n \r \t \e (separators), or \c for any other c.
func decodeEscape(s string) (n int, b byte, sep bool) {
	switch s[1] {
	case 'u':
		if len(s) >= 6 && isHex(s[2]) && isHex(s[3]) && isHex(s[4]) && isHex(s[5]) {
			v := rune(unhex(s[2]))<<12 | rune(unhex(s[3]))<<8 | rune(unhex(s[4]))<<4 | rune(unhex(s[5]))
			if v < utf8.RuneSelf {
				_, sep := normByte(byte(v))
				return 6, byte(v), sep
			}
			return 6, 0xff, invisible(v)
		}
	case 'x':
		if len(s) >= 4 && isHex(s[2]) && isHex(s[3]) {
			v := unhex(s[2])<<4 | unhex(s[3])
			_, sep := normByte(v)
			return 4, v, sep
		}
	case 'n', 'r', 't', 'a', 'b', 'f', 'v':
		return 2, ' ', true
	case 'e':
		return 2, 0x1b, true
	}
	_, sep = normByte(s[1])
	return 2, s[1], sep
}

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

// span is a range of s to replace, and what replaces it.
type span struct {
	start, end int
	mark       string
}

// find returns the spans of s holding a secret, or a fragment of one at
// the start or the end of s, reading backslashes both as escapes and as
// plain characters.
func (r redactor) find(s string) []span {
	a, b := r.findIn(s, true), r.findIn(s, false)
	if len(b) == 0 {
		return a
	}
	all := append(a, b...)
	slices.SortFunc(all, func(x, y span) int { return x.start - y.start })
	merged := all[:1]
	for _, sp := range all[1:] {
		last := &merged[len(merged)-1]
		if sp.start < last.end {
			last.end = max(last.end, sp.end)
			continue
		}
		merged = append(merged, sp)
	}
	return merged
}

func (r redactor) findIn(s string, escapes bool) []span {
	units := decodeUnits(s, escapes)
	var vals []unit
	for _, u := range units {
		if !u.sep {
			vals = append(vals, u)
		}
	}
	var spans []span
	for i := 0; i < len(vals); {
		best, mark := 0, ""
		for k := range r.secrets {
			sec := &r.secrets[k]
			for _, j := range sec.at[vals[i].b] {
				n := 1
				for i+n < len(vals) && j+n < len(sec.norm) && vals[i+n].b == sec.norm[j+n] {
					n++
				}
				atEdge := i == 0 || i+n == len(vals)
				if (n == len(sec.norm) || (n >= sec.min && atEdge)) && n > best {
					best, mark = n, sec.mark
				}
			}
		}
		if best > 0 {
			spans = append(spans, span{vals[i].start, vals[i+best-1].end, mark})
			i += best
			continue
		}
		i++
	}
	return spans
}

// replaceSpans puts each span's mark in its place (spans are in order and
// do not overlap).
func replaceSpans(s string, spans []span) string {
	if len(spans) == 0 {
		return s
	}
	var b strings.Builder
	last := 0
	for _, sp := range spans {
		b.WriteString(s[last:sp.start])
		b.WriteString(sp.mark)
		last = sp.end
	}
	b.WriteString(s[last:])
	return b.String()
}

// encodedRuns replaces every run of hex characters, then every run of
// base64 characters, whose decoding holds a secret or a fragment of one
// (base64 at every alignment).
func (r redactor) encodedRuns(s string) string {
	var spans []span
	for i := 0; i < len(s); {
		if !isHex(s[i]) {
			i++
			continue
		}
		j := i
		for j < len(s) && isHex(s[j]) {
			j++
		}
		for off := 0; off < 2 && j-i-off >= 16; off++ {
			h := s[i+off : j]
			if len(h)%2 == 1 {
				h = h[:len(h)-1]
			}
			if dec, err := hex.DecodeString(h); err == nil {
				if found := r.findIn(string(dec), false); len(found) > 0 {
					spans = append(spans, span{i, j, found[0].mark})
					break
				}
			}
		}
		i = j
	}
	s = replaceSpans(s, spans)
	spans = nil
	for i := 0; i < len(s); {
		if !isB64(s[i]) {
			i++
			continue
		}
		j := i
		for j < len(s) && isB64(s[j]) {
			j++
		}
		if mark, ok := r.encodedHolds(s[i:j]); ok {
			spans = append(spans, span{i, j, mark})
		}
		i = j
	}
	return replaceSpans(s, spans)
}

// encodedHolds decodes run as base64 (standard or URL alphabet, at every
// alignment) and reports whether the result holds a secret.
func (r redactor) encodedHolds(run string) (string, bool) {
	if len(run) < 11 { // base64 of the shortest fragment
		return "", false
	}
	if oneClass(run) {
		return "", false // a word or a number, not base64
	}
	holds := func(dec []byte) (string, bool) {
		if spans := r.findIn(string(dec), false); len(spans) > 0 {
			return spans[0].mark, true
		}
		return "", false
	}
	trimmed := strings.TrimRight(run, "=")
	for off := range 4 {
		if off >= len(trimmed) {
			break
		}
		chunk := trimmed[off:]
		if len(chunk)%4 == 1 {
			chunk = chunk[:len(chunk)-1]
		}
		for _, enc := range []*base64.Encoding{base64.RawStdEncoding, base64.RawURLEncoding} {
			if dec, err := enc.DecodeString(chunk); err == nil {
				if mark, ok := holds(dec); ok {
					return mark, true
				}
			}
		}
	}
	return "", false
}

// oneClass reports a run made of one kind of character only (lower-case
// letters, upper-case letters or digits, with separators): base64 of 11 or
// more bytes of anything but letters of one case almost never is.
func oneClass(run string) bool {
	var lower, upper, digit, other bool
	for i := 0; i < len(run); i++ {
		switch c := run[i]; {
		case 'a' <= c && c <= 'z':
			lower = true
		case 'A' <= c && c <= 'Z':
			upper = true
		case '0' <= c && c <= '9':
			digit = true
		case c == '+' || c == '/':
			other = true
		}
	}
	n := 0
	for _, b := range []bool{lower, upper, digit, other} {
		if b {
			n++
		}
	}
	return n <= 1
}

func isB64(c byte) bool {
	return 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '+' || c == '/' || c == '-' || c == '_' || c == '='
}
