package checks

import (
	"context"
	"crypto/tls"
	"fmt"
	"net/http"
	"net/netip"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/axysdoctor/axysdoctor/docs"
)

// PublicWhoAmIHTTPS answer GET with the caller's address as plain text.
// They are asked through the proxy, when one carries the API traffic, to
// learn the address the proxy calls from — the one the gateway sees.
var PublicWhoAmIHTTPS = []string{"https://checkip.amazonaws.com/", "https://api.ipify.org/"}

// httpsAnswer is what one HTTPS who-am-I service said through the proxy.
type httpsAnswer struct {
	URL  string
	Addr netip.Addr
	Err  error
}

// egressThroughProxy: the gateway sees the proxy's address. Ask HTTPS
// who-am-I services through the same proxy (the way the probe goes), and
// the DNS ones directly, to show both sides.
func (s *session) egressThroughProxy(ctx context.Context, p *proxyTunnel) Result {
	r := Result{Status: Pass}
	s.viaProxy = p
	r.add("proxy", "the API traffic goes through %s: the gateway sees the proxy's egress address, not this machine's", p.describe())
	var direct []egressAnswer
	var via []httpsAnswer
	var wg sync.WaitGroup
	wg.Add(2)
	go func() { defer wg.Done(); direct = askWhoAmI(ctx, s.opts, s.deps, s.resolverDNS()) }()
	go func() { defer wg.Done(); via = s.askThroughProxy(ctx, p) }()
	wg.Wait()
	s.egress = direct
	for _, a := range via {
		label := "through the proxy, " + a.URL
		if a.Err != nil {
			r.add(label, "%s", a.Err)
			continue
		}
		r.add(label, "%s", a.Addr)
		if !slices.Contains(s.proxyEgress, a.Addr) {
			s.proxyEgress = append(s.proxyEgress, a.Addr)
		}
	}
	var mine []netip.Addr
	for _, a := range direct {
		for _, ip := range a.Addrs {
			if !slices.Contains(mine, ip) {
				mine = append(mine, ip)
			}
		}
	}
	if len(mine) > 0 {
		r.add("this machine, directly", "%s (DNS who-am-I; not what the gateway sees)", joinAddrs(mine))
	}
	if len(s.proxyEgress) == 0 {
		r.Status = Warn
		r.Row = docs.RowAuthorizedIPs
		r.Summary = fmt.Sprintf("the API traffic goes through the proxy %s, so the gateway sees the proxy's egress address, which could not be learnt through it: that address is the one to allowlist and to give a PTR record", p.URL)
		r.Fix = "Ask whoever runs the proxy for its egress address(es), or give them with --egress-ip; allowlist them with Axys and set their PTR records to a name in the certificate."
		return r
	}
	r.Summary = fmt.Sprintf("the gateway sees the proxy's egress address %s (learnt through the proxy %s)", joinAddrs(s.proxyEgress), p.URL)
	if len(mine) > 0 && !slices.Equal(mine, s.proxyEgress) {
		r.Summary += "; this machine itself calls out from " + joinAddrs(mine)
	}
	if len(s.proxyEgress) > 1 {
		r.Status = Warn
		r.Row = docs.RowAuthorizedIPs
		r.Summary = fmt.Sprintf("the proxy %s calls out from several addresses (%s): the gateway may see any of them", p.URL, joinAddrs(s.proxyEgress))
		r.Fix = "Allowlist every one of: " + joinAddrs(s.proxyEgress) + ", each with a PTR record naming the certificate's domain."
	}
	s.addEgressContext(&r, s.proxyEgress)
	return r
}

// askThroughProxy asks each HTTPS who-am-I service through the proxy,
// concurrently.
func (s *session) askThroughProxy(ctx context.Context, p *proxyTunnel) []httpsAnswer {
	urls := s.opts.EgressURLs
	if len(urls) == 0 {
		urls = s.deps.whoAmIHTTPS()
	}
	out := make([]httpsAnswer, len(urls))
	var wg sync.WaitGroup
	for i, raw := range urls {
		wg.Add(1)
		go func() {
			defer wg.Done()
			a, err := s.whoAmIThrough(ctx, p, raw)
			out[i] = httpsAnswer{URL: raw, Addr: a, Err: err}
		}()
	}
	wg.Wait()
	return out
}

// whoAmIThrough tunnels to one service through the proxy, verifies its
// certificate, and reads the address it answers with.
func (s *session) whoAmIThrough(ctx context.Context, p *proxyTunnel, raw string) (netip.Addr, error) {
	u, err := url.Parse(raw)
	if err != nil || u.Scheme != "https" || u.Hostname() == "" {
		return netip.Addr{}, fmt.Errorf("not an https URL")
	}
	timeout := s.opts.timeout()
	o := &gatewayObservation{Host: u.Hostname(), Port: u.Port(), Timeout: timeout}
	if o.Port == "" {
		o.Port = "443"
	}
	conn := o.tunnel(ctx, s, &proxyTunnel{URL: p.URL, Source: p.Source, Addr: p.Addr, url: p.url}, timeout)
	if conn == nil {
		return netip.Addr{}, fmt.Errorf("the proxy did not tunnel to it: %s", oneLine(describeTunnelFailure(o), 120))
	}
	defer conn.Close()
	stop := context.AfterFunc(ctx, func() { conn.SetDeadline(time.Now()) })
	defer stop()
	conn.SetDeadline(time.Now().Add(timeout))
	tc := tls.Client(conn, s.serverTrust().tlsConfig(o.Host, nil))
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, raw, nil)
	req.Header.Set("User-Agent", "axysdoctor")
	req.Close = true
	if err := req.Write(tc); err != nil {
		return netip.Addr{}, fmt.Errorf("TLS through the proxy: %s", oneLine(err.Error(), 120))
	}
	rd := newBoundedReader(tc)
	resp, err := rd.head(req)
	if err != nil {
		return netip.Addr{}, fmt.Errorf("no answer: %s", oneLine(err.Error(), 120))
	}
	body, _ := rd.body(resp, 256)
	if resp.StatusCode != http.StatusOK {
		return netip.Addr{}, fmt.Errorf("answered HTTP %d", resp.StatusCode)
	}
	a, err := netip.ParseAddr(strings.TrimSpace(string(body)))
	if err != nil {
		return netip.Addr{}, fmt.Errorf("answered %q, not an address", oneLine(string(body), 40))
	}
	return a.Unmap(), nil
}

func describeTunnelFailure(o *gatewayObservation) string {
	switch {
	case o.Proxy != nil && o.Proxy.Status != "":
		return o.Proxy.Status
	case o.ConnectErr != nil:
		return o.ConnectErr.Error()
	}
	return "unknown error"
}
