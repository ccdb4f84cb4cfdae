package report

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/axysdoctor/axysdoctor/checks"
	"github.com/axysdoctor/axysdoctor/docs"
	"github.com/axysdoctor/axysdoctor/internal/termsafe"
)

// Markdown writes the report for a support ticket: a summary table, then
// every check that did not pass with its evidence, fix and failure-table
// row, then the passing checks' evidence.
func Markdown(w io.Writer, rep checks.Report, version string, strict bool) error {
	var b strings.Builder
	sum := rep.Summary()
	fmt.Fprintf(&b, "# axysdoctor report\n\n")
	fmt.Fprintf(&b, "- **Result:** %s — exit %d\n", sum, rep.ExitCode(strict))
	fmt.Fprintf(&b, "- **Environment:** %s — %s\n", mdEscape(rep.Environment.Name), code(rep.Environment.BaseURL))
	if rep.Environment.Note != "" {
		fmt.Fprintf(&b, "- **Note:** %s\n", mdEscape(rep.Environment.Note))
	}
	if rc := rep.RootCause; rc != nil {
		fmt.Fprintf(&b, "- **Root cause:** `%s` — %s\n", rc.ID, mdEscape(rc.Reason))
	}
	fmt.Fprintf(&b, "- **Inputs:** %s\n", mdEscape(describeInputs(rep.Inputs)))
	if ids := rep.Gateway.RequestIDs; len(ids) > 0 {
		fmt.Fprintf(&b, "- **Request IDs:** %s\n", mdEscape(strings.Join(ids, "; ")))
	}
	fmt.Fprintf(&b, "- **Run:** %s, %s, axysdoctor %s\n\n", rep.StartedAt.UTC().Format(time.RFC3339), Duration(rep.Duration), mdEscape(version))

	fmt.Fprintf(&b, "| | Check | Summary | Row |\n|---|---|---|---|\n")
	for _, r := range rep.Results {
		row := ""
		if r.Row != "" {
			row = "`" + r.Row + "`"
		}
		fmt.Fprintf(&b, "| %s %s | `%s` | %s | %s |\n", Mark(r.Status), r.Status, r.ID, cell(r.Summary), row)
	}
	var problems, passed []checks.Result
	for _, r := range rep.Results {
		switch r.Status {
		case checks.Warn, checks.Fail:
			problems = append(problems, r)
		case checks.Pass:
			passed = append(passed, r)
		}
	}
	if len(problems) > 0 {
		fmt.Fprintf(&b, "\n## What to fix\n")
		for _, r := range problems {
			writeMarkdownCheck(&b, r, true)
		}
	}
	if len(passed) > 0 {
		fmt.Fprintf(&b, "\n## Passed\n")
		for _, r := range passed {
			writeMarkdownCheck(&b, r, false)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func writeMarkdownCheck(b *strings.Builder, r checks.Result, full bool) {
	fmt.Fprintf(b, "\n### %s `%s` — %s\n\n", Mark(r.Status), r.ID, mdEscape(r.Title))
	fmt.Fprintf(b, "**%s:** %s\n\n", r.Status, mdEscape(r.Summary))
	for _, e := range r.Evidence {
		fmt.Fprintf(b, "- %s: %s\n", mdEscape(e.Label), code(e.Value))
	}
	if full && r.Fix != "" {
		fmt.Fprintf(b, "\n**Fix:** %s\n", mdEscape(r.Fix))
	}
	if full && r.Row != "" {
		if row, ok := docs.Lookup(r.Row); ok {
			src := "Axys failure table"
			if row.Ours {
				src = "axysdoctor's own row, not from the Axys docs"
			}
			fmt.Fprintf(b, "\n**Failure table** (`%s`, %s): %s — likely cause: %s. See [%s](%s).\n", row.ID, src, mdEscape(row.Symptom), mdEscape(row.Cause), mdEscape(row.WhereToLook), row.URL)
		}
	}
}

// mdEscape neutralizes Markdown control characters in text that came from
// files or the network.
func mdEscape(s string) string {
	s = termsafe.Line(s)
	r := strings.NewReplacer(`\`, `\\`, "`", "\\`", "*", `\*`, "_", `\_`, "[", `\[`, "]", `\]`, "<", "&lt;", ">", "&gt;", "|", `\|`, "#", `\#`)
	return r.Replace(s)
}

func cell(s string) string { return strings.ReplaceAll(mdEscape(s), "\n", " ") }

// code shows a value verbatim in an inline code span, choosing a fence
// longer than any backtick run inside it.
func code(s string) string {
	s = termsafe.Line(s)
	fence := "`"
	for strings.Contains(s, fence) {
		fence += "`"
	}
	pad := ""
	if strings.HasPrefix(s, "`") || strings.HasSuffix(s, "`") {
		pad = " "
	}
	return fence + pad + s + pad + fence
}

// Duration formats how long a check took: "<1ms", "38ms", "1.2s".
func Duration(d time.Duration) string {
	switch {
	case d < time.Millisecond:
		return "<1ms"
	case d < time.Second:
		return fmt.Sprintf("%dms", d.Milliseconds())
	}
	return fmt.Sprintf("%.1fs", d.Seconds())
}
