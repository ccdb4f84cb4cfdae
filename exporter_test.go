package main

import (
	"bufio"
	"context"
	"crypto/x509"
	"encoding/pem"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"github.com/axysdoctor/axysdoctor/emulator"
)

// startExporter runs the exporter with args and returns a channel of its
// stderr lines and a stop function that ends it and returns its exit code.
func startExporter(t *testing.T, vars map[string]string, args ...string) (<-chan string, func() int) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	e, _, _ := testEnv(vars, "")
	e.stderr = pw
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, append([]string{"exporter"}, args...), e)
		pw.Close()
	}()
	lines := make(chan string, 100)
	go func() {
		sc := bufio.NewScanner(pr)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	stop := func() int {
		cancel()
		for range lines { // drain, so the exporter's last writes do not block
		}
		return <-done
	}
	t.Cleanup(func() { cancel() })
	return lines, stop
}

// waitFor returns the first line matching re, failing after a generous
// bound (a failure guard, not a wait: lines arrive as the exporter works).
func waitFor(t *testing.T, lines <-chan string, re *regexp.Regexp) []string {
	t.Helper()
	deadline := time.After(30 * time.Second)
	for {
		select {
		case l, ok := <-lines:
			if !ok {
				t.Fatalf("the exporter stopped before printing %s", re)
			}
			if m := re.FindStringSubmatch(l); m != nil {
				return m
			}
		case <-deadline:
			t.Fatalf("no line matching %s", re)
		}
	}
}

func TestExporterServesMetricsOfEachProfile(t *testing.T) {
	emu, files, _ := startEmulator(t, emulator.Options{})
	broken := strings.Replace(profileTOML("broken", emu, files), files.Cert, filepath.Join(t.TempDir(), "gone.pem"), 1)
	vars, _ := writeConfig(t, profileTOML("emu", emu, files)+"\n"+broken)

	lines, stop := startExporter(t, vars, "--listen", "127.0.0.1:0", "--profile", "emu", "--profile", "broken")
	addr := waitFor(t, lines, regexp.MustCompile(`listening on http://(127\.0\.0\.1:\d+)/metrics · profiles emu, broken · a diagnosis every 5m0s`))[1]
	seen := map[string]bool{}
	for len(seen) < 2 { // one line per profile's first run, in either order
		m := waitFor(t, lines, regexp.MustCompile(`(emu): 10 passed|(broken): run error: .*gone\.pem: no such file`))
		seen[m[1]+m[2]] = true
	}

	resp, err := http.Get("http://" + addr + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	parser := expfmt.NewTextParser(model.LegacyValidation)
	fams, err := parser.TextToMetricFamilies(strings.NewReader(string(body)))
	if err != nil {
		t.Fatalf("exposition: %v\n%s", err, body)
	}
	certPEM, _ := os.ReadFile(files.Cert)
	block, _ := pem.Decode(certPEM)
	cert, _ := x509.ParseCertificate(block.Bytes)
	for _, c := range []struct {
		name   string
		labels map[string]string
		want   float64
	}{
		{"axysdoctor_check_status", map[string]string{"profile": "emu", "check": "api.probe", "status": "pass"}, 1},
		{"axysdoctor_check_status", map[string]string{"profile": "emu", "check": "dns.fcrdns", "status": "fail"}, 0},
		{"axysdoctor_certificate_not_after_timestamp_seconds", map[string]string{"profile": "emu"}, float64(cert.NotAfter.Unix())},
		{"axysdoctor_last_run_success", map[string]string{"profile": "emu"}, 1},
		{"axysdoctor_run_errors_total", map[string]string{"profile": "emu"}, 0},
		{"axysdoctor_last_run_success", map[string]string{"profile": "broken"}, 0},
		{"axysdoctor_run_errors_total", map[string]string{"profile": "broken"}, 1},
		{"axysdoctor_profile_info", map[string]string{"profile": "emu", "environment": "staging", "base_url": emu.BaseURL}, 1},
		{"axysdoctor_probe_http_status", map[string]string{"profile": "emu"}, 200},
	} {
		if got, ok := sample(fams, c.name, c.labels); !ok || got != c.want {
			t.Errorf("%s%v = %v (present %v), want %v", c.name, c.labels, got, ok, c.want)
		}
	}
	if v, ok := sample(fams, "axysdoctor_last_run_timestamp_seconds", map[string]string{"profile": "emu"}); !ok || time.Since(time.Unix(int64(v), 0)) > time.Minute {
		t.Errorf("last run at %v", v)
	}
	if v, ok := sample(fams, "axysdoctor_probe_latency_seconds", map[string]string{"profile": "emu"}); !ok || v <= 0 || v > 10 {
		t.Errorf("probe latency %v (present %v)", v, ok)
	}
	if _, ok := sample(fams, "axysdoctor_probe_latency_seconds", map[string]string{"profile": "broken"}); ok {
		t.Error("a profile that could not run has a probe latency")
	}
	requests := emu.Requests()
	for range 3 {
		if r, err := http.Get("http://" + addr + "/metrics"); err == nil {
			r.Body.Close()
		}
	}
	if emu.Requests() != requests {
		t.Error("a scrape reached the gateway: scrapes must not run diagnoses")
	}
	resp, err = http.Get("http://" + addr + "/healthz")
	if err != nil || resp.StatusCode != 200 {
		t.Errorf("healthz: %v %v", resp.StatusCode, err)
	}
	resp.Body.Close()
	if code := stop(); code != 0 {
		t.Errorf("exit %d after Ctrl+C, want 0", code)
	}
}

func sample(fams map[string]*dto.MetricFamily, name string, want map[string]string) (float64, bool) {
next:
	for _, m := range fams[name].GetMetric() {
		labels := map[string]string{}
		for _, l := range m.GetLabel() {
			labels[l.GetName()] = l.GetValue()
		}
		for k, v := range want {
			if labels[k] != v {
				continue next
			}
		}
		if m.Counter != nil {
			return m.Counter.GetValue(), true
		}
		return m.GetGauge().GetValue(), true
	}
	return 0, false
}

func TestExporterUsageErrors(t *testing.T) {
	vars, _ := writeConfig(t, "")
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"exporter"}, "no profiles in"},
		{[]string{"exporter", "--profile", "nope"}, `no profile "nope"`},
		{[]string{"exporter", "--interval", "10ms", "--profile", "x"}, "--interval"},
	} {
		r := runCLI(t, vars, "", c.args...)
		if r.code != 2 || !strings.Contains(r.stderr, c.want) {
			t.Errorf("%v: exit %d %q", c.args, r.code, r.stderr)
		}
	}
}
