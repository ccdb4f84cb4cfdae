package checks

import (
	"net"
	"net/netip"
	"os"
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
