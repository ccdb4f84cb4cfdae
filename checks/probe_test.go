package checks

import (
	"errors"
	"io"
	"net"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/axysdoctor/axysdoctor/docs"
)

func response(code int, body string, headers ...string) *gatewayObservation {
	h := http.Header{}
	for i := 0; i+1 < len(headers); i += 2 {
		h.Set(headers[i], headers[i+1])
	}
	return &gatewayObservation{Response: &http.Response{StatusCode: code, Header: h}, Body: []byte(body), TTFB: 12 * time.Millisecond, Timeout: 5 * time.Second, CertRequested: true}
}

// withoutMTLS is obs from a server that never asked for a certificate.
func withoutMTLS(obs *gatewayObservation) *gatewayObservation {
	obs.CertRequested = false
	return obs
}

func TestJudgeProbe(t *testing.T) {
	env, _ := ResolveEnvironment("staging", "")
	key := NewAPIKey("axys_prog_0123456789abcdef")
	cases := []struct {
		name   string
		obs    *gatewayObservation
		key    APIKey
		status Status
		row    string
		want   string
	}{
		{"200 empty list", response(200, `{"status":"success","items":[],"total":0,"limit":1,"offset":0}`), key, Pass, "", "all accepted"},
		{"200 truncated JSON", response(200, `{"status":"success","items":[{"id":"ch_1","name":"`+strings.Repeat("x", 100)), key, Pass, "", "all accepted"},
		// Found against nginx without ssl_verify_client: its 200 passed as
		// "certificate, calling IP and API key all accepted".
		{"200 without mutual TLS", withoutMTLS(response(200, `{"status":"success","items":[],"total":0,"limit":1,"offset":0}`)), key, Fail, docs.RowTLSInterception, "HTTP 200, from a server that never asked for the client certificate: it checked nothing"},
		{"302 without mutual TLS", withoutMTLS(response(302, ``, "Location", "https://login.example/x")), key, Fail, docs.RowTLSInterception, "HTTP 302 redirect to https://login.example/x, not followed (the API key is never sent to a redirect target), from a server that never asked"},
		{"403 without mutual TLS", withoutMTLS(response(403, `{"status":"error","message":"No Authorised IPs configured"}`)), key, Fail, docs.RowTLSInterception, "HTTP 403 No Authorised IPs configured, from a server that never asked"},
		{"200 HTML", response(200, "<html>captive portal</html>", "Content-Type", "text/html"), key, Fail, docs.RowUnexpectedResponse, "not the API's JSON"},
		{"200 error envelope", response(200, `{"status":"error"}`), key, Warn, docs.RowUnexpectedResponse, `"error"`},
		{"401 no key", response(401, `{"status":"error"}`), APIKey{}, Fail, docs.RowAPIKey, "no API key was given"},
		{"401", response(401, `{"status":"error"}`), key, Fail, docs.RowAPIKey, "…cdef"},
		{"403", response(403, `{"status":"error","message":"No Authorised IPs configured"}`), key, Fail, docs.RowAuthorizedIPs, "No Authorised IPs configured"},
		{"403 other", response(403, `{"status":"error","message":"Forbidden"}`), key, Fail, docs.RowAuthorizedIPs, "without the documented authorised-IPs message"},
		{"404", response(404, `{"status":"error"}`), key, Fail, docs.RowTenantCredentials, "tenant-level key"},
		{"429", response(429, `{}`, "Retry-After", "30"), key, Fail, docs.RowRateLimited, "Retry-After: 30"},
		{"503", response(503, `{}`), key, Fail, docs.RowPlatformError, "HTTP 503"},
		{"302", response(302, ``, "Location", "https://evil.example/steal"), key, Fail, docs.RowUnexpectedResponse, "https://evil.example/steal, not followed"},
		{"418", response(418, ``), key, Fail, docs.RowUnexpectedResponse, "HTTP 418"},
		{"timeout", &gatewayObservation{ExchangeErr: os.ErrDeadlineExceeded, Timeout: time.Second}, key, Fail, docs.RowNetworkPath, "no HTTP answer within 1s"},
		{"reset", &gatewayObservation{ExchangeErr: io.ErrUnexpectedEOF}, key, Fail, docs.RowUnexpectedResponse, "no HTTP answer"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := judgeProbe(c.obs, c.key, env)
			if r.Status != c.status || r.Row != c.row || !strings.Contains(r.Summary, c.want) {
				t.Errorf("got %s [%s] %q; want %s [%s] containing %q", r.Status, r.Row, r.Summary, c.status, c.row, c.want)
			}
			if r.Status != Pass && r.Fix == "" {
				t.Error("no fix")
			}
		})
	}
}

// The key quoted back by a server is removed, as Diagnose removes it.
func TestJudgeProbeRedactsTheKeyFromBodies(t *testing.T) {
	key := NewAPIKey("axys_prog_0123456789abcdef")
	obs := response(401, `{"message":"key axys_prog_0123456789abcdef is revoked"}`, "Location", "https://x.example/?k=axys_prog_0123456789abcdef")
	r := redactResult(judgeProbe(obs, key, Environment{ProbeURL: "https://x/v2/cardholders?limit=1"}), newRedactor(key))
	for _, e := range r.Evidence {
		if strings.Contains(e.Value, key.Reveal()) {
			t.Errorf("evidence %s shows the key: %s", e.Label, e.Value)
		}
	}
	if strings.Contains(r.Summary, key.Reveal()) {
		t.Error("summary shows the key")
	}
}

func TestAPIKeyPrintsRedacted(t *testing.T) {
	k := NewAPIKey("  axys_prog_0123456789abcdef\n")
	for _, s := range []string{k.String(), k.GoString(), k.Redacted()} {
		if strings.Contains(s, "0123456789") || !strings.HasPrefix(s, "…cdef (sha256:") {
			t.Errorf("%q", s)
		}
	}
	if NewAPIKey("short").Redacted() == "…hort" || strings.Contains(NewAPIKey("short").Redacted(), "hort") {
		t.Error("a short key shows its last characters")
	}
	if (APIKey{}).Redacted() != "(none)" {
		t.Error("empty key")
	}
}

type alertErr uint8

func (a alertErr) Error() string { return "tls: unknown certificate authority" }

func TestReceivedAlert(t *testing.T) {
	cases := []struct {
		err  error
		code uint8
	}{
		{&net.OpError{Op: "remote error", Err: alertErr(48)}, 48},
		{errors.New("local error: remote error: tls: certificate required"), 116},
		{errors.New("remote error: tls: expired certificate"), 45},
		{errors.New("remote error: tls: bad certificate"), 42},
		{errors.New("remote error: tls: handshake failure"), 40},
	}
	for _, c := range cases {
		a, ok := receivedAlert(c.err)
		if !ok || a.Code != c.code {
			t.Errorf("%v: %v %v, want %d", c.err, a, ok, c.code)
		}
	}
	if _, ok := receivedAlert(io.EOF); ok {
		t.Error("EOF is not an alert")
	}
}

func TestNginxCertError(t *testing.T) {
	if nginxCertError([]byte("<title>400 No required SSL certificate was sent</title>")) != "No required SSL certificate was sent" {
		t.Error("missing certificate page")
	}
	if nginxCertError([]byte("<title>400 The SSL certificate error</title>")) != "The SSL certificate error" {
		t.Error("certificate error page")
	}
	if nginxCertError([]byte(`{"status":"error","message":"Bad Request"}`)) != "" {
		t.Error("an API 400 is not a certificate rejection")
	}
}

func TestEnvironments(t *testing.T) {
	e, _ := ResolveEnvironment("sandbox", "")
	if e.ProbeURL != StagingURL+"/cardholders?limit=1" || !strings.Contains(e.Note, "staging") {
		t.Errorf("sandbox: %+v", e)
	}
	e, _ = ResolveEnvironment("production", "")
	if e.BaseURL != "https://production.api.axyscards.com/v2" {
		t.Errorf("production: %+v", e)
	}
	e, err := ResolveEnvironment("staging", "https://127.0.0.1:8443/v2/")
	if err != nil || e.ProbeURL != "https://127.0.0.1:8443/v2/cardholders?limit=1" {
		t.Errorf("override: %+v %v", e, err)
	}
	for _, bad := range []string{"http://x/v2", "ftp://x", "https://user:pw@x/v2", "not a url"} {
		if _, err := ResolveEnvironment("staging", bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}
