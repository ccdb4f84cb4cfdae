package report

import (
	"encoding/json"
	"io"
	"time"

	"github.com/axysdoctor/axysdoctor/checks"
	"github.com/axysdoctor/axysdoctor/docs"
)

// Document is the JSON output's shape (see docs/json.md). Field names are a
// contract.
type Document struct {
	Tool        string             `json:"tool"`
	Version     string             `json:"version"`
	StartedAt   string             `json:"started_at"`
	DurationMS  int64              `json:"duration_ms"`
	Environment checks.Environment `json:"environment"`
	Inputs      checks.Inputs      `json:"inputs"`
	Checks      []Check            `json:"checks"`
	Summary     checks.Summary     `json:"summary"`
	Strict      bool               `json:"strict"`
	ExitCode    int                `json:"exit_code"`
	Rows        []docs.Row         `json:"rows"`
}

// Check is one result in the JSON output.
type Check struct {
	ID         string            `json:"id"`
	Title      string            `json:"title"`
	Status     checks.Status     `json:"status"`
	Summary    string            `json:"summary"`
	Evidence   []checks.Evidence `json:"evidence"`
	Fix        string            `json:"fix"`
	Row        string            `json:"row"`
	DurationMS int64             `json:"duration_ms"`
}

// NewDocument converts a report for JSON.
func NewDocument(rep checks.Report, version string, strict bool) Document {
	d := Document{
		Tool:        "axysdoctor",
		Version:     version,
		StartedAt:   rep.StartedAt.UTC().Format(time.RFC3339),
		DurationMS:  rep.Duration.Milliseconds(),
		Environment: rep.Environment,
		Inputs:      rep.Inputs,
		Checks:      []Check{},
		Summary:     rep.Summary(),
		Strict:      strict,
		ExitCode:    rep.ExitCode(strict),
		Rows:        []docs.Row{},
	}
	seen := map[string]bool{}
	for _, r := range rep.Results {
		ev := r.Evidence
		if ev == nil {
			ev = []checks.Evidence{}
		}
		d.Checks = append(d.Checks, Check{
			ID: r.ID, Title: r.Title, Status: r.Status, Summary: r.Summary,
			Evidence: ev, Fix: r.Fix, Row: r.Row, DurationMS: r.Duration.Milliseconds(),
		})
		if r.Row != "" && !seen[r.Row] {
			seen[r.Row] = true
			if row, ok := docs.Lookup(r.Row); ok {
				d.Rows = append(d.Rows, row)
			}
		}
	}
	return d
}

// JSON writes the report as one indented JSON document.
func JSON(w io.Writer, rep checks.Report, version string, strict bool) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(NewDocument(rep, version, strict))
}
