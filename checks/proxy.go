package checks

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"golang.org/x/net/http/httpproxy"
)

// proxyTunnel is what happened on the way through an HTTPS proxy.
type proxyTunnel struct {
	// URL is the proxy, its password redacted.
	URL string
	// Source says who chose it: "--proxy", "$HTTPS_PROXY", …
	Source string
	Addr   string // host:port dialled
	// Status is the proxy's answer to CONNECT ("" when none came).
	Status     string
	StatusCode int
	Body       []byte
	Header     http.Header
	Err        error
	Time       time.Duration

	url *url.URL // with credentials, for the Proxy-Authorization header only
}

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
	if err != nil || u.Hostname() == "" {
		return nil, fmt.Errorf("%q is not a proxy URL such as http://proxy.example:3128", redactURL(s))
	}
	switch u.Scheme {
	case "http":
	case "https", "socks5", "socks5h", "socks4", "socks4a":
		return nil, fmt.Errorf("%s proxies are not supported: give an HTTP proxy (http://HOST:PORT) that tunnels with CONNECT", u.Scheme)
	default:
		return nil, fmt.Errorf("%q: unknown proxy scheme %q", redactURL(s), u.Scheme)
	}
	if u.Port() == "" {
		u.Host = net.JoinHostPort(u.Hostname(), "1080") // curl's default proxy port
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

// proxyEnv is the environment curl reads for an https:// URL, in curl's
// order: the lower-case name first, then upper case; ALL_PROXY when no
// scheme-specific proxy is set (x/net's httpproxy does not read ALL_PROXY).
func proxyEnv(getenv func(string) string) (proxy, source, noProxy string) {
	for _, name := range []string{"https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"} {
		if v := strings.TrimSpace(getenv(name)); v != "" {
			proxy, source = v, "$"+name
			break
		}
	}
	noProxy = getenv("no_proxy")
	if noProxy == "" {
		noProxy = getenv("NO_PROXY")
	}
	return proxy, source, noProxy
}

// chooseProxy returns the proxy for target, or nil to connect directly:
// --proxy wins (even for loopback, as curl's --proxy does); else the
// environment as curl reads it, with NO_PROXY honoured. Like Go's
// http.ProxyFromEnvironment, the environment never proxies localhost or a
// loopback address.
func chooseProxy(opts Options, getenv func(string) string, target *url.URL) (*proxyTunnel, error) {
	var raw, source string
	switch opts.Proxy {
	case ProxyDirect:
		return nil, nil
	case "":
		var noProxy string
		raw, source, noProxy = proxyEnv(getenv)
		if raw == "" {
			return nil, nil
		}
		cfg := httpproxy.Config{HTTPSProxy: raw, NoProxy: noProxy}
		u, err := cfg.ProxyFunc()(target)
		if err != nil {
			return nil, fmt.Errorf("%s %q is not a proxy URL: %v", source, redactURL(raw), err)
		}
		if u == nil {
			return nil, nil // NO_PROXY or loopback
		}
		raw = u.String()
	default:
		raw, source = opts.Proxy, "--proxy"
	}
	u, err := parseProxyURL(raw)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", source, err)
	}
	return &proxyTunnel{URL: u.Redacted(), Source: source, Addr: u.Host, url: u}, nil
}

// quote cuts what the proxy said to n characters, after redacting its own
// credentials from it: a proxy may echo the Proxy-Authorization it got.
func (p *proxyTunnel) quote(s string, n int) string {
	var secrets []string
	if p.url != nil && p.url.User != nil {
		if pw, ok := p.url.User.Password(); ok && pw != "" {
			secrets = append(secrets, pw, p.url.User.Username()+":"+pw)
		}
	}
	return oneLine(newRedactor(APIKey{}, secrets...).apply(s), n)
}

// describe names the proxy and who chose it, for evidence.
func (p *proxyTunnel) describe() string {
	return fmt.Sprintf("%s (from %s)", p.URL, p.Source)
}

// tunnel connects to the proxy and asks it to CONNECT to the gateway; the
// gateway's name is resolved by the proxy, not here. It returns the tunnel
// ready for TLS, or nil with obs.ConnectErr set.
func (obs *gatewayObservation) tunnel(ctx context.Context, s *session, p *proxyTunnel, timeout time.Duration) net.Conn {
	conn, dials, took := raceDials(ctx, s.deps, []string{p.Addr}, timeout)
	obs.Dials = dials
	if conn == nil {
		obs.ConnectErr = fmt.Errorf("the proxy %s: %w", p.Addr, firstDialError(dials))
		return nil
	}
	obs.TCPTime = took
	obs.Local, obs.Remote = conn.LocalAddr(), conn.RemoteAddr()
	target := net.JoinHostPort(obs.Host, obs.Port)
	start := time.Now()
	stop := context.AfterFunc(ctx, func() { conn.SetDeadline(time.Now()) })
	defer stop()
	conn.SetDeadline(start.Add(timeout))
	req := "CONNECT " + target + " HTTP/1.1\r\nHost: " + target + "\r\nUser-Agent: axysdoctor\r\n"
	if u := p.url.User; u != nil {
		pw, _ := u.Password()
		req += "Proxy-Authorization: Basic " + base64.StdEncoding.EncodeToString([]byte(u.Username()+":"+pw)) + "\r\n"
	}
	req += "\r\n"
	if _, err := io.WriteString(conn, req); err != nil {
		p.Err = err
		obs.ConnectErr = fmt.Errorf("the proxy %s closed the connection before CONNECT: %w", p.Addr, err)
		conn.Close()
		return nil
	}
	rd := newBoundedReader(conn)
	resp, err := rd.head(&http.Request{Method: http.MethodConnect})
	p.Time = time.Since(start)
	if err != nil {
		p.Err = err
		obs.ConnectErr = fmt.Errorf("the proxy %s did not answer CONNECT: %w", p.Addr, err)
		conn.Close()
		return nil
	}
	p.Status, p.StatusCode, p.Header = resp.Status, resp.StatusCode, resp.Header
	if resp.StatusCode/100 != 2 {
		p.Body, _ = rd.body(resp, 4<<10)
		obs.ConnectErr = errProxyRefused
		conn.Close()
		return nil
	}
	conn.SetDeadline(time.Time{})
	if n := rd.br.Buffered(); n > 0 {
		// Bytes the proxy already passed on from the gateway belong to TLS.
		peek, _ := rd.br.Peek(n)
		return &prefixConn{Conn: conn, r: io.MultiReader(bytes.NewReader(slices.Clone(peek)), conn)}
	}
	return conn
}

// errProxyRefused marks a CONNECT the proxy answered with something other
// than 2xx; the answer is in obs.Proxy.
var errProxyRefused = fmt.Errorf("the proxy refused the tunnel")

// prefixConn replays bytes read ahead of the TLS stream.
type prefixConn struct {
	net.Conn
	r io.Reader
}

func (c *prefixConn) Read(p []byte) (int, error) { return c.r.Read(p) }

// ProxySecrets are the credentials of the proxies a run may use (--proxy,
// and the environment's, as curl reads it): their passwords, and
// "user:password" as a Basic header carries it, for redaction wherever a
// proxy or anything else echoes them.
func ProxySecrets(opts Options, getenv func(string) string) []string {
	var raws []string
	if opts.Proxy != "" && opts.Proxy != ProxyDirect {
		raws = append(raws, opts.Proxy)
	}
	if getenv != nil {
		for _, name := range []string{"https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY", "http_proxy", "HTTP_PROXY"} {
			if v := getenv(name); v != "" {
				raws = append(raws, v)
			}
		}
	}
	var out []string
	for _, raw := range raws {
		u, err := parseProxyURL(raw)
		if err != nil || u.User == nil {
			continue
		}
		if pw, ok := u.User.Password(); ok && pw != "" {
			out = append(out, pw, u.User.Username()+":"+pw)
		}
	}
	return out
}
