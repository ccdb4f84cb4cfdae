package report

import (
	"encoding/json"
	"io"
	"time"

	"github.com/axysdoctor/axysdoctor/checks"
	"github.com/axysdoctor/axysdoctor/docs"
	"github.com/axysdoctor/axysdoctor/internal/termsafe"
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
	// RootCause names the check the run's failure turns on; null when
	// nothing failed.
	RootCause *checks.RootCause `json:"root_cause"`
	// Gateway is what the gateway said beyond the verdicts: request IDs,
	// its clock, the proxy used, the probe's latency.
	Gateway  Gateway    `json:"gateway"`
	Strict   bool       `json:"strict"`
	ExitCode int        `json:"exit_code"`
	Rows     []docs.Row `json:"rows"`
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

// Gateway is checks.GatewayFacts in the JSON's units.
type Gateway struct {
	RequestIDs     []string `json:"request_ids"`
	ServerDate     string   `json:"server_date,omitempty"`
	ClockSkewMS    *int64   `json:"clock_skew_ms,omitempty"`
	Proxy          string   `json:"proxy,omitempty"`
	HTTPStatus     int      `json:"http_status,omitempty"`
	ProbeLatencyMS *int64   `json:"probe_latency_ms,omitempty"`
}

func newGateway(f checks.GatewayFacts) Gateway {
	g := Gateway{RequestIDs: []string{}, Proxy: f.Proxy, HTTPStatus: f.HTTPStatus}
	for _, id := range f.RequestIDs {
		g.RequestIDs = append(g.RequestIDs, termsafe.Line(id))
	}
	if !f.ServerDate.IsZero() {
		g.ServerDate = f.ServerDate.UTC().Format(time.RFC3339)
		skew := f.ClockSkew.Milliseconds()
		g.ClockSkewMS = &skew
	}
	if f.HTTPStatus != 0 {
		lat := f.ProbeLatency.Milliseconds()
		g.ProbeLatencyMS = &lat
	}
	return g
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
		RootCause:   safeRoot(rep.RootCause),
		Gateway:     newGateway(rep.Gateway),
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
		safe := make([]checks.Evidence, len(ev))
		for i, e := range ev {
			safe[i] = checks.Evidence{Label: termsafe.Line(e.Label), Value: termsafe.Line(e.Value)}
		}
		d.Checks = append(d.Checks, Check{
			ID: r.ID, Title: r.Title, Status: r.Status, Summary: termsafe.Line(r.Summary),
			Evidence: safe, Fix: termsafe.Line(r.Fix), Row: r.Row, DurationMS: r.Duration.Milliseconds(),
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

func safeRoot(rc *checks.RootCause) *checks.RootCause {
	if rc == nil {
		return nil
	}
	c := *rc
	c.Reason = termsafe.Line(c.Reason)
	return &c
}

// JSON writes the report as one indented JSON document.
func JSON(w io.Writer, rep checks.Report, version string, strict bool) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(NewDocument(rep, version, strict))
}
