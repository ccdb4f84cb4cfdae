package checks

import (
	"bufio"
	"context"
	"encoding/base64"
	"io"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/axysdoctor/axysdoctor/docs"
)

// TestChooseProxyAsCurlDoes: --proxy wins, then https_proxy, HTTPS_PROXY,
// all_proxy, ALL_PROXY; NO_PROXY and loopback go direct; "direct" never
// proxies.
func TestChooseProxyAsCurlDoes(t *testing.T) {
	gateway, _ := url.Parse("https://staging.api.axyscards.com/v2/cardholders?limit=1")
	loopback, _ := url.Parse("https://127.0.0.1:8443/v2/cardholders")
	cases := []struct {
		name   string
		flag   string
		env    map[string]string
		target *url.URL
		want   string // "" = direct
		source string
	}{
		{"nothing set", "", nil, gateway, "", ""},
		{"HTTPS_PROXY", "", map[string]string{"HTTPS_PROXY": "proxy.corp:3128"}, gateway, "http://proxy.corp:3128", "$HTTPS_PROXY"},
		{"lower case first", "", map[string]string{"https_proxy": "http://a:1", "HTTPS_PROXY": "http://b:2"}, gateway, "http://a:1", "$https_proxy"},
		{"ALL_PROXY as the fallback", "", map[string]string{"ALL_PROXY": "http://all:3128"}, gateway, "http://all:3128", "$ALL_PROXY"},
		{"no port: curl's 1080", "", map[string]string{"HTTPS_PROXY": "http://proxy.corp"}, gateway, "http://proxy.corp:1080", "$HTTPS_PROXY"},
		{"NO_PROXY by domain", "", map[string]string{"HTTPS_PROXY": "http://p:1", "NO_PROXY": ".axyscards.com"}, gateway, "", ""},
		{"no_proxy lower case", "", map[string]string{"HTTPS_PROXY": "http://p:1", "no_proxy": "axyscards.com"}, gateway, "", ""},
		{"environment never proxies loopback", "", map[string]string{"HTTPS_PROXY": "http://p:1"}, loopback, "", ""},
		{"--proxy proxies loopback too", "http://p:1", nil, loopback, "http://p:1", "--proxy"},
		{"--proxy over the environment", "http://flag:1", map[string]string{"HTTPS_PROXY": "http://env:2"}, gateway, "http://flag:1", "--proxy"},
		{"--proxy direct", ProxyDirect, map[string]string{"HTTPS_PROXY": "http://env:2"}, gateway, "", ""},
		{"password redacted", "", map[string]string{"HTTPS_PROXY": "http://user:s3cret@p:1"}, gateway, "http://user:xxxxx@p:1", "$HTTPS_PROXY"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			getenv := func(k string) string { return c.env[k] }
			p, err := chooseProxy(Options{Proxy: c.flag}, getenv, c.target)
			if err != nil {
				t.Fatal(err)
			}
			switch {
			case c.want == "" && p != nil:
				t.Errorf("proxy %s, want direct", p.URL)
			case c.want != "" && (p == nil || p.URL != c.want || p.Source != c.source):
				t.Errorf("got %+v, want %s from %s", p, c.want, c.source)
			}
		})
	}
}

// fakeProxy answers CONNECT with answer, then (for 200) splices to the
// real target.
func fakeProxy(t *testing.T, answer string) string {
	t.Helper()
	base := rawServer(t, func(c net.Conn) {
		defer c.Close()
		req, err := http.ReadRequest(bufio.NewReader(c))
		if err != nil {
			return
		}
		io.WriteString(c, answer)
		if !strings.HasPrefix(answer, "HTTP/1.1 200") {
			return
		}
		up, err := net.Dial("tcp", req.Host)
		if err != nil {
			return
		}
		defer up.Close()
		go io.Copy(up, c)
		io.Copy(c, up)
	})
	return "http://" + strings.TrimSuffix(strings.TrimPrefix(base, "https://"), "/v2")
}

// TestProxyTunnelOutcomes: a working tunnel passes and names the proxy; a
// refused CONNECT and a dead proxy are network-path failures naming it.
func TestProxyTunnelOutcomes(t *testing.T) {
	p := newGatewayPKI(t)
	base := tlsGateway(t, p, mtls(p, 0), http.HandlerFunc(okHandler))
	dead, _ := net.Listen("tcp", "127.0.0.1:0")
	deadURL := "http://" + dead.Addr().String()
	dead.Close()
	cases := []struct {
		name, proxy string
		status      Status
		want        string
	}{
		{"tunnel", fakeProxy(t, "HTTP/1.1 200 Connection established\r\n\r\n"), Pass, "asked for the client certificate and accepted it"},
		{"refused", fakeProxy(t, "HTTP/1.1 403 Filtered\r\nContent-Type: text/html\r\nContent-Length: 31\r\n\r\n<html>CONNECT not allowed</html>"), Fail, "refused to tunnel"},
		{"authentication", fakeProxy(t, "HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=x\r\nContent-Length: 0\r\n\r\n"), Fail, "wants proxy credentials"},
		{"dead", deadURL, Fail, "cannot connect to the proxy"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			noLeak(t)
			s := gatewaySession(p, base, p.client)
			s.opts.Proxy = c.proxy
			hs, _ := exchangeWith(t, s, 3)
			if hs.Status != c.status || !strings.Contains(hs.Summary, c.want) {
				t.Errorf("%s [%s] %q", hs.Status, hs.Row, hs.Summary)
			}
			if c.status == Fail && (hs.Row != docs.RowNetworkPath || !strings.Contains(hs.Summary, strings.TrimPrefix(c.proxy, "http://"))) {
				t.Errorf("[%s] %q does not name the proxy %s", hs.Row, hs.Summary, c.proxy)
			}
			if !strings.Contains(evidenceText(&hs), "proxy") {
				t.Errorf("no proxy evidence: %v", hs.Evidence)
			}
		})
	}
}

// TestProxyCredentialsNeverPrinted: the password in a proxy URL goes into
// Proxy-Authorization and nowhere else.
func TestProxyCredentialsNeverPrinted(t *testing.T) {
	p := newGatewayPKI(t)
	got := make(chan string, 1)
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	t.Cleanup(func() { ln.Close() })
	go func() {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		defer c.Close()
		req, _ := http.ReadRequest(bufio.NewReader(c))
		got <- req.Header.Get("Proxy-Authorization")
		io.WriteString(c, "HTTP/1.1 403 No\r\nContent-Length: 0\r\n\r\n")
	}()
	s := gatewaySession(p, "https://gateway.example/v2", p.client)
	s.opts.Proxy = "http://tenant:hunter2-secret@" + ln.Addr().String()
	hs, _ := exchangeWith(t, s, 2)
	if auth := <-got; auth != "Basic dGVuYW50Omh1bnRlcjItc2VjcmV0" {
		t.Errorf("Proxy-Authorization %q", auth)
	}
	if all := hs.Summary + hs.Fix + evidenceText(&hs); strings.Contains(all, "hunter2") {
		t.Errorf("the proxy password is in the result: %s", all)
	}
}

// TestProxyEchoingItsCredentials: a proxy that repeats the credentials it
// got — in its body, decoded and encoded, and in a Via header — does not
// get them into the report.
func TestProxyEchoingItsCredentials(t *testing.T) {
	p := newGatewayPKI(t)
	base := rawServer(t, func(c net.Conn) {
		defer c.Close()
		req, err := http.ReadRequest(bufio.NewReader(c))
		if err != nil {
			return
		}
		auth := req.Header.Get("Proxy-Authorization")
		dec, _ := base64.StdEncoding.DecodeString(strings.TrimPrefix(auth, "Basic "))
		body := "<html>you sent " + auth + " which is " + string(dec) + "</html>"
		io.WriteString(c, "HTTP/1.1 403 Forbidden\r\nVia: 1.1 "+string(dec)+"\r\nContent-Length: "+strconv.Itoa(len(body))+"\r\n\r\n"+body)
	})
	proxy := "http://alice:Sup3rS3cretPassw0rd@" + strings.TrimSuffix(strings.TrimPrefix(base, "https://"), "/v2")
	env := Environment{Name: "test", BaseURL: "https://gateway.example/v2", ProbeURL: "https://gateway.example/v2/cardholders?limit=1"}
	opts := Options{Environment: env, CAFile: p.caFile, Timeout: time.Second, Proxy: proxy, EgressIPs: []netip.Addr{netip.MustParseAddr("203.0.113.10")}, Resolver: "127.0.0.1:9"}
	rep := Diagnose(context.Background(), opts, p.material(p.client), Deps{}, nil)
	var all strings.Builder
	for _, r := range rep.Results {
		all.WriteString(r.Summary + r.Fix + evidenceText(&r))
	}
	out := all.String()
	if !strings.Contains(out, "refused to tunnel") {
		t.Fatalf("the refusal is not reported:\n%s", out)
	}
	for _, leak := range []string{"Sup3rS3cret", "YWxpY2U6U3VwM3JTM2NyZXRQYXNzdzByZA"} {
		if strings.Contains(out, leak) {
			t.Errorf("the report holds %q:\n%s", leak, out)
		}
	}
}
