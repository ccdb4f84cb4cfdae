package checks

import (
	"context"
	"fmt"
	"net"
	"net/netip"
	"net/url"
	"slices"
	"strings"
	"sync"

	"github.com/miekg/dns"

	"github.com/axysdoctor/axysdoctor/csr"
	"github.com/axysdoctor/axysdoctor/docs"
)

// WhoAmIService is a DNS service that answers with the address it sees
// the question come from.
type WhoAmIService struct {
	Name   string
	Server string // host:port
	Family string // "4", "6" or "" (whatever Server's address is)
	QName  string
	QType  uint16
	QClass uint16
	// Recursion is off for authoritative servers (Google's), which would
	// otherwise report the recursive resolver's address.
	Recursion bool
}

// PublicWhoAmI are the services asked by default, both families each.
var PublicWhoAmI = []WhoAmIService{
	{Name: "OpenDNS", Server: "208.67.222.222:53", Family: "4", QName: "myip.opendns.com.", QType: dns.TypeA, QClass: dns.ClassINET, Recursion: true},
	{Name: "OpenDNS", Server: "[2620:119:35::35]:53", Family: "6", QName: "myip.opendns.com.", QType: dns.TypeAAAA, QClass: dns.ClassINET, Recursion: true},
	{Name: "Google", Server: "216.239.32.10:53", Family: "4", QName: "o-o.myaddr.l.google.com.", QType: dns.TypeTXT, QClass: dns.ClassINET},
	{Name: "Google", Server: "[2001:4860:4802:32::a]:53", Family: "6", QName: "o-o.myaddr.l.google.com.", QType: dns.TypeTXT, QClass: dns.ClassINET},
	{Name: "Cloudflare", Server: "1.1.1.1:53", Family: "4", QName: "whoami.cloudflare.", QType: dns.TypeTXT, QClass: dns.ClassCHAOS, Recursion: true},
	{Name: "Cloudflare", Server: "[2606:4700:4700::1111]:53", Family: "6", QName: "whoami.cloudflare.", QType: dns.TypeTXT, QClass: dns.ClassCHAOS, Recursion: true},
}

// opendnsAt asks a given server (--egress-server) the OpenDNS question, A
// and AAAA.
func opendnsAt(server string) []WhoAmIService {
	return []WhoAmIService{
		{Name: "myip.opendns.com A", Server: server, QName: "myip.opendns.com.", QType: dns.TypeA, QClass: dns.ClassINET, Recursion: true},
		{Name: "myip.opendns.com AAAA", Server: server, QName: "myip.opendns.com.", QType: dns.TypeAAAA, QClass: dns.ClassINET, Recursion: true},
	}
}

// egressAnswer is what one service said.
type egressAnswer struct {
	Service WhoAmIService
	Query   query
	Addrs   []netip.Addr
}

// EgressResult is the outcome of egress detection, for the wizard's CSR form.
type EgressResult struct {
	Addrs []netip.Addr
	Notes []string
}

// DetectEgress asks the who-am-I services (or opts.EgressServers) which
// address they see, concurrently, and returns every distinct address;
// opts.EgressIPs, when set, are returned as they are.
func DetectEgress(ctx context.Context, opts Options, deps Deps) EgressResult {
	if len(opts.EgressIPs) > 0 {
		return EgressResult{Addrs: opts.EgressIPs, Notes: []string{"given, not detected"}}
	}
	answers := askWhoAmI(ctx, opts, deps, newBudgetDNS(deps.dns()))
	var res EgressResult
	for _, a := range answers {
		for _, ip := range a.Addrs {
			if !slices.Contains(res.Addrs, ip) {
				res.Addrs = append(res.Addrs, ip)
			}
		}
		if a.Query.Failure != dnsOK {
			res.Notes = append(res.Notes, fmt.Sprintf("%s via %s: %s", a.Service.Name, a.Service.Server, a.Query.describe()))
		}
	}
	return res
}

func whoAmIServices(opts Options, deps Deps) []WhoAmIService {
	if len(opts.EgressServers) == 0 {
		return deps.whoAmI()
	}
	var out []WhoAmIService
	for _, s := range opts.EgressServers {
		out = append(out, opendnsAt(s)...)
	}
	return out
}

func askWhoAmI(ctx context.Context, opts Options, deps Deps, x DNSExchanger) []egressAnswer {
	services := whoAmIServices(opts, deps)
	answers := make([]egressAnswer, len(services))
	var wg sync.WaitGroup
	for i, svc := range services {
		wg.Add(1)
		go func() {
			defer wg.Done()
			q := ask(ctx, x, svc.Server, svc.Family, svc.QName, svc.QType, svc.QClass, svc.Recursion, opts.timeout())
			answers[i] = egressAnswer{Service: svc, Query: q, Addrs: addrsFromReply(q)}
		}()
	}
	wg.Wait()
	return answers
}

// addrsFromReply keeps only what parses as an IP: Google's TXT answer may
// carry an "edns0-client-subnet …" string too.
func addrsFromReply(q query) []netip.Addr {
	if q.Failure != dnsOK {
		return nil
	}
	var out []netip.Addr
	for _, rr := range q.Reply.Answer {
		var cands []string
		switch v := rr.(type) {
		case *dns.A:
			cands = []string{v.A.String()}
		case *dns.AAAA:
			cands = []string{v.AAAA.String()}
		case *dns.TXT:
			cands = v.Txt
		}
		for _, c := range cands {
			if len(out) == maxAnswerValues {
				return out // the rest is left out: query.describe says how many
			}
			if a, err := netip.ParseAddr(strings.TrimSpace(c)); err == nil && !slices.Contains(out, a.Unmap()) {
				out = append(out, a.Unmap())
			}
		}
	}
	return out
}

// checkEgress: which address(es) the world sees this machine call from —
// and, when the API traffic goes through a proxy, which address the
// gateway will see: the proxy's.
func checkEgress(ctx context.Context, s *session) Result {
	r := Result{Status: Pass}
	if u, err := url.Parse(s.opts.Environment.ProbeURL); err == nil {
		if p, err := chooseProxy(s.opts, s.deps.getenv, u); err == nil && p != nil && len(s.opts.EgressIPs) == 0 {
			return s.egressThroughProxy(ctx, p)
		}
	}
	if len(s.opts.EgressIPs) > 0 {
		for _, ip := range s.opts.EgressIPs {
			s.egress = append(s.egress, egressAnswer{Service: WhoAmIService{Name: "--egress-ip"}, Addrs: []netip.Addr{ip}})
			r.add("given", "%s (--egress-ip, not detected)", ip)
		}
		r.Summary = fmt.Sprintf("calling from %s (given, not detected)", joinAddrs(s.opts.EgressIPs))
		var notes []string
		for _, ip := range s.opts.EgressIPs {
			if note := csr.AddressNote(ip); note != "" {
				notes = append(notes, fmt.Sprintf("%s is %s", ip, note))
			}
		}
		if len(notes) > 0 {
			r.Status = Warn
			r.Row = docs.RowAuthorizedIPs
			r.Summary = fmt.Sprintf("the address given with --egress-ip cannot be what the gateway sees: %s", joinSentences(notes))
			r.Fix = "Give the public address your traffic leaves from (ask your network team), or drop --egress-ip to detect it."
		}
		s.addEgressContext(&r, s.opts.EgressIPs)
		return r
	}
	answers := askWhoAmI(ctx, s.opts, s.deps, s.resolverDNS())
	s.egress = answers
	var all []netip.Addr
	bySource := map[netip.Addr][]string{}
	// Answers from egress servers the user pointed at on a local network
	// describe that network; from public services, a private address means
	// something in between answered.
	localServers := len(s.opts.EgressServers) > 0
	answered := 0
	for _, a := range answers {
		label := fmt.Sprintf("%s via %s", a.Service.Name, a.Service.Server)
		if a.Query.Failure == dnsOK && len(a.Addrs) == 0 {
			r.add(label, "answered, but with no address in it")
		} else if a.Query.Failure == dnsOK {
			r.add(label, "%s", joinAddrs(a.Addrs))
			if n := len(a.Query.Reply.Answer); n > maxAnswerValues {
				r.add(label+" left out", "%d more records of that answer", n-maxAnswerValues)
			}
		} else {
			r.add(label, "%s", a.Query.describe())
		}
		if len(a.Addrs) > 0 {
			answered++
		}
		if !isLocalServer(a.Service.Server) {
			localServers = false
		}
		for _, ip := range a.Addrs {
			if !slices.Contains(all, ip) {
				all = append(all, ip)
			}
			bySource[ip] = append(bySource[ip], a.Service.Name)
		}
	}
	if len(all) == 0 {
		r.Status = Fail
		r.Row = docs.RowNetworkPath
		r.Summary = "no who-am-I service answered with an address, so the calling address is unknown"
		switch {
		case allTimedOut(answers):
			r.Summary = "every who-am-I query timed out: outbound DNS seems blocked, so the calling address is unknown"
		case anyNegative(answers):
			r.Summary = "the who-am-I services answered without an address (NXDOMAIN or NODATA), which they never do when asked directly: likely a middlebox intercepting DNS, so the calling address is unknown"
		}
		r.Fix = "Allow outbound DNS (UDP and TCP port 53) to the services listed, point --egress-server at a resolver that answers myip.opendns.com, or give the address with --egress-ip."
		return r
	}
	var v4, v6 []netip.Addr
	for _, ip := range all {
		if ip.Is4() {
			v4 = append(v4, ip)
		} else {
			v6 = append(v6, ip)
		}
	}
	r.Summary = "calling from " + joinAddrsCapped(all)
	var warns []string
	if len(v4) > 1 || len(v6) > 1 {
		var parts []string
		for i, ip := range all {
			if i == maxAnswerValues {
				parts = append(parts, fmt.Sprintf("and %d more", len(all)-i))
				break
			}
			parts = append(parts, fmt.Sprintf("%s (%s)", ip, strings.Join(bySource[ip], ", ")))
		}
		what := "the services disagree: "
		if answered == 1 {
			what = "one service answered with several addresses: "
		}
		warns = append(warns, what+strings.Join(parts, ", ")+" — your traffic leaves through several addresses (a NAT pool or several exits), or a middlebox intercepts DNS")
		r.Fix = "Allowlist every one of: " + joinAddrsCapped(all) + ", and list them in the certificate's IP SANs and PTR records."
	}
	if !localServers {
		for _, ip := range all {
			if note := csr.AddressNote(ip); note != "" {
				warns = append(warns, fmt.Sprintf("%s is %s; a middlebox answered the query", ip, note))
			}
		}
	} else {
		r.add("note", "the egress server is on this machine or its network, so its answer describes the local path")
	}
	if len(v6) > 0 {
		r.add("IPv6", "this machine also calls from %s when the destination has AAAA records; it needs allowlisting too", joinAddrs(v6))
	}
	s.addEgressContext(&r, all)
	if len(warns) > 0 {
		r.Status = Warn
		r.Row = docs.RowAuthorizedIPs
		r.Summary = joinSentences(warns)
		if r.Fix == "" {
			r.Fix = "Find the public address your traffic leaves from (ask your network team) and give it with --egress-ip."
		}
	}
	return r
}

// addEgressContext adds what the certificate's IP SANs and any proxy say
// about the detected addresses.
func (s *session) addEgressContext(r *Result, addrs []netip.Addr) {
	if s.mat != nil && s.mat.Leaf != nil {
		var sans []netip.Addr
		for _, ip := range s.mat.Leaf.IPAddresses {
			if a, ok := netip.AddrFromSlice(ip); ok {
				sans = append(sans, a.Unmap())
			}
		}
		if len(sans) == 0 {
			r.add("certificate IP SANs", "none; the docs ask for every calling IP in the SANs (how the gateway uses them is not documented)")
		} else {
			var missing []string
			for _, ip := range addrs {
				if !slices.Contains(sans, ip) {
					missing = append(missing, ip.String())
				}
			}
			if len(missing) == 0 {
				r.add("certificate IP SANs", "%s: every calling address is listed", joinAddrsCapped(sans))
			} else {
				r.add("certificate IP SANs", "%s: %s not listed (the docs ask for every calling IP; enforcement is not documented)", joinAddrsCapped(sans), listCapped(missing, maxListed))
			}
		}
	}
}

func isLocalServer(hostport string) bool {
	host, _, err := net.SplitHostPort(hostport)
	if err != nil {
		return false
	}
	a, err := netip.ParseAddr(host)
	return err == nil && (a.IsLoopback() || a.IsPrivate() || a.IsLinkLocalUnicast())
}

// anyNegative: a who-am-I service said its name does not exist.
func anyNegative(answers []egressAnswer) bool {
	for _, a := range answers {
		if a.Query.Failure == dnsNXDomain || a.Query.Failure == dnsNoData {
			return true
		}
	}
	return false
}

// joinAddrsCapped lists at most maxAnswerValues addresses, then how many
// more there are.
func joinAddrsCapped(addrs []netip.Addr) string {
	if len(addrs) <= maxAnswerValues {
		return joinAddrs(addrs)
	}
	return fmt.Sprintf("%s and %d more", joinAddrs(addrs[:maxAnswerValues]), len(addrs)-maxAnswerValues)
}

func allTimedOut(answers []egressAnswer) bool {
	for _, a := range answers {
		if a.Query.Failure != dnsTimeout {
			return false
		}
	}
	return len(answers) > 0
}

func joinAddrs(addrs []netip.Addr) string {
	s := make([]string, len(addrs))
	for i, a := range addrs {
		s[i] = a.String()
	}
	return strings.Join(s, ", ")
}

// egressAddrs is every distinct address net.egress found the gateway will
// see: the proxy's egress address when a proxy carries the API traffic.
func (s *session) egressAddrs() []netip.Addr {
	if s.viaProxy != nil {
		return s.proxyEgress
	}
	var out []netip.Addr
	for _, a := range s.egress {
		for _, ip := range a.Addrs {
			if !slices.Contains(out, ip) {
				out = append(out, ip)
			}
		}
	}
	return out
}
