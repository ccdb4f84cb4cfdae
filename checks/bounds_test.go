package checks

import (
	"context"
	"fmt"
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
