package emulator

import (
	"fmt"
	"net"
	"net/netip"
	"strings"
	"sync"

	"github.com/miekg/dns"
)

// zone is the emulator's slice of public DNS: forward and reverse records
// for the tenant's calling host.
type zone struct {
	mu      sync.RWMutex
	records map[string][]dns.RR // by lower-case FQDN
}

func newZone() *zone { return &zone{records: map[string][]dns.RR{}} }

// reset empties the zone.
func (z *zone) reset() {
	z.mu.Lock()
	defer z.mu.Unlock()
	z.records = map[string][]dns.RR{}
}

func (z *zone) add(rr string) {
	r, err := dns.NewRR(rr)
	if err != nil {
		panic(fmt.Sprintf("emulator zone record %q: %v", rr, err)) // static data
	}
	z.mu.Lock()
	defer z.mu.Unlock()
	name := strings.ToLower(r.Header().Name)
	z.records[name] = append(z.records[name], r)
}

// lookup returns the records of qtype at name, and whether the name exists.
func (z *zone) lookup(name string, qtype uint16) ([]dns.RR, bool) {
	z.mu.RLock()
	defer z.mu.RUnlock()
	all, ok := z.records[strings.ToLower(dns.Fqdn(name))]
	var out []dns.RR
	for _, rr := range all {
		if rr.Header().Rrtype == qtype {
			out = append(out, dns.Copy(rr))
		}
	}
	return out, ok
}

// names returns the PTR names of ip.
func (z *zone) ptrNames(ip netip.Addr) []string {
	rev, _ := dns.ReverseAddr(ip.String())
	rrs, _ := z.lookup(rev, dns.TypePTR)
	var out []string
	for _, rr := range rrs {
		out = append(out, rr.(*dns.PTR).Ptr)
	}
	return out
}

// addrs returns the A and AAAA addresses of name.
func (z *zone) addrs(name string) []netip.Addr {
	var out []netip.Addr
	for _, t := range []uint16{dns.TypeA, dns.TypeAAAA} {
		rrs, _ := z.lookup(name, t)
		for _, rr := range rrs {
			var ip net.IP
			switch v := rr.(type) {
			case *dns.A:
				ip = v.A
			case *dns.AAAA:
				ip = v.AAAA
			}
			if a, ok := netip.AddrFromSlice(ip); ok {
				out = append(out, a.Unmap())
			}
		}
	}
	return out
}

const soaRecord = "example. 300 IN SOA ns.axys-emulator.test. hostmaster.axys-emulator.test. 1 3600 600 86400 60"

// dnsServer answers from the zone over UDP and TCP on one port.
type dnsServer struct {
	zone   *zone
	faults func() faults
	udp    *dns.Server
	tcp    *dns.Server
	Addr   string
}

// startDNS listens on addr (127.0.0.1:0 for a random port) with UDP and
// TCP on the same port.
func startDNS(addr string, z *zone, f func() faults) (*dnsServer, error) {
	var pc net.PacketConn
	var ln net.Listener
	var err error
	for range 10 { // the TCP port may be taken; try another UDP port
		pc, err = net.ListenPacket("udp", addr)
		if err != nil {
			return nil, err
		}
		ln, err = net.Listen("tcp", pc.LocalAddr().String())
		if err == nil {
			break
		}
		pc.Close()
		if _, port, _ := net.SplitHostPort(addr); port != "0" {
			break // a fixed port: trying again cannot help
		}
	}
	if err != nil {
		return nil, fmt.Errorf("listen DNS: %w", err)
	}
	s := &dnsServer{zone: z, faults: f, Addr: pc.LocalAddr().String()}
	mux := dns.NewServeMux()
	mux.HandleFunc(".", s.serve)
	s.udp = &dns.Server{PacketConn: pc, Handler: mux}
	s.tcp = &dns.Server{Listener: ln, Handler: mux}
	if err := startServer(s.udp); err != nil {
		return nil, err
	}
	if err := startServer(s.tcp); err != nil {
		s.udp.Shutdown()
		return nil, err
	}
	return s, nil
}

// startServer runs srv and returns once it is serving.
func startServer(srv *dns.Server) error {
	started := make(chan struct{})
	errc := make(chan error, 1)
	srv.NotifyStartedFunc = func() { close(started) }
	go func() { errc <- srv.ActivateAndServe() }()
	select {
	case <-started:
		return nil
	case err := <-errc:
		return fmt.Errorf("start DNS server: %w", err)
	}
}

func (s *dnsServer) close() {
	s.udp.Shutdown()
	s.tcp.Shutdown()
}

func (s *dnsServer) serve(w dns.ResponseWriter, req *dns.Msg) {
	if len(req.Question) != 1 {
		m := new(dns.Msg)
		m.SetRcode(req, dns.RcodeFormatError)
		w.WriteMsg(m)
		return
	}
	q := req.Question[0]
	name := strings.ToLower(q.Name)
	m := new(dns.Msg)
	m.SetReply(req)
	m.RecursionAvailable = true
	if opt := req.IsEdns0(); opt != nil {
		m.SetEdns0(opt.UDPSize(), false)
	}
	// The who-am-I answer is the asker's own address.
	if name == "myip.opendns.com." {
		asker := askerAddr(w.RemoteAddr())
		switch {
		case q.Qtype == dns.TypeA && asker.Is4():
			m.Answer = append(m.Answer, &dns.A{Hdr: dns.RR_Header{Name: q.Name, Rrtype: dns.TypeA, Class: dns.ClassINET, Ttl: 0}, A: asker.AsSlice()})
		case q.Qtype == dns.TypeAAAA && asker.Is6():
			m.Answer = append(m.Answer, &dns.AAAA{Hdr: dns.RR_Header{Name: q.Name, Rrtype: dns.TypeAAAA, Class: dns.ClassINET, Ttl: 0}, AAAA: asker.AsSlice()})
		}
		w.WriteMsg(m)
		return
	}
	// Faults of the tenant's resolver affect everything else.
	f := s.faults()
	switch {
	case f.dnsTimeout:
		return // never answer
	case f.dnsServfail:
		m.Rcode = dns.RcodeServerFailure
		w.WriteMsg(m)
		return
	}
	rrs, exists := s.zone.lookup(name, q.Qtype)
	if len(rrs) == 0 {
		// Follow a CNAME at the name, as a recursive resolver would.
		if cn, _ := s.zone.lookup(name, dns.TypeCNAME); len(cn) > 0 {
			m.Answer = append(m.Answer, cn...)
			target := cn[0].(*dns.CNAME).Target
			more, _ := s.zone.lookup(target, q.Qtype)
			m.Answer = append(m.Answer, more...)
			w.WriteMsg(m)
			return
		}
	}
	m.Answer = rrs
	if len(rrs) == 0 {
		soa, _ := dns.NewRR(soaRecord)
		m.Ns = []dns.RR{soa}
		if !exists {
			m.Rcode = dns.RcodeNameError
		}
	}
	w.WriteMsg(m)
}

func askerAddr(a net.Addr) netip.Addr {
	switch v := a.(type) {
	case *net.UDPAddr:
		ip, _ := netip.AddrFromSlice(v.IP)
		return ip.Unmap()
	case *net.TCPAddr:
		ip, _ := netip.AddrFromSlice(v.IP)
		return ip.Unmap()
	}
	return netip.Addr{}
}
