package checks

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/miekg/dns"
)

// DNSExchanger sends one DNS query to one server and returns its answer.
// family is "" (any), "4" or "6" and pins the address family of the
// transport, so an answer can be attributed to IPv4 or IPv6.
type DNSExchanger interface {
	Exchange(ctx context.Context, m *dns.Msg, server, family string, timeout time.Duration) (*dns.Msg, error)
}

// NetDNS is the real exchanger: UDP with an EDNS0 buffer of 1232 bytes, the
// same query again over TCP when the answer comes back truncated (miekg/dns
// never does that by itself), and the connection closed as soon as ctx is
// cancelled.
type NetDNS struct{}

var _ DNSExchanger = NetDNS{}

// Bounds on the DNS work one run may do, whatever the answers ask for: a
// PTR with many names, an answer with thousands of addresses and a
// certificate with thousands of SANs all stay within them.
const (
	// maxQueries is how many queries one run sends at most.
	maxQueries = 256
	// maxInFlight is how many queries are outstanding at once.
	maxInFlight = 16
	// maxAnswerValues is how many records are taken from one answer.
	maxAnswerValues = 16
)

// errQueryBudget is returned once a run has sent maxQueries queries.
var errQueryBudget = fmt.Errorf("not sent: this run already sent %d DNS queries, its limit", maxQueries)

// budgetDNS bounds what one run sends through x: at most maxInFlight
// queries at once and maxQueries in all.
type budgetDNS struct {
	x    DNSExchanger
	sem  chan struct{}
	mu   sync.Mutex
	sent int
}

func newBudgetDNS(x DNSExchanger) *budgetDNS {
	return &budgetDNS{x: x, sem: make(chan struct{}, maxInFlight)}
}

// Exchange implements DNSExchanger.
func (b *budgetDNS) Exchange(ctx context.Context, m *dns.Msg, server, family string, timeout time.Duration) (*dns.Msg, error) {
	b.mu.Lock()
	if b.sent >= maxQueries {
		b.mu.Unlock()
		return nil, errQueryBudget
	}
	b.sent++
	b.mu.Unlock()
	select {
	case b.sem <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	defer func() { <-b.sem }()
	return b.x.Exchange(ctx, m, server, family, timeout)
}

// ednsSize avoids IP fragmentation on every common path (DNS flag day 2020).
const ednsSize = 1232

// Exchange implements DNSExchanger.
func (NetDNS) Exchange(ctx context.Context, m *dns.Msg, server, family string, timeout time.Duration) (*dns.Msg, error) {
	if m.IsEdns0() == nil {
		m.SetEdns0(ednsSize, false)
	}
	r, err := exchangeOnce(ctx, m, server, "udp"+family, timeout)
	if err == nil && r.Truncated {
		r, err = exchangeOnce(ctx, m, server, "tcp"+family, timeout)
		if err != nil {
			err = fmt.Errorf("answer truncated over UDP, and TCP retry failed: %w", err)
		}
	}
	return r, err
}

func exchangeOnce(ctx context.Context, m *dns.Msg, server, network string, timeout time.Duration) (*dns.Msg, error) {
	c := &dns.Client{Net: network, Timeout: timeout, UDPSize: ednsSize}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	conn, err := c.DialContext(ctx, server)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	stop := context.AfterFunc(ctx, func() { conn.SetDeadline(time.Now()) })
	defer stop()
	r, _, err := c.ExchangeWithConnContext(ctx, m, conn)
	if err != nil && ctx.Err() != nil && !errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return nil, ctx.Err()
	}
	return r, err
}

// dnsFailure classifies a query's outcome the way FCrDNS (RFC 8601) does:
// temporary errors (timeout, SERVFAIL, REFUSED, unreachable) deserve a retry;
// NXDOMAIN and NODATA are answers.
type dnsFailure int

const (
	dnsOK dnsFailure = iota
	dnsNXDomain
	dnsNoData
	dnsServFail
	dnsRefused
	dnsTimeout
	dnsUnreachable
	dnsGarbled
	dnsOther
)

func (f dnsFailure) temporary() bool {
	switch f {
	case dnsServFail, dnsRefused, dnsTimeout, dnsUnreachable, dnsGarbled, dnsOther:
		return true
	}
	return false
}

func (f dnsFailure) String() string {
	switch f {
	case dnsOK:
		return "answer"
	case dnsNXDomain:
		return "NXDOMAIN (the name does not exist)"
	case dnsNoData:
		return "NODATA (the name exists but has no record of this type)"
	case dnsServFail:
		return "SERVFAIL (the resolver could not get an answer)"
	case dnsRefused:
		return "REFUSED (the server will not answer this query)"
	case dnsTimeout:
		return "timeout (no answer)"
	case dnsUnreachable:
		return "unreachable (connection refused or no route)"
	case dnsGarbled:
		return "garbled reply"
	}
	return "error"
}

// query is one question asked and what came back.
type query struct {
	Server   string
	Name     string
	Type     uint16
	Class    uint16
	Reply    *dns.Msg
	Err      error
	Failure  dnsFailure
	Duration time.Duration
	// Omitted counts records of the answer left out (maxAnswerValues).
	Omitted int
}

// ask sends one question and classifies the outcome.
func ask(ctx context.Context, x DNSExchanger, server, family, name string, qtype, qclass uint16, rd bool, timeout time.Duration) query {
	m := new(dns.Msg)
	m.SetQuestion(dns.Fqdn(name), qtype)
	m.Question[0].Qclass = qclass
	m.RecursionDesired = rd
	q := query{Server: server, Name: dns.Fqdn(name), Type: qtype, Class: qclass}
	start := time.Now()
	q.Reply, q.Err = x.Exchange(ctx, m, server, family, timeout)
	q.Duration = time.Since(start)
	q.Failure = classifyDNS(q.Reply, q.Err, qtype)
	return q
}

func classifyDNS(r *dns.Msg, err error, qtype uint16) dnsFailure {
	if err != nil {
		var ne net.Error
		switch {
		case errors.Is(err, os.ErrDeadlineExceeded), errors.Is(err, context.DeadlineExceeded):
			return dnsTimeout
		case errors.As(err, &ne) && ne.Timeout():
			return dnsTimeout
		case errors.Is(err, syscall.ECONNREFUSED), errors.Is(err, syscall.ENETUNREACH), errors.Is(err, syscall.EHOSTUNREACH),
			errors.Is(err, syscall.EADDRNOTAVAIL), errors.Is(err, syscall.EAFNOSUPPORT):
			return dnsUnreachable
		case isDNSPacketError(err):
			return dnsGarbled
		}
		return dnsOther
	}
	if r == nil {
		return dnsOther
	}
	switch r.Rcode {
	case dns.RcodeSuccess:
	case dns.RcodeNameError:
		return dnsNXDomain
	case dns.RcodeServerFailure:
		return dnsServFail
	case dns.RcodeRefused:
		return dnsRefused
	default:
		return dnsOther
	}
	for _, rr := range r.Answer {
		if rr.Header().Rrtype == qtype || rr.Header().Rrtype == dns.TypeCNAME {
			return dnsOK
		}
	}
	return dnsNoData
}

// isDNSPacketError reports a reply that arrived but made no sense: miekg/dns
// returns its own *dns.Error for unpack failures, short reads and ID
// mismatches (over TCP).
func isDNSPacketError(err error) bool {
	var de *dns.Error
	return errors.As(err, &de)
}

// describe is one line saying what the query got, for evidence.
func (q query) describe() string {
	switch q.Failure {
	case dnsOK:
		var parts []string
		for i, rr := range q.Reply.Answer {
			if i == maxAnswerValues {
				parts = append(parts, fmt.Sprintf("and %d more records, not used", len(q.Reply.Answer)-i))
				break
			}
			parts = append(parts, rrValue(rr)+fmt.Sprintf(" (TTL %ds)", rr.Header().Ttl))
		}
		return strings.Join(parts, ", ")
	case dnsNXDomain, dnsNoData:
		if ttl, ok := negativeTTL(q.Reply); ok {
			return fmt.Sprintf("%s; a fix can take up to %ds (SOA minimum) to be seen", q.Failure, ttl)
		}
		return q.Failure.String()
	case dnsOther:
		if errors.Is(q.Err, errQueryBudget) {
			return q.Err.Error()
		}
		if q.Err != nil {
			return "error: " + q.Err.Error()
		}
		return fmt.Sprintf("rcode %s", dns.RcodeToString[q.Reply.Rcode])
	}
	return q.Failure.String()
}

func rrValue(rr dns.RR) string {
	switch v := rr.(type) {
	case *dns.A:
		return v.A.String()
	case *dns.AAAA:
		return v.AAAA.String()
	case *dns.PTR:
		return v.Ptr
	case *dns.CNAME:
		return "CNAME " + v.Target
	case *dns.TXT:
		return strings.Join(v.Txt, " ")
	}
	return rr.String()
}

// negativeTTL is how long a negative answer may be cached (RFC 2308): the
// lesser of the SOA's TTL and its minimum field.
func negativeTTL(r *dns.Msg) (uint32, bool) {
	if r == nil {
		return 0, false
	}
	for _, rr := range r.Ns {
		if soa, ok := rr.(*dns.SOA); ok {
			return min(soa.Hdr.Ttl, soa.Minttl), true
		}
	}
	return 0, false
}

// resolverAddress returns the configured resolver or the first nameserver
// of resolv.conf.
func resolverAddress(opts Options, deps Deps) (string, error) {
	if opts.Resolver != "" {
		return opts.Resolver, nil
	}
	path := deps.ResolvConf
	if path == "" {
		path = "/etc/resolv.conf"
	}
	cfg, err := dns.ClientConfigFromFile(path)
	if err != nil || len(cfg.Servers) == 0 {
		return "", fmt.Errorf("no resolver: %s has no nameserver; give one with --resolver HOST:PORT", path)
	}
	return net.JoinHostPort(cfg.Servers[0], cfg.Port), nil
}
