package checks

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/axysdoctor/axysdoctor/docs"
)

// checkProbe judges the answer to GET {base}/cardholders?limit=1, sent with
// X-API-Key over the handshake's own connection (see checkHandshake).
//
// It judges any HTTP answer the gateway chain observed, even when the
// handshake itself is a finding (a hop that never asked for a client
// certificate still answered something, which the story then explains);
// it is skipped only when no answer came, or when the answer was the
// gateway's verdict on the certificate (nginx's 400).
func checkProbe(_ context.Context, s *session) Result {
	obs := s.gateway
	hs := s.result(IDTLSHandshake)
	switch {
	case obs == nil || hs.Status == Skip:
		return Result{Status: Skip, Summary: "skipped: needs tls.handshake (skipped)"}
	case obs.Response == nil && (hs.Status == Fail || !obs.RequestSent):
		return Result{Status: Skip, Summary: "skipped: no HTTP answer came (see tls.handshake)"}
	case hs.Status == Fail && hs.Row == docs.RowTLSHandshake:
		return Result{Status: Skip, Summary: "skipped: the gateway's answer was its verdict on the certificate (see tls.handshake)"}
	}
	r := judgeProbe(obs, s.opts.APIKey, s.opts.Environment)
	r.Duration = obs.TTFB
	if r.Status == Fail && (r.Row == docs.RowAuthorizedIPs) {
		s.explainForbidden(&r, obs)
	}
	return r
}

// judgeProbe classifies the HTTP answer. It is pure: the same observation
// always gives the same result. Text quoted from the network is redacted
// (the key in any form) before it is cut to fit a line.
//
// An answer from a server that never asked for the client certificate
// checked nothing of it: what it said is kept, but it is not the
// platform's verdict, and neither its 200 nor its 403 means what the API's
// would.
func judgeProbe(obs *gatewayObservation, key APIKey, env Environment) Result {
	r := judgeAnswer(obs, key, env)
	if obs.Response == nil || obs.CertRequested {
		return r
	}
	said, _, _ := strings.Cut(r.Summary, ": ") // ": " — a URL's "https:" is not where the inference starts
	r.Status = Fail
	r.Row = docs.RowTLSInterception
	r.Summary = said + ", from a server that never asked for the client certificate: it checked nothing of the credentials, so this is not the Axys gateway's verdict"
	r.Fix = "Call the Axys gateway directly (see tls.handshake); only an answer over mutual TLS says anything about the certificate, the calling IP and the key."
	return r
}

// judgeAnswer classifies the HTTP answer as the gateway's.
func judgeAnswer(obs *gatewayObservation, key APIKey, env Environment) Result {
	red := newRedactor(key)
	quote := func(s string, n int) string { return oneLine(red.apply(s), n) }
	r := Result{Status: Pass}
	r.add("request", "GET %s with X-API-Key %s", env.ProbeURL, key.Redacted())
	if env.Note != "" {
		r.add("environment", "%s", env.Note)
	}
	if obs.Proxy != nil {
		r.add("through proxy", "%s", obs.Proxy.describe())
	}
	resp := obs.Response
	if resp == nil {
		r.Status = Fail
		switch {
		case errors.Is(obs.ExchangeErr, errHeadTooLarge):
			r.Row = docs.RowUnexpectedResponse
			r.Summary = "the answer's head (status line and headers) went past " + fmt.Sprint(maxHead>>10) + " KB without ending: not an answer the Axys API gives"
			r.Fix = "Check the base URL and anything on the path that rewrites responses."
		case obs.ExchangeErr != nil && isTimeout(obs.ExchangeErr):
			r.Row = docs.RowNetworkPath
			r.Summary = fmt.Sprintf("no HTTP answer within %s", obs.Timeout)
			r.Fix = "Run again with a longer --timeout; if the gateway never answers, report it to Axys with this output."
		case obs.ExchangeErr != nil && obs.Timeout > 0 && obs.TTFB >= obs.Timeout:
			// The head was still arriving when the timeout cut it: what
			// the parser makes of half a header line is not the finding.
			r.Row = docs.RowNetworkPath
			r.Summary = fmt.Sprintf("the answer's head did not finish within %s: the server sent it too slowly (trickled)", obs.Timeout)
			r.Fix = "Run again with a longer --timeout; if the gateway never answers, report it to Axys with this output."
		default:
			r.Row = docs.RowUnexpectedResponse
			r.Summary = "no HTTP answer: " + quote(errString(obs.ExchangeErr), 200)
			r.Fix = "Run again; if it persists, report it to Axys with this output."
		}
		return r
	}
	code := resp.StatusCode
	r.add("answer", "HTTP %d %s in %s", code, http.StatusText(code), ms(obs.TTFB))
	ct := resp.Header.Get("Content-Type")
	if ct != "" {
		r.add("content type", "%s", quote(ct, 80))
	}
	if snippet := quote(string(obs.Body), 200); snippet != "" {
		r.add("body", "%s", snippet)
	}
	if obs.BodyErr != nil {
		r.add("body note", "the body did not finish within %s; judged on what arrived", obs.Timeout)
	}
	for _, h := range []string{"Retry-After", "Location", "Server", "Via", "Date"} {
		if v := resp.Header.Get(h); v != "" {
			r.add(strings.ToLower(h), "%s", quote(v, 120))
		}
	}
	for _, id := range requestIDs(resp.Header, red) {
		r.add("request id", "%s", id)
	}
	kind := classifyBody(ct, obs.Body)
	foreign := func(what string) {
		r.Status = Fail
		r.Row = docs.RowUnexpectedResponse
		r.Summary = fmt.Sprintf("HTTP %d with %s (%s): something other than the Axys API answered, which answers with its JSON envelope — likely a proxy, a load balancer or a wrong base URL", code, kind, describeServer(resp.Header, red))
		r.Fix = "Check the base URL and any proxy or load balancer in front of the gateway first (" + what + "); only once the Axys API itself answers does a ticket to Axys help."
	}
	switch {
	case code == http.StatusOK:
		status, ok := envelopeStatus(obs.Body)
		switch {
		case !ok:
			r.Status = Fail
			r.Row = docs.RowUnexpectedResponse
			r.Summary = fmt.Sprintf("HTTP 200, but with %s, not the API's JSON envelope: something other than the Axys API answered (a captive portal, proxy or wrong base URL)", kind)
			r.Fix = "Check the base URL and that nothing on the path rewrites responses."
		case status != "success":
			r.Status = Warn
			r.Row = docs.RowUnexpectedResponse
			r.Summary = fmt.Sprintf("HTTP 200 with envelope status %q", quote(status, 40))
			r.Fix = "Read the envelope's message; report it to Axys if unclear."
		case obs.BodyErr != nil && isTimeout(obs.BodyErr):
			r.Status = Warn
			r.Row = docs.RowUnexpectedResponse
			r.Summary = fmt.Sprintf("HTTP 200 with the API's envelope (the credentials were accepted), but its body did not finish within %s, which the API's answers do", obs.Timeout)
			r.Fix = "Check what sits in front of the gateway (a proxy or load balancer holding the response open), then run again."
		default:
			r.Summary = "HTTP 200: certificate, calling IP and API key all accepted"
			if total, ok := envelopeTotal(obs.Body); ok && total == 0 {
				r.add("note", "no cardholders yet: normal for a new Program; if you expected some, the key may belong to another Program")
			}
		}
	case code == http.StatusUnauthorized && kind.foreign():
		foreign("a 401 page that is not the API's")
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
	case code == http.StatusForbidden && documentedForbidden(kind, obs.Body):
		r.Status = Fail
		r.Row = docs.RowAuthorizedIPs
		r.Summary = "HTTP 403 No Authorised IPs configured: the calling IP is not allowlisted, or it fails FCrDNS (the gateway cannot say which)"
		r.Fix = "Ask Axys to allowlist the address the gateway sees, and make its FCrDNS pass (see net.egress and dns.fcrdns)."
	case code == http.StatusForbidden && kind.foreign():
		foreign("a 403 page is not the documented \"No Authorised IPs configured\"")
	case code == http.StatusForbidden:
		r.Status = Fail
		r.Row = docs.RowAuthorizedIPs
		r.Summary = "HTTP 403 without the documented authorised-IPs message: the API refused the call for another reason (the docs name a compliance restriction as rare)"
		r.Fix = "Ask Axys what this 403 means, quoting its body and the time; check the allowlist and FCrDNS too (see net.egress and dns.fcrdns)."
	case code == http.StatusNotFound && kind.foreign():
		foreign("a 404 page usually means a wrong path in the base URL")
	case code == http.StatusNotFound:
		r.Status = Fail
		r.Row = docs.RowTenantCredentials
		r.Summary = "HTTP 404 from /cardholders: certificate, IP and key passed, but the key is not scoped to a Program — a tenant-level key (Account Management only), or the wrong base URL or environment"
		if env.Name != "production" {
			// Tenant-level keys exist only in production.
			r.Summary = "HTTP 404 from /cardholders: certificate, IP and key passed, but the key is not scoped to a Program here — the wrong base URL or environment, or a key that is not a Program's (the docs describe tenant-level keys for production only)"
		}
		r.Fix = "Use a Program-level API key for Program endpoints such as /cardholders, and check the base URL (" + env.BaseURL + ")."
	case code == http.StatusTooManyRequests:
		r.Status = Fail
		r.Row = docs.RowRateLimited
		r.Summary = "HTTP 429: rate limited, so the credentials were not confirmed"
		if ra := resp.Header.Get("Retry-After"); ra != "" {
			r.Summary += fmt.Sprintf(" (Retry-After: %s)", quote(ra, 40))
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
		loc := quote(resp.Header.Get("Location"), 120)
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

// bodyKind is what an answer's body looks like.
type bodyKind string

const (
	bodyEnvelope bodyKind = "the API's JSON envelope"
	bodyJSON     bodyKind = "a JSON body"
	bodyHTML     bodyKind = "an HTML page"
	bodyText     bodyKind = "a plain-text body"
	bodyEmpty    bodyKind = "an empty body"
)

// foreign: a body the Axys API does not send (it answers in JSON).
func (k bodyKind) foreign() bool { return k == bodyHTML || k == bodyText }

func classifyBody(contentType string, body []byte) bodyKind {
	t := bytes.TrimSpace(body)
	switch {
	case len(t) == 0:
		return bodyEmpty
	case t[0] == '{' || t[0] == '[':
		if _, ok := envelopeStatus(t); ok {
			return bodyEnvelope
		}
		return bodyJSON
	case t[0] == '<' || strings.Contains(strings.ToLower(contentType), "html"):
		return bodyHTML
	}
	return bodyText
}

// documentedForbidden: the 403 the docs describe, "No Authorised IPs
// configured" (or a message about authorised IPs), in JSON or plain text —
// the docs do not say which — but not inside an HTML page, which is some
// other server's.
func documentedForbidden(kind bodyKind, body []byte) bool {
	if kind == bodyHTML {
		return false
	}
	b := bytes.ToLower(body)
	return bytes.Contains(b, []byte("authorised ip")) || bytes.Contains(b, []byte("authorized ip"))
}

// describeServer names who answered, from Server and Via, for a verdict
// that something other than the API answered.
func describeServer(h http.Header, red redactor) string {
	var parts []string
	if v := h.Get("Server"); v != "" {
		parts = append(parts, "Server: "+oneLine(red.apply(v), 60))
	}
	if v := h.Get("Via"); v != "" {
		parts = append(parts, "Via: "+oneLine(red.apply(v), 60))
	}
	if len(parts) == 0 {
		return "no Server or Via header"
	}
	return strings.Join(parts, ", ")
}

// requestIDHeaders are the headers gateways use to name a request; their
// values go into the report and the support bundle, to quote in a ticket.
var requestIDHeaders = []string{"X-Request-Id", "X-Amzn-Requestid", "X-Amz-Cf-Id", "X-Correlation-Id", "Request-Id", "Cf-Ray", "X-Trace-Id"}

func requestIDs(h http.Header, red redactor) []string {
	var out []string
	for _, name := range requestIDHeaders {
		if v := h.Get(name); v != "" {
			out = append(out, name+": "+oneLine(red.apply(v), 120))
		}
	}
	return out
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

// proxyName names the software that answered, from Via or Server headers,
// when a proxy is the one answering.
func proxyName(p *proxyTunnel) string {
	if p.Header == nil {
		return ""
	}
	for _, h := range []string{"Via", "Server", "Proxy-Agent"} {
		if v := p.Header.Get(h); v != "" {
			return h + ": " + p.quote(v, 80)
		}
	}
	return ""
}
