package checks

import (
	"bufio"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"os"
	"slices"
	"sync"
	"time"
)

// Limits on what the gateway (or anything posing as it) can make us read.
const (
	// maxBody is how much of the probe's answer body is read: enough for
	// the JSON envelope or an error page, never a flood.
	maxBody = 16 << 10
	// maxHead bounds an HTTP response head (status line and headers), the
	// gateway's or a proxy's.
	maxHead = 64 << 10
	// maxDials bounds the addresses raced for one connection.
	maxDials = 8
)

// happyEyeballsDelay staggers connection attempts (RFC 8305).
const happyEyeballsDelay = 300 * time.Millisecond

// gatewayObservation is everything seen on the way to the gateway and back:
// name resolution (or the proxy tunnel), TCP, the TLS handshake as
// instrumented, and the probe's HTTP exchange over that same connection.
type gatewayObservation struct {
	Host, Port string
	Resolved   []netip.Addr
	Lookups    []query
	ResolveErr string
	Resolve    dnsFailure

	// Proxy is set when the connection went through an HTTPS proxy.
	Proxy *proxyTunnel

	Dials      []dialAttempt
	ConnectErr error
	Local      net.Addr
	Remote     net.Addr
	TCPTime    time.Duration

	// TLS
	HandshakeErr  error
	HandshakeTime time.Duration
	State         *tls.ConnectionState
	CertRequested bool
	AcceptableCAs [][]byte
	Supports      error // cri.SupportsCertificate on what we sent
	SentChain     int   // certificates sent (0: none)
	ServerChain   []*x509.Certificate
	// ServerBytes is how many bytes the server sent before the handshake
	// ended; 0 means it never answered the ClientHello at all.
	ServerBytes int64
	// FirstBytes are the first bytes the server sent, for naming a
	// non-TLS service on the port.
	FirstBytes []byte
	// Trust verified the server's certificate; kept to tell a wrong name
	// on a trusted certificate from an untrusted issuer.
	Trust *serverTrust
	// Leaf is the client certificate we offered, if any.
	Leaf *x509.Certificate

	// HTTP
	RequestSent bool
	Response    *http.Response
	Body        []byte
	BodyErr     error
	ExchangeErr error
	TTFB        time.Duration
	Timeout     time.Duration
	// ServerDate is the response's Date header; ReceivedAt is this
	// machine's clock when the response head arrived.
	ServerDate time.Time
	ReceivedAt time.Time
}

type dialAttempt struct {
	Addr     string
	Err      error
	Duration time.Duration
}

// observeGateway resolves (or tunnels through the proxy), connects,
// handshakes and sends the probe, each network step bounded by timeout. It
// never follows a redirect: it speaks HTTP/1.1 on the inspected connection
// and reads one response.
func observeGateway(ctx context.Context, s *session) *gatewayObservation {
	timeout := s.opts.timeout()
	obs := &gatewayObservation{Timeout: timeout}
	if s.mat != nil {
		obs.Leaf = s.mat.Leaf
	}
	u, err := url.Parse(s.opts.Environment.ProbeURL)
	if err != nil || u.Scheme != "https" {
		obs.ConnectErr = fmt.Errorf("probe URL %q is not https", s.opts.Environment.ProbeURL)
		return obs
	}
	obs.Host, obs.Port = u.Hostname(), u.Port()
	if obs.Port == "" {
		obs.Port = "443"
	}
	proxy, err := chooseProxy(s.opts, s.deps.getenv, u)
	if err != nil {
		obs.ConnectErr = err
		return obs
	}
	var conn net.Conn
	if proxy != nil {
		obs.Proxy = proxy
		conn = obs.tunnel(ctx, s, proxy, timeout)
	} else {
		if !obs.resolve(ctx, s, timeout) {
			return obs
		}
		conn = obs.connect(ctx, s, timeout)
	}
	if conn == nil {
		return obs
	}
	defer conn.Close()
	obs.Trust = s.serverTrust()
	tconn := obs.handshake(ctx, s, conn, timeout)
	if tconn == nil {
		return obs
	}
	obs.exchange(ctx, s, tconn, u, timeout)
	return obs
}

func (obs *gatewayObservation) resolve(ctx context.Context, s *session, timeout time.Duration) bool {
	if a, err := netip.ParseAddr(obs.Host); err == nil {
		obs.Resolved = []netip.Addr{a.Unmap()}
		return true
	}
	resolver, err := resolverAddress(s.opts, s.deps)
	if err != nil {
		obs.ResolveErr = err.Error()
		obs.Resolve = dnsOther
		return false
	}
	var v4, v6 []netip.Addr
	var t4, t6 []query
	var wg sync.WaitGroup
	wg.Add(2)
	go func() { defer wg.Done(); v4, t4 = s.lookupAddrs(ctx, resolver, obs.Host, false, timeout) }()
	go func() { defer wg.Done(); v6, t6 = s.lookupAddrs(ctx, resolver, obs.Host, true, timeout) }()
	wg.Wait()
	obs.Lookups = append(t4, t6...)
	// Interleave families, IPv6 first, as Go's dialer and RFC 8305 do.
	for i := 0; i < max(len(v4), len(v6)); i++ {
		if i < len(v6) {
			obs.Resolved = append(obs.Resolved, v6[i])
		}
		if i < len(v4) {
			obs.Resolved = append(obs.Resolved, v4[i])
		}
	}
	if len(obs.Resolved) > 0 {
		return true
	}
	last4, last6 := lastQuery(t4), lastQuery(t6)
	obs.Resolve = last4.Failure
	if last4.Failure == dnsNoData || (last4.Failure == dnsOK && last6.Failure != dnsOK) {
		obs.Resolve = last6.Failure
	}
	obs.ResolveErr = fmt.Sprintf("%s via %s: A %s; AAAA %s", obs.Host, resolver, last4.describe(), last6.describe())
	return false
}

// connect races the resolved addresses, starting one every 300 ms, all
// within one timeout; the first to connect wins.
func (obs *gatewayObservation) connect(ctx context.Context, s *session, timeout time.Duration) net.Conn {
	addrs := obs.Resolved
	if len(addrs) > maxDials {
		addrs = addrs[:maxDials]
	}
	targets := make([]string, len(addrs))
	for i, a := range addrs {
		targets[i] = net.JoinHostPort(a.String(), obs.Port)
	}
	conn, dials, took := raceDials(ctx, s.deps, targets, timeout)
	obs.Dials = dials
	if conn == nil {
		obs.ConnectErr = firstDialError(obs.Dials)
		return nil
	}
	obs.TCPTime = took
	obs.Local, obs.Remote = conn.LocalAddr(), conn.RemoteAddr()
	return conn
}

// raceDials connects to the first of targets that answers, starting one
// attempt every happyEyeballsDelay, all within one timeout.
func raceDials(ctx context.Context, deps Deps, targets []string, timeout time.Duration) (net.Conn, []dialAttempt, time.Duration) {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	type res struct {
		i    int
		conn net.Conn
		err  error
		d    time.Duration
	}
	results := make(chan res, len(targets))
	start := time.Now()
	for i, addr := range targets {
		go func() {
			if i > 0 {
				t := time.NewTimer(time.Duration(i) * happyEyeballsDelay)
				defer t.Stop()
				select {
				case <-t.C:
				case <-ctx.Done():
					results <- res{i: i, err: ctx.Err()}
					return
				}
			}
			t0 := time.Now()
			c, err := deps.dial(ctx, "tcp", addr)
			results <- res{i, c, err, time.Since(t0)}
		}()
	}
	dials := make([]dialAttempt, len(targets))
	var winner net.Conn
	var took time.Duration
	for range targets {
		r := <-results
		dials[r.i] = dialAttempt{Addr: targets[r.i], Err: r.err, Duration: r.d}
		if r.err == nil {
			if winner == nil {
				winner, took = r.conn, time.Since(start)
				cancel() // stop the others
			} else {
				r.conn.Close()
			}
		}
	}
	return winner, dials, took
}

// firstDialError prefers the most telling error: a refusal over a timeout
// over a cancellation caused by the race.
func firstDialError(d []dialAttempt) error {
	var best error
	for _, a := range d {
		if a.Err == nil || errors.Is(a.Err, context.Canceled) {
			continue
		}
		if best == nil || !isTimeout(a.Err) {
			best = a.Err
		}
	}
	if best == nil && len(d) > 0 {
		best = d[0].Err
	}
	return best
}

func (obs *gatewayObservation) handshake(ctx context.Context, s *session, conn net.Conn, timeout time.Duration) *tls.Conn {
	counted := &countingConn{Conn: conn}
	tconn := tls.Client(counted, s.tlsConfig(obs))
	hctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	start := time.Now()
	err := tconn.HandshakeContext(hctx)
	obs.HandshakeTime = time.Since(start)
	obs.ServerBytes, obs.FirstBytes = counted.read, counted.first
	if err != nil {
		if hctx.Err() != nil && ctx.Err() == nil {
			err = fmt.Errorf("no handshake within %s: %w", timeout, os.ErrDeadlineExceeded)
		}
		obs.HandshakeErr = err
		return nil
	}
	st := tconn.ConnectionState()
	obs.State = &st
	return tconn
}

// countingConn counts what the server sends during the handshake and keeps
// its first bytes: a server that closes before sending anything is a
// network-path problem, not a verdict on our certificate.
type countingConn struct {
	net.Conn
	read  int64
	first []byte
}

func (c *countingConn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	if n > 0 && len(c.first) < 64 {
		c.first = append(c.first, p[:min(n, 64-len(c.first))]...)
	}
	c.read += int64(n)
	return n, err
}

// tlsConfig builds the client configuration: TLS 1.2 at least, full
// verification (serverTrust), and a GetClientCertificate that records what
// the server asked for and sends our certificate regardless, so the
// server's real verdict comes back (with Config.Certificates Go would
// silently send nothing when our issuer is not on the server's list).
func (s *session) tlsConfig(obs *gatewayObservation) *tls.Config {
	var chain [][]byte
	var leaf *x509.Certificate
	if s.mat != nil && s.mat.Leaf != nil && s.mat.Key != nil {
		leaf = s.mat.Leaf
		chain = append(chain, leaf.Raw)
		for _, c := range s.mat.Chain.Extra {
			if c.IsCA && string(c.RawSubject) != string(c.RawIssuer) {
				chain = append(chain, c.Raw)
			}
		}
	}
	cfg := obs.Trust.tlsConfig(obs.Host, func(chain []*x509.Certificate) { obs.ServerChain = chain })
	cfg.NextProtos = []string{"http/1.1"}
	cfg.GetClientCertificate = func(cri *tls.CertificateRequestInfo) (*tls.Certificate, error) {
		obs.CertRequested = true
		obs.AcceptableCAs = slices.Clone(cri.AcceptableCAs)
		if leaf == nil {
			return &tls.Certificate{}, nil
		}
		kp := &tls.Certificate{Certificate: chain, PrivateKey: s.mat.Key, Leaf: leaf}
		obs.Supports = cri.SupportsCertificate(kp)
		obs.SentChain = len(chain)
		return kp, nil
	}
	return cfg
}

// exchange sends GET probe with X-API-Key over the inspected connection and
// reads one response head (at most maxHead) and at most maxBody of body.
func (obs *gatewayObservation) exchange(ctx context.Context, s *session, conn *tls.Conn, u *url.URL, timeout time.Duration) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		obs.ExchangeErr = err
		return
	}
	if !s.opts.APIKey.Empty() {
		req.Header.Set("X-API-Key", s.opts.APIKey.Reveal())
	}
	req.Header.Set("Accept", "application/json")
	ua := s.opts.UserAgent
	if ua == "" {
		ua = "axysdoctor"
	}
	req.Header.Set("User-Agent", ua)
	req.Close = true

	stop := context.AfterFunc(ctx, func() { conn.SetDeadline(time.Now()) })
	defer stop()
	start := time.Now()
	conn.SetDeadline(start.Add(timeout))
	if err := req.Write(conn); err != nil {
		obs.ExchangeErr = err
		return
	}
	obs.RequestSent = true
	rd := newBoundedReader(conn)
	resp, err := rd.head(req)
	obs.TTFB = time.Since(start)
	obs.ReceivedAt = s.now()
	if err != nil {
		obs.ExchangeErr = err
		return
	}
	obs.Response = resp
	if d, err := http.ParseTime(resp.Header.Get("Date")); err == nil {
		obs.ServerDate = d
	}
	// The body gets its own allowance of time: what arrived is judged.
	conn.SetDeadline(time.Now().Add(timeout))
	obs.Body, obs.BodyErr = rd.body(resp, maxBody)
}

// errHeadTooLarge: the peer sent more than maxHead without ending its
// response head.
var errHeadTooLarge = fmt.Errorf("the response head (status line and headers) is larger than %d KB", maxHead>>10)

// boundedReader reads one HTTP response from a peer nobody vouches for:
// the head (status line and headers) at most maxHead bytes, then at most a
// given amount of body. A server that trickles forever is cut off by the
// caller's deadline; the connection is closed rather than drained.
type boundedReader struct {
	lr *io.LimitedReader
	br *bufio.Reader
}

func newBoundedReader(r io.Reader) *boundedReader {
	lr := &io.LimitedReader{R: r, N: maxHead}
	return &boundedReader{lr: lr, br: bufio.NewReaderSize(lr, 4096)}
}

// head reads the response head.
func (b *boundedReader) head(req *http.Request) (*http.Response, error) {
	resp, err := http.ReadResponse(b.br, req)
	if err != nil && b.lr.N <= 0 {
		return nil, errHeadTooLarge
	}
	return resp, err
}

// body reads at most n bytes of resp's body.
func (b *boundedReader) body(resp *http.Response, n int64) ([]byte, error) {
	b.lr.N = n + int64(b.br.Buffered())
	return io.ReadAll(io.LimitReader(resp.Body, n))
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.Is(err, os.ErrDeadlineExceeded) || errors.Is(err, context.DeadlineExceeded) || (errors.As(err, &ne) && ne.Timeout())
}
