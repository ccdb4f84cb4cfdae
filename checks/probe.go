package checks

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"

	"github.com/axysdoctor/axysdoctor/docs"
)

// checkProbe judges the answer to GET {base}/cardholders?limit=1, sent with
// X-API-Key over the handshake's own connection (see checkHandshake).
func checkProbe(_ context.Context, s *session) Result {
	obs := s.gateway
	r := judgeProbe(obs, s.opts.APIKey, s.opts.Environment)
	r.Duration = obs.TTFB
	if r.Status == Fail && (r.Row == docs.RowAuthorizedIPs) {
		s.explainForbidden(&r, obs)
	}
	return r
}

// judgeProbe classifies the HTTP answer. It is pure: the same observation
// always gives the same result. Text it quotes from the network may hold
// the key; Diagnose redacts every result (redactResult) before anyone sees it.
func judgeProbe(obs *gatewayObservation, key APIKey, env Environment) Result {
	r := Result{Status: Pass}
	r.add("request", "GET %s with X-API-Key %s", env.ProbeURL, key.Redacted())
	if env.Note != "" {
		r.add("environment", "%s", env.Note)
	}
	resp := obs.Response
	if resp == nil {
		r.Status = Fail
		if obs.ExchangeErr != nil && isTimeout(obs.ExchangeErr) {
			r.Row = docs.RowNetworkPath
			r.Summary = fmt.Sprintf("no HTTP answer within %s", obs.Timeout)
			r.Fix = "Run again with a longer --timeout; if the gateway never answers, report it to Axys with this output."
		} else {
			r.Row = docs.RowUnexpectedResponse
			r.Summary = "no HTTP answer: " + oneLine(errString(obs.ExchangeErr), 200)
			r.Fix = "Run again; if it persists, report it to Axys with this output."
		}
		return r
	}
	code := resp.StatusCode
	r.add("answer", "HTTP %d %s in %s", code, http.StatusText(code), ms(obs.TTFB))
	if ct := resp.Header.Get("Content-Type"); ct != "" {
		r.add("content type", "%s", oneLine(ct, 80))
	}
	snippet := oneLine(string(obs.Body), 200)
	if snippet != "" {
		r.add("body", "%s", snippet)
	}
	if obs.BodyErr != nil {
		r.add("body note", "the body did not finish within %s; judged on what arrived", obs.Timeout)
	}
	for _, h := range []string{"Retry-After", "Location", "X-Request-Id", "X-Request-ID", "X-Amzn-Requestid", "Server"} {
		if v := resp.Header.Get(h); v != "" {
			r.add(strings.ToLower(h), "%s", oneLine(v, 120))
		}
	}
	switch {
	case code == http.StatusOK:
		status, ok := envelopeStatus(obs.Body)
		switch {
		case !ok:
			r.Status = Fail
			r.Row = docs.RowUnexpectedResponse
			r.Summary = "HTTP 200, but the body is not the API's JSON: something other than the Axys API answered (a captive portal, proxy or wrong base URL)"
			r.Fix = "Check the base URL and that nothing on the path rewrites responses."
		case status != "success":
			r.Status = Warn
			r.Row = docs.RowUnexpectedResponse
			r.Summary = fmt.Sprintf("HTTP 200 with envelope status %q", status)
			r.Fix = "Read the envelope's message; report it to Axys if unclear."
		default:
			r.Summary = "HTTP 200: certificate, calling IP and API key all accepted"
			if total, ok := envelopeTotal(obs.Body); ok && total == 0 {
				r.add("note", "no cardholders yet: normal for a new Program; if you expected some, the key may belong to another Program")
			}
		}
	case code == http.StatusUnauthorized:
		r.Status = Fail
		r.Row = docs.RowAPIKey
		if key.Empty() {
			r.Summary = "HTTP 401 and no API key was given: the certificate and IP passed, the key is missing"
			r.Fix = "Put the Program's API key in AXYS_API_KEY (or --api-key-env NAME, or --api-key-file FILE|-) and run again."
		} else {
			r.Summary = fmt.Sprintf("HTTP 401: the certificate and IP passed, but the API key %s is wrong or revoked", key.Redacted())
			r.Fix = "Check the key belongs to this environment (staging and production keys differ) and has not been revoked or rotated; copy it again without spaces or quotes."
		}
	case code == http.StatusForbidden:
		r.Status = Fail
		r.Row = docs.RowAuthorizedIPs
		if bytes.Contains(bytes.ToLower(obs.Body), []byte("authori")) {
			r.Summary = "HTTP 403 No Authorised IPs configured: the calling IP is not allowlisted, or it fails FCrDNS (the gateway cannot say which)"
		} else {
			r.Summary = "HTTP 403 without the authorized-IPs message: an IP or compliance restriction"
		}
		r.Fix = "Ask Axys to allowlist the address the gateway sees, and make its FCrDNS pass (see net.egress and dns.fcrdns)."
	case code == http.StatusNotFound:
		r.Status = Fail
		r.Row = docs.RowTenantCredentials
		r.Summary = "HTTP 404 from /cardholders: certificate, IP and key passed, but the key is not scoped to a Program — a tenant-level key (Account Management only), or the wrong base URL or environment"
		r.Fix = "Use a Program-level API key for Program endpoints such as /cardholders, and check the base URL (" + env.BaseURL + ")."
	case code == http.StatusTooManyRequests:
		r.Status = Fail
		r.Row = docs.RowRateLimited
		r.Summary = "HTTP 429: rate limited, so the credentials were not confirmed"
		if ra := resp.Header.Get("Retry-After"); ra != "" {
			r.Summary += fmt.Sprintf(" (Retry-After: %s)", oneLine(ra, 40))
		}
		r.Fix = "Wait and run again; if other traffic shares this key, run the probe when it is quiet."
	case code >= 500:
		r.Status = Fail
		r.Row = docs.RowPlatformError
		r.Summary = fmt.Sprintf("HTTP %d: an error on the platform's side; credentials were not confirmed", code)
		r.Fix = "Run again later; if it persists, report it to Axys with the time and this output."
	case code >= 300 && code < 400:
		r.Status = Fail
		r.Row = docs.RowUnexpectedResponse
		loc := oneLine(resp.Header.Get("Location"), 120)
		r.Summary = fmt.Sprintf("HTTP %d redirect to %s, not followed (the API key is never sent to a redirect target)", code, orDash(loc))
		r.Fix = "The Axys API does not redirect: check the base URL (https, the /v2 path, the right host) and anything on the path that rewrites requests."
	default:
		r.Status = Fail
		r.Row = docs.RowUnexpectedResponse
		r.Summary = fmt.Sprintf("HTTP %d %s, which the Axys API does not document for this request", code, http.StatusText(code))
		r.Fix = "Check the base URL; report it to Axys with this output if it is right."
	}
	return r
}

// explainForbidden adds what axysdoctor saw of the two causes a 403 hides.
func (s *session) explainForbidden(r *Result, obs *gatewayObservation) {
	if ip := localIP(obs); ip.IsValid() && ip.Is6() {
		r.Row = docs.RowIPv6Egress
		r.Summary += fmt.Sprintf("; this call went over IPv6 from %s", ip)
		r.Fix = "Allowlist the IPv6 address too (with its PTR), or make your client call over IPv4."
	}
	if eg := s.result(IDNetEgress); eg.Status != "" {
		if addrs := s.egressAddrs(); len(addrs) > 0 {
			r.add("calling addresses", "%s (net.egress)", joinAddrs(addrs))
		}
	}
	switch fc := s.result(IDDNSFCrDNS); fc.Status {
	case Pass:
		r.add("FCrDNS", "passed here, so the likely cause is the allowlist")
		r.Fix = "Ask Axys (your onboarding contact, or Account Management in production) to allowlist " + joinAddrs(s.egressAddrs()) + "."
	case Fail:
		r.add("FCrDNS", "failed here (%s), which alone explains the 403", fc.Summary)
		r.Fix = "Fix FCrDNS first (see dns.fcrdns), then ask Axys to confirm the allowlist."
	default:
		r.add("FCrDNS", "not verified here (%s)", fc.Status)
	}
}

// envelopeStatus reads the top-level "status" of a JSON object, tolerating
// a body cut short by maxBody.
func envelopeStatus(body []byte) (string, bool) {
	dec := json.NewDecoder(bytes.NewReader(body))
	tok, err := dec.Token()
	if err != nil || tok != json.Delim('{') {
		return "", false
	}
	for dec.More() {
		k, err := dec.Token()
		if err != nil {
			return "", false
		}
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			return "", false
		}
		if k == "status" {
			var s string
			if json.Unmarshal(v, &s) != nil {
				return "", false
			}
			return s, true
		}
	}
	return "", false
}

func envelopeTotal(body []byte) (int, bool) {
	var e struct {
		Total *int `json:"total"`
	}
	if json.Unmarshal(body, &e) != nil || e.Total == nil {
		return 0, false
	}
	return *e.Total, true
}

func errString(err error) string {
	if err == nil {
		return "unknown error"
	}
	return err.Error()
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}
