package emulator

import (
	"fmt"
	"sort"
	"strings"
	"time"
)

// Scenario is a named fault the emulator can play.
type Scenario struct {
	Name        string
	Description string
	// ExpectCheck names the check that is the run's root cause in this
	// scenario, ExpectRow its failure-table row and ExpectStatus its status
	// (fail, or warn where the platform's own verdict outranks a local
	// finding): for tests and for `demo --list-scenarios`.
	ExpectCheck  string
	ExpectRow    string
	ExpectStatus string
	// Proxy: the tenant reaches the gateway through the emulator's CONNECT
	// proxy (CheckArgs adds --proxy).
	Proxy bool
	apply func(*faults)
}

// faults is what a scenario switches on.
type faults struct {
	expiredCert         bool
	otherEnvCert        bool
	missingIntermediate bool
	notAllowlisted      bool
	ptrMismatch         bool
	missingPTR          bool
	revokedKey          bool
	tenantKey           bool
	dnsTimeout          bool
	dnsServfail         bool
	handshakeDelay      time.Duration
	noBackend           bool
	redirect            bool
	reflectKey          bool
	htmlForbidden       bool
	rateLimited         bool
	serverError         bool
	noClientCertReq     bool
	clockSkew           time.Duration
	onlyViaProxy        bool
	proxyAuth           bool
}

// Scenarios lists every scenario, "ok" first.
var Scenarios = []Scenario{
	{Name: "ok", Description: "everything set up right: every check passes", apply: func(*faults) {}},
	{Name: "expired-cert", Description: "the client certificate expired three days ago", ExpectCheck: "cert.validity", ExpectRow: "tls-handshake", apply: func(f *faults) { f.expiredCert = true }},
	{Name: "wrong-environment", Description: "a production certificate used against the staging gateway", ExpectCheck: "tls.handshake", ExpectRow: "tls-handshake", apply: func(f *faults) { f.otherEnvCert = true }},
	{Name: "missing-intermediate", Description: "the certificate comes from an intermediate CA that the certificate file leaves out", ExpectCheck: "tls.handshake", ExpectRow: "tls-handshake", apply: func(f *faults) { f.missingIntermediate = true }},
	{Name: "not-allowlisted", Description: "the calling IP is not on the allowlist (403 No Authorised IPs configured)", ExpectCheck: "api.probe", ExpectRow: "authorized-ips", apply: func(f *faults) { f.notAllowlisted = true }},
	{Name: "ptr-mismatch", Description: "the calling IP's PTR names a host that is not in the certificate", ExpectCheck: "dns.fcrdns", ExpectRow: "authorized-ips", apply: func(f *faults) { f.ptrMismatch = true }},
	{Name: "missing-ptr", Description: "the calling IP has no PTR record", ExpectCheck: "dns.fcrdns", ExpectRow: "authorized-ips", apply: func(f *faults) { f.missingPTR = true }},
	{Name: "wrong-api-key", Description: "the API key was revoked (401)", ExpectCheck: "api.probe", ExpectRow: "api-key", apply: func(f *faults) { f.revokedKey = true }},
	{Name: "tenant-key", Description: "a tenant-level API key used against /cardholders (404)", ExpectCheck: "api.probe", ExpectRow: "tenant-credentials", apply: func(f *faults) { f.tenantKey = true }},
	{Name: "dns-timeout", Description: "your resolver never answers the FCrDNS lookups, but the gateway's DNS works", ExpectCheck: "dns.fcrdns", ExpectRow: "dns-temporary", ExpectStatus: "warn", apply: func(f *faults) { f.dnsTimeout = true }},
	{Name: "servfail", Description: "your resolver answers SERVFAIL to the FCrDNS lookups, but the gateway's DNS works", ExpectCheck: "dns.fcrdns", ExpectRow: "dns-temporary", ExpectStatus: "warn", apply: func(f *faults) { f.dnsServfail = true }},
	{Name: "slow-handshake", Description: "the gateway takes longer than the timeout to finish the handshake", ExpectCheck: "tls.handshake", ExpectRow: "network-path", apply: func(f *faults) { f.handshakeDelay = 30 * time.Second }},
	{Name: "no-backend", Description: "a load balancer without a healthy backend: it closes every connection before TLS starts", ExpectCheck: "tls.handshake", ExpectRow: "network-path", apply: func(f *faults) { f.noBackend = true }},
	{Name: "redirect", Description: "something in front of the gateway redirects to another host", ExpectCheck: "api.probe", ExpectRow: "unexpected-response", apply: func(f *faults) { f.redirect = true }},
	{Name: "reflect-key", Description: "something in front of the gateway echoes the API key (split, encoded, in headers and the redirect's Location): it must never appear in a report", ExpectCheck: "api.probe", ExpectRow: "unexpected-response", apply: func(f *faults) { f.reflectKey = true }},
	{Name: "html-403", Description: "a web application firewall in front of the gateway answers 403 with an HTML page", ExpectCheck: "api.probe", ExpectRow: "unexpected-response", apply: func(f *faults) { f.htmlForbidden = true }},
	{Name: "rate-limited", Description: "the gateway answers 429 with Retry-After", ExpectCheck: "api.probe", ExpectRow: "rate-limited", apply: func(f *faults) { f.rateLimited = true }},
	{Name: "server-error", Description: "the platform answers 503", ExpectCheck: "api.probe", ExpectRow: "platform-error", apply: func(f *faults) { f.serverError = true }},
	{Name: "no-mtls", Description: "a TLS-terminating proxy that never asks for the client certificate", ExpectCheck: "tls.handshake", ExpectRow: "tls-interception", apply: func(f *faults) { f.noClientCertReq = true }},
	{Name: "clock-skew", Description: "this machine's clock is ten minutes ahead of the gateway's", ExpectCheck: "cert.validity", ExpectRow: "clock-skew", ExpectStatus: "warn", apply: func(f *faults) { f.clockSkew = -10 * time.Minute }},
	{Name: "proxy", Description: "the tenant reaches the gateway through an HTTPS proxy, whose address is the one allowlisted: every check passes through it", Proxy: true, apply: func(f *faults) { f.onlyViaProxy = true }},
	{Name: "proxy-auth", Description: "the HTTPS proxy wants credentials the tenant did not give (407)", ExpectCheck: "tls.handshake", ExpectRow: "network-path", Proxy: true, apply: func(f *faults) { f.onlyViaProxy, f.proxyAuth = true, true }},
}

// Expected is the status ExpectCheck ends with: "fail" unless the scenario
// says otherwise, "" when every check passes.
func (s Scenario) Expected() string {
	switch {
	case s.ExpectCheck == "":
		return ""
	case s.ExpectStatus == "":
		return "fail"
	}
	return s.ExpectStatus
}

// LookupScenario finds a scenario by name ("" means ok).
func LookupScenario(name string) (Scenario, error) {
	if name == "" {
		name = "ok"
	}
	for _, s := range Scenarios {
		if s.Name == name {
			return s, nil
		}
	}
	names := make([]string, len(Scenarios))
	for i, s := range Scenarios {
		names[i] = s.Name
	}
	sort.Strings(names)
	return Scenario{}, fmt.Errorf("unknown scenario %q: use one of %s", name, strings.Join(names, ", "))
}
