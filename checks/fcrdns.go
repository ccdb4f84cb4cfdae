package checks

import (
	"context"
	"fmt"
	"net/netip"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/axysdoctor/axysdoctor/docs"
)

// Bounds on FCrDNS work, whatever the answers and the certificate hold.
const (
	// maxPTRNames bounds forward lookups for an IP with many PTR records.
	maxPTRNames = 8
	// maxFCrDNSAddrs bounds the calling addresses verified.
	maxFCrDNSAddrs = 8
	// maxCertNames bounds the certificate names looked up forward.
	maxCertNames = 16
)

// iprev is an RFC 8601 "iprev" result.
type iprev int

const (
	iprevPass      iprev = iota
	iprevFail            // names do not resolve back to the IP
	iprevPermError       // no PTR at all
	iprevTempError       // timeout, SERVFAIL, REFUSED: try again
)

// ipVerdict is FCrDNS for one calling address, compared with the
// certificate's DNS names.
type ipVerdict struct {
	IP        netip.Addr
	PTRTrail  []query
	Names     []string
	Forward   map[string][]netip.Addr
	FwdTrail  map[string][]query
	Confirmed []string // PTR names whose forward answer holds the IP
	Matched   []string // confirmed names that are certificate names
	Result    iprev
	Why       string // for a failure, one clause
}

// verifyIP runs PTR → forward for one address; forward lookups of several
// PTR names go out concurrently.
func verifyIP(ctx context.Context, x DNSExchanger, resolver string, ip netip.Addr, certNames []string, timeout time.Duration) ipVerdict {
	v := ipVerdict{IP: ip, Forward: map[string][]netip.Addr{}, FwdTrail: map[string][]query{}}
	v.Names, v.PTRTrail = lookupPTR(ctx, x, resolver, ip, timeout)
	last := lastQuery(v.PTRTrail)
	switch {
	case last.Failure.temporary():
		v.Result = iprevTempError
		v.Why = fmt.Sprintf("the PTR lookup for %s failed: %s", ip, last.Failure)
		return v
	case len(v.Names) == 0:
		v.Result = iprevPermError
		v.Why = fmt.Sprintf("%s has no PTR record (%s)", ip, last.Failure)
		return v
	}
	names := v.Names
	if len(names) > maxPTRNames {
		names = names[:maxPTRNames]
	}
	var mu sync.Mutex
	var wg sync.WaitGroup
	for _, n := range names {
		wg.Add(1)
		go func() {
			defer wg.Done()
			addrs, trail := lookupAddrs(ctx, x, resolver, n, ip.Is6(), timeout)
			mu.Lock()
			v.Forward[n], v.FwdTrail[n] = addrs, trail
			mu.Unlock()
		}()
	}
	wg.Wait()
	temp := false
	for _, n := range names {
		if slices.Contains(v.Forward[n], ip) {
			v.Confirmed = append(v.Confirmed, n)
			if slices.ContainsFunc(certNames, func(c string) bool { return sameName(c, n) }) {
				v.Matched = append(v.Matched, n)
			}
		} else if lastQuery(v.FwdTrail[n]).Failure.temporary() {
			temp = true
		}
	}
	switch {
	case len(v.Matched) > 0:
		v.Result = iprevPass
	case len(v.Confirmed) > 0:
		v.Result = iprevFail
		v.Why = fmt.Sprintf("%s's PTR name %s resolves back, but it is not one of the certificate's names (%s)", ip, strings.Join(trimDots(v.Confirmed), ", "), orNone(certNames))
		for _, c := range v.Confirmed {
			for _, cn := range certNames {
				if relatedName(c, cn) {
					v.Why += fmt.Sprintf("; %s is close to %s but FCrDNS compares exact names", strings.TrimSuffix(c, "."), cn)
				}
			}
		}
	case temp:
		v.Result = iprevTempError
		v.Why = fmt.Sprintf("the forward lookup of %s's PTR name failed temporarily", ip)
	default:
		v.Result = iprevFail
		var parts []string
		for _, n := range names {
			parts = append(parts, fmt.Sprintf("%s → %s", strings.TrimSuffix(n, "."), describeForward(v.Forward[n], v.FwdTrail[n])))
		}
		v.Why = fmt.Sprintf("%s's PTR names do not resolve back to it (%s)", ip, strings.Join(parts, "; "))
	}
	return v
}

func describeForward(addrs []netip.Addr, trail []query) string {
	if len(addrs) > 0 {
		return joinAddrs(addrs)
	}
	return lastQuery(trail).Failure.String()
}

func trimDots(names []string) []string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = strings.TrimSuffix(n, ".")
	}
	return out
}

// checkFCrDNS: for every calling address, PTR → names → forward, and
// whether a confirmed name is one of the certificate's; and each
// certificate name's own forward answer.
func checkFCrDNS(ctx context.Context, s *session) Result {
	r := Result{Status: Pass}
	switch {
	case s.mat == nil || s.mat.Leaf == nil:
		return Result{Status: Skip, Summary: "skipped: needs the certificate's DNS names to compare with (see cert.chain)"}
	case len(s.mat.Leaf.DNSNames) == 0:
		return Result{Status: Skip, Summary: "skipped: the certificate has no DNS names to confirm the calling address against (see cert.sans)"}
	case s.viaProxy != nil && len(s.proxyEgress) == 0:
		return Result{Status: Skip, Summary: "skipped: the gateway sees the proxy's egress address, which net.egress could not learn; check that address's PTR and A records yourself"}
	}
	resolver, err := resolverAddress(s.opts, s.deps)
	if err != nil {
		r.Status = Fail
		r.Row = docs.RowDNSTemporary
		r.Summary = err.Error()
		r.Fix = "Give a recursive resolver with --resolver HOST:PORT."
		return r
	}
	r.add("resolver", "%s", resolver)
	certNames := s.mat.Leaf.DNSNames
	if len(certNames) > maxCertNames {
		r.add("certificate names left out", "%d of %d (only the first %d are looked up)", len(certNames)-maxCertNames, len(certNames), maxCertNames)
		certNames = certNames[:maxCertNames]
	}
	ips := s.egressAddrs()
	if len(ips) > maxFCrDNSAddrs {
		r.add("calling addresses left out", "%s (only the first %d are verified)", joinAddrs(ips[maxFCrDNSAddrs:]), maxFCrDNSAddrs)
		ips = ips[:maxFCrDNSAddrs]
	}
	if s.viaProxy != nil {
		r.add("verified", "the proxy's egress address, which the gateway sees")
	}
	timeout := s.opts.timeout()
	x := s.resolverDNS()

	verdicts := make([]ipVerdict, len(ips))
	certFwd := make([][]netip.Addr, len(certNames))
	certTrail := make([][]query, len(certNames))
	var wg sync.WaitGroup
	for i, ip := range ips {
		wg.Add(1)
		go func() {
			defer wg.Done()
			verdicts[i] = verifyIP(ctx, x, resolver, ip, certNames, timeout)
		}()
	}
	for i, name := range certNames {
		wg.Add(1)
		go func() {
			defer wg.Done()
			// The forward direction the docs name: the certificate's domains
			// resolve to the calling IP. Ask the families we call from.
			v4, t4 := lookupAddrs(ctx, x, resolver, name, false, timeout)
			certFwd[i], certTrail[i] = v4, t4
			if hasV6(ips) {
				v6, t6 := lookupAddrs(ctx, x, resolver, name, true, timeout)
				certFwd[i] = append(certFwd[i], v6...)
				certTrail[i] = append(certTrail[i], t6...)
			}
		}()
	}
	wg.Wait()

	for _, v := range verdicts {
		r.add("PTR "+v.IP.String(), "%s", describePTR(v))
		for _, n := range v.Names {
			if trail, ok := v.FwdTrail[n]; ok {
				mark := "does not include " + v.IP.String()
				if slices.Contains(v.Confirmed, n) {
					mark = "confirmed"
				}
				r.add("forward "+strings.TrimSuffix(n, "."), "%s (%s)", describeForward(v.Forward[n], trail), mark)
			}
		}
		if len(v.Names) > 1 {
			r.add("note", "%s has %d PTR names; gateways may look at only one, chosen by answer order: keep exactly one", v.IP, len(v.Names))
		}
	}
	for i, name := range certNames {
		hit := false
		for _, a := range certFwd[i] {
			if slices.Contains(ips, a) {
				hit = true
			}
		}
		verdict := "does not resolve to a calling address"
		switch {
		case hit:
			verdict = "resolves to a calling address"
		case len(certFwd[i]) == 0 && lastQuery(certTrail[i]).Failure.temporary():
			verdict = "not known: the lookup failed"
		}
		r.add("certificate name "+name, "%s (%s)", describeForward(certFwd[i], certTrail[i]), verdict)
	}

	var passed, failed, temp []ipVerdict
	for _, v := range verdicts {
		switch v.Result {
		case iprevPass:
			passed = append(passed, v)
		case iprevTempError:
			temp = append(temp, v)
		default:
			failed = append(failed, v)
		}
	}
	switch {
	case len(failed) > 0:
		r.Status = Fail
		r.Row = docs.RowAuthorizedIPs
		r.Summary = "FCrDNS fails: " + failed[0].Why
		if len(failed) > 1 {
			r.Summary += fmt.Sprintf(" (and %d more addresses)", len(failed)-1)
		}
		r.Fix = fcrdnsFix(failed[0], certNames, certFwd)
	case len(temp) > 0:
		r.Status = Fail
		r.Row = docs.RowDNSTemporary
		r.Summary = "FCrDNS could not be verified: " + temp[0].Why
		r.Fix = "Run again; if it persists, try another resolver (--resolver) and ask whoever runs the reverse zone of " + temp[0].IP.String() + " to check its name servers: the gateway needs them to answer too."
	default:
		var parts []string
		for _, v := range passed {
			parts = append(parts, fmt.Sprintf("%s ⇄ %s", v.IP, strings.Join(trimDots(v.Matched), ", ")))
		}
		r.Summary = "forward-confirmed and in the certificate: " + strings.Join(parts, "; ")
	}
	return r
}

func hasV6(ips []netip.Addr) bool {
	return slices.ContainsFunc(ips, func(a netip.Addr) bool { return a.Is6() })
}

func describePTR(v ipVerdict) string {
	last := lastQuery(v.PTRTrail)
	if len(v.PTRTrail) > 1 {
		return fmt.Sprintf("via CNAME %s: %s", strings.TrimSuffix(last.Name, "."), last.describe())
	}
	return last.describe()
}

func fcrdnsFix(v ipVerdict, certNames []string, certFwd [][]netip.Addr) string {
	want := "one of the certificate's names"
	if len(certNames) > 0 {
		want = certNames[0]
	}
	rev := v.IP.String()
	// The PTR must name a certificate name that resolves back: say so when
	// that name has no record for the address yet.
	if len(certNames) > 0 && !slices.Contains(certFwd[0], v.IP) && len(v.Confirmed) > 0 {
		return fmt.Sprintf("Change %s's PTR record to %s and give %s an %s record for %s (the name must be in the certificate and resolve back), or request a certificate that lists %s.", rev, want, want, aOrAAAA(v.IP), rev, strings.TrimSuffix(v.Confirmed[0], "."))
	}
	switch v.Result {
	case iprevPermError:
		return fmt.Sprintf("Ask whoever owns %s (your cloud provider or ISP; it is their reverse zone) to set its PTR record to %s, and make %s's %s record point to %s.", rev, want, want, aOrAAAA(v.IP), rev)
	}
	if len(v.Confirmed) > 0 {
		return fmt.Sprintf("Change %s's PTR record to %s (the name must be in the certificate), or request a certificate that lists %s.", rev, want, strings.TrimSuffix(v.Confirmed[0], "."))
	}
	return fmt.Sprintf("Make the PTR name's %s record include %s, or set the PTR of %s to %s and give %s an %s record for it.", aOrAAAA(v.IP), rev, rev, want, want, aOrAAAA(v.IP))
}

func aOrAAAA(ip netip.Addr) string {
	if ip.Is6() {
		return "AAAA"
	}
	return "A"
}
