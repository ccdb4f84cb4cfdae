package emulator

import (
	"crypto"
	"crypto/tls"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"net/url"
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
func (e *Emulator) tlsConfig(serverCert *x509.Certificate, serverKey crypto.Signer) *tls.Config {
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
	rec := &verdictWriter{ResponseWriter: w}
	defer func() { e.logRequest(r, rec) }()
	w = rec
	if f.clockSkew != 0 {
		w.Header().Set("Date", e.now().Add(f.clockSkew).UTC().Format(http.TimeFormat))
	}
	if e.style == StyleNginx && !f.noClientCertReq {
		if msg := e.nginxVerify(r); msg != "" {
			rec.why = msg
			w.Header().Set("Content-Type", "text/html")
			w.WriteHeader(http.StatusBadRequest)
			fmt.Fprintf(w, "<html>\r\n<head><title>400 %s</title></head>\r\n<body>\r\n<center><h1>400 Bad Request</h1></center>\r\n<center>%s</center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n", msg, msg)
			return
		}
	}
	switch {
	case f.redirect:
		rec.why = "redirect scenario"
		http.Redirect(w, r, "https://login.elsewhere.example/v2/cardholders", http.StatusFound)
		return
	case f.reflectKey:
		rec.why = "reflect-key scenario"
		reflectKey(w, r)
		return
	case f.htmlForbidden:
		rec.why = "html-403 scenario (a WAF, not the API)"
		w.Header().Set("Server", "corp-waf/2.4")
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.WriteHeader(http.StatusForbidden)
		fmt.Fprint(w, "<!DOCTYPE html><html><head><title>403 Forbidden</title></head><body><h1>Access denied</h1><p>Your request was blocked by the security policy. Reference #18.4f2a.</p></body></html>\n")
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
		rec.why = fmt.Sprintf("caller %s: allowlisted %t, FCrDNS %t", caller, e.allowed(caller), e.fcrdns(caller, r.TLS))
		writeJSON(w, http.StatusForbidden, map[string]any{"status": "error", "message": "No Authorised IPs configured"})
		return
	}
	w.Header().Set("X-Request-Id", "emu-"+randomHex(8))
	key := r.Header.Get("X-API-Key")
	switch {
	case key == "" || (key == e.ProgramKey && f.revokedKey) || (key != e.ProgramKey && key != e.TenantKey):
		rec.why = "API key missing, unknown or revoked"
		writeJSON(w, http.StatusUnauthorized, map[string]any{"status": "error", "message": "Unauthorized"})
		return
	case key == e.TenantKey:
		rec.why = "tenant-level key on a Program endpoint"
		writeJSON(w, http.StatusNotFound, map[string]any{"status": "error", "message": "Not Found"})
		return
	}
	if r.Method != http.MethodGet || r.URL.Path != "/v2/cardholders" {
		writeJSON(w, http.StatusNotFound, map[string]any{"status": "error", "message": "Not Found"})
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"status": "success", "items": []any{}, "total": 0, "limit": 1, "offset": 0})
}

// reflectKey plays something in front of the gateway that echoes the API
// key back in every form a report could pick up: the redirect's Location
// (URL-encoded), a header, Basic credentials, and a body that splits it
// with white space, escapes it as JSON and cuts it at the 200th character.
func reflectKey(w http.ResponseWriter, r *http.Request) {
	key := r.Header.Get("X-API-Key")
	half := len(key) / 2
	w.Header().Set("Location", "https://login.elsewhere.example/sso?api_key="+url.QueryEscape(key)+"&next=%2Fv2%2Fcardholders")
	w.Header().Set("X-Debug-Api-Key", key)
	w.Header().Set("X-Debug-Auth", "Basic "+base64.StdEncoding.EncodeToString([]byte("tenant:"+key)))
	w.Header().Set("Content-Type", "text/html")
	w.WriteHeader(http.StatusFound)
	esc, _ := json.Marshal(key)
	var jsonEscaped strings.Builder
	for _, c := range key {
		fmt.Fprintf(&jsonEscaped, "\\u%04x", c)
	}
	pad := strings.Repeat("x", max(0, 200-len("<p>")-half))
	fmt.Fprintf(w, "<p>%s%s</p>\n<p>your key: %s %s</p>\n<p>%s\r\n%s</p>\n<script>var k = %s; var u = \"%s\";</script>\n<p>%s</p>\n",
		pad, key, key[:half], key[half:], key[:half], key[half:], esc, jsonEscaped.String(), base64.StdEncoding.EncodeToString([]byte(key)))
}

// verdictWriter remembers the status a handler wrote, for the log.
type verdictWriter struct {
	http.ResponseWriter
	code int
	why  string
}

func (v *verdictWriter) WriteHeader(code int) {
	if v.code == 0 {
		v.code = code
	}
	v.ResponseWriter.WriteHeader(code)
}

func (v *verdictWriter) Write(p []byte) (int, error) {
	if v.code == 0 {
		v.code = http.StatusOK
	}
	return v.ResponseWriter.Write(p)
}

// logRequest writes one line: caller, request, certificate, verdict.
func (e *Emulator) logRequest(r *http.Request, v *verdictWriter) {
	subject := "no client certificate"
	if r.TLS != nil && len(r.TLS.PeerCertificates) > 0 {
		subject = r.TLS.PeerCertificates[0].Subject.String()
	}
	verdict := fmt.Sprintf("%d %s", v.code, http.StatusText(v.code))
	if v.why != "" {
		verdict += " (" + v.why + ")"
	}
	e.log.printf("%s %s %s cert %q → %s", remoteAddr(r), r.Method, r.URL.Path, subject, verdict)
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
	return slices.Contains(e.allowlist(), ip)
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
