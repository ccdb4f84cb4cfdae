package emulator

import (
	"crypto"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"net"
	"net/http"
	"time"
)

// whoAmI is an HTTPS service that answers GET with the caller's address in
// plain text, like checkip.amazonaws.com: axysdoctor asks it through the
// proxy to learn the proxy's egress address. Its certificate comes from
// the server CA (--ca-file).
type whoAmI struct {
	srv *http.Server
	URL string
}

func startWhoAmI(cert *x509.Certificate, key crypto.Signer) (*whoAmI, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("listen who-am-I: %w", err)
	}
	srv := &http.Server{
		Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/plain")
			fmt.Fprintln(w, remoteAddr(r))
		}),
		ReadHeaderTimeout: 10 * time.Second,
		TLSConfig: &tls.Config{
			Certificates: []tls.Certificate{{Certificate: [][]byte{cert.Raw}, PrivateKey: key, Leaf: cert}},
			MinVersion:   tls.VersionTLS12,
		},
	}
	go srv.Serve(tls.NewListener(ln, srv.TLSConfig))
	return &whoAmI{srv: srv, URL: "https://" + ln.Addr().String() + "/"}, nil
}

func (w *whoAmI) close() { w.srv.Close() }
