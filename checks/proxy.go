package checks

import (
	"fmt"
	"net/url"
	"strings"
)

// ParseProxy validates a --proxy value: "" (the environment decides),
// "direct", or an http:// proxy URL (a bare host:port means http://).
func ParseProxy(s string) (string, error) {
	s = strings.TrimSpace(s)
	switch strings.ToLower(s) {
	case "":
		return "", nil
	case ProxyDirect, "none":
		return ProxyDirect, nil
	}
	u, err := parseProxyURL(s)
	if err != nil {
		return "", fmt.Errorf("--proxy: %v", err)
	}
	return u.String(), nil
}

// parseProxyURL reads a proxy URL as curl does: no scheme means http.
func parseProxyURL(s string) (*url.URL, error) {
	if !strings.Contains(s, "://") {
		s = "http://" + s
	}
	u, err := url.Parse(s)
	if err != nil || u.Host == "" {
		return nil, fmt.Errorf("%q is not a proxy URL such as http://proxy.example:3128", redactURL(s))
	}
	switch u.Scheme {
	case "http":
	case "https", "socks5", "socks5h", "socks4":
		return nil, fmt.Errorf("%s proxies are not supported: give an HTTP proxy (http://HOST:PORT) that tunnels with CONNECT", u.Scheme)
	default:
		return nil, fmt.Errorf("%q: unknown proxy scheme %q", redactURL(s), u.Scheme)
	}
	if u.Port() == "" {
		u.Host += ":1080" // curl's default proxy port
	}
	return u, nil
}

// redactURL hides a URL's password, for messages and evidence.
func redactURL(s string) string {
	u, err := url.Parse(s)
	if err != nil || u.User == nil {
		return s
	}
	return u.Redacted()
}
