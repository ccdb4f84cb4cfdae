package checks

import (
	"context"
	"net/netip"
	"slices"
	"strings"
	"time"

	"github.com/miekg/dns"
)

// maxCNAMEHops bounds CNAME chasing (RFC 2317 delegations use one hop).
const maxCNAMEHops = 4

// lookupPTR asks for ip's PTR names through resolver, following a CNAME
// chain inside the answer and re-asking for its end when the server gave
// only the CNAME. trail holds every query asked.
func lookupPTR(ctx context.Context, x DNSExchanger, resolver string, ip netip.Addr, timeout time.Duration) (names []string, trail []query) {
	qname, _ := dns.ReverseAddr(ip.String())
	for hop := 0; hop <= maxCNAMEHops; hop++ {
		q := ask(ctx, x, resolver, "", qname, dns.TypePTR, dns.ClassINET, true, timeout)
		trail = append(trail, q)
		if q.Failure != dnsOK {
			return nil, trail
		}
		var end string
		names, end = followAnswer(q.Reply, qname, dns.TypePTR)
		if len(names) > 0 || end == "" || end == qname {
			return names, trail
		}
		qname = end
	}
	return nil, trail
}

// lookupAddrs asks for name's A (IPv4) or AAAA (IPv6) records.
func lookupAddrs(ctx context.Context, x DNSExchanger, resolver, name string, v6 bool, timeout time.Duration) ([]netip.Addr, []query) {
	qtype := dns.TypeA
	if v6 {
		qtype = dns.TypeAAAA
	}
	qname := dns.Fqdn(name)
	var trail []query
	for hop := 0; hop <= maxCNAMEHops; hop++ {
		q := ask(ctx, x, resolver, "", qname, qtype, dns.ClassINET, true, timeout)
		trail = append(trail, q)
		if q.Failure != dnsOK {
			return nil, trail
		}
		vals, end := followAnswer(q.Reply, qname, qtype)
		if len(vals) > 0 || end == "" || end == qname {
			var out []netip.Addr
			for _, v := range vals {
				if a, err := netip.ParseAddr(v); err == nil {
					out = append(out, a.Unmap())
				}
			}
			return out, trail
		}
		qname = end
	}
	return nil, trail
}

// followAnswer walks the CNAME chain from qname within the answer section
// and returns the values of qtype records at its end, and the end's name.
func followAnswer(r *dns.Msg, qname string, qtype uint16) ([]string, string) {
	cur := strings.ToLower(qname)
	for range maxCNAMEHops + 1 {
		var next string
		for _, rr := range r.Answer {
			if c, ok := rr.(*dns.CNAME); ok && strings.EqualFold(c.Hdr.Name, cur) {
				next = strings.ToLower(c.Target)
			}
		}
		if next == "" {
			break
		}
		cur = next
	}
	var vals []string
	for _, rr := range r.Answer {
		if rr.Header().Rrtype != qtype || !strings.EqualFold(rr.Header().Name, cur) {
			continue
		}
		v := rrValue(rr)
		if !slices.Contains(vals, v) {
			if len(vals) == maxAnswerValues {
				break // the rest is left out: see query.describe
			}
			vals = append(vals, v)
		}
	}
	return vals, cur
}

// lastQuery is the final query of a trail, which decides its outcome.
func lastQuery(trail []query) query {
	if len(trail) == 0 {
		return query{Failure: dnsOther}
	}
	return trail[len(trail)-1]
}

// sameName compares DNS names the way FCrDNS must: case-insensitively,
// ignoring a trailing dot (names are already A-labels on the wire).
func sameName(a, b string) bool {
	return strings.EqualFold(strings.TrimSuffix(a, "."), strings.TrimSuffix(b, "."))
}

// relatedName reports whether a is a subdomain or parent of b.
func relatedName(a, b string) bool {
	a = strings.ToLower(strings.TrimSuffix(a, "."))
	b = strings.ToLower(strings.TrimSuffix(b, "."))
	return a != b && (strings.HasSuffix(a, "."+b) || strings.HasSuffix(b, "."+a))
}
