package report

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/axysdoctor/axysdoctor/checks"
	"github.com/axysdoctor/axysdoctor/compare"
	"github.com/axysdoctor/axysdoctor/docs"
	"github.com/axysdoctor/axysdoctor/internal/termsafe"
)

// CompareDocument is `compare --output json` (see docs/json.md). Each
// side's report has the shape of check's JSON.
type CompareDocument struct {
	Tool          string         `json:"tool"`
	Version       string         `json:"version"`
	Command       string         `json:"command"`
	A             CompareSide    `json:"a"`
	B             CompareSide    `json:"b"`
	Static        []Check        `json:"static"`
	StaticSummary checks.Summary `json:"static_summary"`
	Strict        bool           `json:"strict"`
	ExitCode      int            `json:"exit_code"`
}

// CompareSide is one side of a comparison.
type CompareSide struct {
	Name   string   `json:"name"`
	Report Document `json:"report"`
}

// NewCompareDocument converts a comparison for JSON.
func NewCompareDocument(res compare.Result, version string, strict bool) CompareDocument {
	d := CompareDocument{
		Tool: "axysdoctor", Version: version, Command: "compare",
		A:             CompareSide{res.A, NewDocument(res.Reports[0], version, strict)},
		B:             CompareSide{res.B, NewDocument(res.Reports[1], version, strict)},
		Static:        []Check{},
		StaticSummary: checks.Summarize(res.Static),
		Strict:        strict,
		ExitCode:      res.ExitCode(strict),
	}
	for _, r := range res.Static {
		d.Static = append(d.Static, newCheck(r))
	}
	return d
}

func newCheck(r checks.Result) Check {
	ev := []checks.Evidence{}
	for _, e := range r.Evidence {
		ev = append(ev, checks.Evidence{Label: termsafe.Line(e.Label), Value: termsafe.Line(e.Value)})
	}
	return Check{ID: r.ID, Title: r.Title, Status: r.Status, Summary: termsafe.Line(r.Summary), Evidence: ev, Fix: termsafe.Line(r.Fix), Row: r.Row, DurationMS: r.Duration.Milliseconds()}
}

// CompareJSON writes the comparison as one JSON document.
func CompareJSON(w io.Writer, res compare.Result, version string, strict bool) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(NewCompareDocument(res, version, strict))
}

// column is the width of one side's column in the text table: two fit
// beside the check IDs in 100 columns.
const column = 40

// CompareText writes the comparison for a terminal: who is compared, the
// static findings, both diagnoses in two columns, then every problem with
// its fix.
func CompareText(w io.Writer, res compare.Result, o TextOptions) error {
	st := NewStyles(w, o.Color)
	var b strings.Builder
	tw := textWriter{b: &b, width: o.Width}
	a, z := res.Reports[0], res.Reports[1]
	safe := termsafe.Line
	fmt.Fprintf(&b, "%s · compare %s → %s\n\n", st.Title.Render("axysdoctor "+safe(o.Version)), safe(res.A), safe(res.B))
	// row shows the two sides in columns, each cut to fit: the full texts
	// are in the problems below and in the JSON and Markdown outputs.
	row := func(label, left, right string) {
		fmt.Fprintf(&b, "%-14s %s  %s\n", label, cut(left, column), ansi.Truncate(right, column, "…"))
	}
	row("", st.Title.Render(safe(res.A)), st.Title.Render(safe(res.B)))
	row("environment", safe(a.Environment.Name), safe(z.Environment.Name))
	row("base URL", safe(a.Environment.BaseURL), safe(z.Environment.BaseURL))
	row("certificate", safe(orNone(a.Inputs.Cert+a.Inputs.P12)), safe(orNone(z.Inputs.Cert+z.Inputs.P12)))
	row("API key", a.Inputs.APIKey, z.Inputs.APIKey)

	fmt.Fprintf(&b, "\n%s\n", st.Title.Render("Side by side, before the network"))
	idWidth := 0
	for _, r := range res.Static {
		idWidth = max(idWidth, len(r.ID))
	}
	indent := strings.Repeat(" ", idWidth+4)
	for _, r := range res.Static {
		tw.para(fmt.Sprintf("%s %-*s  ", st.StatusStyle(r.Status).Render(Mark(r.Status)), idWidth, r.ID), indent, safe(r.Summary), nil)
		if r.Status == checks.Warn || r.Status == checks.Fail {
			writeDetail(&tw, r, st, indent, true)
		}
	}

	fmt.Fprintf(&b, "\n%s\n", st.Title.Render("Live, both at once"))
	cell := func(r checks.Result) string {
		return st.StatusStyle(r.Status).Render(Mark(r.Status)) + " " + safe(r.Summary)
	}
	for _, r := range a.Results {
		other, _ := z.Result(r.ID)
		row(r.ID, cell(r), cell(other))
	}
	heading := false
	for i, rep := range res.Reports {
		name := safe([]string{res.A, res.B}[i])
		for _, r := range rep.Results {
			if r.Status != checks.Warn && r.Status != checks.Fail {
				continue
			}
			if !heading {
				fmt.Fprintf(&b, "\n%s\n", st.Title.Render("What to fix in the live runs"))
				heading = true
			}
			tw.para(fmt.Sprintf("%s %s · %s  ", st.StatusStyle(r.Status).Render(Mark(r.Status)), name, r.ID), "    ", safe(r.Summary), nil)
			writeDetail(&tw, r, st, "    ", true)
		}
	}
	ss := checks.Summarize(res.Static)
	exit := res.ExitCode(o.Strict)
	fmt.Fprintf(&b, "\nstatic %s\n", ss)
	for i, rep := range res.Reports {
		line := safe([]string{res.A, res.B}[i]) + " " + rep.Summary().String()
		if rc := rep.RootCause; rc != nil {
			line += " — root cause " + rc.ID
		}
		fmt.Fprintln(&b, line)
	}
	style := st.Pass
	if exit != 0 {
		style = st.Fail
	}
	fmt.Fprintf(&b, "%s\n", style.Render(fmt.Sprintf("exit %d", exit)))
	_, err := io.WriteString(w, b.String())
	return err
}

// cut shortens s (which may hold colour) to n columns and pads it to n.
func cut(s string, n int) string {
	s = ansi.Truncate(s, n, "…")
	return s + strings.Repeat(" ", max(n-ansi.StringWidth(s), 0))
}

func orNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}

// CompareMarkdown writes the comparison for a ticket or a pull request.
func CompareMarkdown(w io.Writer, res compare.Result, version string, strict bool) error {
	var b strings.Builder
	a, z := res.Reports[0], res.Reports[1]
	fmt.Fprintf(&b, "# axysdoctor compare: %s → %s\n\n", mdEscape(res.A), mdEscape(res.B))
	fmt.Fprintf(&b, "- **Result:** exit %d — static %s; %s %s; %s %s\n", res.ExitCode(strict), checks.Summarize(res.Static), mdEscape(res.A), a.Summary(), mdEscape(res.B), z.Summary())
	fmt.Fprintf(&b, "- **axysdoctor:** %s\n\n", mdEscape(version))
	fmt.Fprintf(&b, "| | %s | %s |\n|---|---|---|\n", cell(res.A), cell(res.B))
	fmt.Fprintf(&b, "| environment | %s %s | %s %s |\n", cell(a.Environment.Name), code(a.Environment.BaseURL), cell(z.Environment.Name), code(z.Environment.BaseURL))
	fmt.Fprintf(&b, "| inputs | %s | %s |\n", cell(describeInputs(a.Inputs)), cell(describeInputs(z.Inputs)))

	fmt.Fprintf(&b, "\n## Side by side, before the network\n\n| | Comparison | Summary | Row |\n|---|---|---|---|\n")
	for _, r := range res.Static {
		fmt.Fprintf(&b, "| %s %s | `%s` | %s | %s |\n", Mark(r.Status), r.Status, r.ID, cell(r.Summary), rowCode(r.Row))
	}
	fmt.Fprintf(&b, "\n## Live, both at once\n\n| Check | %s | %s |\n|---|---|---|\n", cell(res.A), cell(res.B))
	for _, r := range a.Results {
		other, _ := z.Result(r.ID)
		fmt.Fprintf(&b, "| `%s` | %s %s | %s %s |\n", r.ID, Mark(r.Status), cell(r.Summary), Mark(other.Status), cell(other.Summary))
	}
	var problems []checks.Result
	var names []string
	for _, r := range res.Static {
		if r.Status == checks.Warn || r.Status == checks.Fail {
			problems, names = append(problems, r), append(names, "both")
		}
	}
	for i, rep := range res.Reports {
		for _, r := range rep.Results {
			if r.Status == checks.Warn || r.Status == checks.Fail {
				problems, names = append(problems, r), append(names, []string{res.A, res.B}[i])
			}
		}
	}
	if len(problems) > 0 {
		fmt.Fprintf(&b, "\n## What to fix\n")
		for i, r := range problems {
			fmt.Fprintf(&b, "\n### %s %s · `%s`\n\n%s\n", Mark(r.Status), mdEscape(names[i]), r.ID, mdEscape(r.Summary))
			if r.Fix != "" {
				fmt.Fprintf(&b, "\n**Fix:** %s\n", mdEscape(r.Fix))
			}
			if row, ok := docs.Lookup(r.Row); ok {
				fmt.Fprintf(&b, "\n**Failure table** (`%s`): %s. See [%s](%s).\n", row.ID, mdEscape(row.Symptom), mdEscape(row.WhereToLook), row.URL)
			}
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func rowCode(row string) string {
	if row == "" {
		return ""
	}
	return "`" + row + "`"
}
