package report

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"github.com/axysdoctor/axysdoctor/checks"
	"github.com/axysdoctor/axysdoctor/docs"
)

// TextOptions shape the terminal report.
type TextOptions struct {
	Version string
	Color   bool
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

// Text writes the human report.
func Text(w io.Writer, rep checks.Report, o TextOptions) error {
	st := NewStyles(w, o.Color)
	var b strings.Builder
	fmt.Fprintf(&b, "%s · %s · %s\n", st.Title.Render("axysdoctor "+o.Version), rep.Environment.Name, rep.Environment.BaseURL)
	if rep.Environment.Note != "" {
		fmt.Fprintf(&b, "%s\n", st.Subtle.Render(rep.Environment.Note))
	}
	fmt.Fprintf(&b, "%s\n\n", st.Subtle.Render(describeInputs(rep.Inputs)))
	idWidth := 0
	for _, r := range rep.Results {
		idWidth = max(idWidth, len(r.ID))
	}
	indent := strings.Repeat(" ", idWidth+4)
	for _, r := range rep.Results {
		mark := st.StatusStyle(r.Status).Render(Mark(r.Status))
		dur := ""
		if r.Status != checks.Skip && r.Duration >= time.Millisecond {
			dur = st.Subtle.Render(fmt.Sprintf("  %s", Duration(r.Duration)))
		}
		fmt.Fprintf(&b, "%s %-*s  %s%s\n", mark, idWidth, r.ID, r.Summary, dur)
		if r.Status == checks.Warn || r.Status == checks.Fail || (o.Verbose && r.Status == checks.Pass) {
			writeDetail(&b, r, st, indent, r.Status != checks.Pass)
		}
	}
	sum := rep.Summary()
	exit := rep.ExitCode(o.Strict)
	line := sum.String()
	fmt.Fprintf(&b, "\n%s — exit %d\n", summaryStyle(st, sum).Render(line), exit)
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

func writeDetail(b *strings.Builder, r checks.Result, st Styles, indent string, withFix bool) {
	labelWidth := 0
	for _, e := range r.Evidence {
		labelWidth = max(labelWidth, len(e.Label))
	}
	labelWidth = min(labelWidth, 28)
	for _, e := range r.Evidence {
		fmt.Fprintf(b, "%s%s %s\n", indent, st.Label.Render(fmt.Sprintf("%-*s", labelWidth, e.Label)), e.Value)
	}
	if withFix && r.Fix != "" {
		fmt.Fprintf(b, "%s%s %s\n", indent, st.Title.Render("fix:"), r.Fix)
	}
	if withFix && r.Row != "" {
		if row, ok := docs.Lookup(r.Row); ok {
			src := "Axys failure table"
			if row.Ours {
				src = "axysdoctor's own row"
			}
			fmt.Fprintf(b, "%s%s %s (%s): %s — likely cause: %s\n", indent, st.Title.Render("row:"), row.ID, src, row.Symptom, row.Cause)
			fmt.Fprintf(b, "%s     see %s\n", indent, row.URL)
		}
	}
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
