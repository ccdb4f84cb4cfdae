package checks

import (
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"net/url"
	"strconv"
	"strings"
	"testing"
)

const redactTestKey = "axys_prog_9f3b1c7e2d8a4f60b5c1"

// leaks reports whether out holds the key or, at either edge, eight or
// more of its characters — the promise a redactor keeps.
func leaks(out, key string) bool {
	if strings.Contains(out, key) {
		return true
	}
	for n := minFragment; n < len(key); n++ {
		for i := 0; i+n <= len(key); i++ {
			frag := key[i : i+n]
			if strings.HasPrefix(out, frag) || strings.HasSuffix(out, frag) {
				return true
			}
		}
	}
	return false
}

func TestRedactEveryForm(t *testing.T) {
	k := redactTestKey
	r := newRedactor(NewAPIKey(k))
	esc, _ := json.Marshal(k)
	var uEsc strings.Builder
	for _, c := range k {
		uEsc.WriteString(`\u00` + strings.ToLower(string("0123456789abcdef"[c>>4])+string("0123456789abcdef"[c&15])))
	}
	cases := map[string]string{
		"plain":                "key=" + k + ";",
		"split by spaces":      "key: " + k[:10] + " " + k[10:20] + "  " + k[20:],
		"split by a line feed": "key:\n" + k[:12] + "\r\n" + k[12:],
		"split by controls":    k[:5] + "\x00\x1b" + k[5:],
		"split by zero-width":  k[:7] + "\u200b" + k[7:],
		"URL-encoded":          "next=%2F&api_key=" + url.QueryEscape(k),
		"all percent-encoded":  "k=" + percentAll(k),
		"JSON string":          `{"echo":` + string(esc) + `}`,
		"JSON \\u escapes":     `{"echo":"` + uEsc.String() + `"}`,
		"escaped line feed":    `"` + k[:15] + `\n` + k[15:] + `"`,
		"base64":               "token " + base64.StdEncoding.EncodeToString([]byte(k)),
		"base64 in Basic":      "Basic " + base64.StdEncoding.EncodeToString([]byte("tenant:"+k)),
		"base64url unpadded":   base64.RawURLEncoding.EncodeToString([]byte("x" + k + "yy")),
		"cut at the end":       strings.Repeat("x ", 50) + k[:11],
		"cut at the start":     k[len(k)-9:] + " and the rest of the page",
	}
	for name, in := range cases {
		t.Run(name, func(t *testing.T) {
			out := r.apply(in)
			if leaks(out, k) || strings.Contains(strings.ReplaceAll(out, " ", ""), k) {
				t.Errorf("%q → %q still holds the key", in, out)
			}
			if !strings.Contains(out, redacted) {
				t.Errorf("%q → %q: nothing redacted", in, out)
			}
		})
	}
	// Text that merely shares a few characters with the key is left alone.
	for _, in := range []string{"Acceptance Staging Client CA", "keys start with axys_prog_ and more", "…c1 (sha256:0a1b2c3d)"} {
		if out := r.apply(in); out != in {
			t.Errorf("%q → %q: redacted something that is not the key", in, out)
		}
	}
}

func percentAll(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		b.WriteString("%" + strings.ToUpper(string("0123456789abcdef"[s[i]>>4])+string("0123456789abcdef"[s[i]&15])))
	}
	return b.String()
}

// FuzzRedact: whatever surrounds the key and however it is split or
// encoded among the supported forms, no output holds it.
func FuzzRedact(f *testing.F) {
	f.Add("before ", " after", uint8(0), uint8(3))
	f.Add("", "", uint8(1), uint8(10))
	f.Add("<html>", "</html>", uint8(2), uint8(0))
	f.Add("a=", "&b", uint8(3), uint8(7))
	f.Add("Basic ", "", uint8(4), uint8(1))
	f.Fuzz(func(t *testing.T, before, after string, form, split uint8) {
		k := redactTestKey
		at := int(split) % len(k)
		var mid string
		switch form % 8 {
		case 0:
			mid = k
		case 1:
			mid = k[:at] + " \n\t" + k[at:]
		case 2:
			mid = url.QueryEscape(k)
		case 3:
			b, _ := json.Marshal(k[:at] + "\n" + k[at:])
			mid = string(b)
		case 4:
			mid = base64.StdEncoding.EncodeToString([]byte(k))
		case 5:
			mid = strings.ToUpper(k[:at]) + k[at:]
		case 6:
			mid = hex.EncodeToString([]byte(k))
		case 7:
			for _, c := range k {
				mid += "&#" + strconv.Itoa(int(c)) + ";"
			}
		}
		// A neighbour that continues a base64 run could change its
		// alignment: the redactor tries every alignment, so keep going.
		out := newRedactor(NewAPIKey(k)).apply(before + mid + after)
		flat := strings.ToLower(strings.Join(strings.Fields(out), ""))
		if strings.Contains(flat, k) || strings.Contains(out, k) || strings.Contains(out, hex.EncodeToString([]byte(k))) {
			t.Fatalf("the key survived: %q", out)
		}
	})
}

// TestRedactHardenedForms: the forms a hostile echo may take beyond the
// common encodings.
func TestRedactHardenedForms(t *testing.T) {
	k := redactTestKey
	r := newRedactor(NewAPIKey(k))
	var entities, fullWidth strings.Builder
	for _, c := range k {
		entities.WriteString("&#" + strconv.Itoa(int(c)) + ";")
		fullWidth.WriteRune(c + 0xfee0)
	}
	var dashed strings.Builder
	for i := 0; i < len(k); i += 3 {
		dashed.WriteString(k[i:min(i+3, len(k))] + "-")
	}
	var ansi strings.Builder
	for _, c := range k {
		ansi.WriteString(string(c) + "\x1b[0m")
	}
	for name, in := range map[string]string{
		"upper case":        "KEY " + strings.ToUpper(k) + " END",
		"hex":               "key=" + hex.EncodeToString([]byte(k)) + ";",
		"HTML entities":     "<p>" + entities.String() + "</p>",
		"grouped by dashes": "key " + dashed.String() + " end",
		"full-width":        "key " + fullWidth.String() + " end",
		"ANSI in between":   "key " + ansi.String() + " end",
		"quoted ANSI":       strings.ReplaceAll(ansi.String(), "\x1b", `\x1b`),
	} {
		out := r.apply(in)
		if !strings.Contains(out, redacted) {
			t.Errorf("%s: %q → %q: nothing redacted", name, in, out)
		}
	}
	// A proxy password, and its Basic form, as the proxy echoes them.
	pr := newRedactor(APIKey{}, "Sup3rS3cretPassw0rd", "alice:Sup3rS3cretPassw0rd")
	for _, in := range []string{
		"Via: 1.1 alice:Sup3rS3cretPassw0rd",
		"you sent Basic " + base64.StdEncoding.EncodeToString([]byte("alice:Sup3rS3cretPassw0rd")),
	} {
		if out := pr.apply(in); strings.Contains(out, "Sup3r") || strings.Contains(out, "YWxpY2U6U3VwM3") {
			t.Errorf("%q → %q", in, out)
		}
	}
}
