package csr

import (
	"bytes"
	"unicode/utf16"
	"unicode/utf8"
)

// decodeText undoes what editors and Windows tools do to PEM files: a UTF-8
// byte-order mark (which makes pem.Decode find nothing), UTF-16 (PowerShell's
// default for `>`), and bare CR line endings. It returns the bytes to parse
// and a note for each change; binary input is returned untouched.
func decodeText(data []byte) ([]byte, []string) {
	var notes []string
	switch {
	case bytes.HasPrefix(data, []byte{0xEF, 0xBB, 0xBF}):
		data = data[3:]
		notes = append(notes, "UTF-8 byte-order mark removed")
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE}):
		if t, ok := fromUTF16(data[2:], false); ok {
			return normalizeNewlines(t, append(notes, "UTF-16 (little-endian) text decoded"))
		}
	case bytes.HasPrefix(data, []byte{0xFE, 0xFF}):
		if t, ok := fromUTF16(data[2:], true); ok {
			return normalizeNewlines(t, append(notes, "UTF-16 (big-endian) text decoded"))
		}
	case len(data) >= 4 && data[0] == '-' && data[1] == 0 && data[2] == '-' && data[3] == 0:
		if t, ok := fromUTF16(data, false); ok {
			return normalizeNewlines(t, append(notes, "UTF-16 (little-endian) text decoded"))
		}
	case len(data) >= 4 && data[0] == 0 && data[1] == '-' && data[2] == 0 && data[3] == '-':
		if t, ok := fromUTF16(data, true); ok {
			return normalizeNewlines(t, append(notes, "UTF-16 (big-endian) text decoded"))
		}
	}
	return normalizeNewlines(data, notes)
}

func fromUTF16(b []byte, bigEndian bool) ([]byte, bool) {
	if len(b)%2 != 0 {
		b = b[:len(b)-1]
	}
	u := make([]uint16, len(b)/2)
	for i := range u {
		if bigEndian {
			u[i] = uint16(b[2*i])<<8 | uint16(b[2*i+1])
		} else {
			u[i] = uint16(b[2*i+1])<<8 | uint16(b[2*i])
		}
	}
	out := []byte(string(utf16.Decode(u)))
	if !utf8.Valid(out) || !bytes.Contains(out, []byte("-----BEGIN")) {
		return nil, false
	}
	out = bytes.TrimPrefix(out, []byte("\uFEFF"))
	return out, true
}

// normalizeNewlines notes CRLF (which pem.Decode handles) and rewrites lone
// CRs (classic Mac), which it does not. Binary data is left alone.
func normalizeNewlines(data []byte, notes []string) ([]byte, []string) {
	if !bytes.Contains(data, []byte("-----BEGIN")) {
		return data, notes
	}
	if bytes.Contains(data, []byte("\r\n")) {
		notes = append(notes, "Windows (CRLF) line endings")
	}
	if bytes.Contains(bytes.ReplaceAll(data, []byte("\r\n"), nil), []byte("\r")) {
		data = bytes.ReplaceAll(bytes.ReplaceAll(data, []byte("\r\n"), []byte("\n")), []byte("\r"), []byte("\n"))
		notes = append(notes, "old Mac (CR) line endings converted")
	}
	return data, notes
}
