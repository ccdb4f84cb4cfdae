package report

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/axysdoctor/axysdoctor/checks"
)

func sample() checks.Report {
	return checks.Report{
		Version:     "v1.2.3",
		StartedAt:   time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC),
		Duration:    412 * time.Millisecond,
		Environment: checks.Environment{Name: "staging", BaseURL: checks.StagingURL},
		Inputs:      checks.Inputs{Cert: "client.pem", Key: "client.key", APIKey: "…cdef (sha256:12345678)"},
		Results: []checks.Result{
			{ID: checks.IDCertValidity, Title: "Validity dates", Status: checks.Pass, Summary: "valid for 80 more days", Evidence: []checks.Evidence{{Label: "not after", Value: "2027-02-15"}}},
			{ID: checks.IDNetEgress, Title: "Egress IP addresses", Status: checks.Warn, Summary: "the services disagree", Fix: "Allowlist both.", Row: "authorized-ips"},
			{ID: checks.IDAPIProbe, Title: "API probe GET /cardholders", Status: checks.Fail, Summary: "HTTP 401 | pipe", Fix: "Check the key.", Row: "api-key",
				Evidence: []checks.Evidence{{Label: "body", Value: "`{\"status\":\"error\"}` <script>"}}, Duration: 38 * time.Millisecond},
			{ID: checks.IDDNSFCrDNS, Title: "Forward-confirmed reverse DNS", Status: checks.Skip, Summary: "skipped: needs net.egress (failed)"},
		},
	}
}

func TestTextShowsProblemsWithFixAndRow(t *testing.T) {
	var b bytes.Buffer
	if err := Text(&b, sample(), TextOptions{Version: "v1.2.3"}); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{
		"✗ api.probe", "fix: Check the key.", "row: api-key (Axys failure table): 401 or similar with a valid certificate",
		"https://docs.api.axyscards.com/docs/errors-and-status-codes", "! net.egress",
		"1 passed · 1 warning · 1 failed · 1 skipped — exit 1", "API key …cdef (sha256:12345678)",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("text lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "2027-02-15") {
		t.Error("passing evidence shown without --verbose")
	}
	if strings.Contains(out, "\x1b[") {
		t.Error("colour without Color")
	}
	b.Reset()
	Text(&b, sample(), TextOptions{Verbose: true})
	if !strings.Contains(b.String(), "2027-02-15") {
		t.Error("--verbose hides passing evidence")
	}
}

func TestJSONDocument(t *testing.T) {
	var b bytes.Buffer
	if err := JSON(&b, sample(), "v1.2.3", true); err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(b.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"tool", "version", "started_at", "duration_ms", "environment", "inputs", "checks", "summary", "exit_code", "rows"} {
		if _, ok := doc[k]; !ok {
			t.Errorf("no %q", k)
		}
	}
	checksList := doc["checks"].([]any)
	for _, c := range checksList {
		if c.(map[string]any)["evidence"] == nil {
			t.Errorf("%v: evidence is null", c.(map[string]any)["id"])
		}
	}
	if doc["exit_code"].(float64) != 1 || doc["started_at"] != "2026-11-27T12:00:00Z" {
		t.Errorf("exit_code %v started_at %v", doc["exit_code"], doc["started_at"])
	}
	rows := doc["rows"].([]any)
	if len(rows) != 2 {
		t.Errorf("rows %v, want authorized-ips and api-key", rows)
	}
}

func TestMarkdownEscapesWhatCameFromOutside(t *testing.T) {
	var b bytes.Buffer
	if err := Markdown(&b, sample(), "v1.2.3", false); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{"# axysdoctor report", "| ✗ fail | `api.probe` | HTTP 401 \\| pipe | `api-key` |", "## What to fix", "**Fix:** Check the key.", "`` `{\"status\":\"error\"}` <script> ``"} {
		if !strings.Contains(out, want) {
			t.Errorf("markdown lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "| HTTP 401 | pipe") {
		t.Error("an unescaped pipe breaks the table")
	}
}

// TestTextWrapsWithHangingIndents: with a width, every line fits it (but
// for unbreakable words such as URLs), and continuation lines start under
// the text they continue; without one, nothing is wrapped.
func TestTextWrapsWithHangingIndents(t *testing.T) {
	rep := sample()
	rep.Results[2].Fix = "Check the key belongs to this environment (staging and production keys differ) and has not been revoked or rotated; copy it again without spaces or quotes."
	rep.RootCause = &checks.RootCause{ID: checks.IDAPIProbe, Reason: "HTTP 401: the certificate and IP passed, but the API key is wrong or revoked, and this reason is long enough to wrap"}
	var b bytes.Buffer
	if err := Text(&b, rep, TextOptions{Version: "v1", Width: 60}); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimRight(b.String(), "\n"), "\n")
	fixAt := -1
	for i, l := range lines {
		if w := len([]rune(l)); w > 60 && !strings.Contains(l, "https://") {
			t.Errorf("line %d is %d columns: %q", i, w, l)
		}
		if strings.Contains(l, "fix: Check the key") {
			fixAt = i
		}
	}
	if fixAt < 0 || !strings.HasPrefix(lines[fixAt+1], strings.Repeat(" ", strings.Index(lines[fixAt], "fix:")+5)) {
		t.Errorf("the fix's second line does not hang under its text:\n%s", b.String())
	}
	if !strings.Contains(b.String(), "root cause: api.probe — HTTP 401") || !strings.Contains(b.String(), "\n            ") {
		t.Errorf("the root cause line does not wrap under itself:\n%s", b.String())
	}
	b.Reset()
	Text(&b, rep, TextOptions{Version: "v1"})
	if !strings.Contains(b.String(), "fix: "+rep.Results[2].Fix+"\n") {
		t.Errorf("without a width the fix was wrapped:\n%s", b.String())
	}
}
