package main

import (
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/axysdoctor/axysdoctor/emulator"
)

// TestSecretLookingFlagsPointAtTheRightPlace: --api-key and its kin are
// refused with where the secret goes instead, and the value given is
// never repeated.
func TestSecretLookingFlagsPointAtTheRightPlace(t *testing.T) {
	const value = "s3cr3t-VALUE-never-echoed"
	cases := []struct {
		args []string
		want []string
	}{
		{[]string{"check", "--api-key=" + value}, []string{"--api-key: axysdoctor never takes the API key", "AXYS_API_KEY", "--api-key-env", "--api-key-file"}},
		{[]string{"check", "--api-key", value}, []string{"AXYS_API_KEY", "--api-key-file"}},
		{[]string{"check", "--token", value}, []string{"--token:", "AXYS_API_KEY"}},
		{[]string{"--api-key", value}, []string{"AXYS_API_KEY"}},
		{[]string{"check", "--password=" + value}, []string{"--key-password-env NAME or --p12-password-env NAME"}},
		{[]string{"check", "--key-password", value}, []string{"--key-password:", "--key-password-env NAME"}},
		{[]string{"check", "--p12-password=" + value}, []string{"--p12-password-env NAME"}},
		{[]string{"inspect", "--password", value, "x.p12"}, []string{"--password-env NAME"}},
		{[]string{"csr", "--password=" + value}, []string{"--from-cert-password-env NAME"}},
	}
	for _, c := range cases {
		t.Run(strings.Join(c.args, " "), func(t *testing.T) {
			r := runCLI(t, nil, "", c.args...)
			if r.code != 2 || r.stdout != "" || strings.Count(strings.TrimSpace(r.stderr), "\n") != 0 {
				t.Fatalf("exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
			}
			for _, w := range c.want {
				if !strings.Contains(r.stderr, w) {
					t.Errorf("stderr %q lacks %q", r.stderr, w)
				}
			}
			if strings.Contains(r.stderr, value) {
				t.Error("the value is repeated")
			}
		})
	}
}

func TestDidYouMean(t *testing.T) {
	for typed, want := range map[string]string{"chek": "check", "insect": "inspect", "dmeo": "demo", "emulater": "emulator"} {
		r := runCLI(t, nil, "", typed)
		if r.code != 2 || !strings.Contains(r.stderr, `did you mean "`+want+`"?`) {
			t.Errorf("%s: exit %d, %q", typed, r.code, r.stderr)
		}
	}
	if r := runCLI(t, nil, "", "xyzzy"); r.code != 2 || strings.Contains(r.stderr, "did you mean") {
		t.Errorf("xyzzy: exit %d, %q", r.code, r.stderr)
	}
}

func TestVersionFlagAndCompletion(t *testing.T) {
	v, flag := runCLI(t, nil, "", "version"), runCLI(t, nil, "", "--version")
	if flag.code != 0 || flag.stdout != v.stdout || !strings.HasPrefix(flag.stdout, "axysdoctor ") {
		t.Errorf("--version printed %q (exit %d); version printed %q", flag.stdout, flag.code, v.stdout)
	}
	if r := runCLI(t, nil, "", "--help"); !strings.Contains(r.stdout, "completion") {
		t.Errorf("completion is not listed in --help:\n%s", r.stdout)
	}
	if r := runCLI(t, nil, "", "completion", "bash"); r.code != 0 || !strings.Contains(r.stdout, "axysdoctor") {
		t.Errorf("completion bash: exit %d, %d bytes", r.code, len(r.stdout))
	}
}

func TestInspectWithoutAFilePrintsItsUsage(t *testing.T) {
	r := runCLI(t, nil, "", "inspect")
	if r.code != 2 || r.stdout != "" || !strings.HasPrefix(r.stderr, "axysdoctor inspect needs at least one FILE.") ||
		!strings.Contains(r.stderr, "Usage:\n  axysdoctor inspect FILE...") || strings.Contains(r.stderr, "arg(s)") {
		t.Errorf("exit %d, stdout %q, stderr:\n%s", r.code, r.stdout, r.stderr)
	}
}

// TestOutputShorthandAndDemoFormats: -o works on inspect and demo, and
// demo -o json on a terminal prints the report instead of starting the
// wizard.
func TestOutputShorthandAndDemoFormats(t *testing.T) {
	dir := t.TempDir()
	key := filepath.Join(dir, "k")
	if r := runCLI(t, nil, "", "csr", "--org", "A", "--unit", "B", "--cn", "a.example", "--key-type", "p256", "--key-out", key, "--csr-out", filepath.Join(dir, "c")); r.code != 0 {
		t.Fatal(r.stderr)
	}
	r := runCLI(t, nil, "", "inspect", "-o", "json", key)
	var doc map[string]any
	if r.code != 0 || json.Unmarshal([]byte(r.stdout), &doc) != nil {
		t.Errorf("inspect -o json: exit %d\n%s", r.code, r.stdout)
	}
	e, out, errb := testEnv(nil, "")
	e.stdinTTY, e.stdoutTTY = true, true
	code := run(context.Background(), []string{"demo", "-o", "json"}, e)
	if code != 0 || json.Unmarshal(out.Bytes(), &doc) != nil || doc["tool"] != "axysdoctor" {
		t.Errorf("demo -o json on a terminal: exit %d, stderr %s\n%s", code, errb, out)
	}
}

// TestDaysAgoIsOneRule: the emulator's certificate expired three days (and
// a few milliseconds) ago; check and inspect both say 3, where check used
// to say 4.
func TestDaysAgoIsOneRule(t *testing.T) {
	_, files, args := startEmulator(t, emulator.Options{Scenario: "expired-cert"})
	r := runCLI(t, nil, "", append(args, "-o", "json")...)
	var rep jsonReport
	if err := json.Unmarshal([]byte(r.stdout), &rep); err != nil {
		t.Fatal(err)
	}
	if _, _, summary := rep.get("cert.validity"); !strings.Contains(summary, ", 3 days ago;") {
		t.Errorf("check: %q", summary)
	}
	if r := runCLI(t, nil, "", "inspect", files.Cert); !strings.Contains(r.stdout, "(3 days ago)") {
		t.Errorf("inspect:\n%s", r.stdout)
	}
}
