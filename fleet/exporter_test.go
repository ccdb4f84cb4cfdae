package fleet

import (
	"bytes"
	"context"
	"crypto/x509"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"regexp"
	"sync/atomic"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"github.com/axysdoctor/axysdoctor/checks"
)

// scrape GETs /metrics over HTTP and parses the exposition.
func scrape(t *testing.T, url string) (map[string]*dto.MetricFamily, []byte) {
	t.Helper()
	resp, err := http.Get(url + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	parser := expfmt.NewTextParser(model.LegacyValidation)
	fams, err := parser.TextToMetricFamilies(bytes.NewReader(body))
	if err != nil {
		t.Fatalf("the exposition does not parse: %v\n%s", err, body)
	}
	return fams, body
}

// value finds the sample of family name whose labels include want.
func value(fams map[string]*dto.MetricFamily, name string, want map[string]string) (float64, bool) {
	fam, ok := fams[name]
	if !ok {
		return 0, false
	}
next:
	for _, m := range fam.GetMetric() {
		labels := map[string]string{}
		for _, l := range m.GetLabel() {
			labels[l.GetName()] = l.GetValue()
		}
		for k, v := range want {
			if labels[k] != v {
				continue next
			}
		}
		switch {
		case m.Gauge != nil:
			return m.Gauge.GetValue(), true
		case m.Counter != nil:
			return m.Counter.GetValue(), true
		}
	}
	return 0, false
}

// fake is a target whose next outcome the test sets.
type fake struct {
	calls atomic.Int64
	rep   checks.Report
	mat   *checks.Material
	err   error
}

func (f *fake) run(context.Context) (checks.Report, *checks.Material, error) {
	f.calls.Add(1)
	return f.rep, f.mat, f.err
}

func TestExporterExposesTheLastRun(t *testing.T) {
	notAfter := time.Date(2027, 2, 25, 12, 0, 0, 0, time.UTC)
	f := &fake{
		rep: checks.Report{
			Results: []checks.Result{{ID: "cert.validity", Status: checks.Pass}, {ID: "api.probe", Status: checks.Fail}},
			Gateway: checks.GatewayFacts{ProbeLatency: 42 * time.Millisecond, HTTPStatus: 403},
		},
		mat: &checks.Material{Leaf: &x509.Certificate{NotAfter: notAfter}},
	}
	clock := time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)
	x := New(Options{Targets: []Target{{Profile: "prod", Environment: "production", BaseURL: "https://gw/v2", Run: f.run}},
		Interval: 5 * time.Minute, Version: "v1.2.3", Now: func() time.Time { return clock }})
	srv := httptest.NewServer(x.Handler())
	defer srv.Close()

	fams, _ := scrape(t, srv.URL)
	if _, ok := value(fams, "axysdoctor_check_status", nil); ok {
		t.Error("check statuses before any run")
	}
	if v, ok := value(fams, "axysdoctor_run_errors_total", map[string]string{"profile": "prod"}); !ok || v != 0 {
		t.Errorf("run_errors_total should exist at 0 from the start: %v %v", v, ok)
	}

	x.RunOnce(context.Background())
	fams, body := scrape(t, srv.URL)
	fams, _ = scrape(t, srv.URL)
	if n := f.calls.Load(); n != 1 {
		t.Errorf("%d runs after one round and three scrapes: a scrape must not run a diagnosis", n)
	}
	expect := []struct {
		name   string
		labels map[string]string
		want   float64
	}{
		{"axysdoctor_check_status", map[string]string{"profile": "prod", "check": "api.probe", "status": "fail"}, 1},
		{"axysdoctor_check_status", map[string]string{"profile": "prod", "check": "api.probe", "status": "pass"}, 0},
		{"axysdoctor_check_status", map[string]string{"profile": "prod", "check": "cert.validity", "status": "pass"}, 1},
		{"axysdoctor_certificate_not_after_timestamp_seconds", map[string]string{"profile": "prod"}, float64(notAfter.Unix())},
		{"axysdoctor_probe_latency_seconds", map[string]string{"profile": "prod"}, 0.042},
		{"axysdoctor_probe_http_status", map[string]string{"profile": "prod"}, 403},
		{"axysdoctor_last_run_timestamp_seconds", map[string]string{"profile": "prod"}, float64(clock.Unix())},
		{"axysdoctor_last_run_success", map[string]string{"profile": "prod"}, 1},
		{"axysdoctor_runs_total", map[string]string{"profile": "prod"}, 1},
		{"axysdoctor_profile_info", map[string]string{"profile": "prod", "environment": "production", "base_url": "https://gw/v2"}, 1},
		{"axysdoctor_build_info", map[string]string{"version": "v1.2.3"}, 1},
	}
	for _, e := range expect {
		if got, ok := value(fams, e.name, e.labels); !ok || got != e.want {
			t.Errorf("%s%v = %v (present %v), want %v", e.name, e.labels, got, ok, e.want)
		}
	}
	promtoolCheckMetrics(t, body)

	// The alerting rules in the docs use only metrics that exist.
	rules, err := os.ReadFile("../docs/monitoring-rules.yml")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range regexp.MustCompile(`\baxysdoctor_[a-z_]+`).FindAllString(string(rules), -1) {
		if _, ok := fams[name]; !ok {
			t.Errorf("docs/monitoring-rules.yml uses %s, which the exporter does not expose", name)
		}
	}

	// A run that cannot happen: counted, and the old results withdrawn.
	f.err = errors.New("cert: no such file")
	x.RunOnce(context.Background())
	fams, _ = scrape(t, srv.URL)
	if v, _ := value(fams, "axysdoctor_run_errors_total", map[string]string{"profile": "prod"}); v != 1 {
		t.Errorf("run_errors_total %v", v)
	}
	if v, _ := value(fams, "axysdoctor_last_run_success", map[string]string{"profile": "prod"}); v != 0 {
		t.Errorf("last_run_success %v", v)
	}
	for _, name := range []string{"axysdoctor_check_status", "axysdoctor_certificate_not_after_timestamp_seconds", "axysdoctor_probe_latency_seconds"} {
		if _, ok := value(fams, name, map[string]string{"profile": "prod"}); ok {
			t.Errorf("%s is still exposed after a run error", name)
		}
	}
}

func TestHealthz(t *testing.T) {
	clock := time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)
	f := &fake{}
	x := New(Options{Targets: []Target{{Profile: "p", Run: f.run}}, Interval: time.Minute, Now: func() time.Time { return clock }})
	srv := httptest.NewServer(x.Handler())
	defer srv.Close()
	get := func() int {
		resp, err := http.Get(srv.URL + "/healthz")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if code := get(); code != 200 {
		t.Errorf("just started: %d", code)
	}
	clock = clock.Add(4 * time.Minute) // no round finished for 2 intervals + 1m
	if code := get(); code != http.StatusServiceUnavailable {
		t.Errorf("stuck: %d", code)
	}
	x.RunOnce(context.Background())
	if code := get(); code != 200 {
		t.Errorf("after a round: %d", code)
	}
}

// promtoolCheckMetrics lints the exposition with Prometheus's own tool
// when it is installed (Debian's prometheus package; CI installs it).
func promtoolCheckMetrics(t *testing.T, body []byte) {
	t.Helper()
	path, err := exec.LookPath("promtool")
	if err != nil {
		t.Log("promtool not installed: the exposition was parsed, not linted")
		return
	}
	cmd := exec.Command(path, "check", "metrics")
	cmd.Stdin = bytes.NewReader(body)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Errorf("promtool check metrics: %v\n%s", err, out)
	}
}
