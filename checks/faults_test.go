package checks

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/axysdoctor/axysdoctor/docs"
	"github.com/axysdoctor/axysdoctor/internal/testnet"
)

const faultTimeout = 400 * time.Millisecond

const faultKey = "axys_prog_fault_0123456789abcdef"

// gatewaySession points a session at base with the given client material.
func gatewaySession(p gatewayPKI, base string, leaf *x509.Certificate) *session {
	env := Environment{Name: "test", BaseURL: base, ProbeURL: base + "/cardholders?limit=1"}
	return &session{
		opts:    Options{Environment: env, CAFile: p.caFile, Timeout: faultTimeout, APIKey: NewAPIKey(faultKey)},
		mat:     p.material(leaf),
		results: map[string]Result{},
	}
}

// exchangeWith runs the gateway chain and both judgements, and checks the
// time bound: each network step gets at most faultTimeout, and a fault
// stops its chain, so one step plus a second is the budget here.
func exchangeWith(t *testing.T, s *session, steps int) (hs, probe Result) {
	t.Helper()
	start := time.Now()
	obs := observeGateway(context.Background(), s)
	elapsed := time.Since(start)
	if limit := time.Duration(steps)*faultTimeout + time.Second; elapsed > limit {
		t.Errorf("took %s, more than %s", elapsed, limit)
	}
	hs = judgeHandshake(obs, s.mat, time.Now())
	probe = Result{Status: Skip}
	if hs.Status != Fail {
		probe = judgeProbe(obs, s.opts.APIKey, s.opts.Environment)
	}
	return hs, probe
}

// noLeak fails the test if a goroutine of this package's code outlives
// it. Goroutines that are about to return get a few scheduler turns.
func noLeak(t *testing.T) {
	t.Helper()
	t.Cleanup(func() {
		var leaked string
		for range 2000 {
			leaked = strayGoroutine()
			if leaked == "" {
				return
			}
			runtime.Gosched()
		}
		t.Errorf("a goroutine outlived the test:\n%s", leaked)
	})
}

func strayGoroutine() string {
	buf := make([]byte, 1<<20)
	buf = buf[:runtime.Stack(buf, true)]
	for _, g := range strings.Split(string(buf), "\n\n") {
		if strings.Contains(g, "axysdoctor/checks.") && !strings.Contains(g, "_test.go") {
			return g
		}
	}
	return ""
}

// tlsGateway serves h over TLS with cfg (its certificate added) and
// returns the base URL.
func tlsGateway(t *testing.T, p gatewayPKI, cfg *tls.Config, h http.Handler) string {
	t.Helper()
	srv := httptest.NewUnstartedServer(h)
	cfg.Certificates = []tls.Certificate{p.server}
	srv.TLS = cfg
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	srv.StartTLS()
	t.Cleanup(srv.Close)
	return srv.URL + "/v2"
}

func mtls(p gatewayPKI, version uint16) *tls.Config {
	return &tls.Config{ClientAuth: tls.RequireAndVerifyClientCert, ClientCAs: p.clientPool, MinVersion: version, MaxVersion: version}
}

func okHandler(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	fmt.Fprint(w, `{"status":"success","items":[],"total":0,"limit":1,"offset":0}`)
}

func TestHandshakeAlerts(t *testing.T) {
	p := newGatewayPKI(t)
	versions := map[string]uint16{"TLS1.2": tls.VersionTLS12, "TLS1.3": tls.VersionTLS13}
	for vname, v := range versions {
		cases := []struct {
			name  string
			cfg   func() *tls.Config
			leaf  *x509.Certificate
			alert string
			why   string
		}{
			{"no certificate", func() *tls.Config { return mtls(p, v) }, nil, map[uint16]string{tls.VersionTLS12: "alert 40", tls.VersionTLS13: "alert 116"}[v], "no usable client certificate was given"},
			{"unknown CA", func() *tls.Config { return mtls(p, v) }, p.other, "alert 48", "Test Staging Client CA"},
			{"expired", func() *tls.Config { return mtls(p, v) }, p.expired, "alert 45", "expired"},
			{"rejected by policy", func() *tls.Config {
				c := mtls(p, v)
				c.VerifyPeerCertificate = func([][]byte, [][]*x509.Certificate) error { return errors.New("revoked") }
				return c
			}, p.client, "alert 42", "bad certificate"},
		}
		for _, c := range cases {
			t.Run(vname+"/"+c.name, func(t *testing.T) {
				noLeak(t)
				base := tlsGateway(t, p, c.cfg(), http.HandlerFunc(okHandler))
				hs, _ := exchangeWith(t, gatewaySession(p, base, c.leaf), 2)
				if hs.Status != Fail || hs.Row != docs.RowTLSHandshake || !strings.Contains(hs.Summary, c.alert) || !strings.Contains(hs.Summary, c.why) {
					t.Errorf("%s [%s] %s; want fail on tls-handshake with %q and %q", hs.Status, hs.Row, hs.Summary, c.alert, c.why)
				}
			})
		}
	}
}

// rawServer accepts connections and hands each to serve.
func rawServer(t *testing.T, serve func(net.Conn)) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go serve(c)
		}
	}()
	return "https://" + ln.Addr().String() + "/v2"
}

func TestRawAlertsAndBrokenHandshakes(t *testing.T) {
	p := newGatewayPKI(t)
	alert := func(code byte) func(net.Conn) {
		return func(c net.Conn) {
			defer c.Close()
			buf := make([]byte, 4096)
			c.Read(buf) // the ClientHello
			c.Write([]byte{0x15, 0x03, 0x03, 0x00, 0x02, 0x02, code})
		}
	}
	for _, code := range []byte{40, 42, 45, 48, 116} {
		t.Run(fmt.Sprintf("alert %d", code), func(t *testing.T) {
			noLeak(t)
			hs, _ := exchangeWith(t, gatewaySession(p, rawServer(t, alert(code)), p.client), 2)
			if hs.Status != Fail || hs.Row != docs.RowTLSHandshake || !strings.Contains(hs.Summary, fmt.Sprintf("alert %d", code)) {
				t.Errorf("%s [%s] %s", hs.Status, hs.Row, hs.Summary)
			}
		})
	}
	t.Run("never finishes the handshake", func(t *testing.T) {
		noLeak(t)
		stop := make(chan struct{})
		t.Cleanup(func() { close(stop) })
		base := rawServer(t, func(c net.Conn) {
			defer c.Close()
			go io.Copy(io.Discard, c)
			<-stop
		})
		hs, _ := exchangeWith(t, gatewaySession(p, base, p.client), 2)
		if hs.Status != Fail || hs.Row != docs.RowNetworkPath || !strings.Contains(hs.Summary, "did not finish the TLS handshake within") {
			t.Errorf("%s [%s] %s", hs.Status, hs.Row, hs.Summary)
		}
	})
	t.Run("reset right after the handshake", func(t *testing.T) {
		noLeak(t)
		cfg := mtls(p, tls.VersionTLS13)
		cfg.Certificates = []tls.Certificate{p.server}
		base := rawServer(t, func(c net.Conn) {
			tc := tls.Server(c, cfg)
			if tc.Handshake() == nil {
				c.(*net.TCPConn).SetLinger(0)
			}
			c.Close()
		})
		hs, _ := exchangeWith(t, gatewaySession(p, base, p.client), 3)
		if hs.Status != Fail || hs.Row != docs.RowTLSHandshake || !strings.Contains(hs.Summary, "closed the connection") {
			t.Errorf("%s [%s] %s", hs.Status, hs.Row, hs.Summary)
		}
	})
	t.Run("server certificate from an unknown CA", func(t *testing.T) {
		noLeak(t)
		srv := httptest.NewUnstartedServer(http.HandlerFunc(okHandler))
		srv.Config.ErrorLog = log.New(io.Discard, "", 0)
		srv.StartTLS() // httptest's own certificate, which our --ca-file does not vouch for
		t.Cleanup(srv.Close)
		hs, _ := exchangeWith(t, gatewaySession(p, srv.URL+"/v2", p.client), 2)
		if hs.Status != Fail || hs.Row != docs.RowTLSInterception || !strings.Contains(hs.Summary, "does not trust") {
			t.Errorf("%s [%s] %s", hs.Status, hs.Row, hs.Summary)
		}
	})
	t.Run("TLS 1.1 only", func(t *testing.T) {
		noLeak(t)
		base := tlsGateway(t, p, &tls.Config{MinVersion: tls.VersionTLS10, MaxVersion: tls.VersionTLS11}, http.HandlerFunc(okHandler))
		hs, _ := exchangeWith(t, gatewaySession(p, base, p.client), 2)
		if hs.Status != Fail {
			t.Errorf("a TLS 1.1 server was accepted: %s", hs.Summary)
		}
	})
}

func TestConnectionFaults(t *testing.T) {
	p := newGatewayPKI(t)
	t.Run("refused", func(t *testing.T) {
		noLeak(t)
		ln, _ := net.Listen("tcp", "127.0.0.1:0")
		addr := ln.Addr().String()
		ln.Close()
		hs, _ := exchangeWith(t, gatewaySession(p, "https://"+addr+"/v2", p.client), 1)
		if hs.Status != Fail || hs.Row != docs.RowNetworkPath || !strings.Contains(hs.Summary, "connection refused") {
			t.Errorf("%s [%s] %s", hs.Status, hs.Row, hs.Summary)
		}
	})
	t.Run("blackholed", func(t *testing.T) {
		noLeak(t)
		hs, _ := exchangeWith(t, gatewaySession(p, "https://"+testnet.TCPBlackhole(t)+"/v2", p.client), 1)
		if hs.Status != Fail || hs.Row != docs.RowNetworkPath || !strings.Contains(hs.Summary, "no answer within") {
			t.Errorf("%s [%s] %s", hs.Status, hs.Row, hs.Summary)
		}
	})
}

func TestHTTPFaults(t *testing.T) {
	p := newGatewayPKI(t)
	var recorded atomic.Int32
	recorder := tlsGateway(t, p, &tls.Config{}, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		recorded.Add(1)
		if r.Header.Get("X-API-Key") != "" {
			t.Errorf("the API key reached the redirect target")
		}
	}))
	otherHost := strings.Replace(recorder, "127.0.0.1", "127.0.0.2", 1)
	stop := make(chan struct{})
	t.Cleanup(func() { close(stop) })
	cases := []struct {
		name    string
		handler http.HandlerFunc
		hs      Status
		probe   Status
		row     string
		want    string
	}{
		{"trickling body", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			fmt.Fprint(w, `{"status":"success","items":[`)
			w.(http.Flusher).Flush()
			tick := time.NewTicker(20 * time.Millisecond)
			defer tick.Stop()
			for {
				select {
				case <-tick.C:
					if _, err := w.Write([]byte(" ")); err != nil {
						return
					}
					w.(http.Flusher).Flush()
				case <-stop:
					return
				case <-r.Context().Done():
					return
				}
			}
		}, Pass, Warn, docs.RowUnexpectedResponse, "body did not finish within"},
		{"10 MB body", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			fmt.Fprint(w, `{"status":"success","items":[`)
			chunk := []byte(strings.Repeat(`{"id":"ch_0000000000"},`, 1000))
			for written := 0; written < 10<<20; written += len(chunk) {
				if _, err := w.Write(chunk); err != nil {
					return
				}
			}
		}, Pass, Pass, "", "all accepted"},
		{"redirect to another host", func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, otherHost+"/v2/cardholders?limit=1", http.StatusFound)
		}, Pass, Fail, docs.RowUnexpectedResponse, "not followed"},
		{"redirect loop", func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, r.URL.String(), http.StatusMovedPermanently)
		}, Pass, Fail, docs.RowUnexpectedResponse, "HTTP 301"},
		{"429", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Retry-After", "120")
			w.WriteHeader(http.StatusTooManyRequests)
		}, Pass, Fail, docs.RowRateLimited, "Retry-After: 120"},
		{"502", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusBadGateway) }, Pass, Fail, docs.RowPlatformError, "HTTP 502"},
		{"200 not JSON", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			fmt.Fprint(w, "<html><body>Please log in to the Wi-Fi</body></html>")
		}, Pass, Fail, docs.RowUnexpectedResponse, "not the API's JSON"},
		{"no answer after the handshake", func(w http.ResponseWriter, r *http.Request) {
			select {
			case <-stop:
			case <-r.Context().Done():
			}
		}, Warn, Fail, docs.RowNetworkPath, "no HTTP answer within"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			noLeak(t)
			base := tlsGateway(t, p, mtls(p, tls.VersionTLS13), c.handler)
			hs, probe := exchangeWith(t, gatewaySession(p, base, p.client), 4)
			if hs.Status != c.hs {
				t.Errorf("handshake %s: %s", hs.Status, hs.Summary)
			}
			if probe.Status != c.probe || probe.Row != c.row || !strings.Contains(probe.Summary, c.want) {
				t.Errorf("probe %s [%s] %s; want %s [%s] with %q", probe.Status, probe.Row, probe.Summary, c.probe, c.row, c.want)
			}
		})
	}
	if n := recorded.Load(); n != 0 {
		t.Errorf("the redirect target got %d requests", n)
	}
}
