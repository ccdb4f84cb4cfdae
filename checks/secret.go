package checks

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
)

// APIKey holds the X-API-Key value. Every way of printing it — %v, %s, %#v,
// JSON — shows only the redacted form, so it cannot leak into a report or a
// log by accident; Reveal is called in exactly one place, the probe request.
type APIKey struct{ v string }

// NewAPIKey wraps a key, trimming the newline files and stdin usually add.
func NewAPIKey(s string) APIKey { return APIKey{strings.TrimSpace(s)} }

// Empty reports whether no key was given.
func (k APIKey) Empty() bool { return k.v == "" }

// Reveal returns the key itself, for the request header only.
func (k APIKey) Reveal() string { return k.v }

// Redacted shows the last four characters (for keys long enough that four
// characters do not give much away) and a short SHA-256, enough to tell two
// keys apart in a support ticket: "…1234 (sha256:ab12cd34)".
func (k APIKey) Redacted() string {
	if k.v == "" {
		return "(none)"
	}
	sum := sha256.Sum256([]byte(k.v))
	h := hex.EncodeToString(sum[:4])
	if len(k.v) >= 16 {
		return "…" + k.v[len(k.v)-4:] + " (sha256:" + h + ")"
	}
	return "(sha256:" + h + ")"
}

func (k APIKey) String() string               { return k.Redacted() }
func (k APIKey) GoString() string             { return k.Redacted() }
func (k APIKey) MarshalText() ([]byte, error) { return []byte(k.Redacted()), nil }
