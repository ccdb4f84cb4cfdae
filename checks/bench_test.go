package checks_test

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
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

// latencyRelay forwards TCP to target with a one-way delay of rtt/2 in
// each direction, so every round trip over it — TLS flights, the HTTP
// request and answer — costs rtt, as on a real path.
func latencyRelay(tb testing.TB, target string, rtt time.Duration) string {
	tb.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			up, err := net.Dial("tcp", target)
			if err != nil {
				c.Close()
				continue
			}
			go delayed(c, up, rtt/2)
			go delayed(up, c, rtt/2)
		}
	}()
	return ln.Addr().String()
}

// delayed copies src to dst, each chunk delivered delay after it was read.
func delayed(dst, src net.Conn, delay time.Duration) {
	type chunk struct {
		b   []byte
		due time.Time
	}
	q := make(chan chunk, 1024)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for c := range q {
			time.Sleep(time.Until(c.due)) // the simulated wire
			if _, err := dst.Write(c.b); err != nil {
				return
			}
		}
		if tc, ok := dst.(*net.TCPConn); ok {
			tc.CloseWrite()
		}
	}()
	buf := make([]byte, 32<<10)
	for {
		n, err := src.Read(buf)
		if n > 0 {
			q <- chunk{append([]byte(nil), buf[:n]...), time.Now().Add(delay)}
		}
		if err != nil {
			break
		}
	}
	close(q)
	wg.Wait()
	if err := src.Close(); err != nil && err != io.EOF {
		return
	}
}

// BenchmarkDiagnoseWithLatency runs every check against the emulator with
// a round-trip time R on DNS and on every TCP exchange (the connect, each
// TLS flight, the HTTP request), for a TLS 1.3 and a TLS 1.2 gateway, and
// reports the run's wall time in R and its overhead over the longest
// chain: TCP + TLS + HTTP = 3 R with TLS 1.3, 4 R with TLS 1.2 (the DNS
// chain egress → PTR → forward is 3 R and runs alongside).
func BenchmarkDiagnoseWithLatency(b *testing.B) {
	const rtt = 40 * time.Millisecond
	for _, c := range []struct {
		name  string
		max   uint16
		chain int
	}{{"TLS1.3", 0x0304, 3}, {"TLS1.2", 0x0303, 4}} {
		b.Run(c.name, func(b *testing.B) {
			emu, err := emulator.Start(emulator.Options{MaxTLS: c.max})
			if err != nil {
				b.Fatal(err)
			}
			defer emu.Close()
			files, err := emu.WriteDir(b.TempDir(), false)
			if err != nil {
				b.Fatal(err)
			}
			gateway := strings.TrimSuffix(strings.TrimPrefix(emu.BaseURL, "https://"), "/v2")
			env, _ := checks.ResolveEnvironment("staging", "https://"+latencyRelay(b, gateway, rtt)+"/v2")
			opts := checks.Options{
				Environment: env, CertPath: files.Cert, KeyPath: files.Key, APIKey: checks.NewAPIKey(emu.APIKey()),
				CAFile: files.CA, Resolver: emu.DNSAddr, EgressServers: []string{emu.DNSAddr}, Timeout: 2 * time.Second, Proxy: checks.ProxyDirect,
			}
			mat, err := checks.LoadMaterial(opts, checks.Passwords{}, time.Now())
			if err != nil {
				b.Fatal(err)
			}
			deps := checks.Deps{
				DNS: slowDNS{rtt},
				Dial: func(ctx context.Context, network, addr string) (net.Conn, error) {
					time.Sleep(rtt) // SYN, SYN-ACK
					var d net.Dialer
					return d.DialContext(ctx, network, addr)
				},
			}
			// The same request on the same simulated path, with nothing
			// around it: what the path itself costs beyond its round trips
			// (timer slack of the simulation, both sides' TLS CPU).
			bare := bareRequest(b, files, emu, env.ProbeURL, deps.Dial)
			b.ResetTimer()
			var total, baseline time.Duration
			for i := 0; i < b.N; i++ {
				start := time.Now()
				rep := checks.Diagnose(context.Background(), opts, mat, deps, nil)
				total += time.Since(start)
				if rep.ExitCode(true) != 0 {
					b.Fatalf("not all pass: %+v", rep.Summary())
				}
				baseline += bare()
			}
			wall := total / time.Duration(b.N)
			b.ReportMetric(float64(wall)/float64(rtt), "R/op")
			b.ReportMetric(float64(wall-time.Duration(c.chain)*rtt)/float64(time.Millisecond), "ms-over-chain/op")
			b.ReportMetric(float64(wall-baseline/time.Duration(b.N))/float64(time.Millisecond), "ms-over-bare-request/op")
			if testing.Verbose() {
				fmt.Printf("%s: %s per run, %.2f R; the longest chain is %d R\n", c.name, wall.Round(time.Millisecond), float64(wall)/float64(rtt), c.chain)
			}
		})
	}
}

// bareRequest returns a function that makes the probe's request once, as
// a plain Go client would (one mTLS connection, one GET), over dial, and
// says how long it took.
func bareRequest(b *testing.B, files emulator.Files, emu *emulator.Emulator, url string, dial func(context.Context, string, string) (net.Conn, error)) func() time.Duration {
	kp, err := tls.LoadX509KeyPair(files.Cert, files.Key)
	if err != nil {
		b.Fatal(err)
	}
	roots := x509.NewCertPool()
	roots.AddCert(emu.ServerCA.Cert)
	return func() time.Duration {
		c := &http.Client{Transport: &http.Transport{
			DialContext:       dial,
			TLSClientConfig:   &tls.Config{RootCAs: roots, Certificates: []tls.Certificate{kp}, MaxVersion: 0},
			DisableKeepAlives: true,
		}}
		req, _ := http.NewRequest(http.MethodGet, url, nil)
		req.Header.Set("X-API-Key", emu.APIKey())
		start := time.Now()
		resp, err := c.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return time.Since(start)
	}
}
