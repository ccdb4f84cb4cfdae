package checks_test

import (
	"context"
	"fmt"
	"net"
	"net/netip"
	"slices"
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
		Proxy:         checks.ProxyDirect,
	}
	if emu.Scenario().Proxy {
		opts.Proxy, opts.EgressURLs = emu.ProxyURL, []string{emu.WhoAmIURL}
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

// TestOneStoryPerScenario: in every scenario, exactly the scenario's
// root-cause check ends with the scenario's status on its row, the report
// names it as the root cause, every other check passes, is skipped with a
// reason, or warns as a consequence that points at the root cause — and no
// fix gives advice about a layer the root cause rules out.
func TestOneStoryPerScenario(t *testing.T) {
	// Warnings that corroborate the root cause rather than follow from it.
	corroborating := map[string][]string{
		"missing-intermediate": {checks.IDCertChain},
	}
	for _, sc := range emulator.Scenarios {
		for _, style := range []string{emulator.StyleStrict, emulator.StyleNginx} {
			t.Run(sc.Name+"/"+style, func(t *testing.T) {
				t.Parallel()
				rep, _ := diagnose(t, emulator.Options{Scenario: sc.Name, Style: style})
				want := checks.Status(sc.Expected())
				if want == "" {
					for _, r := range rep.Results {
						if r.Status != checks.Pass {
							t.Errorf("%s: %s %s%s", r.ID, r.Status, r.Summary, dump(rep))
						}
					}
					if rep.RootCause != nil {
						t.Errorf("root cause %+v in a scenario where everything passes", rep.RootCause)
					}
					return
				}
				root, ok := rep.Result(sc.ExpectCheck)
				if !ok || root.Status != want || root.Row != sc.ExpectRow {
					t.Fatalf("%s is %s [%s], want %s [%s]%s", sc.ExpectCheck, root.Status, root.Row, want, sc.ExpectRow, dump(rep))
				}
				if root.Fix == "" || len(root.Evidence) == 0 {
					t.Errorf("%s has no fix or no evidence", root.ID)
				}
				switch {
				case want == checks.Fail && (rep.RootCause == nil || rep.RootCause.ID != sc.ExpectCheck || rep.RootCause.Reason != root.Summary):
					t.Errorf("root cause %+v, want %s with its summary%s", rep.RootCause, sc.ExpectCheck, dump(rep))
				case want == checks.Warn && rep.RootCause != nil:
					t.Errorf("root cause %+v although nothing failed", rep.RootCause)
				}
				for _, r := range rep.Results {
					if r.Status == checks.Fail && r.Row == "" {
						t.Errorf("%s failed without a failure-table row", r.ID)
					}
					if r.ID == root.ID {
						continue
					}
					switch r.Status {
					case checks.Pass:
					case checks.Skip:
						if !strings.HasPrefix(r.Summary, "skipped: ") {
							t.Errorf("%s skipped without a reason: %q", r.ID, r.Summary)
						}
					case checks.Warn:
						if slices.Contains(corroborating[sc.Name], r.ID) {
							break
						}
						if !strings.Contains(r.Summary, "a consequence of "+root.ID) || !strings.Contains(r.Fix, root.ID) {
							t.Errorf("%s warns without pointing at the root cause %s: %q / fix %q", r.ID, root.ID, r.Summary, r.Fix)
						}
					default:
						t.Errorf("%s also %s: %s%s", r.ID, r.Status, r.Summary, dump(rep))
					}
					if r.Fix != "" && root.Row != "authorized-ips" && strings.Contains(strings.ToLower(r.Fix), "allowlist") {
						t.Errorf("%s's fix sends the tenant to the allowlist although the root cause is %s [%s]: %q", r.ID, root.ID, root.Row, r.Fix)
					}
				}
				if code := rep.ExitCode(false); (want == checks.Fail) != (code == 1) {
					t.Errorf("exit code %d with root status %s", code, want)
				}
			})
		}
	}
}
