package emulator

import (
	"bufio"
	"encoding/base64"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"
)

// ProxyEgress is the address the emulator's proxy calls out from: a second
// loopback address, so the gateway can tell a call through the proxy
// (127.0.0.2) from a direct one (127.0.0.1), as a real gateway sees a
// proxy's public address instead of the tenant's.
var ProxyEgress = net.IPv4(127, 0, 0, 2)

// Proxy credentials, when a scenario wants them (proxy-auth). The tenant
// in that scenario does not have them.
const (
	proxyUser     = "tenant"
	proxyPassword = "proxy-secret-not-given"
)

// connectProxy is an HTTP proxy that tunnels CONNECT, like tinyproxy or
// squid: it dials the target from ProxyEgress and splices the bytes.
type connectProxy struct {
	ln     net.Listener
	faults func() faults
	logf   func(format string, args ...any)
	wg     sync.WaitGroup
	mu     sync.Mutex
	conns  map[net.Conn]bool
	closed bool
}

func startProxy(addr string, f func() faults, logf func(string, ...any)) (*connectProxy, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("listen proxy: %w", err)
	}
	p := &connectProxy{ln: ln, faults: f, logf: logf, conns: map[net.Conn]bool{}}
	p.wg.Add(1)
	go p.serve()
	return p, nil
}

// URL is the proxy's address as a --proxy value.
func (p *connectProxy) URL() string { return "http://" + p.ln.Addr().String() }

func (p *connectProxy) serve() {
	defer p.wg.Done()
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return
		}
		if !p.track(c, true) {
			c.Close()
			return
		}
		p.wg.Add(1)
		go func() {
			defer p.wg.Done()
			defer p.track(c, false)
			defer c.Close()
			p.handle(c)
		}()
	}
}

// track adds or removes a connection; it refuses new ones once closed.
func (p *connectProxy) track(c net.Conn, add bool) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if add {
		if p.closed {
			return false
		}
		p.conns[c] = true
	} else {
		delete(p.conns, c)
	}
	return true
}

func (p *connectProxy) handle(c net.Conn) {
	c.SetReadDeadline(time.Now().Add(10 * time.Second))
	req, err := http.ReadRequest(bufio.NewReader(io.LimitReader(c, 64<<10)))
	if err != nil {
		return
	}
	if req.Method != http.MethodConnect {
		p.answer(c, 405, "Method Not Allowed", "this proxy only tunnels CONNECT")
		return
	}
	if p.faults().proxyAuth && !authorized(req.Header.Get("Proxy-Authorization")) {
		p.logf("proxy %s CONNECT %s → 407 (no or wrong credentials)", c.RemoteAddr(), req.Host)
		p.answer(c, 407, "Proxy Authentication Required", "Proxy authentication required")
		return
	}
	d := net.Dialer{LocalAddr: &net.TCPAddr{IP: ProxyEgress}, Timeout: 5 * time.Second}
	up, err := d.Dial("tcp", req.Host)
	if err != nil {
		p.logf("proxy %s CONNECT %s → 502 (%v)", c.RemoteAddr(), req.Host, err)
		p.answer(c, 502, "Bad Gateway", "cannot reach "+req.Host)
		return
	}
	if !p.track(up, true) {
		up.Close()
		return
	}
	defer p.track(up, false)
	defer up.Close()
	c.SetReadDeadline(time.Time{})
	p.logf("proxy %s CONNECT %s → 200, calling from %s", c.RemoteAddr(), req.Host, up.LocalAddr())
	if _, err := io.WriteString(c, "HTTP/1.1 200 Connection established\r\nProxy-Agent: axys-emulator-proxy\r\n\r\n"); err != nil {
		return
	}
	done := make(chan struct{}, 2)
	go func() { io.Copy(up, c); up.(*net.TCPConn).CloseWrite(); done <- struct{}{} }()
	go func() { io.Copy(c, up); done <- struct{}{} }()
	<-done
	<-done
}

func (p *connectProxy) answer(c net.Conn, code int, status, msg string) {
	body := "<html><head><title>" + status + "</title></head><body><h1>" + status + "</h1><p>" + msg + "</p></body></html>\n"
	h := fmt.Sprintf("HTTP/1.1 %d %s\r\nContent-Type: text/html\r\nContent-Length: %d\r\nProxy-Agent: axys-emulator-proxy\r\n", code, status, len(body))
	if code == 407 {
		h += "Proxy-Authenticate: Basic realm=\"axys-emulator-proxy\"\r\n"
	}
	io.WriteString(c, h+"Connection: close\r\n\r\n"+body)
}

func authorized(header string) bool {
	v, ok := strings.CutPrefix(header, "Basic ")
	if !ok {
		return false
	}
	b, err := base64.StdEncoding.DecodeString(v)
	return err == nil && string(b) == proxyUser+":"+proxyPassword
}

func (p *connectProxy) close() {
	p.mu.Lock()
	p.closed = true
	for c := range p.conns {
		c.Close()
	}
	p.mu.Unlock()
	p.ln.Close()
	p.wg.Wait()
}
