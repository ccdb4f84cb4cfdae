package main

import (
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/axysdoctor/axysdoctor/emulator"
)

// BenchmarkCheckVersusCurl runs, as separate processes like a user would,
// one full `axysdoctor check` and one `curl` request with the same
// certificate and key to the same emulated gateway, and reports the ratio:
// a whole diagnosis should cost little more than the one request it is
// built around (the goal is at most 1.2).
func BenchmarkCheckVersusCurl(b *testing.B) {
	curl, err := exec.LookPath("curl")
	if err != nil {
		b.Skip("curl is not installed: nothing to compare with")
	}
	emu, err := emulator.Start(emulator.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer emu.Close()
	files, err := emu.WriteDir(b.TempDir(), false)
	if err != nil {
		b.Fatal(err)
	}
	key, _ := os.ReadFile(files.APIKey)
	check := exec.Command(os.Args[0], append(emu.CheckArgs(files), "--output", "json")...)
	check.Env = append(os.Environ(), "AXYSDOCTOR_AS_MAIN=1")
	curlArgs := []string{"-s", "-o", "/dev/null", "--cacert", files.CA, "--cert", files.Cert, "--key", files.Key,
		"-H", "X-API-Key: " + strings.TrimSpace(string(key)), emu.BaseURL + "/cardholders?limit=1"}
	run := func(name string, args []string, env []string) time.Duration {
		cmd := exec.Command(name, args...)
		cmd.Env = env
		start := time.Now()
		if out, err := cmd.CombinedOutput(); err != nil && !strings.Contains(string(out), "signals caught") {
			b.Fatalf("%s: %v\n%s", name, err, out)
		}
		return time.Since(start)
	}
	var ad, cu time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		ad += run(check.Path, check.Args[1:], check.Env)
		cu += run(curl, curlArgs, os.Environ())
	}
	b.ReportMetric(float64(ad)/float64(b.N)/1e6, "check-ms/op")
	b.ReportMetric(float64(cu)/float64(b.N)/1e6, "curl-ms/op")
	b.ReportMetric(float64(ad)/float64(cu), "check/curl")
}
