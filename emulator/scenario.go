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
	// Expect names the check and failure-table row this scenario should
	// make fail, for tests and for `demo --list-scenarios`.
	ExpectCheck string
	ExpectRow   string
	apply       func(*faults)
}

// faults is what a scenario switches on.
type faults struct {
	expiredCert     bool
	otherEnvCert    bool
	notAllowlisted  bool
	ptrMismatch     bool
	missingPTR      bool
	revokedKey      bool
	tenantKey       bool
	dnsTimeout      bool
	dnsServfail     bool
	handshakeDelay  time.Duration
	redirect        bool
	rateLimited     bool
	serverError     bool
	noClientCertReq bool
}

// Scenarios lists every scenario, "ok" first.
var Scenarios = []Scenario{
	{Name: "ok", Description: "everything set up right: every check passes", apply: func(*faults) {}},
	{Name: "expired-cert", Description: "the client certificate expired three days ago", ExpectCheck: "cert.validity", ExpectRow: "tls-handshake", apply: func(f *faults) { f.expiredCert = true }},
	{Name: "wrong-environment", Description: "a production certificate used against the staging gateway", ExpectCheck: "tls.handshake", ExpectRow: "tls-handshake", apply: func(f *faults) { f.otherEnvCert = true }},
	{Name: "not-allowlisted", Description: "the calling IP is not on the allowlist (403 No Authorised IPs configured)", ExpectCheck: "api.probe", ExpectRow: "authorized-ips", apply: func(f *faults) { f.notAllowlisted = true }},
	{Name: "ptr-mismatch", Description: "the calling IP's PTR names a host that is not in the certificate", ExpectCheck: "dns.fcrdns", ExpectRow: "authorized-ips", apply: func(f *faults) { f.ptrMismatch = true }},
	{Name: "missing-ptr", Description: "the calling IP has no PTR record", ExpectCheck: "dns.fcrdns", ExpectRow: "authorized-ips", apply: func(f *faults) { f.missingPTR = true }},
	{Name: "wrong-api-key", Description: "the API key was revoked (401)", ExpectCheck: "api.probe", ExpectRow: "api-key", apply: func(f *faults) { f.revokedKey = true }},
	{Name: "tenant-key", Description: "a tenant-level API key used against /cardholders (404)", ExpectCheck: "api.probe", ExpectRow: "tenant-credentials", apply: func(f *faults) { f.tenantKey = true }},
	{Name: "dns-timeout", Description: "your resolver never answers the FCrDNS lookups", ExpectCheck: "dns.fcrdns", ExpectRow: "dns-temporary", apply: func(f *faults) { f.dnsTimeout = true }},
	{Name: "servfail", Description: "your resolver answers SERVFAIL to the FCrDNS lookups", ExpectCheck: "dns.fcrdns", ExpectRow: "dns-temporary", apply: func(f *faults) { f.dnsServfail = true }},
	{Name: "slow-handshake", Description: "the gateway takes longer than the timeout to finish the handshake", ExpectCheck: "tls.handshake", ExpectRow: "network-path", apply: func(f *faults) { f.handshakeDelay = 30 * time.Second }},
	{Name: "redirect", Description: "something in front of the gateway redirects to another host", ExpectCheck: "api.probe", ExpectRow: "unexpected-response", apply: func(f *faults) { f.redirect = true }},
	{Name: "rate-limited", Description: "the gateway answers 429 with Retry-After", ExpectCheck: "api.probe", ExpectRow: "rate-limited", apply: func(f *faults) { f.rateLimited = true }},
	{Name: "server-error", Description: "the platform answers 503", ExpectCheck: "api.probe", ExpectRow: "platform-error", apply: func(f *faults) { f.serverError = true }},
	{Name: "no-mtls", Description: "a TLS-terminating proxy that never asks for the client certificate", ExpectCheck: "tls.handshake", ExpectRow: "tls-interception", apply: func(f *faults) { f.noClientCertReq = true }},
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
