package main

import (
	"context"
	"crypto"
	"crypto/rand"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/axysdoctor/axysdoctor/csr"
	"github.com/axysdoctor/axysdoctor/emulator"
)

type compareDoc struct {
	A, B struct {
		Name   string
		Report struct {
			Environment struct{ Name string }
			Summary     map[string]int
			Checks      []struct{ ID, Status string }
		}
	}
	Static []struct {
		ID, Status, Row, Summary string
	}
	ExitCode int `json:"exit_code"`
}

func (d compareDoc) static(id string) (status, row string) {
	for _, s := range d.Static {
		if s.ID == id {
			return s.Status, s.Row
		}
	}
	return "", ""
}

// stagingAndProduction starts a staging and a production emulator and
// writes a profile for each.
func stagingAndProduction(t *testing.T) (vars map[string]string, prod *emulator.Emulator, stgFiles emulator.Files) {
	t.Helper()
	stg, stgFiles, _ := startEmulator(t, emulator.Options{})
	prod, prodFiles, _ := startEmulator(t, emulator.Options{Environment: "production"})
	// Emulators in one process hand out credentials on one key pair;
	// production gets its own, as a real tenant's would.
	key, err := csr.GenerateKey(context.Background(), csr.RSA2048, rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	keyPEM, _ := csr.MarshalKeyPEM(key)
	os.WriteFile(prodFiles.Key, keyPEM, 0o600)
	os.WriteFile(prodFiles.Cert, signFor(t, prod, key), 0o644)
	vars, _ = writeConfig(t, profileTOML("staging", stg, stgFiles)+"\n"+profileTOML("production", prod, prodFiles))
	return vars, prod, stgFiles
}

// signFor has emu sign a certificate of the emulator's tenant for key.
func signFor(t *testing.T, emu *emulator.Emulator, key crypto.Signer) []byte {
	t.Helper()
	req, err := csr.Request{Organization: emulator.Identity.Organization, Units: []string{emulator.Identity.Unit},
		CommonName: emulator.Identity.CommonName, IPs: []string{"127.0.0.1"}}.Prepare()
	if err != nil {
		t.Fatal(err)
	}
	_, csrPEM, err := req.Build(key)
	if err != nil {
		t.Fatal(err)
	}
	certPEM, err := emu.SignCSR(csrPEM)
	if err != nil {
		t.Fatal(err)
	}
	return certPEM
}

func TestCompareStagingAndProduction(t *testing.T) {
	vars, _, _ := stagingAndProduction(t)
	r := runCLI(t, vars, "", "compare", "staging", "production", "-o", "json")
	if r.code != 0 {
		t.Fatalf("exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	var doc compareDoc
	if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil {
		t.Fatalf("not one JSON document: %v\n%s", err, r.stdout)
	}
	if doc.A.Name != "staging" || doc.B.Name != "production" || doc.B.Report.Environment.Name != "production" {
		t.Errorf("sides %q %q (%s)", doc.A.Name, doc.B.Name, doc.B.Report.Environment.Name)
	}
	if doc.A.Report.Summary["pass"] != 10 || doc.B.Report.Summary["pass"] != 10 {
		t.Errorf("live: %v / %v", doc.A.Report.Summary, doc.B.Report.Summary)
	}
	for id, want := range map[string]string{
		"compare.tenant": "pass", "compare.programs": "pass", "compare.client-ca": "pass", "compare.key-pair": "pass",
		"compare.api-key": "pass", "compare.validity": "pass", "compare.sans": "pass", "compare.egress": "skip",
	} {
		if got, _ := doc.static(id); got != want {
			t.Errorf("%s: %s, want %s", id, got, want)
		}
	}

	r = runCLI(t, vars, "", "compare", "staging", "production")
	for _, want := range []string{"compare staging → production", "Side by side, before the network", "different client CAs for staging and production", "Live, both at once", "exit 0"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("text lacks %q:\n%s", want, r.stdout)
		}
	}
	// The live table has the two sides in two columns on one line per check.
	for _, line := range strings.Split(r.stdout, "\n") {
		if strings.HasPrefix(line, "api.probe") && strings.Count(line, "✓ HTTP 200") != 2 {
			t.Errorf("api.probe line: %q", line)
		}
	}
	r = runCLI(t, vars, "", "compare", "--profile", "staging", "--profile", "production", "-o", "markdown")
	if r.code != 0 || !strings.Contains(r.stdout, "| Check | staging | production |") {
		t.Errorf("markdown: exit %d\n%s", r.code, r.stdout)
	}
}

// Production on staging's private key and staging's API key: both reuses
// fail before the network, and the comparison exits 1.
func TestCompareCatchesCredentialsReusedAcrossEnvironments(t *testing.T) {
	vars, prod, stgFiles := stagingAndProduction(t)
	// A production certificate for staging's key, as if the CSR had been
	// made from the staging key.
	keyFile, err := csr.ReadFile(stgFiles.Key, nil)
	if err != nil {
		t.Fatal(err)
	}
	reused := filepath.Join(t.TempDir(), "prod-on-staging-key.pem")
	os.WriteFile(reused, signFor(t, prod, keyFile.Keys()[0].(crypto.Signer)), 0o644)

	r := runCLI(t, vars, "", "compare", "staging", "production", "-o", "json",
		"--b", "cert="+reused, "--b", "key="+stgFiles.Key, "--b", "api-key-file="+stgFiles.APIKey)
	var doc compareDoc
	if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil {
		t.Fatalf("exit %d: %v\n%s", r.code, err, r.stderr)
	}
	if r.code != 1 || doc.ExitCode != 1 {
		t.Errorf("exit %d (document %d), want 1", r.code, doc.ExitCode)
	}
	for _, id := range []string{"compare.key-pair", "compare.api-key"} {
		if status, row := doc.static(id); status != "fail" || row != "credential-hygiene" {
			t.Errorf("%s: %s %s, want fail on credential-hygiene", id, status, row)
		}
	}
	if status, _ := doc.static("compare.tenant"); status != "pass" {
		t.Errorf("compare.tenant %s", status)
	}
}

func TestCompareWithoutProfilesTakesTwoSetsOfFlags(t *testing.T) {
	emu, files, _ := startEmulator(t, emulator.Options{})
	side := func(flag string) []string {
		var out []string
		for _, kv := range []string{"base-url=" + emu.BaseURL, "cert=" + files.Cert, "key=" + files.Key, "api-key-file=" + files.APIKey,
			"ca-file=" + files.CA, "resolver=" + emu.DNSAddr, "egress-server=" + emu.DNSAddr} {
			out = append(out, flag, kv)
		}
		return out
	}
	args := append(append([]string{"compare", "-o", "json"}, side("--a")...), side("--b")...)
	r := runCLI(t, nil, "", args...)
	var doc compareDoc
	if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil || r.code != 0 {
		t.Fatalf("exit %d %v\n%s", r.code, err, r.stderr)
	}
	// One certificate on both sides in one environment: hosts sharing it.
	if status, _ := doc.static("compare.key-pair"); status != "pass" || doc.A.Name != "A" || doc.B.Name != "B" {
		t.Errorf("key-pair %s, names %q %q", status, doc.A.Name, doc.B.Name)
	}
}

func TestCompareUsageErrors(t *testing.T) {
	vars, _ := writeConfig(t, "[profiles.a]\nenv = \"staging\"\n")
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"compare", "a"}, "two profiles"},
		{[]string{"compare"}, "compare needs two profiles"},
		{[]string{"compare", "b", "a"}, `no profile "b"`},
		{[]string{"compare", "--a", "cert", "--b", "cert=x"}, "give KEY=VALUE"},
		{[]string{"compare", "--a", "api-key=axys_prog_123", "--b", "cert=x"}, "must not be written"},
		{[]string{"compare", "a", "a", "-o", "junit"}, "--output"},
	}
	for _, c := range cases {
		r := runCLI(t, vars, "", c.args...)
		if r.code != 2 || !strings.Contains(r.stderr, c.want) || strings.Contains(r.stderr, "axys_prog_123") {
			t.Errorf("%v: exit %d %q, want 2 and %q", c.args, r.code, r.stderr, c.want)
		}
	}
}
