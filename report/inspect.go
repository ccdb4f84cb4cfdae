package report

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/axysdoctor/axysdoctor/csr"
	"github.com/axysdoctor/axysdoctor/internal/termsafe"
)

// InspectText writes an inspection for a terminal. Every string in it may
// come from a hostile file (subjects, SANs, PEM block names, paths, error
// messages quoting input) and is made terminal-safe here, before styling.
// Files that could not be read are left out: they are said on stderr.
func InspectText(w io.Writer, in csr.Inspection, st Styles) error {
	in = safeInspection(in)
	ew := &errWriter{w: w}
	for i, f := range in.Files {
		if i > 0 {
			ew.printf("\n")
		}
		if f.Error != "" {
			continue
		}
		ew.printf("%s: %s, %s\n", st.Title.Render(f.Path), f.Container, f.Contents)
		for _, n := range f.Notes {
			ew.printf("  %s %s\n", st.Subtle.Render("note:"), n)
		}
		for j, it := range f.Items {
			ew.printf("  %d. %s\n", j+1, it.Description)
			if it.Format != "PEM CERTIFICATE" && it.Format != "DER" && (it.Kind == "certificate" || it.Kind == "certificate signing request") {
				ew.printf("     stored as %s\n", it.Format)
			}
			if len(it.SANs) > 0 {
				ew.printf("     SANs: %s\n", joinCapped(it.SANs, 64))
			}
			if it.SHA256 != "" {
				ew.printf("     %s\n", st.Subtle.Render("sha256 "+it.SHA256))
			}
		}
		for _, c := range f.Chain {
			ew.printf("  %s %s\n", st.Subtle.Render("chain:"), c)
		}
	}
	if m := in.KeyMatch; m != nil {
		ew.printf("\n")
		switch {
		case m.Cert == "":
			ew.printf("%s %s: no certificate or CSR given to compare it with\n", st.Warn.Render("!"), m.Key)
		case m.Matches:
			ew.printf("%s %s belongs to %s\n", st.Pass.Render("✓"), m.Key, m.Cert)
		default:
			ew.printf("%s %s does NOT belong to %s: use the key generated together with the CSR\n", st.Fail.Render("✗"), m.Key, m.Cert)
		}
	}
	return ew.err
}

// InspectJSON writes an inspection as one JSON document, its strings
// terminal-safe too: JSON escapes control characters but not bidi
// overrides, and `jq -r` turns the escapes back into the real thing.
func InspectJSON(w io.Writer, in csr.Inspection) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(safeInspection(in))
}

// safeInspection is a copy of in with every string passed through
// termsafe.Line.
func safeInspection(in csr.Inspection) csr.Inspection {
	out := csr.Inspection{}
	for _, f := range in.Files {
		g := f
		g.Path, g.Container, g.Contents, g.Error = termsafe.Line(f.Path), termsafe.Line(f.Container), termsafe.Line(f.Contents), termsafe.Line(f.Error)
		g.Notes, g.Chain = safeLines(f.Notes), safeLines(f.Chain)
		g.Items = nil
		for _, it := range f.Items {
			it.Kind, it.Format, it.Description = termsafe.Line(it.Kind), termsafe.Line(it.Format), termsafe.Line(it.Description)
			it.Subject, it.Issuer, it.Key, it.Problem = termsafe.Line(it.Subject), termsafe.Line(it.Issuer), termsafe.Line(it.Key), termsafe.Line(it.Problem)
			it.SANs = safeLines(it.SANs)
			g.Items = append(g.Items, it)
		}
		out.Files = append(out.Files, g)
	}
	if m := in.KeyMatch; m != nil {
		out.KeyMatch = &csr.KeyMatch{Key: termsafe.Line(m.Key), Cert: termsafe.Line(m.Cert), Matches: m.Matches}
	}
	return out
}

func safeLines(lines []string) []string {
	if lines == nil {
		return nil
	}
	out := make([]string, len(lines))
	for i, l := range lines {
		out[i] = termsafe.Line(l)
	}
	return out
}

// errWriter keeps the first write error, so a renderer can print line by
// line and report once.
type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) printf(format string, args ...any) {
	if e.err == nil {
		_, e.err = fmt.Fprintf(e.w, format, args...)
	}
}

// joinCapped lists at most n items, then how many more there are (the
// JSON output keeps them all).
func joinCapped(v []string, n int) string {
	if len(v) <= n {
		return strings.Join(v, ", ")
	}
	return fmt.Sprintf("%s and %d more (all of them with --output json)", strings.Join(v[:n], ", "), len(v)-n)
}
