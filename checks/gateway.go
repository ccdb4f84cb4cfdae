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

// maxBody is how much of the probe's answer is read: enough for the JSON
// envelope or an error page, never a flood.
const maxBody = 16 << 10

// happyEyeballsDelay staggers connection attempts (RFC 8305).
const happyEyeballsDelay = 300 * time.Millisecond

// gatewayObservation is everything seen on the way to the gateway and back:
// name resolution, TCP, the TLS handshake as instrumented, and the probe's
// HTTP exchange over that same connection.
type gatewayObservation struct {
	Host, Port string
	Resolved   []netip.Addr
	Lookups    []query
	ResolveErr string
	Resolve    dnsFailure

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

	// HTTP
	RequestSent bool
	Response    *http.Response
	Body        []byte
	BodyErr     error
	ExchangeErr error
	TTFB        time.Duration
	Timeout     time.Duration
}

type dialAttempt struct {
	Addr     string
	Err      error
	Duration time.Duration
}

// observeGateway resolves, connects, handshakes and sends the probe, each
// network step bounded by timeout. It never follows a redirect: it speaks
// HTTP/1.1 on the inspected connection and reads one response.
func observeGateway(ctx context.Context, s *session) *gatewayObservation {
	timeout := s.opts.timeout()
	obs := &gatewayObservation{Timeout: timeout}
	u, err := url.Parse(s.opts.Environment.ProbeURL)
	if err != nil || u.Scheme != "https" {
		obs.ConnectErr = fmt.Errorf("probe URL %q is not https", s.opts.Environment.ProbeURL)
		return obs
	}
	obs.Host, obs.Port = u.Hostname(), u.Port()
	if obs.Port == "" {
		obs.Port = "443"
	}
	if !obs.resolve(ctx, s, timeout) {
		return obs
	}
	conn := obs.connect(ctx, s, timeout)
	if conn == nil {
		return obs
	}
	defer conn.Close()
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
	go func() { defer wg.Done(); v4, t4 = lookupAddrs(ctx, s.deps.dns(), resolver, obs.Host, false, timeout) }()
	go func() { defer wg.Done(); v6, t6 = lookupAddrs(ctx, s.deps.dns(), resolver, obs.Host, true, timeout) }()
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
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	type res struct {
		i    int
		conn net.Conn
		err  error
		d    time.Duration
	}
	addrs := obs.Resolved
	if len(addrs) > 8 {
		addrs = addrs[:8]
	}
	results := make(chan res, len(addrs))
	start := time.Now()
	for i, a := range addrs {
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
			c, err := s.deps.dial(ctx, "tcp", net.JoinHostPort(a.String(), obs.Port))
			results <- res{i, c, err, time.Since(t0)}
		}()
	}
	obs.Dials = make([]dialAttempt, len(addrs))
	var winner net.Conn
	for range addrs {
		r := <-results
		obs.Dials[r.i] = dialAttempt{Addr: net.JoinHostPort(addrs[r.i].String(), obs.Port), Err: r.err, Duration: r.d}
		if r.err == nil {
			if winner == nil {
				winner = r.conn
				obs.TCPTime = time.Since(start)
				cancel() // stop the others
			} else {
				r.conn.Close()
			}
		}
	}
	if winner == nil {
		obs.ConnectErr = firstDialError(obs.Dials)
		return nil
	}
	obs.Local, obs.Remote = winner.LocalAddr(), winner.RemoteAddr()
	return winner
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
	cfg, err := s.tlsConfig(obs)
	if err != nil {
		obs.HandshakeErr = err
		return nil
	}
	tconn := tls.Client(conn, cfg)
	hctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	start := time.Now()
	err = tconn.HandshakeContext(hctx)
	obs.HandshakeTime = time.Since(start)
	if err != nil {
		if hctx.Err() != nil && ctx.Err() == nil {
			err = fmt.Errorf("no handshake within %s: %w", timeout, os.ErrDeadlineExceeded)
		}
		obs.HandshakeErr = err
		var ve *tls.CertificateVerificationError
		if errors.As(err, &ve) {
			obs.ServerChain = ve.UnverifiedCertificates
		}
		return nil
	}
	st := tconn.ConnectionState()
	obs.State = &st
	obs.ServerChain = st.PeerCertificates
	return tconn
}

// tlsConfig builds the client configuration: system roots plus --ca-file,
// TLS 1.2 at least, full verification, and a GetClientCertificate that
// records what the server asked for and sends our certificate regardless,
// so the server's real verdict comes back (with Config.Certificates Go
// would silently send nothing when our issuer is not on the server's list).
func (s *session) tlsConfig(obs *gatewayObservation) (*tls.Config, error) {
	roots, err := x509.SystemCertPool()
	if err != nil || roots == nil {
		roots = x509.NewCertPool()
	}
	if s.opts.CAFile != "" {
		pemBytes, err := os.ReadFile(s.opts.CAFile)
		if err != nil {
			return nil, fmt.Errorf("--ca-file: %w", err)
		}
		if !roots.AppendCertsFromPEM(pemBytes) {
			return nil, fmt.Errorf("--ca-file %s holds no PEM certificate", s.opts.CAFile)
		}
	}
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
	return &tls.Config{
		ServerName: obs.Host,
		RootCAs:    roots,
		MinVersion: tls.VersionTLS12,
		NextProtos: []string{"http/1.1"},
		GetClientCertificate: func(cri *tls.CertificateRequestInfo) (*tls.Certificate, error) {
			obs.CertRequested = true
			obs.AcceptableCAs = slices.Clone(cri.AcceptableCAs)
			if leaf == nil {
				return &tls.Certificate{}, nil
			}
			kp := &tls.Certificate{Certificate: chain, PrivateKey: s.mat.Key, Leaf: leaf}
			obs.Supports = cri.SupportsCertificate(kp)
			obs.SentChain = len(chain)
			return kp, nil
		},
	}, nil
}

// exchange sends GET probe with X-API-Key over the inspected connection and
// reads one response head and at most maxBody bytes of body.
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
	resp, err := http.ReadResponse(bufio.NewReader(conn), req)
	obs.TTFB = time.Since(start)
	if err != nil {
		obs.ExchangeErr = err
		return
	}
	obs.Response = resp
	// The body gets its own allowance: a server that trickles forever is
	// cut off, and what arrived is still judged.
	conn.SetDeadline(time.Now().Add(timeout))
	// Closing the body would drain it; the connection is closed instead.
	obs.Body, obs.BodyErr = io.ReadAll(io.LimitReader(resp.Body, maxBody))
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.Is(err, os.ErrDeadlineExceeded) || errors.Is(err, context.DeadlineExceeded) || (errors.As(err, &ne) && ne.Timeout())
}
