package checks

import (
	"context"
	"fmt"
	"net/http"
	"net/netip"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/miekg/dns"
)

// floodDNS answers every PTR with names PTR names, every A with addrs
// addresses, and counts the queries and the most it had in flight.
type floodDNS struct {
	names, addrs      int
	queries, inFlight atomic.Int64
	most              atomic.Int64
}

func (f *floodDNS) Exchange(_ context.Context, m *dns.Msg, _, _ string, _ time.Duration) (*dns.Msg, error) {
	f.queries.Add(1)
	n := f.inFlight.Add(1)
	defer f.inFlight.Add(-1)
	for {
		most := f.most.Load()
		if n <= most || f.most.CompareAndSwap(most, n) {
			break
		}
	}
	runtime.Gosched() // let concurrent queries overlap
	q := m.Question[0]
	r := new(dns.Msg)
	r.SetReply(m)
	switch q.Qtype {
	case dns.TypePTR:
		for i := range f.names {
			r.Answer = append(r.Answer, &dns.PTR{Hdr: dns.RR_Header{Name: q.Name, Rrtype: dns.TypePTR, Class: dns.ClassINET, Ttl: 60}, Ptr: fmt.Sprintf("h%d.flood.example.", i)})
		}
	case dns.TypeA:
		for i := range f.addrs {
			r.Answer = append(r.Answer, &dns.A{Hdr: dns.RR_Header{Name: q.Name, Rrtype: dns.TypeA, Class: dns.ClassINET, Ttl: 60}, A: netip.AddrFrom4([4]byte{10, byte(i >> 16), byte(i >> 8), byte(i)}).AsSlice()})
		}
	}
	return r, nil
}

// TestDNSWorkIsBounded: thousands of PTR names, thousands of addresses in
// one answer and thousands of certificate names still make a bounded
// number of queries, never more than maxInFlight at once, and the result
// says what was left out.
func TestDNSWorkIsBounded(t *testing.T) {
	flood := &floodDNS{names: 3000, addrs: 3000}
	p := newGatewayPKI(t)
	leaf := *p.client
	for i := range 3000 {
		leaf.DNSNames = append(leaf.DNSNames, fmt.Sprintf("n%d.acmecards.example", i))
	}
	s := &session{opts: Options{Resolver: "127.0.0.1:53", Timeout: time.Second}, mat: &Material{Leaf: &leaf},
		results: map[string]Result{}, dns: newBudgetDNS(flood)}
	for i := range 20 {
		s.egress = append(s.egress, egressAnswer{Addrs: []netip.Addr{netip.AddrFrom4([4]byte{203, 0, 113, byte(i)})}})
	}
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	r := checkFCrDNS(context.Background(), s)
	if q := flood.queries.Load(); q > maxQueries {
		t.Errorf("%d queries sent, more than %d", q, maxQueries)
	}
	if most := flood.most.Load(); most > maxInFlight {
		t.Errorf("%d queries in flight at once, more than %d", most, maxInFlight)
	}
	text := evidenceText(&r)
	for _, want := range []string{"certificate names left out", "calling addresses left out", "more records, not used"} {
		if !strings.Contains(text, want) {
			t.Errorf("the result does not say %q:\n%s", want, text)
		}
	}
	var after runtime.MemStats
	runtime.ReadMemStats(&after)
	if grew := int64(after.HeapAlloc) - int64(before.HeapAlloc); grew > 100<<20 {
		t.Errorf("the heap grew by %d MB", grew>>20)
	}
}

// slowChainDNS answers every question, just before the per-query timeout,
// with a CNAME to a new name: an endless, slow chain.
type slowChainDNS struct{ delay time.Duration }

func (d slowChainDNS) Exchange(ctx context.Context, m *dns.Msg, _, _ string, _ time.Duration) (*dns.Msg, error) {
	t := time.NewTimer(d.delay)
	defer t.Stop()
	select {
	case <-t.C:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	r := new(dns.Msg)
	r.SetReply(m)
	q := m.Question[0]
	r.Answer = append(r.Answer, &dns.CNAME{Hdr: dns.RR_Header{Name: q.Name, Rrtype: dns.TypeCNAME, Class: dns.ClassINET, Ttl: 1}, Target: "x" + q.Name})
	return r, nil
}

// TestWholeRunDeadline: with DNS that answers every query just inside the
// timeout with yet another CNAME, and a gateway that trickles its answer,
// the whole diagnosis still ends within 3 × --timeout plus a second, and
// what was cut off says so instead of reporting a missing record.
func TestWholeRunDeadline(t *testing.T) {
	const timeout = 300 * time.Millisecond
	p := newGatewayPKI(t)
	stop := make(chan struct{})
	t.Cleanup(func() { close(stop) })
	base := tlsGateway(t, p, mtls(p, 0), http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusOK)
		for {
			select {
			case <-stop:
				return
			case <-r.Context().Done():
				return
			case <-time.After(timeout / 2): // a byte per half timeout, for ever
			}
			if _, err := w.Write([]byte(" ")); err != nil {
				return
			}
			w.(http.Flusher).Flush()
		}
	}))
	env := Environment{Name: "test", BaseURL: base, ProbeURL: base + "/cardholders?limit=1"}
	opts := Options{Environment: env, CAFile: p.caFile, Timeout: timeout, Resolver: "127.0.0.1:53",
		EgressIPs: []netip.Addr{netip.MustParseAddr("203.0.113.10")}, Proxy: ProxyDirect, APIKey: NewAPIKey(faultKey)}
	start := time.Now()
	rep := Diagnose(context.Background(), opts, p.material(p.client), Deps{DNS: slowChainDNS{timeout - 20*time.Millisecond}}, nil)
	if took := time.Since(start); took > 3*timeout+time.Second {
		t.Fatalf("the run took %s, more than 3 × %s + 1s", took, timeout)
	}
	fc, _ := rep.Result(IDDNSFCrDNS)
	if fc.Status != Fail || !strings.HasPrefix(fc.Summary, "cut off: the run's deadline") {
		t.Errorf("dns.fcrdns: %s %q", fc.Status, fc.Summary)
	}
	if strings.Contains(fc.Summary, "NXDOMAIN") || strings.Contains(fc.Summary, "no PTR") {
		t.Errorf("a cut-off lookup reported as a missing record: %q", fc.Summary)
	}
}
