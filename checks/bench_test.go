package checks_test

import (
	"context"
	"net"
	"testing"
	"time"

	"github.com/miekg/dns"

	"github.com/axysdoctor/axysdoctor/checks"
	"github.com/axysdoctor/axysdoctor/emulator"
)

// slowDNS adds a round-trip time to every query.
type slowDNS struct{ rtt time.Duration }

func (s slowDNS) Exchange(ctx context.Context, m *dns.Msg, server, family string, timeout time.Duration) (*dns.Msg, error) {
	time.Sleep(s.rtt) // the simulated path, not a wait for a server
	return checks.NetDNS{}.Exchange(ctx, m, server, family, timeout)
}

// BenchmarkDiagnoseWithLatency runs every check against the emulator with
// a round-trip time R added to each DNS query and TCP connect, and reports
// the run's length in R: the chains run concurrently, so it should be
// about the longest chain (egress → PTR → forward, 3 R), not the sum of
// every step.
func BenchmarkDiagnoseWithLatency(b *testing.B) {
	const rtt = 25 * time.Millisecond
	emu, err := emulator.Start(emulator.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer emu.Close()
	files, err := emu.WriteDir(b.TempDir(), false)
	if err != nil {
		b.Fatal(err)
	}
	env, _ := checks.ResolveEnvironment("staging", emu.BaseURL)
	opts := checks.Options{
		Environment: env, CertPath: files.Cert, KeyPath: files.Key, APIKey: checks.NewAPIKey(emu.APIKey()),
		CAFile: files.CA, Resolver: emu.DNSAddr, EgressServers: []string{emu.DNSAddr}, Timeout: 2 * time.Second,
	}
	mat, err := checks.LoadMaterial(opts, checks.Passwords{}, time.Now())
	if err != nil {
		b.Fatal(err)
	}
	deps := checks.Deps{
		DNS: slowDNS{rtt},
		Dial: func(ctx context.Context, network, addr string) (net.Conn, error) {
			time.Sleep(rtt)
			var d net.Dialer
			return d.DialContext(ctx, network, addr)
		},
	}
	b.ResetTimer()
	var total time.Duration
	for i := 0; i < b.N; i++ {
		start := time.Now()
		rep := checks.Diagnose(context.Background(), opts, mat, deps, nil)
		total += time.Since(start)
		if rep.ExitCode(true) != 0 {
			b.Fatalf("not all pass: %+v", rep.Summary())
		}
	}
	b.ReportMetric(float64(total)/float64(b.N)/float64(rtt), "R/op")
}
