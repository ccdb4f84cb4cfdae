// Package termsafe makes text that came from a file or a peer safe to print
// on a terminal, in a log or in a report: every character that could move
// the cursor, change the terminal's state, reorder what is shown or hide in
// plain sight is replaced by a visible escape. It is the one place where
// this is decided; every output path (reports, inspect, errors, the wizard)
// passes hostile text through it where the text is printed.
package termsafe

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Line returns s as one printable line: C0 and C1 control characters
// (ESC, CR and line feeds included) become \xNN-style escapes, Unicode
// format characters (bidi overrides and isolates, zero-width spaces and
// joiners, the BOM, tag characters), line and paragraph separators become
// <U+XXXX>, and bytes that are not UTF-8 become \xNN. Everything else —
// letters of any script, punctuation, emoji — is kept as it is. Line is
// idempotent: its output contains nothing it would change.
func Line(s string) string {
	return clean(s, false)
}

// Text is Line that keeps line feeds and tabs, for multi-line text such as
// a PEM file's comment or an error page shown in full. A CR is still
// escaped: a bare CR rewrites the line it ends.
func Text(s string) string {
	return clean(s, true)
}

// Safe reports whether s is printed unchanged by Line.
func Safe(s string) bool {
	for i, r := range s {
		if r == utf8.RuneError {
			if _, size := utf8.DecodeRuneInString(s[i:]); size == 1 {
				return false
			}
		}
		if dangerous(r) {
			return false
		}
	}
	return true
}

func clean(s string, multiline bool) string {
	if Safe(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 16)
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case multiline && (r == '\n' || r == '\t'):
			b.WriteRune(r)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(&b, `\x%02x`, r)
		case r >= 0x80 && r < 0xa0:
			fmt.Fprintf(&b, `\u%04x`, r)
		case dangerous(r):
			fmt.Fprintf(&b, "<U+%04X>", r)
		default:
			b.WriteRune(r)
		}
		i += size
	}
	return b.String()
}

// dangerous is every rune Line escapes.
func dangerous(r rune) bool {
	switch {
	case r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0):
		return true
	case r < 0xa0:
		return false
	case r == '\u2028' || r == '\u2029':
		return true
	}
	// Cf holds the bidi controls (U+061C, U+200E/F, U+202A–E, U+2066–9),
	// zero-width characters (U+200B–D, U+2060), the BOM, soft hyphen and
	// the tag characters.
	return unicode.Is(unicode.Cf, r)
}
