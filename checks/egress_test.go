package checks

import (
	"context"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/miekg/dns"

	"github.com/axysdoctor/axysdoctor/docs"
)

// whoami answers every question with the given records (empty: never).
func whoami(t *testing.T, records ...string) string {
	return startDNS(t, func(w dns.ResponseWriter, req *dns.Msg) {
		if len(records) == 0 {
			return
		}
		m := new(dns.Msg)
		m.SetReply(req)
		for _, r := range records {
			rr, err := dns.NewRR(r)
			if err != nil {
				panic(err)
			}
			rr.Header().Name = req.Question[0].Name
			m.Answer = append(m.Answer, rr)
		}
		w.WriteMsg(m)
	})
}

func egressResult(t *testing.T, services ...WhoAmIService) Result {
	t.Helper()
	s := &session{opts: Options{Timeout: 300 * time.Millisecond}, mat: &Material{}, deps: Deps{WhoAmI: services}, results: map[string]Result{}}
	return checkEgress(context.Background(), s)
}

func svc(name, server string, qtype, qclass uint16) WhoAmIService {
	return WhoAmIService{Name: name, Server: server, QName: "who.example.", QType: qtype, QClass: qclass}
}

func TestEgressFindings(t *testing.T) {
	noLeak(t)
	a7 := whoami(t, "x. 0 IN A 203.0.113.7")
	a9 := whoami(t, "x. 0 IN A 198.51.100.9")
	google := whoami(t, `x. 0 IN TXT "203.0.113.7"`, `x. 0 IN TXT "edns0-client-subnet 198.51.100.0/24"`)
	cloudflare := whoami(t, `x. 0 CH TXT "203.0.113.7"`)
	private := whoami(t, "x. 0 IN A 10.1.2.3")
	v6 := whoami(t, "x. 0 IN AAAA 2001:db8::7")
	silent := whoami(t)

	cases := []struct {
		name     string
		services []WhoAmIService
		status   Status
		row      string
		want     string
	}{
		{"agreement across A, TXT and CH TXT", []WhoAmIService{svc("OpenDNS", a7, dns.TypeA, dns.ClassINET), svc("Google", google, dns.TypeTXT, dns.ClassINET), svc("Cloudflare", cloudflare, dns.TypeTXT, dns.ClassCHAOS)}, Pass, "", "calling from 203.0.113.7"},
		{"disagreement", []WhoAmIService{svc("OpenDNS", a7, dns.TypeA, dns.ClassINET), svc("Other", a9, dns.TypeA, dns.ClassINET)}, Warn, docs.RowAuthorizedIPs, "the services disagree"},
		{"private answer", []WhoAmIService{svc("OpenDNS", private, dns.TypeA, dns.ClassINET)}, Warn, docs.RowAuthorizedIPs, "10.1.2.3 is a private address"},
		{"IPv6 too", []WhoAmIService{svc("OpenDNS", a7, dns.TypeA, dns.ClassINET), svc("OpenDNS6", v6, dns.TypeAAAA, dns.ClassINET)}, Pass, "", "203.0.113.7, 2001:db8::7"},
		{"nobody answers", []WhoAmIService{svc("OpenDNS", silent, dns.TypeA, dns.ClassINET), svc("Google", silent, dns.TypeTXT, dns.ClassINET)}, Fail, docs.RowNetworkPath, "every who-am-I query timed out"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			start := time.Now()
			r := egressResult(t, c.services...)
			if r.Status != c.status || r.Row != c.row || !strings.Contains(r.Summary, c.want) {
				t.Errorf("%s [%s] %q; want %s [%s] with %q", r.Status, r.Row, r.Summary, c.status, c.row, c.want)
			}
			if time.Since(start) > 300*time.Millisecond+time.Second {
				t.Errorf("took %s", time.Since(start))
			}
		})
	}
	got := DetectEgress(context.Background(), Options{EgressIPs: []netip.Addr{netip.MustParseAddr("192.0.2.1")}}, Deps{})
	if len(got.Addrs) != 1 || got.Addrs[0].String() != "192.0.2.1" {
		t.Errorf("given egress IPs: %v", got.Addrs)
	}
}
