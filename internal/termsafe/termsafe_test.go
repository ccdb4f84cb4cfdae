package termsafe

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestLine(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"plain text, ünïcödé, 日本語, 🙂", "plain text, ünïcödé, 日本語, 🙂"},
		{"\x1b[2J\x1b]0;pwned\x07", `\x1b[2J\x1b]0;pwned\x07`},
		{"ok\rforged line", `ok\rforged line`},
		{"a\nb\tc", `a\nb\tc`},
		{"\u009b31m", `\u009b31m`},
		{"evil\u202Etxt.exe", "evil<U+202E>txt.exe"},
		{"\u2066iso\u2069", "<U+2066>iso<U+2069>"},
		{"zero\u200Bwidth\uFEFF", "zero<U+200B>width<U+FEFF>"},
		{"sep\u2028arator", "sep<U+2028>arator"},
		{"bad \xff\xfe utf8", `bad \xff\xfe utf8`},
		{"del\x7f", `del\x7f`},
		{"nul\x00", `nul\x00`},
	} {
		if got := Line(c.in); got != c.want {
			t.Errorf("Line(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestTextKeepsLineBreaks(t *testing.T) {
	if got, want := Text("a\nb\tc\r\x1b"), "a\nb\tc\\r\\x1b"; got != want {
		t.Errorf("Text = %q, want %q", got, want)
	}
}

// FuzzLine: whatever goes in, what comes out is valid UTF-8 with no control,
// format or separator character, and cleaning again changes nothing.
func FuzzLine(f *testing.F) {
	for _, s := range []string{"", "x", "\x1b[31m", "\u202e", "\xff", "\r\n", "\u200d", "\U000E0041"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := Line(s)
		if !utf8.ValidString(out) {
			t.Fatalf("Line(%q) = %q is not UTF-8", s, out)
		}
		for _, r := range out {
			if dangerous(r) {
				t.Fatalf("Line(%q) = %q keeps %U", s, out, r)
			}
		}
		if Line(out) != out {
			t.Fatalf("Line is not idempotent on %q", s)
		}
		if strings.ContainsAny(out, "\n\r\x1b") {
			t.Fatalf("Line(%q) = %q keeps a line break or ESC", s, out)
		}
		txt := Text(s)
		if strings.ContainsAny(txt, "\r\x1b") || Text(txt) != txt {
			t.Fatalf("Text(%q) = %q", s, txt)
		}
	})
}
