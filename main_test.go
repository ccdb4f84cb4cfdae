package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/axysdoctor/axysdoctor/emulator"
)

// result is one run of the command line.
type result struct {
	code           int
	stdout, stderr string
}

// testEnv is a non-terminal environment with the given variables.
func testEnv(vars map[string]string, stdin string) (env, *bytes.Buffer, *bytes.Buffer) {
	var out, errb bytes.Buffer
	return env{
		stdin:  strings.NewReader(stdin),
		stdout: &out, stderr: &errb,
		getenv: func(k string) string { return vars[k] },
	}, &out, &errb
}

func runCLI(t *testing.T, vars map[string]string, stdin string, args ...string) result {
	t.Helper()
	e, out, errb := testEnv(vars, stdin)
	code := run(context.Background(), args, e)
	return result{code, out.String(), errb.String()}
}

// startEmulator writes credentials into a temp dir and returns the check
// arguments that pass against it.
func startEmulator(t *testing.T, o emulator.Options) (*emulator.Emulator, emulator.Files, []string) {
	t.Helper()
	emu, err := emulator.Start(o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(emu.Close)
	files, err := emu.WriteDir(t.TempDir(), false)
	if err != nil {
		t.Fatal(err)
	}
	return emu, files, emu.CheckArgs(files)
}

func TestEmulatorCommandPrintsACheckLineThatPasses(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	pr, pw := io.Pipe()
	var errb bytes.Buffer
	e := env{stdin: strings.NewReader(""), stdout: pw, stderr: &errb, getenv: func(string) string { return "" }}
	dir := t.TempDir()
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"emulator", "--dir", dir}, e)
		pw.Close()
	}()
	var line string
	sc := bufio.NewScanner(pr)
	for sc.Scan() {
		if l := strings.TrimSpace(sc.Text()); strings.HasPrefix(l, "axysdoctor check ") {
			line = l
			break
		}
	}
	go io.Copy(io.Discard, pr)
	if line == "" {
		t.Fatal("the emulator printed no check line")
	}
	args := strings.Fields(strings.TrimPrefix(line, "axysdoctor "))
	r := runCLI(t, nil, "", args...)
	if r.code != 0 || !strings.Contains(r.stdout, "10 passed · 0 warnings · 0 failed · 0 skipped") {
		t.Errorf("printed check line: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	cancel()
	if code := <-done; code != 0 {
		t.Errorf("emulator exit %d: %s", code, errb.String())
	}
	if st, err := os.Stat(filepath.Join(dir, "client.key")); err != nil || st.Mode().Perm() != 0o600 {
		t.Errorf("client.key: %v %v", st.Mode(), err)
	}
}

func TestCheckOutputsAreCompleteAndRedacted(t *testing.T) {
	emu, files, args := startEmulator(t, emulator.Options{Scenario: "wrong-api-key"})
	key, _ := os.ReadFile(files.APIKey)
	keyText := strings.TrimSpace(string(key))
	keyPEM, _ := os.ReadFile(files.Key)
	for _, format := range []string{"text", "json", "markdown"} {
		t.Run(format, func(t *testing.T) {
			r := runCLI(t, nil, "", append(args, "--output", format)...)
			if r.code != 1 {
				t.Fatalf("exit %d, want 1\n%s\n%s", r.code, r.stdout, r.stderr)
			}
			for _, out := range []string{r.stdout, r.stderr} {
				if strings.Contains(out, keyText) {
					t.Fatal("the API key appears in the output")
				}
				if bytes.Contains([]byte(out), bytes.TrimSpace(keyPEM)[40:80]) {
					t.Fatal("private key material appears in the output")
				}
			}
			if !strings.Contains(r.stdout, "api-key") || !strings.Contains(r.stdout, keyText[len(keyText)-4:]) {
				t.Errorf("report lacks the row or the key's last four:\n%s", r.stdout)
			}
		})
	}
	r := runCLI(t, nil, "", append(args, "--output", "json")...)
	var doc struct {
		Tool   string `json:"tool"`
		Inputs struct {
			APIKey string `json:"api_key"`
		}
		Checks  []struct{ ID, Status, Row string }
		Summary map[string]int
		Exit    int `json:"exit_code"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil {
		t.Fatalf("stdout is not one JSON document: %v\n%s", err, r.stdout)
	}
	if doc.Tool != "axysdoctor" || len(doc.Checks) != 10 || doc.Summary["fail"] != 1 || doc.Exit != 1 {
		t.Errorf("document %+v", doc)
	}
	if !strings.HasPrefix(doc.Inputs.APIKey, "…") || !strings.Contains(doc.Inputs.APIKey, "sha256:") {
		t.Errorf("api_key shown as %q", doc.Inputs.APIKey)
	}
	_ = emu
}

func TestCheckReadsTheAPIKeyFromEnvAndStdin(t *testing.T) {
	emu, files, _ := startEmulator(t, emulator.Options{})
	base := []string{"check", "--base-url", emu.BaseURL, "--ca-file", files.CA, "--cert", files.Cert, "--key", files.Key,
		"--resolver", emu.DNSAddr, "--egress-server", emu.DNSAddr, "--output", "json"}
	if r := runCLI(t, map[string]string{"AXYS_API_KEY": emu.ProgramKey}, "", base...); r.code != 0 {
		t.Errorf("key from $AXYS_API_KEY: exit %d %s", r.code, r.stderr)
	}
	if r := runCLI(t, map[string]string{"MY_KEY": emu.ProgramKey}, "", append(base, "--api-key-env", "MY_KEY")...); r.code != 0 {
		t.Errorf("key from $MY_KEY: exit %d %s", r.code, r.stderr)
	}
	if r := runCLI(t, nil, emu.ProgramKey+"\n", append(base, "--api-key-file", "-")...); r.code != 0 {
		t.Errorf("key from stdin: exit %d %s", r.code, r.stderr)
	}
	r := runCLI(t, nil, "", base...)
	if r.code != 1 || !strings.Contains(r.stderr, "no API key") {
		t.Errorf("no key: exit %d, stderr %q", r.code, r.stderr)
	}
}

func TestUsageErrorsAreOneLineAndExit2(t *testing.T) {
	dir := t.TempDir()
	garbage := filepath.Join(dir, "garbage.bin")
	os.WriteFile(garbage, []byte{0x99, 1, 2, 3, 4, 5}, 0o600)
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"check", "--bogus"}, "unknown flag: --bogus"},
		{[]string{"check", "--base-url", "http://127.0.0.1/v2"}, "only https"},
		{[]string{"check", "--env", "prod"}, "unknown environment"},
		{[]string{"check", "--output", "xml"}, "--output"},
		{[]string{"check", "--cert", filepath.Join(dir, "nope.pem")}, "nope.pem: no such file"},
		{[]string{"check", "--cert", garbage}, "garbage.bin: binary data"},
		{[]string{"check", "--p12", "a.p12", "--cert", "b.pem"}, "either --p12 or --cert"},
		{[]string{"check", "--timeout", "0s"}, "--timeout"},
		{[]string{"check", "--egress-ip", "300.1.1.1"}, "not an IP address"},
		{[]string{"check", "--api-key-file", filepath.Join(dir, "nope")}, "--api-key-file"},
		{[]string{"check"}, "--cert FILE --key FILE, or --p12 FILE"},
		{[]string{"check", "--key", "k.pem"}, "--key needs --cert"},
		{[]string{"check", "--proxy", "socks5://127.0.0.1:1080"}, "socks5 proxies are not supported"},
		{[]string{"check", "--proxy", "http://user:s3cretpw@"}, "not a proxy URL"},
		{[]string{"check", "-o", "xml"}, "--output"},
		{[]string{"nope"}, "unknown command"},
		{[]string{"csr", "--org", "Acme", "--unit", "Cards", "--cn", "*.acme.example", "--key-out", filepath.Join(dir, "k"), "--csr-out", filepath.Join(dir, "c")}, "wildcard"},
		{[]string{"csr", "--key-type", "dsa", "--org", "A", "--unit", "B", "--cn", "a.example"}, "unknown key type"},
		{[]string{"demo", "--plain", "--scenario", "nope"}, "unknown scenario"},
	}
	for _, c := range cases {
		t.Run(strings.Join(c.args, " "), func(t *testing.T) {
			r := runCLI(t, nil, "", c.args...)
			if r.code != 2 {
				t.Errorf("exit %d, want 2 (stderr %q)", r.code, r.stderr)
			}
			if strings.Count(strings.TrimSpace(r.stderr), "\n") != 0 || !strings.Contains(r.stderr, c.want) {
				t.Errorf("stderr %q: want one line containing %q", r.stderr, c.want)
			}
			if r.stdout != "" {
				t.Errorf("stdout not empty: %q", r.stdout)
			}
		})
	}
}

func TestWizardWithoutATerminalSaysWhatToRun(t *testing.T) {
	r := runCLI(t, nil, "")
	if r.code != 2 || !strings.Contains(r.stderr, "axysdoctor check") || !strings.Contains(r.stderr, "axysdoctor csr") || !strings.Contains(r.stderr, "axysdoctor inspect") {
		t.Errorf("exit %d, stderr %q", r.code, r.stderr)
	}
}

func TestCSRWritesKeyAndRefusesToOverwrite(t *testing.T) {
	dir := t.TempDir()
	key, req := filepath.Join(dir, "client.key"), filepath.Join(dir, "client.csr")
	args := []string{"csr", "--org", "Acme Financial Services Ltd", "--unit", "Acme Cards", "--unit", "Acme Prepaid",
		"--cn", "api.acmecards.example", "--dns", "staging.api.acmecards.example", "--ip", "203.0.113.10",
		"--key-type", "p256", "--key-out", key, "--csr-out", req}
	r := runCLI(t, nil, "", args...)
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	if !strings.Contains(r.stdout, "OU=Acme Cards, OU=Acme Prepaid") || !strings.Contains(r.stdout, "about 24 hours") {
		t.Errorf("stdout:\n%s", r.stdout)
	}
	if !strings.Contains(r.stderr, "RSA-2048") {
		t.Errorf("no warning about the key type: %q", r.stderr)
	}
	st, err := os.Stat(key)
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("key mode %v, %v", st.Mode(), err)
	}
	first, _ := os.ReadFile(key)
	r = runCLI(t, nil, "", args...)
	if r.code != 2 || !strings.Contains(r.stderr, "already exists") {
		t.Errorf("second run: exit %d, %q", r.code, r.stderr)
	}
	if again, _ := os.ReadFile(key); !bytes.Equal(first, again) {
		t.Fatal("the first key changed")
	}
	r = runCLI(t, nil, "", append(args, "--force")...)
	if r.code != 0 {
		t.Fatalf("--force: exit %d %s", r.code, r.stderr)
	}
	if again, _ := os.ReadFile(key); bytes.Equal(first, again) {
		t.Error("--force did not replace the key")
	}
	r = runCLI(t, nil, "", "inspect", "--key", key, req)
	if r.code != 0 || !strings.Contains(r.stdout, "certificate signing request") {
		t.Errorf("inspect the CSR: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
}

func TestCSRRenewalCopiesTheCertificate(t *testing.T) {
	_, files, _ := startEmulator(t, emulator.Options{})
	dir := t.TempDir()
	r := runCLI(t, nil, "", "csr", "--from-cert", files.Cert, "--key-type", "p256",
		"--key-out", filepath.Join(dir, "new.key"), "--csr-out", filepath.Join(dir, "new.csr"))
	if r.code != 0 {
		t.Fatalf("exit %d %s", r.code, r.stderr)
	}
	for _, want := range []string{"O=Acme Financial Services Ltd, OU=Acme Cards, CN=api.acmecards.example", "DNS:api.acmecards.example, IP:127.0.0.1", "copied the subject"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("stdout lacks %q:\n%s", want, r.stdout)
		}
	}
}

func TestInspectKeyMismatchExits1(t *testing.T) {
	_, files, _ := startEmulator(t, emulator.Options{})
	dir := t.TempDir()
	other := filepath.Join(dir, "other.key")
	if r := runCLI(t, nil, "", "csr", "--org", "A", "--unit", "B", "--cn", "a.example", "--key-type", "p256", "--key-out", other, "--csr-out", filepath.Join(dir, "o.csr")); r.code != 0 {
		t.Fatal(r.stderr)
	}
	r := runCLI(t, nil, "", "inspect", "--key", other, files.Cert)
	if r.code != 1 || !strings.Contains(r.stdout, "does NOT belong") {
		t.Errorf("exit %d\n%s", r.code, r.stdout)
	}
	r = runCLI(t, nil, "", "inspect", "--key", files.Key, files.Cert)
	if r.code != 0 || !strings.Contains(r.stdout, "belongs to") {
		t.Errorf("exit %d\n%s", r.code, r.stdout)
	}
}

func emulatorOK() emulator.Options { return emulator.Options{} }
