package emulator

import (
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"slices"
	"strings"
	"time"
)

// Gateway styles: how a rejected client certificate is answered.
const (
	// StyleStrict aborts the handshake with an alert, as Go and most
	// TLS-terminating gateways configured to require client certificates do.
	StyleStrict = "strict"
	// StyleNginx finishes the handshake and answers HTTP 400, as nginx does
	// with ssl_verify_client on.
	StyleNginx = "nginx"
)

// tlsConfig is the gateway's TLS side. Each connection gets the
// configuration of the scenario in force when its ClientHello arrives, so
// SetScenario takes effect on the next connection.
func (e *Emulator) tlsConfig(serverCert *x509.Certificate, serverKey any) *tls.Config {
	pool := x509.NewCertPool()
	pool.AddCert(e.trustedCA().Cert)
	base := &tls.Config{
		Certificates: []tls.Certificate{{Certificate: [][]byte{serverCert.Raw}, PrivateKey: serverKey, Leaf: serverCert}},
		ClientCAs:    pool,
		ClientAuth:   tls.RequireAndVerifyClientCert,
		MinVersion:   tls.VersionTLS12,
		MaxVersion:   e.maxTLS,
		Time:         e.now,
		NextProtos:   []string{"http/1.1"},
	}
	outer := base.Clone()
	outer.GetConfigForClient = func(hello *tls.ClientHelloInfo) (*tls.Config, error) {
		f := e.fault()
		if d := f.handshakeDelay; d > 0 {
			t := time.NewTimer(d)
			defer t.Stop()
			select {
			case <-t.C:
			case <-hello.Context().Done():
			case <-e.closing:
			}
		}
		cfg := base.Clone()
		switch {
		case f.noClientCertReq:
			cfg.ClientAuth = tls.NoClientCert
		case e.style == StyleNginx:
			cfg.ClientAuth = tls.RequestClientCert
		}
		return cfg, nil
	}
	return outer
}

// ServeHTTP answers like the documented gateway, checking in its order:
// certificate, allowlist, FCrDNS, API key.
func (e *Emulator) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	e.countRequest()
	f := e.fault()
	if e.style == StyleNginx && !f.noClientCertReq {
		if msg := e.nginxVerify(r); msg != "" {
			w.Header().Set("Content-Type", "text/html")
			w.WriteHeader(http.StatusBadRequest)
			fmt.Fprintf(w, "<html>\r\n<head><title>400 %s</title></head>\r\n<body>\r\n<center><h1>400 Bad Request</h1></center>\r\n<center>%s</center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n", msg, msg)
			return
		}
	}
	switch {
	case f.redirect:
		http.Redirect(w, r, "https://login.elsewhere.example/v2/cardholders", http.StatusFound)
		return
	case f.rateLimited:
		w.Header().Set("Retry-After", "30")
		writeJSON(w, http.StatusTooManyRequests, map[string]any{"status": "error", "message": "Too Many Requests"})
		return
	case f.serverError:
		writeJSON(w, http.StatusServiceUnavailable, map[string]any{"status": "error", "message": "Service Unavailable"})
		return
	}
	caller := remoteAddr(r)
	if !e.allowed(caller) || !e.fcrdns(caller, r.TLS) {
		writeJSON(w, http.StatusForbidden, map[string]any{"status": "error", "message": "No Authorised IPs configured"})
		return
	}
	key := r.Header.Get("X-API-Key")
	switch {
	case key == "" || (key == e.ProgramKey && f.revokedKey) || (key != e.ProgramKey && key != e.TenantKey):
		writeJSON(w, http.StatusUnauthorized, map[string]any{"status": "error", "message": "Unauthorized"})
		return
	case key == e.TenantKey:
		writeJSON(w, http.StatusNotFound, map[string]any{"status": "error", "message": "Not Found"})
		return
	}
	if r.Method != http.MethodGet || r.URL.Path != "/v2/cardholders" {
		writeJSON(w, http.StatusNotFound, map[string]any{"status": "error", "message": "Not Found"})
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"status": "success", "items": []any{}, "total": 0, "limit": 1, "offset": 0})
}

// nginxVerify judges the client certificate after the handshake, with
// nginx's messages.
func (e *Emulator) nginxVerify(r *http.Request) string {
	if r.TLS == nil || len(r.TLS.PeerCertificates) == 0 {
		return "No required SSL certificate was sent"
	}
	pool := x509.NewCertPool()
	pool.AddCert(e.trustedCA().Cert)
	inter := x509.NewCertPool()
	for _, c := range r.TLS.PeerCertificates[1:] {
		inter.AddCert(c)
	}
	_, err := r.TLS.PeerCertificates[0].Verify(x509.VerifyOptions{
		Roots: pool, Intermediates: inter, CurrentTime: e.now(),
		KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth},
	})
	if err != nil {
		return "The SSL certificate error"
	}
	return ""
}

func (e *Emulator) allowed(ip netip.Addr) bool {
	if e.fault().notAllowlisted {
		return false
	}
	return slices.Contains(e.allowlist, ip)
}

// fcrdns is the gateway's own check: the caller's PTR names, forward-
// confirmed, must include one of the certificate's DNS names. The gateway
// sees public DNS (the zone), not the tenant's resolver.
func (e *Emulator) fcrdns(ip netip.Addr, st *tls.ConnectionState) bool {
	if st == nil || len(st.PeerCertificates) == 0 {
		return false
	}
	certNames := st.PeerCertificates[0].DNSNames
	for _, n := range e.zone.ptrNames(ip) {
		if !slices.Contains(e.zone.addrs(n), ip) {
			continue
		}
		for _, c := range certNames {
			if strings.EqualFold(strings.TrimSuffix(n, "."), c) {
				return true
			}
		}
	}
	return false
}

func remoteAddr(r *http.Request) netip.Addr {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return netip.Addr{}
	}
	a, err := netip.ParseAddr(host)
	if err != nil {
		return netip.Addr{}
	}
	return a.Unmap()
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	json.NewEncoder(w).Encode(v)
}
