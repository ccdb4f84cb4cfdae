package emulator

import (
	"crypto/rand"
	"crypto/tls"
	"encoding/hex"
	"errors"
	"fmt"
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
	// Staging and Production are the client CAs; ServerCA signed the
	// gateway's certificate (give it to check as --ca-file).
	Staging, Production, ServerCA *CA
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
	allowlist []netip.Addr
	dns       *dnsServer
	http      *http.Server
	ln        net.Listener
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
		allowlist:   []netip.Addr{netip.MustParseAddr("127.0.0.1"), netip.MustParseAddr("::1")},
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
	e.ProgramKey, e.TenantKey = "axys_prog_"+randomHex(16), "axys_tenant_"+randomHex(16)
	now := e.now()
	if e.Staging, err = newCA("Axys Emulator Staging Client CA", now); err != nil {
		return nil, err
	}
	if e.Production, err = newCA("Axys Emulator Production Client CA", now); err != nil {
		return nil, err
	}
	if e.ServerCA, err = newCA("Axys Emulator Server CA", now); err != nil {
		return nil, err
	}
	e.fillZone()
	if e.dns, err = startDNS(e.zone, e.fault); err != nil {
		return nil, err
	}
	e.DNSAddr = e.dns.Addr
	if err := e.startGateway(now); err != nil {
		e.dns.close()
		return nil, err
	}
	return e, nil
}

// fillZone writes the tenant's public records as the scenario wants them.
func (e *Emulator) fillZone() {
	f := e.fault()
	e.zone.reset()
	host := Identity.CommonName + "."
	e.zone.add(host + " 300 IN A 127.0.0.1")
	e.zone.add(host + " 300 IN AAAA ::1")
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

func (e *Emulator) startGateway(now time.Time) error {
	serverCert, serverKey, err := e.ServerCA.serverCert(now)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return fmt.Errorf("listen gateway: %w", err)
	}
	e.ln = ln
	e.http = &http.Server{
		Handler:           e,
		TLSConfig:         e.tlsConfig(serverCert, serverKey),
		ReadHeaderTimeout: 10 * time.Second,
		ErrorLog:          log.New(discard{}, "", 0), // handshake failures are the point, not news
	}
	e.BaseURL = "https://" + ln.Addr().String() + "/v2"
	go e.http.Serve(tls.NewListener(ln, e.http.TLSConfig))
	return nil
}

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }

// Close stops the gateway and the DNS server.
func (e *Emulator) Close() {
	e.closeOnce.Do(func() {
		close(e.closing)
		e.http.Close()
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
