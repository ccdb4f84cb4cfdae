package checks

import (
	"context"
	"fmt"
	"net/netip"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/miekg/dns"
)

func TestExchangeRetriesOverTCPWhenTruncated(t *testing.T) {
	noLeak(t)
	var udp, tcp atomic.Int32
	var sawEDNS atomic.Bool
	addr := startDNS(t, func(w dns.ResponseWriter, req *dns.Msg) {
		m := new(dns.Msg)
		m.SetReply(req)
		if opt := req.IsEdns0(); opt != nil && opt.UDPSize() == ednsSize {
			sawEDNS.Store(true)
		}
		if w.RemoteAddr().Network() == "udp" {
			udp.Add(1)
			m.Truncated = true
			w.WriteMsg(m)
			return
		}
		tcp.Add(1)
		for i := range 40 {
			rr, _ := dns.NewRR(fmt.Sprintf("%s 60 IN TXT \"%s\"", req.Question[0].Name, strings.Repeat("x", 200)+fmt.Sprint(i)))
			m.Answer = append(m.Answer, rr)
		}
		w.WriteMsg(m)
	})
	q := ask(context.Background(), NetDNS{}, addr, "", "big.example", dns.TypeTXT, dns.ClassINET, true, time.Second)
	if q.Failure != dnsOK || len(q.Reply.Answer) != 40 {
		t.Fatalf("failure %v, %d answers, err %v", q.Failure, len(q.Reply.Answer), q.Err)
	}
	if udp.Load() != 1 || tcp.Load() != 1 {
		t.Errorf("udp %d tcp %d queries, want 1 each", udp.Load(), tcp.Load())
	}
	if !sawEDNS.Load() {
		t.Error("no EDNS0 with a 1232-byte buffer")
	}
	if q.Name != "big.example." {
		t.Errorf("asked %q, not the FQDN", q.Name)
	}
}

func TestClassifyDNSOutcomes(t *testing.T) {
	noLeak(t)
	addr := startDNS(t, func(w dns.ResponseWriter, req *dns.Msg) {
		m := new(dns.Msg)
		m.SetReply(req)
		switch strings.TrimSuffix(req.Question[0].Name, ".") {
		case "servfail.example":
			m.Rcode = dns.RcodeServerFailure
		case "refused.example":
			m.Rcode = dns.RcodeRefused
		case "nxdomain.example":
			m.Rcode = dns.RcodeNameError
			soa, _ := dns.NewRR("example. 3600 IN SOA ns.example. h.example. 1 3600 600 86400 120")
			m.Ns = []dns.RR{soa}
		case "nodata.example":
		case "timeout.example":
			return
		case "wrongid.example":
			m.Id++
		case "garbage.example":
			w.Write([]byte{0xde, 0xad, 0xbe, 0xef, 1, 2, 3})
			return
		case "ok.example":
			rr, _ := dns.NewRR(req.Question[0].Name + " 300 IN A 192.0.2.1")
			m.Answer = []dns.RR{rr}
		}
		w.WriteMsg(m)
	})
	cases := map[string]dnsFailure{
		"ok.example": dnsOK, "servfail.example": dnsServFail, "refused.example": dnsRefused,
		"nxdomain.example": dnsNXDomain, "nodata.example": dnsNoData, "timeout.example": dnsTimeout,
		"wrongid.example": dnsTimeout, "garbage.example": dnsGarbled,
	}
	for name, want := range cases {
		t.Run(name, func(t *testing.T) {
			start := time.Now()
			q := ask(context.Background(), NetDNS{}, addr, "", name, dns.TypeA, dns.ClassINET, true, 300*time.Millisecond)
			if q.Failure != want {
				t.Errorf("%s: %v (err %v), want %v", name, q.Failure, q.Err, want)
			}
			if time.Since(start) > 300*time.Millisecond+time.Second {
				t.Errorf("took %s", time.Since(start))
			}
		})
	}
	q := ask(context.Background(), NetDNS{}, addr, "", "nxdomain.example", dns.TypeA, dns.ClassINET, true, time.Second)
	if !strings.Contains(q.describe(), "120s") {
		t.Errorf("NXDOMAIN does not show the SOA minimum: %q", q.describe())
	}
}

func TestExchangeUnreachableAndCancelled(t *testing.T) {
	noLeak(t)
	// A UDP port with nothing behind it answers ICMP port unreachable on
	// loopback; the query then fails at once rather than timing out.
	addr := startDNS(t, func(dns.ResponseWriter, *dns.Msg) {})
	q := ask(context.Background(), NetDNS{}, "127.0.0.1:1", "", "x.example", dns.TypeA, dns.ClassINET, true, 2*time.Second)
	if q.Failure != dnsUnreachable && q.Failure != dnsTimeout {
		t.Errorf("closed port: %v %v", q.Failure, q.Err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(50*time.Millisecond, cancel)
	start := time.Now()
	q = ask(ctx, NetDNS{}, addr, "", "x.example", dns.TypeA, dns.ClassINET, true, 10*time.Second)
	if time.Since(start) > 2*time.Second || q.Failure == dnsOK {
		t.Errorf("cancel did not stop the query: %v after %s", q.Failure, time.Since(start))
	}
}

func TestLookupPTRFollowsClasslessDelegation(t *testing.T) {
	// RFC 2317: 5.113.0.203.in-addr.arpa is a CNAME into a delegated zone,
	// whose server returns only the CNAME; the end is asked again.
	addr := startDNS(t, zone(
		"5.113.0.203.in-addr.arpa. 300 IN CNAME 5.0-25.113.0.203.in-addr.arpa.",
		"5.0-25.113.0.203.in-addr.arpa. 300 IN PTR api.acmecards.example.",
	))
	names, trail := lookupPTR(context.Background(), NetDNS{}, addr, netip.MustParseAddr("203.0.113.5"), time.Second)
	if len(names) != 1 || names[0] != "api.acmecards.example." {
		t.Fatalf("names %q", names)
	}
	if len(trail) != 2 {
		t.Errorf("%d queries, want 2 (the CNAME, then its target)", len(trail))
	}
}

func TestVerifyIPOutcomes(t *testing.T) {
	addr := startDNS(t, zone(
		"10.113.0.203.in-addr.arpa. 300 IN PTR api.acmecards.example.",
		"api.acmecards.example. 300 IN A 203.0.113.10",
		"11.113.0.203.in-addr.arpa. 300 IN PTR mail.isp.example.",
		"mail.isp.example. 300 IN A 203.0.113.11",
		"12.113.0.203.in-addr.arpa. 300 IN PTR stale.acmecards.example.",
		"stale.acmecards.example. 300 IN A 198.51.100.99",
		"13.113.0.203.in-addr.arpa. 300 IN PTR www.api.acmecards.example.",
		"www.api.acmecards.example. 300 IN A 203.0.113.13",
		"a.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa. 300 IN PTR api.acmecards.example.",
		"api.acmecards.example. 300 IN AAAA 2001:db8::a",
	))
	cert := []string{"api.acmecards.example"}
	cases := []struct {
		ip   string
		want iprev
		why  string
	}{
		{"203.0.113.10", iprevPass, ""},
		{"2001:db8::a", iprevPass, ""},
		{"203.0.113.11", iprevFail, "not one of the certificate's names"},
		{"203.0.113.12", iprevFail, "do not resolve back"},
		{"203.0.113.13", iprevFail, "close to api.acmecards.example"},
		{"203.0.113.14", iprevPermError, "no PTR record"},
	}
	for _, c := range cases {
		v := verifyIP(context.Background(), NetDNS{}, addr, netip.MustParseAddr(c.ip), cert, time.Second)
		if v.Result != c.want || !strings.Contains(v.Why, c.why) {
			t.Errorf("%s: result %v why %q, want %v containing %q", c.ip, v.Result, v.Why, c.want, c.why)
		}
	}
}
