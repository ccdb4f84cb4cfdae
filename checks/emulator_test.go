package checks_test

import (
	"context"
	"fmt"
	"net"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/miekg/dns"

	"github.com/axysdoctor/axysdoctor/checks"
	"github.com/axysdoctor/axysdoctor/emulator"
)

// diagnose runs every check against a fresh emulator playing scenario.
func diagnose(t *testing.T, eo emulator.Options) (checks.Report, *emulator.Emulator) {
	t.Helper()
	emu, err := emulator.Start(eo)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(emu.Close)
	files, err := emu.WriteDir(t.TempDir(), false)
	if err != nil {
		t.Fatal(err)
	}
	env, err := checks.ResolveEnvironment("staging", emu.BaseURL)
	if err != nil {
		t.Fatal(err)
	}
	opts := checks.Options{
		Environment:   env,
		CertPath:      files.Cert,
		KeyPath:       files.Key,
		APIKey:        checks.NewAPIKey(emu.APIKey()),
		CAFile:        files.CA,
		Resolver:      emu.DNSAddr,
		EgressServers: []string{emu.DNSAddr},
		Timeout:       time.Second,
	}
	mat, err := checks.LoadMaterial(opts, checks.Passwords{}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	return checks.Diagnose(context.Background(), opts, mat, loopbackOnly(t), nil), emu
}

// loopbackOnly wraps the real DNS and dialer so that any attempt to reach
// a non-loopback address fails the test: tests never touch the internet.
func loopbackOnly(t *testing.T) checks.Deps {
	mustLoopback := func(addr string) error {
		host, _, err := net.SplitHostPort(addr)
		if err != nil {
			return err
		}
		if a, err := netip.ParseAddr(host); err != nil || !a.IsLoopback() {
			t.Errorf("a test tried to reach %s", addr)
			return fmt.Errorf("not loopback: %s", addr)
		}
		return nil
	}
	return checks.Deps{
		DNS: guardDNS{mustLoopback},
		Dial: func(ctx context.Context, network, addr string) (net.Conn, error) {
			if err := mustLoopback(addr); err != nil {
				return nil, err
			}
			var d net.Dialer
			return d.DialContext(ctx, network, addr)
		},
	}
}

type guardDNS struct{ check func(string) error }

func (g guardDNS) Exchange(ctx context.Context, m *dns.Msg, server, family string, timeout time.Duration) (*dns.Msg, error) {
	if err := g.check(server); err != nil {
		return nil, err
	}
	return checks.NetDNS{}.Exchange(ctx, m, server, family, timeout)
}

func dump(rep checks.Report) string {
	var b strings.Builder
	for _, r := range rep.Results {
		b.WriteString("\n  " + r.ID + " " + string(r.Status) + " [" + r.Row + "] " + r.Summary)
	}
	return b.String()
}

func TestEmulatorOKPassesEverything(t *testing.T) {
	for _, style := range []string{emulator.StyleStrict, emulator.StyleNginx} {
		t.Run(style, func(t *testing.T) {
			rep, _ := diagnose(t, emulator.Options{Style: style})
			for _, r := range rep.Results {
				if r.Status != checks.Pass {
					t.Errorf("%s: %s %s%s", r.ID, r.Status, r.Summary, dump(rep))
				}
			}
			if rep.ExitCode(true) != 0 {
				t.Errorf("exit code %d", rep.ExitCode(true))
			}
		})
	}
}

func TestEmulatorScenariosFailOnTheirRow(t *testing.T) {
	for _, sc := range emulator.Scenarios {
		if sc.Name == "ok" {
			continue
		}
		for _, style := range []string{emulator.StyleStrict, emulator.StyleNginx} {
			t.Run(sc.Name+"/"+style, func(t *testing.T) {
				rep, _ := diagnose(t, emulator.Options{Scenario: sc.Name, Style: style})
				r, ok := rep.Result(sc.ExpectCheck)
				if !ok {
					t.Fatalf("no result for %s", sc.ExpectCheck)
				}
				if r.Status != checks.Fail && r.Status != checks.Warn {
					t.Fatalf("%s is %s, want a failure on row %s%s", sc.ExpectCheck, r.Status, sc.ExpectRow, dump(rep))
				}
				if r.Row != sc.ExpectRow {
					t.Errorf("%s row %q, want %q%s", sc.ExpectCheck, r.Row, sc.ExpectRow, dump(rep))
				}
				if r.Fix == "" || len(r.Evidence) == 0 {
					t.Errorf("%s has no fix or no evidence", sc.ExpectCheck)
				}
				if rep.ExitCode(true) != 1 {
					t.Errorf("strict exit code %d, want 1", rep.ExitCode(true))
				}
				for _, res := range rep.Results {
					if res.Status == checks.Fail && res.Row == "" {
						t.Errorf("%s failed without a row", res.ID)
					}
				}
			})
		}
	}
}
