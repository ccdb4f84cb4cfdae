package main

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/axysdoctor/axysdoctor/emulator"
)

// readZip returns every file of a zip by name.
func readZip(t *testing.T, path string) map[string][]byte {
	t.Helper()
	zr, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	out := map[string][]byte{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		out[f.Name], _ = io.ReadAll(rc)
		rc.Close()
	}
	return out
}

func TestBundleHoldsTheReportAndNoSecret(t *testing.T) {
	emu, files, args := startEmulator(t, emulator.Options{Scenario: "wrong-api-key"})
	apiKey, _ := os.ReadFile(files.APIKey)
	key := strings.TrimSpace(string(apiKey))
	keyPEM, _ := os.ReadFile(files.Key)
	path := filepath.Join(t.TempDir(), "ticket.zip")
	vars := map[string]string{"HTTPS_PROXY": "http://alice:pr0xy-s3cret@proxy.corp.example:3128", "NO_PROXY": "127.0.0.1"}

	r := runCLI(t, vars, "", append(args, "--bundle", path, "--proxy", "direct")...)
	if r.code != 1 {
		t.Fatalf("exit %d (a wrong API key fails)\n%s", r.code, r.stderr)
	}
	id := regexp.MustCompile(`correlation ID (axd-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4})`).FindStringSubmatch(r.stderr)
	if id == nil {
		t.Fatalf("no correlation ID on stderr: %q", r.stderr)
	}
	if strings.Contains(r.stdout, id[1]) {
		t.Error("the correlation ID went to stdout, which holds only the report")
	}
	st, err := os.Stat(path)
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("bundle mode %v %v", st.Mode(), err)
	}

	got := readZip(t, path)
	for _, name := range []string{"README.txt", "report.md", "report.json", "environment.json"} {
		if len(got[name]) == 0 {
			t.Errorf("no %s in the bundle", name)
		}
	}
	// Every file, every secret: the key, any 8 characters of it, the key
	// file's lines, the proxy password.
	var forbidden []string
	for i := 0; i+8 <= len(key); i++ {
		forbidden = append(forbidden, key[i:i+8])
	}
	for _, l := range strings.Split(string(keyPEM), "\n") {
		if len(l) >= 16 {
			forbidden = append(forbidden, l)
		}
	}
	forbidden = append(forbidden, "PRIVATE KEY", "pr0xy-s3cret", "alice")
	for name, data := range got {
		for _, f := range forbidden {
			if bytes.Contains(data, []byte(f)) {
				t.Errorf("%s contains %q", name, f)
			}
		}
	}

	if !strings.Contains(string(got["README.txt"]), "Correlation ID: "+id[1]) || !strings.Contains(string(got["report.md"]), "# axysdoctor report") {
		t.Errorf("README:\n%s", got["README.txt"])
	}
	var facts struct {
		CorrelationID string `json:"correlation_id"`
		Version       string `json:"axysdoctor_version"`
		OS            string `json:"os"`
		Resolver      struct{ Given string }
		ProxyEnv      map[string]string `json:"proxy_environment"`
		Gateway       struct {
			BaseURL     string               `json:"base_url"`
			HTTPStatus  int                  `json:"http_status"`
			RequestIDs  []string             `json:"request_ids"`
			ServerDate  string               `json:"server_date"`
			ClockSkewMS *int64               `json:"clock_skew_ms"`
			RootCause   *struct{ ID string } `json:"root_cause"`
		}
	}
	if err := json.Unmarshal(got["environment.json"], &facts); err != nil {
		t.Fatal(err)
	}
	if facts.CorrelationID != id[1] || facts.OS == "" || facts.Version == "" || facts.Resolver.Given != emu.DNSAddr || facts.Gateway.BaseURL != emu.BaseURL || facts.Gateway.RequestIDs == nil {
		t.Errorf("facts %+v", facts)
	}
	if facts.ProxyEnv["HTTPS_PROXY"] != "http://REDACTED@proxy.corp.example:3128" || facts.ProxyEnv["NO_PROXY"] != "127.0.0.1" {
		t.Errorf("proxy variables %v", facts.ProxyEnv)
	}
	// The emulator answers the 401 with an X-Request-Id and a Date.
	g := facts.Gateway
	if g.HTTPStatus != 401 || len(g.RequestIDs) != 1 || !strings.HasPrefix(g.RequestIDs[0], "X-Request-Id: emu-") {
		t.Errorf("gateway facts %+v", g)
	}
	if g.ServerDate == "" || g.ClockSkewMS == nil || *g.ClockSkewMS > 5000 || *g.ClockSkewMS < -5000 {
		t.Errorf("clock: date %q skew %v", g.ServerDate, g.ClockSkewMS)
	}
	if g.RootCause == nil || g.RootCause.ID != "api.probe" {
		t.Errorf("root cause %+v", g.RootCause)
	}
	if len(g.RequestIDs) > 0 && !strings.Contains(string(got["README.txt"]), "Request IDs:    "+g.RequestIDs[0]) {
		t.Errorf("README lacks the request ID:\n%s", got["README.txt"])
	}
	var rep jsonReport
	if err := json.Unmarshal(got["report.json"], &rep); err != nil || len(rep.Checks) != 10 {
		t.Errorf("report.json: %v, %d checks", err, len(rep.Checks))
	}
	if status, row, _ := rep.get("api.probe"); status != "fail" || row != "api-key" {
		t.Errorf("api.probe in the bundle: %s %s", status, row)
	}

	// Never overwritten: a second run refuses before it starts.
	before, _ := os.ReadFile(path)
	r = runCLI(t, vars, "", append(args, "--bundle", path)...)
	if r.code != 2 || !strings.Contains(r.stderr, "already exists") || r.stdout != "" {
		t.Errorf("second bundle: exit %d %q", r.code, r.stderr)
	}
	if after, _ := os.ReadFile(path); !bytes.Equal(before, after) {
		t.Error("the bundle was overwritten")
	}
}
