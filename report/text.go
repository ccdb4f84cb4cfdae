package report

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/muesli/termenv"

	"github.com/axysdoctor/axysdoctor/checks"
	"github.com/axysdoctor/axysdoctor/docs"
	"github.com/axysdoctor/axysdoctor/internal/termsafe"
)

// TextOptions shape the terminal report.
type TextOptions struct {
	Version string
	Color   bool
	// Width wraps long lines to this many columns (0: no wrapping).
	Width int
	// Verbose shows the evidence of passing checks too.
	Verbose bool
	Strict  bool
}

// Styles are the report's semantic styles.
type Styles struct {
	Pass, Warn, Fail, Skip, Title, Subtle, Label lipgloss.Style
}

// NewStyles returns styles for w; without color every style is plain.
func NewStyles(w io.Writer, color bool) Styles {
	r := lipgloss.NewRenderer(w)
	if !color {
		r.SetColorProfile(termenv.Ascii)
	} else {
		r.SetColorProfile(termenv.ANSI256)
	}
	return Styles{
		Pass:   r.NewStyle().Foreground(lipgloss.Color("2")),
		Warn:   r.NewStyle().Foreground(lipgloss.Color("3")),
		Fail:   r.NewStyle().Foreground(lipgloss.Color("1")).Bold(true),
		Skip:   r.NewStyle().Foreground(lipgloss.Color("8")),
		Title:  r.NewStyle().Bold(true),
		Subtle: r.NewStyle().Foreground(lipgloss.Color("8")),
		Label:  r.NewStyle().Foreground(lipgloss.Color("6")),
	}
}

// Mark is the one-character status symbol.
func Mark(s checks.Status) string {
	switch s {
	case checks.Pass:
		return "✓"
	case checks.Warn:
		return "!"
	case checks.Fail:
		return "✗"
	}
	return "-"
}

// StatusStyle picks the style for a status.
func (st Styles) StatusStyle(s checks.Status) lipgloss.Style {
	switch s {
	case checks.Pass:
		return st.Pass
	case checks.Warn:
		return st.Warn
	case checks.Fail:
		return st.Fail
	}
	return st.Skip
}

// Text writes the human report. With a Width, long lines wrap at word
// boundaries with hanging indents, so a summary, a piece of evidence or a
// fix reads as one block in a narrow terminal; without one (a pipe, a
// ticket) every item stays on one line.
func Text(w io.Writer, rep checks.Report, o TextOptions) error {
	st := NewStyles(w, o.Color)
	var b strings.Builder
	tw := textWriter{b: &b, width: o.Width}
	fmt.Fprintf(&b, "%s · %s · %s\n", st.Title.Render("axysdoctor "+termsafe.Line(o.Version)), termsafe.Line(rep.Environment.Name), termsafe.Line(rep.Environment.BaseURL))
	if rep.Environment.Note != "" {
		tw.para("", "", termsafe.Line(rep.Environment.Note), st.Subtle.Render)
	}
	tw.para("", "", termsafe.Line(describeInputs(rep.Inputs)), st.Subtle.Render)
	b.WriteString("\n")
	idWidth := 0
	for _, r := range rep.Results {
		idWidth = max(idWidth, len(r.ID))
	}
	indent := strings.Repeat(" ", idWidth+4)
	for _, r := range rep.Results {
		mark := st.StatusStyle(r.Status).Render(Mark(r.Status))
		summary := termsafe.Line(r.Summary)
		if r.Status != checks.Skip && r.Duration >= time.Millisecond {
			summary += "  " + st.Subtle.Render(Duration(r.Duration))
		}
		tw.para(fmt.Sprintf("%s %-*s  ", mark, idWidth, r.ID), indent, summary, nil)
		if r.Status == checks.Warn || r.Status == checks.Fail || (o.Verbose && r.Status == checks.Pass) {
			writeDetail(&tw, r, st, indent, r.Status != checks.Pass)
		}
	}
	sum := rep.Summary()
	b.WriteString("\n")
	if rc := rep.RootCause; rc != nil {
		tw.para(st.Fail.Render("root cause:")+" ", "            ", rc.ID+" — "+termsafe.Line(rc.Reason), nil)
	}
	fmt.Fprintf(&b, "%s — exit %d\n", summaryStyle(st, sum).Render(sum.String()), rep.ExitCode(o.Strict))
	_, err := io.WriteString(w, b.String())
	return err
}

func summaryStyle(st Styles, s checks.Summary) lipgloss.Style {
	switch {
	case s.Fail > 0:
		return st.Fail
	case s.Warn > 0:
		return st.Warn
	}
	return st.Pass
}

func writeDetail(tw *textWriter, r checks.Result, st Styles, indent string, withFix bool) {
	labelWidth := 0
	for _, e := range r.Evidence {
		labelWidth = max(labelWidth, ansi.StringWidth(termsafe.Line(e.Label)))
	}
	labelWidth = min(labelWidth, 28)
	for _, e := range r.Evidence {
		label := termsafe.Line(e.Label)
		pad := max(labelWidth-ansi.StringWidth(label), 0)
		hang := indent + strings.Repeat(" ", labelWidth+1)
		if ansi.StringWidth(label) > labelWidth {
			hang = indent + strings.Repeat(" ", 4)
		}
		tw.para(indent+st.Label.Render(label)+strings.Repeat(" ", pad)+" ", hang, termsafe.Line(e.Value), nil)
	}
	if withFix && r.Fix != "" {
		tw.para(indent+st.Title.Render("fix:")+" ", indent+"     ", termsafe.Line(r.Fix), nil)
	}
	if withFix && r.Row != "" {
		if row, ok := docs.Lookup(r.Row); ok {
			src := "Axys failure table"
			if row.Ours {
				src = "axysdoctor's own row"
			}
			tw.para(indent+st.Title.Render("row:")+" ", indent+"     ", fmt.Sprintf("%s (%s): %s — likely cause: %s", row.ID, src, row.Symptom, row.Cause), nil)
			tw.b.WriteString(indent + "     see " + row.URL + "\n") // never broken: it must stay clickable
		}
	}
}

// textWriter writes paragraphs: a first-line prefix, then text wrapped to
// width at spaces, continuation lines starting with hang. Words longer than
// a line (URLs, paths) are never broken, so they stay copyable.
type textWriter struct {
	b     *strings.Builder
	width int
}

func (tw *textWriter) para(prefix, hang, text string, style func(...string) string) {
	render := func(s string) string {
		if style == nil {
			return s
		}
		return style(s)
	}
	if tw.width <= 0 {
		tw.b.WriteString(prefix + render(text) + "\n")
		return
	}
	lines := wrapWords(text, tw.width-ansi.StringWidth(prefix), tw.width-ansi.StringWidth(hang))
	for i, l := range lines {
		if i == 0 {
			tw.b.WriteString(prefix + render(l) + "\n")
		} else {
			tw.b.WriteString(hang + render(l) + "\n")
		}
	}
}

// wrapWords splits text into lines of at most first (the first line) and
// rest (the others) display columns, breaking at spaces.
func wrapWords(text string, first, rest int) []string {
	first, rest = max(first, 20), max(rest, 20)
	var lines []string
	var cur strings.Builder
	limit := first
	for _, word := range strings.Split(text, " ") {
		w := ansi.StringWidth(word)
		switch {
		case cur.Len() == 0:
			cur.WriteString(word)
		case ansi.StringWidth(cur.String())+1+w <= limit:
			cur.WriteString(" " + word)
		default:
			lines = append(lines, cur.String())
			cur.Reset()
			cur.WriteString(word)
			limit = rest
		}
	}
	return append(lines, cur.String())
}

func describeInputs(in checks.Inputs) string {
	var parts []string
	add := func(label, v string) {
		if v != "" {
			parts = append(parts, label+" "+v)
		}
	}
	add("cert", in.Cert)
	add("key", in.Key)
	add("p12", in.P12)
	add("API key", in.APIKey)
	add("CA file", in.CAFile)
	add("resolver", in.Resolver)
	add("egress server", in.EgressServer)
	add("egress IPs", in.EgressIPs)
	return strings.Join(parts, " · ")
}
