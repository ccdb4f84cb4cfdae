package checks

import (
	"fmt"
	"net"
	"net/netip"
	"strings"
	"time"
)

// Options is everything a diagnosis is given. The CLI fills it from flags;
// the wizard from its forms.
type Options struct {
	Environment Environment
	CertPath    string
	KeyPath     string
	P12Path     string
	APIKey      APIKey
	CAFile      string
	// Resolver is the recursive resolver for forward and reverse lookups
	// (host:port); empty means the first nameserver in /etc/resolv.conf.
	Resolver string
	// EgressServers are asked myip.opendns.com instead of the public
	// who-am-I services.
	EgressServers []string
	// EgressURLs are HTTPS who-am-I services (plain-text address) asked
	// through the proxy, when there is one, instead of the public ones.
	EgressURLs []string
	// EgressIPs skips detection: these are the calling addresses.
	EgressIPs     []netip.Addr
	ExpectTenant  string
	ExpectProgram string
	// Timeout bounds each network step (one DNS query, a TCP connect, a TLS
	// handshake, an HTTP answer).
	Timeout time.Duration
	// UserAgent is sent with the probe.
	UserAgent string
	// Proxy is the HTTPS proxy to reach the gateway through: "" follows
	// HTTPS_PROXY/ALL_PROXY/NO_PROXY as curl does, ProxyDirect never uses
	// one, anything else is a proxy URL (http://[user:pass@]host:port).
	Proxy string
}

// ProxyDirect as Options.Proxy connects to the gateway directly, whatever
// the environment says.
const ProxyDirect = "direct"

// DefaultTimeout is the per-step network timeout.
const DefaultTimeout = 5 * time.Second

func (o Options) timeout() time.Duration {
	if o.Timeout <= 0 {
		return DefaultTimeout
	}
	return o.Timeout
}

// runBudget bounds a whole diagnosis: its longest chain is at most three
// sequential network steps (resolve the gateway, connect and handshake,
// the HTTP answer; or egress, PTR, forward), each bounded by the timeout,
// so three timeouts is the most an honest run needs. Whatever the peers do,
// the run ends by then.
func (o Options) runBudget() time.Duration {
	return 3 * o.timeout()
}

// ParseHostPort validates a DNS server address as --resolver and
// --egress-server take it: HOST:PORT, or a bare address (port 53 added).
func ParseHostPort(s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", nil
	}
	host, port, err := net.SplitHostPort(s)
	if err != nil {
		if _, perr := netip.ParseAddr(strings.Trim(s, "[]")); perr == nil || !strings.Contains(s, ":") {
			return net.JoinHostPort(strings.Trim(s, "[]"), "53"), nil
		}
		return "", fmt.Errorf("%q: give HOST:PORT, such as 127.0.0.1:53", s)
	}
	if host == "" || port == "" {
		return "", fmt.Errorf("%q: give HOST:PORT, such as 127.0.0.1:53", s)
	}
	return s, nil
}
