package checks

import (
	"fmt"
	"strings"
	"time"
)

// Status is a check's outcome.
type Status string

// Statuses, from best to worst; Skip means the check did not run.
const (
	Pass Status = "pass"
	Warn Status = "warn"
	Fail Status = "fail"
	Skip Status = "skip"
)

// Check IDs. They are a contract: scripts and the JSON output depend on them.
const (
	IDKeyFile      = "key.file"
	IDCertChain    = "cert.chain"
	IDCertKeypair  = "cert.keypair"
	IDCertValidity = "cert.validity"
	IDCertSubject  = "cert.subject"
	IDCertSANs     = "cert.sans"
	IDNetEgress    = "net.egress"
	IDDNSFCrDNS    = "dns.fcrdns"
	IDTLSHandshake = "tls.handshake"
	IDAPIProbe     = "api.probe"
)

// Evidence is one fact actually observed.
type Evidence struct {
	Label string `json:"label"`
	Value string `json:"value"`
}

// Result is what one check found.
type Result struct {
	ID       string
	Title    string
	Status   Status
	Summary  string     // one line
	Evidence []Evidence // ordered facts observed
	Fix      string     // what to do next; empty on a clean pass
	Row      string     // failure-table row (docs.Table); set on every failure
	Duration time.Duration
}

// add appends a fact.
func (r *Result) add(label, format string, args ...any) {
	r.Evidence = append(r.Evidence, Evidence{Label: label, Value: fmt.Sprintf(format, args...)})
}

// worsen raises the status to s if s is worse.
func (r *Result) worsen(s Status) {
	if rank(s) > rank(r.Status) {
		r.Status = s
	}
}

func rank(s Status) int {
	switch s {
	case Pass:
		return 0
	case Warn:
		return 1
	case Fail:
		return 2
	}
	return -1
}

// Summary counts results by status.
type Summary struct {
	Pass int `json:"pass"`
	Warn int `json:"warn"`
	Fail int `json:"fail"`
	Skip int `json:"skip"`
}

// Summarize counts results.
func Summarize(results []Result) Summary {
	var s Summary
	for _, r := range results {
		switch r.Status {
		case Pass:
			s.Pass++
		case Warn:
			s.Warn++
		case Fail:
			s.Fail++
		case Skip:
			s.Skip++
		}
	}
	return s
}

// String renders "N passed · N warnings · N failed · N skipped".
func (s Summary) String() string {
	return fmt.Sprintf("%d passed · %s · %d failed · %d skipped", s.Pass, pluralize(s.Warn, "warning"), s.Fail, s.Skip)
}

// pluralize renders "1 warning", "3 warnings".
func pluralize(n int, word string) string {
	return fmt.Sprintf("%d %s", n, noun(n, word))
}

// noun is word, plural unless n is 1.
func noun(n int, word string) string {
	if n == 1 {
		return word
	}
	return word + "s"
}

// Report is a whole diagnosis.
type Report struct {
	Version     string
	StartedAt   time.Time
	Duration    time.Duration
	Environment Environment
	Inputs      Inputs
	Results     []Result
	// RootCause names the one check that explains the run's failure (nil
	// when nothing failed). Set by Diagnose.
	RootCause *RootCause
	// Gateway is what the gateway itself said about the run, beyond the
	// checks' results: for support bundles and monitoring.
	Gateway GatewayFacts
}

// RootCause is the check a run's story turns on, and why, in one line.
type RootCause struct {
	ID     string `json:"id"`
	Reason string `json:"reason"`
	Row    string `json:"row,omitempty"`
}

// GatewayFacts are observations of the gateway that are not a verdict.
type GatewayFacts struct {
	// RequestIDs are the request-ID headers the gateway returned
	// ("X-Request-Id: …"), for quoting in a ticket.
	RequestIDs []string `json:"request_ids,omitempty"`
	// ServerDate is the gateway's HTTP Date header; zero when none came.
	ServerDate time.Time `json:"server_date,omitempty"`
	// ClockSkew is this machine's clock minus the gateway's (positive: we
	// are ahead); meaningful only when ServerDate is set. HTTP dates have
	// one-second resolution.
	ClockSkew time.Duration `json:"clock_skew_ns,omitempty"`
	// Proxy is the proxy the probe went through (password redacted), or "".
	Proxy string `json:"proxy,omitempty"`
	// ProbeLatency is the time from sending the probe to its answer's
	// first byte; zero when no answer came.
	ProbeLatency time.Duration `json:"probe_latency_ns,omitempty"`
	// HTTPStatus is the probe's HTTP status code; 0 when none came.
	HTTPStatus int `json:"http_status,omitempty"`
}

// Inputs records what the diagnosis was given, with secrets redacted.
type Inputs struct {
	Cert         string `json:"cert,omitempty"`
	Key          string `json:"key,omitempty"`
	P12          string `json:"p12,omitempty"`
	APIKey       string `json:"api_key"`
	CAFile       string `json:"ca_file,omitempty"`
	Resolver     string `json:"resolver,omitempty"`
	EgressServer string `json:"egress_server,omitempty"`
	EgressIPs    string `json:"egress_ips,omitempty"`
}

// Summary counts the report's results.
func (r Report) Summary() Summary { return Summarize(r.Results) }

// ExitCode is 0 when no check failed (and, with strict, none warned), else 1.
func (r Report) ExitCode(strict bool) int {
	s := r.Summary()
	if s.Fail > 0 || (strict && s.Warn > 0) {
		return 1
	}
	return 0
}

// Result returns the result with id.
func (r Report) Result(id string) (Result, bool) {
	for _, res := range r.Results {
		if res.ID == id {
			return res, true
		}
	}
	return Result{}, false
}

// oneLine flattens text from the network into a single printable line of at
// most n runes, so a hostile body cannot forge report lines or escape codes.
func oneLine(s string, n int) string {
	var b strings.Builder
	count := 0
	space := false
	for _, r := range s {
		if count >= n {
			b.WriteString("…")
			break
		}
		switch {
		case r == '\n' || r == '\r' || r == '\t' || r == ' ':
			if !space && b.Len() > 0 {
				b.WriteByte(' ')
				count++
			}
			space = true
			continue
		case r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) || r == '\uFFFD':
			r = '?'
		}
		space = false
		b.WriteRune(r)
		count++
	}
	return strings.TrimSpace(b.String())
}
