package checks

import (
	"bufio"
	"context"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/miekg/dns"

	"github.com/axysdoctor/axysdoctor/docs"
)

// fixedDNS answers A queries from a table and everything else NODATA.
type fixedDNS map[string]string

func (f fixedDNS) Exchange(_ context.Context, m *dns.Msg, _, _ string, _ time.Duration) (*dns.Msg, error) {
	r := new(dns.Msg)
	r.SetReply(m)
	q := m.Question[0]
	if ip, ok := f[strings.ToLower(q.Name)]; ok && q.Qtype == dns.TypeA {
		rr, _ := dns.NewRR(q.Name + " 60 IN A " + ip)
		r.Answer = append(r.Answer, rr)
	}
	return r, nil
}

// TestObservationBeforeInference: what the peer did leads every summary;
// a failure the peer caused before judging anything is never blamed on
// the certificate, and never answered with "pass the certificate".
func TestObservationBeforeInference(t *testing.T) {
	p := newGatewayPKI(t)
	cases := []struct {
		name, want, mustNot string
		row                 string
		serve               func(net.Conn)
	}{
		{"closed before ServerHello", "before the server sent anything (no ServerHello)", "certificate and key", docs.RowNetworkPath,
			func(c net.Conn) { c.Close() }},
		{"reset before ServerHello", "reset before the server sent anything", "rejected", docs.RowNetworkPath,
			func(c net.Conn) {
				buf := make([]byte, 1024)
				c.Read(buf)
				c.(*net.TCPConn).SetLinger(0)
				c.Close()
			}},
		{"an SSH server on the port", `does not speak TLS: it answered "SSH-2.0-OpenSSH_9.2"`, "certificate", docs.RowNetworkPath,
			func(c net.Conn) { io.WriteString(c, "SSH-2.0-OpenSSH_9.2\r\n"); io.Copy(io.Discard, c); c.Close() }},
		{"plain HTTP on the port", "plain HTTP, not HTTPS", "certificate", docs.RowNetworkPath,
			func(c net.Conn) {
				bufio.NewReader(c).ReadByte()
				io.WriteString(c, "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")
				c.Close()
			}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			noLeak(t)
			hs, _ := exchangeWith(t, gatewaySession(p, rawServer(t, c.serve), p.client), 2)
			if hs.Status != Fail || hs.Row != c.row || !strings.Contains(hs.Summary, c.want) {
				t.Errorf("%s [%s] %q; want fail [%s] with %q", hs.Status, hs.Row, hs.Summary, c.row, c.want)
			}
			if strings.Contains(hs.Summary+hs.Fix, c.mustNot) {
				t.Errorf("%q / %q says %q: an inference the observation does not support", hs.Summary, hs.Fix, c.mustNot)
			}
		})
	}
}

// TestAlertLeadsLocalCausesFollow: the alert's meaning comes first, the
// local reason after it as a likely cause.
func TestAlertLeadsLocalCausesFollow(t *testing.T) {
	p := newGatewayPKI(t)
	base := tlsGateway(t, p, mtls(p, tls.VersionTLS13), http.HandlerFunc(okHandler))
	hs, _ := exchangeWith(t, gatewaySession(p, base, p.expired), 2)
	alert := strings.Index(hs.Summary, "alert 45")
	cause := strings.Index(hs.Summary, "likely cause: our certificate expired")
	if alert < 0 || cause < 0 || cause < alert {
		t.Errorf("summary %q: want the alert first, then the local cause", hs.Summary)
	}
}

// TestIncompleteChain: a leaf from an intermediate the file leaves out,
// against a gateway that names only the root, is a missing intermediate —
// not "the other environment".
func TestIncompleteChain(t *testing.T) {
	p := newGatewayPKI(t)
	inter := p.clientCA.intermediate(t, "Test Staging Issuing CA")
	leaf := reissue(t, inter, p.client, p.clientKey, time.Now().Add(24*time.Hour))
	base := tlsGateway(t, p, mtls(p, tls.VersionTLS13), http.HandlerFunc(okHandler))
	s := gatewaySession(p, base, leaf)
	hs, _ := exchangeWith(t, s, 2)
	if hs.Status != Fail || !strings.Contains(hs.Summary, "intermediate CA certificate is missing") || !strings.Contains(hs.Fix, "Append the intermediate") || strings.Contains(hs.Summary, "other environment") {
		t.Errorf("%s [%s] %q / fix %q", hs.Status, hs.Row, hs.Summary, hs.Fix)
	}
	// cert.chain, judged after the handshake, names the issuer to append.
	s.gateway = observeGateway(t.Context(), s)
	s.record(Result{ID: IDTLSHandshake, Status: Fail})
	if w, ok := s.incompleteChain(); !ok || !strings.Contains(w, "Test Staging Issuing CA") {
		t.Errorf("cert.chain: %q %v", w, ok)
	}
	// With the intermediate in the file, the gateway accepts it.
	s = gatewaySession(p, base, leaf)
	s.mat.Chain.Extra = []*x509.Certificate{inter.cert}
	if hs, _ := exchangeWith(t, s, 3); hs.Status != Pass {
		t.Errorf("with the intermediate appended: %s %q", hs.Status, hs.Summary)
	}
}

// TestWrongServerName tells a wrong base URL (a trusted certificate for
// another name) from interception (an untrusted one), naming what the
// certificate is for and who issued it.
func TestWrongServerName(t *testing.T) {
	p := newGatewayPKI(t)
	base := tlsGateway(t, p, mtls(p, tls.VersionTLS13), http.HandlerFunc(okHandler))
	u, _ := url.Parse(base)
	_, port, _ := net.SplitHostPort(u.Host)
	// The gateway's certificate is for 127.0.0.1, 127.0.0.2 and localhost:
	// asking for another name through a dialer that reaches it anyway.
	s := gatewaySession(p, "https://gateway.other.example:"+port+"/v2", p.client)
	s.opts.Resolver = "127.0.0.1:1" // never used: the dialer below answers
	s.deps.Dial = func(ctx context.Context, network, addr string) (net.Conn, error) {
		var d net.Dialer
		return d.DialContext(ctx, network, net.JoinHostPort("127.0.0.1", port))
	}
	s.deps.DNS = fixedDNS{"gateway.other.example.": "127.0.0.1"}
	hs, _ := exchangeWith(t, s, 3)
	if hs.Row != docs.RowTLSInterception || !strings.Contains(hs.Summary, "is for localhost, 127.0.0.1, 127.0.0.2") || !strings.Contains(hs.Summary, "wrong base URL") {
		t.Errorf("trusted: [%s] %q", hs.Row, hs.Summary)
	}
	untrusted := gatewaySession(p, "https://gateway.other.example:"+port+"/v2", p.client)
	untrusted.opts.CAFile = "" // the issuer is not trusted here
	untrusted.deps = s.deps
	hs, _ = exchangeWith(t, untrusted, 3)
	if !strings.Contains(hs.Summary, "does not trust") && !strings.Contains(hs.Summary, "intercept") {
		t.Errorf("untrusted: [%s] %q", hs.Row, hs.Summary)
	}
}

// TestAnswersThatAreNotTheAPIs: a 401/403/404 page that is not the API's
// JSON envelope sends the tenant to the proxy or base URL, never to the
// allowlist or to Axys.
func TestAnswersThatAreNotTheAPIs(t *testing.T) {
	env, _ := ResolveEnvironment("staging", "")
	key := NewAPIKey("axys_prog_3f9c2a7b1e6d4058a9c2")
	cases := []struct {
		name   string
		obs    *gatewayObservation
		row    string
		want   string
		notFix string
	}{
		{"HTML 403 from a WAF", response(403, "<html><body><h1>Access denied</h1></body></html>", "Content-Type", "text/html", "Server", "corp-waf"), docs.RowUnexpectedResponse, "Server: corp-waf", "allowlist"},
		{"text 403", response(403, "Forbidden by policy", "Content-Type", "text/plain"), docs.RowUnexpectedResponse, "something other than the Axys API answered", "allowlist"},
		{"documented 403 in plain text", response(403, "No Authorised IPs configured", "Content-Type", "text/plain"), docs.RowAuthorizedIPs, "No Authorised IPs configured", ""},
		{"HTML 401 from a proxy", response(401, "<html>Login required</html>", "Via", "1.1 squid"), docs.RowUnexpectedResponse, "Via: 1.1 squid", "API key"},
		{"HTML 404", response(404, "<html>Not Found</html>", "Content-Type", "text/html"), docs.RowUnexpectedResponse, "wrong path", "tenant-level"},
		{"JSON 404", response(404, `{"status":"error","message":"Not Found"}`), docs.RowTenantCredentials, "tenant-level key", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := judgeProbe(c.obs, key, env)
			if r.Status != Fail || r.Row != c.row || !strings.Contains(r.Summary+r.Fix, c.want) {
				t.Errorf("%s [%s] %q / %q; want [%s] with %q", r.Status, r.Row, r.Summary, r.Fix, c.row, c.want)
			}
			if c.notFix != "" && strings.Contains(r.Fix, c.notFix) {
				t.Errorf("fix %q gives %s advice for an answer that is not the API's", r.Fix, c.notFix)
			}
		})
	}
}

// TestHugeResponseHeadIsCutOff: a server that never ends its headers is
// read up to maxHead, not until memory runs out.
func TestHugeResponseHeadIsCutOff(t *testing.T) {
	p := newGatewayPKI(t)
	stop := make(chan struct{})
	t.Cleanup(func() { close(stop) })
	cfg := mtls(p, tls.VersionTLS13)
	cfg.Certificates = []tls.Certificate{p.server}
	base := rawServer(t, func(c net.Conn) {
		tc := tls.Server(c, cfg)
		defer tc.Close()
		bufio.NewReader(tc).ReadString('\n')
		io.WriteString(tc, "HTTP/1.1 200 OK\r\n")
		line := "X-Flood: " + strings.Repeat("a", 1000) + "\r\n"
		for {
			select {
			case <-stop:
				return
			default:
			}
			if _, err := io.WriteString(tc, line); err != nil {
				return
			}
		}
	})
	hs, probe := exchangeWith(t, gatewaySession(p, base, p.client), 3)
	_ = hs
	if probe.Row != docs.RowUnexpectedResponse || !strings.Contains(probe.Summary, fmt.Sprintf("%d KB", maxHead>>10)) {
		t.Errorf("probe %s [%s] %q", probe.Status, probe.Row, probe.Summary)
	}
}

// TestSelfSignedClientCertificate: a self-signed end-entity certificate is
// called what it is, not a chain missing its intermediate.
func TestSelfSignedClientCertificate(t *testing.T) {
	p := newGatewayPKI(t)
	tmpl := *p.client
	der, err := x509.CreateCertificate(rand.Reader, &tmpl, &tmpl, p.clientKey.Public(), p.clientKey)
	if err != nil {
		t.Fatal(err)
	}
	leaf, _ := x509.ParseCertificate(der)
	base := tlsGateway(t, p, mtls(p, tls.VersionTLS13), http.HandlerFunc(okHandler))
	hs, _ := exchangeWith(t, gatewaySession(p, base, leaf), 2)
	if hs.Status != Fail || !strings.Contains(hs.Summary, "self-signed") || strings.Contains(hs.Summary+hs.Fix, "intermediate") {
		t.Errorf("%s %q / %q", hs.Status, hs.Summary, hs.Fix)
	}
}
