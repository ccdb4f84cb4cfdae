package emulator

import (
	"crypto"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/netip"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Options configure an emulator.
type Options struct {
	// Scenario names a fault from Scenarios ("" or "ok" for none).
	Scenario string
	// Style is StyleStrict (default) or StyleNginx.
	Style string
	// Environment is "staging" (default) or "production": the gateway
	// trusts that environment's client CA.
	Environment string
	// Now is the emulator's clock (default time.Now).
	Now func() time.Time
	// MaxTLS caps the gateway's TLS version (default TLS 1.3).
	MaxTLS uint16
	// Listen and DNSListen are the gateway's and the DNS server's
	// addresses (default 127.0.0.1 on a random port). DNS listens on UDP
	// and TCP at the same port.
	Listen, DNSListen string
	// StateDir keeps the CAs and API keys across runs (state.pem, mode
	// 0600): certificates and keys written by an earlier run stay valid.
	// Empty: fresh ones every run.
	StateDir string
	// Log, when set, receives one line per request and per refused
	// handshake: time, caller, method and path, client certificate
	// subject, verdict.
	Log io.Writer
}

// Identity is the tenant the emulator's ready-made credential is for. Its
// calling host resolves to 127.0.0.1, whose PTR names it.
var Identity = struct {
	Organization string
	Unit         string
	CommonName   string
}{"Acme Financial Services Ltd", "Acme Cards", "api.acmecards.example"}

// Emulator is a running stand-in for the Axys gateway.
type Emulator struct {
	// BaseURL is the API's base, such as https://127.0.0.1:41234/v2.
	BaseURL string
	// DNSAddr serves the tenant's zone and myip.opendns.com (UDP and TCP).
	DNSAddr string
	// ProxyURL is an HTTP CONNECT proxy in front of the gateway; calls
	// through it reach the gateway from ProxyEgress.
	ProxyURL string
	// WhoAmIURL answers GET with the caller's address (through the proxy:
	// the proxy's), like checkip.amazonaws.com.
	WhoAmIURL string
	// Staging and Production are the client CAs; ServerCA signed the
	// gateway's certificate (give it to check as --ca-file). Intermediate
	// is an issuing CA under the trusted client CA, for the
	// missing-intermediate scenario.
	Staging, Production, ServerCA, Intermediate *CA
	// ProgramKey is accepted for Program endpoints; TenantKey is a
	// tenant-level key (404 on /cardholders).
	ProgramKey, TenantKey string
	Environment           string

	style     string
	mu        sync.RWMutex // guards scenario and faults, which SetScenario changes
	scenario  Scenario
	faults    faults
	now       func() time.Time
	maxTLS    uint16
	zone      *zone
	dns       *dnsServer
	proxy     *connectProxy
	whoami    *whoAmI
	http      *http.Server
	ln        net.Listener
	log       *requestLog
	closing   chan struct{}
	closeOnce sync.Once
	requests  atomic.Int64
}

// Start runs an emulator until Close.
func Start(opts Options) (*Emulator, error) {
	sc, err := LookupScenario(opts.Scenario)
	if err != nil {
		return nil, err
	}
	e := &Emulator{
		scenario:    sc,
		style:       opts.Style,
		now:         opts.Now,
		maxTLS:      opts.MaxTLS,
		Environment: opts.Environment,
		zone:        newZone(),
		log:         newRequestLog(opts.Log),
		closing:     make(chan struct{}),
	}
	if e.style == "" {
		e.style = StyleStrict
	}
	if e.style != StyleStrict && e.style != StyleNginx {
		return nil, fmt.Errorf("unknown gateway style %q: use strict or nginx", e.style)
	}
	if e.Environment == "" {
		e.Environment = "staging"
	}
	if e.Environment != "staging" && e.Environment != "production" {
		return nil, fmt.Errorf("unknown environment %q: use staging or production", e.Environment)
	}
	if e.now == nil {
		e.now = time.Now
	}
	sc.apply(&e.faults)
	if err := e.loadOrMakeState(opts.StateDir); err != nil {
		return nil, err
	}
	e.fillZone()
	var stops []func()
	fail := func(err error) (*Emulator, error) {
		for i := len(stops) - 1; i >= 0; i-- {
			stops[i]()
		}
		return nil, err
	}
	if e.dns, err = startDNS(orLoopback(opts.DNSListen), e.zone, e.fault); err != nil {
		return fail(err)
	}
	stops = append(stops, e.dns.close)
	e.DNSAddr = e.dns.Addr
	if e.proxy, err = startProxy("127.0.0.1:0", e.fault, e.log.printf); err != nil {
		return fail(err)
	}
	stops = append(stops, e.proxy.close)
	e.ProxyURL = e.proxy.URL()
	now := e.now()
	cert, key, err := e.ServerCA.serverCert(now)
	if err != nil {
		return fail(err)
	}
	if e.whoami, err = startWhoAmI(cert, key); err != nil {
		return fail(err)
	}
	stops = append(stops, e.whoami.close)
	e.WhoAmIURL = e.whoami.URL
	if err := e.startGateway(orLoopback(opts.Listen), cert, key); err != nil {
		return fail(err)
	}
	return e, nil
}

func orLoopback(addr string) string {
	if addr == "" {
		return "127.0.0.1:0"
	}
	return addr
}

// allowlist is the addresses the gateway accepts calls from: the tenant's
// host, and the proxy's egress address — only that one when the scenario
// says the tenant must call through the proxy.
func (e *Emulator) allowlist() []netip.Addr {
	proxy, _ := netip.AddrFromSlice(ProxyEgress.To4())
	if e.fault().onlyViaProxy {
		return []netip.Addr{proxy}
	}
	return []netip.Addr{netip.MustParseAddr("127.0.0.1"), netip.MustParseAddr("::1"), proxy}
}

// fillZone writes the tenant's public records as the scenario wants them.
func (e *Emulator) fillZone() {
	f := e.fault()
	e.zone.reset()
	host := Identity.CommonName + "."
	e.zone.add(host + " 300 IN A 127.0.0.1")
	e.zone.add(host + " 300 IN AAAA ::1")
	// The proxy's egress address belongs to the tenant too (its PTR and A
	// records are in order), as a tenant's corporate proxy would.
	e.zone.add(host + " 300 IN A 127.0.0.2")
	e.zone.add("2.0.0.127.in-addr.arpa. 300 IN PTR " + host)
	switch {
	case f.missingPTR:
	case f.ptrMismatch:
		other := "host-127-0-0-1.isp.example."
		e.zone.add("1.0.0.127.in-addr.arpa. 300 IN PTR " + other)
		e.zone.add(other + " 300 IN A 127.0.0.1")
	default:
		e.zone.add("1.0.0.127.in-addr.arpa. 300 IN PTR " + host)
		e.zone.add("1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.ip6.arpa. 300 IN PTR " + host)
	}
}

func (e *Emulator) startGateway(addr string, serverCert *x509.Certificate, serverKey crypto.Signer) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("listen gateway: %w", err)
	}
	e.ln = &faultyListener{Listener: ln, faults: e.fault, logf: e.log.printf}
	e.http = &http.Server{
		Handler:           e,
		TLSConfig:         e.tlsConfig(serverCert, serverKey),
		ReadHeaderTimeout: 10 * time.Second,
		ErrorLog:          log.New(e.log.handshakeWriter(), "", 0),
	}
	e.BaseURL = "https://" + ln.Addr().String() + "/v2"
	go e.http.Serve(tls.NewListener(e.ln, e.http.TLSConfig))
	return nil
}

// faultyListener plays a load balancer without a healthy backend when the
// scenario says so: it accepts each connection and closes it at once,
// before a byte of TLS.
type faultyListener struct {
	net.Listener
	faults func() faults
	logf   func(string, ...any)
}

func (l *faultyListener) Accept() (net.Conn, error) {
	for {
		c, err := l.Listener.Accept()
		if err != nil || !l.faults().noBackend {
			return c, err
		}
		l.logf("%s: connection closed before TLS (no-backend)", c.RemoteAddr())
		c.Close()
	}
}

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }

// Close stops the gateway, the proxy, the who-am-I service and the DNS
// server.
func (e *Emulator) Close() {
	e.closeOnce.Do(func() {
		close(e.closing)
		e.http.Close()
		e.proxy.close()
		e.whoami.close()
		e.dns.close()
	})
}

// Requests is how many HTTP requests reached the API handler.
func (e *Emulator) Requests() int64 { return e.requests.Load() }

func (e *Emulator) countRequest() { e.requests.Add(1) }

// trustedCA is the client CA of the gateway's environment.
func (e *Emulator) trustedCA() *CA {
	if e.Environment == "production" {
		return e.Production
	}
	return e.Staging
}

// otherCA is the client CA of the other environment.
func (e *Emulator) otherCA() *CA {
	if e.Environment == "production" {
		return e.Staging
	}
	return e.Production
}

// Scenario is the scenario the emulator plays now.
func (e *Emulator) Scenario() Scenario {
	e.mu.RLock()
	defer e.mu.RUnlock()
	return e.scenario
}

// SetScenario switches the running emulator to another scenario, for
// tests that watch a fault being lifted (check --watch). The gateway, the
// allowlist and DNS follow at once; faults that live in a certificate
// (expired-cert, wrong-environment) apply to certificates signed from then
// on, and a tenant-key scenario changes which key APIKey returns.
func (e *Emulator) SetScenario(name string) error {
	sc, err := LookupScenario(name)
	if err != nil {
		return err
	}
	var f faults
	sc.apply(&f)
	e.mu.Lock()
	e.scenario, e.faults = sc, f
	e.mu.Unlock()
	e.fillZone()
	e.log.printf("scenario is now %s", sc.Name)
	return nil
}

// fault returns the faults in force now.
func (e *Emulator) fault() faults {
	e.mu.RLock()
	defer e.mu.RUnlock()
	return e.faults
}

// APIKey is the key a tenant in this scenario holds.
func (e *Emulator) APIKey() string {
	if e.fault().tenantKey {
		return e.TenantKey
	}
	return e.ProgramKey
}

func randomHex(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return hex.EncodeToString(b)
}

// ErrBadCSR is returned for CSRs the emulated Axys refuses to sign.
var ErrBadCSR = errors.New("CSR refused")

func refuse(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrBadCSR, strings.TrimSpace(fmt.Sprintf(format, args...)))
}
