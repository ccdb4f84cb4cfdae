package checks

import (
	"net"
	"net/netip"
	"net/url"
	"os"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/axysdoctor/axysdoctor/docs"
)

// Verdicts found wrong against real peers (acceptance/), pinned here
// without them.

// TestConnectEndedByThePeer: socat with SO_LINGER 0 accepts and closes so
// fast that connect(2) itself returns EPIPE (FIN then RST) or ECONNRESET.
// TCP got through; that is "closed before the server sent anything", not
// "cannot connect to the gateway".
func TestConnectEndedByThePeer(t *testing.T) {
	for _, c := range []struct {
		errno syscall.Errno
		how   string
	}{{syscall.EPIPE, "was closed before the server sent anything (no ServerHello)"}, {syscall.ECONNRESET, "was reset before the server sent anything (no ServerHello)"}} {
		t.Run(c.errno.Error(), func(t *testing.T) {
			err := &net.OpError{Op: "dial", Net: "tcp", Err: os.NewSyscallError("connect", c.errno)}
			obs := &gatewayObservation{Host: "127.0.0.1", Port: "4433", Resolved: []netip.Addr{netip.MustParseAddr("127.0.0.1")},
				ConnectErr: err, Dials: []dialAttempt{{Addr: "127.0.0.1:4433", Err: err}}, Timeout: time.Second}
			r := judgeHandshake(obs, nil, time.Now())
			if r.Status != Fail || r.Row != docs.RowNetworkPath || !strings.Contains(r.Summary, c.how) || strings.Contains(r.Summary, "cannot connect") {
				t.Errorf("%s [%s] %q; want fail [network-path] saying %q", r.Status, r.Row, r.Summary, c.how)
			}
		})
	}
}

// TestProxyAnswersToCONNECT: tinyproxy answers a wrong password with 401
// (not 407), and a gateway it cannot reach with 500 "Unable to connect";
// neither is the proxy refusing to tunnel.
func TestProxyAnswersToCONNECT(t *testing.T) {
	withUser, _ := parseProxyURL("http://axd:wrong@127.0.0.1:8888")
	noUser, _ := parseProxyURL("http://127.0.0.1:8888")
	cases := []struct {
		name   string
		status string
		url    *url.URL
		want   string
	}{
		{"401 with credentials", "401 Unauthorized", withUser, "it refused the credentials given in the proxy's URL"},
		{"407 with credentials", "407 Proxy Authentication Required", withUser, "it refused the credentials given in the proxy's URL"},
		{"407 without", "407 Proxy Authentication Required", noUser, "it wants proxy credentials"},
		{"500 Unable to connect", "500 Unable to connect", noUser, "could not connect to 10.200.0.1:4433: it answered CONNECT with 500 Unable to connect"},
		{"503", "503 Service Unavailable", noUser, "could not connect to 10.200.0.1:4433"},
		{"403", "403 Access violation", noUser, "refused to tunnel to 10.200.0.1:4433"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code, _ := strconv.Atoi(c.status[:3])
			obs := &gatewayObservation{Host: "10.200.0.1", Port: "4433", ConnectErr: errProxyRefused, Timeout: time.Second,
				Proxy: &proxyTunnel{URL: c.url.Redacted(), Source: "--proxy", Addr: c.url.Host, Status: c.status, StatusCode: code, url: c.url}}
			r := judgeHandshake(obs, nil, time.Now())
			if r.Status != Fail || r.Row != docs.RowNetworkPath || !strings.Contains(r.Summary, c.want) {
				t.Errorf("%s [%s] %q; want fail [network-path] saying %q", r.Status, r.Row, r.Summary, c.want)
			}
			if strings.Contains(r.Summary+r.Fix, "wrong") {
				t.Errorf("the password shows: %q / %q", r.Summary, r.Fix)
			}
		})
	}
}
