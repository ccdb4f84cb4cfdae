package checks

import (
	"net"
	"testing"

	"github.com/miekg/dns"
)

// startDNS serves handler over UDP and TCP on one loopback port and returns
// the address; the server stops when the test ends.
func startDNS(t *testing.T, handler dns.HandlerFunc) string {
	t.Helper()
	var pc net.PacketConn
	var ln net.Listener
	var err error
	for range 10 {
		if pc, err = net.ListenPacket("udp", "127.0.0.1:0"); err != nil {
			t.Fatal(err)
		}
		if ln, err = net.Listen("tcp", pc.LocalAddr().String()); err == nil {
			break
		}
		pc.Close()
	}
	if err != nil {
		t.Fatal(err)
	}
	mux := dns.NewServeMux()
	mux.HandleFunc(".", handler)
	for _, srv := range []*dns.Server{{PacketConn: pc, Handler: mux}, {Listener: ln, Handler: mux}} {
		started := make(chan struct{})
		srv.NotifyStartedFunc = func() { close(started) }
		go srv.ActivateAndServe()
		<-started
		t.Cleanup(func() { srv.Shutdown() })
	}
	return pc.LocalAddr().String()
}

// zone answers from a fixed record list: NXDOMAIN for unknown names with an
// SOA (minimum 120 s), NODATA for known names without the type.
func zone(records ...string) dns.HandlerFunc {
	var rrs []dns.RR
	for _, r := range records {
		rr, err := dns.NewRR(r)
		if err != nil {
			panic(err)
		}
		rrs = append(rrs, rr)
	}
	return func(w dns.ResponseWriter, req *dns.Msg) {
		q := req.Question[0]
		m := new(dns.Msg)
		m.SetReply(req)
		known := false
		for _, rr := range rrs {
			if !equalFold(rr.Header().Name, q.Name) {
				continue
			}
			known = true
			if rr.Header().Rrtype == q.Qtype || rr.Header().Rrtype == dns.TypeCNAME {
				m.Answer = append(m.Answer, rr)
			}
		}
		if len(m.Answer) == 0 {
			soa, _ := dns.NewRR("example. 3600 IN SOA ns.example. h.example. 1 3600 600 86400 120")
			m.Ns = []dns.RR{soa}
			if !known {
				m.Rcode = dns.RcodeNameError
			}
		}
		w.WriteMsg(m)
	}
}

func equalFold(a, b string) bool { return sameName(a, b) }
