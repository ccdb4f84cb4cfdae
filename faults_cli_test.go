package main

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/axysdoctor/axysdoctor/internal/testnet"
)

type jsonReport struct {
	Checks []struct{ ID, Status, Row, Summary string } `json:"checks"`
}

func (r jsonReport) get(id string) (status, row, summary string) {
	for _, c := range r.Checks {
		if c.ID == id {
			return c.Status, c.Row, c.Summary
		}
	}
	return "", "", ""
}

func TestBlackholedResolverAndGatewayTimeOutWithinBudget(t *testing.T) {
	_, files, _ := startEmulator(t, emulatorOK())
	resolver := testnet.UDPBlackhole(t)
	const timeout = 500 * time.Millisecond
	// The longest chain is DNS → TCP → TLS → HTTP: four steps.
	budget := 4*timeout + time.Second
	cases := []struct {
		name   string
		args   []string
		expect map[string]string // check → text its summary must hold
	}{
		{"gateway by name", []string{"--base-url", "https://gateway.axys-test.example:8443/v2"}, map[string]string{
			"net.egress":    "timed out",
			"tls.handshake": "timeout",
		}},
		{"gateway by address", []string{"--base-url", "https://" + testnet.TCPBlackhole(t) + "/v2", "--egress-ip", "203.0.113.10"}, map[string]string{
			"dns.fcrdns":    "timeout",
			"tls.handshake": "no answer within 500ms",
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			args := append([]string{"check", "--output", "json", "--timeout", timeout.String(), "--cert", files.Cert, "--key", files.Key,
				"--resolver", resolver, "--egress-server", resolver, "--api-key-file", files.APIKey}, c.args...)
			start := time.Now()
			r := runCLI(t, nil, "", args...)
			elapsed := time.Since(start)
			if elapsed > budget {
				t.Errorf("took %s, budget %s", elapsed, budget)
			}
			if r.code != 1 {
				t.Errorf("exit %d", r.code)
			}
			var rep jsonReport
			if err := json.Unmarshal([]byte(r.stdout), &rep); err != nil {
				t.Fatal(err)
			}
			for id, want := range c.expect {
				status, row, summary := rep.get(id)
				if status != "fail" || row == "" || !strings.Contains(summary, want) {
					t.Errorf("%s: %s [%s] %q; want a failure saying %q", id, status, row, summary, want)
				}
			}
			t.Logf("%s in %s", c.name, elapsed)
		})
	}
}
