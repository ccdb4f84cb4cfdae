package checks

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/netip"
	"strings"
	"syscall"
	"time"

	"github.com/axysdoctor/axysdoctor/csr"
	"github.com/axysdoctor/axysdoctor/docs"
)

// checkHandshake connects to the gateway with the client certificate, sends
// the probe over the same connection, and judges the TLS layer: the server's
// identity, what it asked for, and its verdict on our certificate — which a
// TLS 1.3 server gives only after the handshake, on the first read, and
// nginx gives as an HTTP 400.
func checkHandshake(ctx context.Context, s *session) Result {
	obs := observeGateway(ctx, s)
	s.gateway = obs
	r := judgeHandshake(obs, s.mat, s.now())
	r.Duration = obs.TCPTime + obs.HandshakeTime + lookupTime(obs)
	if obs.Response != nil || obs.ExchangeErr != nil {
		r.Duration += obs.TTFB
	}
	return r
}

func lookupTime(obs *gatewayObservation) time.Duration {
	var d time.Duration
	for _, q := range obs.Lookups {
		d = max(d, q.Duration)
	}
	return d
}

// judgeHandshake turns an observation into the tls.handshake result.
func judgeHandshake(obs *gatewayObservation, mat *Material, now time.Time) Result {
	r := Result{Status: Pass}
	r.add("gateway", "%s port %s", obs.Host, obs.Port)
	if len(obs.Lookups) > 0 {
		r.add("resolved", "%s", orNone(addrStrings(obs.Resolved)))
	}
	if obs.Resolve != dnsOK || (len(obs.Resolved) == 0 && obs.ConnectErr == nil) {
		r.Status = Fail
		r.Row = docs.RowNetworkPath
		r.Summary = "the gateway's name does not resolve: " + obs.ResolveErr
		if obs.Resolve.temporary() {
			r.Summary = "the gateway's name could not be resolved (" + obs.Resolve.String() + "): " + obs.ResolveErr
		}
		r.Fix = "Check the base URL (production is production.api.axyscards.com, not api.) and that this machine's resolver answers for it."
		return r
	}
	for _, d := range obs.Dials {
		if d.Err != nil && !errors.Is(d.Err, context.Canceled) {
			r.add("connect "+d.Addr, "%s", describeNetError(d.Err, obs.Timeout))
		}
	}
	if obs.ConnectErr != nil {
		r.Status = Fail
		r.Row = docs.RowNetworkPath
		r.Summary = "cannot connect to the gateway: " + describeNetError(obs.ConnectErr, obs.Timeout)
		r.Fix = "Check the base URL and port, and that your firewall allows outbound TCP to the gateway; `nc -vz HOST 443` tests the same."
		if isTimeout(obs.ConnectErr) {
			r.Fix = "Outbound TCP to the gateway is dropped somewhere (no answer at all): check firewalls and security groups for outbound 443 to the gateway."
		}
		return r
	}
	r.add("connected", "%s → %s in %s", obs.Local, obs.Remote, ms(obs.TCPTime))
	if ip := remoteIP(obs); ip.Is6() {
		r.add("IPv6", "this connection uses IPv6: the gateway sees %s, which must be allowlisted too", localIP(obs))
	}

	addTLSEvidence(&r, obs, mat)
	if obs.HandshakeErr != nil {
		return judgeHandshakeError(r, obs, mat, now)
	}
	st := obs.State
	r.add("server certificate", "%s, issued by %s (verified)", leafName(st.PeerCertificates[0]), issuerName(st.PeerCertificates[0]))

	// The server's verdict: an alert or a close on the first read (TLS 1.3),
	// an nginx-style 400, or any HTTP answer at all (accepted).
	switch {
	case obs.ExchangeErr != nil:
		if alert, ok := receivedAlert(obs.ExchangeErr); ok {
			return rejected(r, obs, mat, now, fmt.Sprintf("the gateway rejected the client certificate after the handshake (alert %d, %s)", alert.Code, alert.Name), alert.meaning())
		}
		if isTimeout(obs.ExchangeErr) {
			r.Status = Warn
			r.Row = docs.RowNetworkPath
			r.Summary = fmt.Sprintf("handshake done (%s), but the gateway sent no answer within %s, so its verdict on the certificate is unknown", tlsVersion(st.Version), obs.Timeout)
			r.Fix = "Run again with a longer --timeout; if it persists, something between you and Axys holds the connection open."
			return r
		}
		if isClosed(obs.ExchangeErr) {
			return rejected(r, obs, mat, now, "the gateway closed the connection right after the handshake without answering: most likely it rejected the client certificate", "")
		}
		r.Status = Fail
		r.Row = docs.RowTLSHandshake
		r.Summary = "the connection failed after the handshake: " + obs.ExchangeErr.Error()
		r.Fix = "Run again; if it persists, compare with `openssl s_client -connect HOST:443 -cert CERT -key KEY`."
		return r
	case obs.Response != nil && obs.Response.StatusCode == 400 && nginxCertError(obs.Body) != "":
		return rejected(r, obs, mat, now, fmt.Sprintf("the gateway finished the handshake but answered HTTP 400 %q: it rejected the client certificate", nginxCertError(obs.Body)), "")
	}
	if !obs.CertRequested {
		r.Status = Warn
		r.Row = docs.RowTLSInterception
		r.Summary = "the server never asked for a client certificate: this is not mutual TLS, so it is not the Axys gateway itself (a proxy terminating TLS, or a wrong base URL)"
		r.Fix = "Call the Axys gateway directly; mTLS cannot pass through a proxy that terminates TLS."
		return r
	}
	r.Summary = fmt.Sprintf("%s with %s; the gateway accepted the client certificate (it answered HTTP %d)", tlsVersion(st.Version), obs.Host, obs.Response.StatusCode)
	return r
}

// addTLSEvidence records what the server asked for and what we sent.
func addTLSEvidence(r *Result, obs *gatewayObservation, mat *Material) {
	if obs.State != nil {
		r.add("TLS", "%s, %s, ALPN %q, in %s", tlsVersion(obs.State.Version), tls.CipherSuiteName(obs.State.CipherSuite), obs.State.NegotiatedProtocol, ms(obs.HandshakeTime))
	}
	if !obs.CertRequested {
		if obs.HandshakeErr == nil {
			r.add("client certificate", "the server did not ask for one")
		}
		return
	}
	if len(obs.AcceptableCAs) == 0 {
		r.add("server asked for", "a client certificate from any CA (it sent no CA list)")
	} else {
		r.add("server asked for", "a client certificate issued by %s", strings.Join(caNames(obs.AcceptableCAs), "; "))
	}
	if mat != nil && mat.Leaf != nil {
		r.add("we sent", "%s issued by %s (%s)", leafName(mat.Leaf), csr.FormatName(mat.Leaf.RawIssuer), pluralize(obs.SentChain, "certificate"))
		if obs.Supports != nil {
			r.add("by the server's own list", "our certificate does not fit: %v", obs.Supports)
		}
	}
}

// judgeHandshakeError explains a handshake that did not complete.
func judgeHandshakeError(r Result, obs *gatewayObservation, mat *Material, now time.Time) Result {
	err := obs.HandshakeErr
	r.add("handshake error", "%s", err)
	var unknown x509.UnknownAuthorityError
	var host x509.HostnameError
	var invalid x509.CertificateInvalidError
	switch {
	case errors.As(err, &unknown):
		r.Status = Fail
		r.Row = docs.RowTLSInterception
		issuer := "an unknown issuer"
		if len(obs.ServerChain) > 0 {
			issuer = csr.FormatName(obs.ServerChain[0].RawIssuer)
			r.add("server certificate", "%s, issued by %s (NOT trusted here)", leafName(obs.ServerChain[0]), issuer)
		}
		r.Summary = fmt.Sprintf("the server's certificate is signed by %s, which this machine does not trust: a TLS-intercepting proxy (mTLS cannot work through one) or a missing --ca-file", issuer)
		r.Fix = "If your network inspects TLS, exempt the Axys gateway from interception; if this is a test gateway, pass its CA with --ca-file."
	case errors.As(err, &host):
		r.Status = Fail
		r.Row = docs.RowTLSInterception
		r.Summary = fmt.Sprintf("the server's certificate is not for %s (%v): a wrong base URL, or something else answering on that address", obs.Host, host.Error())
		r.Fix = "Use the documented base URL; if you go through a proxy or load balancer, it must pass TLS through untouched."
	case errors.As(err, &invalid):
		r.Status = Fail
		r.Row = docs.RowTLSInterception
		r.Summary = "the server's certificate is invalid: " + invalid.Error()
		r.Fix = "Check this machine's clock; if it is right, report the gateway's certificate to Axys."
	default:
		if alert, ok := receivedAlert(err); ok {
			return rejected(r, obs, mat, now, fmt.Sprintf("the gateway aborted the handshake (alert %d, %s)", alert.Code, alert.Name), alert.meaning())
		}
		if isTimeout(err) {
			r.Status = Fail
			r.Row = docs.RowNetworkPath
			r.Summary = fmt.Sprintf("the server accepted the TCP connection but did not finish the TLS handshake within %s", obs.Timeout)
			r.Fix = "Something on the path holds TLS (a proxy or firewall inspecting it), or the server is overloaded: run again with a longer --timeout and compare with `openssl s_client`."
			return r
		}
		if isClosed(err) {
			return rejected(r, obs, mat, now, "the gateway closed the connection during the handshake: usually a rejected client certificate, or a server that does not speak TLS on this port", "")
		}
		r.Status = Fail
		r.Row = docs.RowTLSHandshake
		r.Summary = "the TLS handshake failed: " + err.Error()
		r.Fix = "Compare with `openssl s_client -connect HOST:443 -cert CERT -key KEY`; check the base URL and port."
	}
	return r
}

// rejected builds the failure for a gateway that refused our certificate,
// naming the most likely reason from what we know about the certificate;
// alertMeaning, when known, explains the alert and stands in for a reason
// when there is none.
func rejected(r Result, obs *gatewayObservation, mat *Material, now time.Time, what, alertMeaning string) Result {
	r.Status = Fail
	r.Row = docs.RowTLSHandshake
	if alertMeaning != "" {
		r.add("alert means", "%s", alertMeaning)
	}
	var why []string
	var fix string
	switch {
	case mat == nil || mat.Leaf == nil || obs.SentChain == 0:
		why = append(why, "no client certificate was sent")
		fix = "Pass the certificate and key (--cert/--key or --p12)."
	case now.After(mat.Leaf.NotAfter):
		why = append(why, fmt.Sprintf("our certificate expired on %s", mat.Leaf.NotAfter.UTC().Format("2006-01-02")))
		fix = "Renew the certificate (`axysdoctor csr --from-cert CERT`) and send the CSR to Axys; there is no grace period after expiry."
	case now.Before(mat.Leaf.NotBefore):
		why = append(why, "our certificate is not valid yet")
		fix = "Check this machine's clock, or wait for the certificate's start date."
	}
	if mat != nil && mat.Leaf != nil && len(obs.AcceptableCAs) > 0 && !issuerListed(mat.Leaf, obs.AcceptableCAs) {
		why = append(why, fmt.Sprintf("it accepts certificates from %s, ours is from %s — a certificate for the other environment (staging and production have separate ones), or not one Axys issued",
			strings.Join(caNames(obs.AcceptableCAs), "; "), csr.FormatName(mat.Leaf.RawIssuer)))
		if fix == "" {
			fix = "Use the certificate issued for this environment (staging/sandbox share one; production has its own), or check --env / --base-url."
		}
	}
	if mat != nil && mat.Leaf != nil && !clientAuthAllowed(mat.Leaf) {
		why = append(why, "our certificate is not valid for client authentication")
		if fix == "" {
			fix = "Ask Axys for a certificate with the clientAuth extended key usage."
		}
	}
	r.Summary = what
	switch {
	case len(why) > 0:
		r.Summary += ": " + joinSentences(why)
	case alertMeaning != "":
		r.Summary += ": " + alertMeaning
	}
	if fix == "" {
		fix = "Check the certificate was issued by Axys for this environment and is not revoked; `axysdoctor inspect CERT` shows its issuer and dates."
	}
	r.Fix = fix
	return r
}

// issuerListed reports whether the leaf's issuer is among the DER names.
func issuerListed(leaf *x509.Certificate, cas [][]byte) bool {
	for _, ca := range cas {
		if bytes.Equal(ca, leaf.RawIssuer) {
			return true
		}
	}
	return false
}

func caNames(cas [][]byte) []string {
	out := make([]string, len(cas))
	for i, der := range cas {
		out[i] = csr.FormatName(der)
	}
	return out
}

// nginxCertError recognizes the pages nginx serves when ssl_verify_client
// rejects a certificate after completing the handshake.
func nginxCertError(body []byte) string {
	for _, s := range []string{"No required SSL certificate was sent", "The SSL certificate error", "The plain HTTP request was sent to HTTPS port"} {
		if bytes.Contains(body, []byte(s)) {
			return s
		}
	}
	if bytes.Contains(bytes.ToLower(body), []byte("ssl certificate")) {
		return "SSL certificate error"
	}
	return ""
}

func isClosed(err error) bool {
	return errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, syscall.ECONNRESET) ||
		errors.Is(err, syscall.EPIPE) || errors.Is(err, net.ErrClosed)
}

// describeNetError names a connection failure in plain words.
func describeNetError(err error, timeout time.Duration) string {
	switch {
	case errors.Is(err, syscall.ECONNREFUSED):
		return "connection refused: nothing listens there, or a firewall rejects the connection"
	case isTimeout(err):
		return fmt.Sprintf("no answer within %s: a firewall silently drops the traffic, or there is no route", timeout)
	case errors.Is(err, syscall.ENETUNREACH), errors.Is(err, syscall.EHOSTUNREACH):
		return "no route to the gateway from this machine"
	case errors.Is(err, syscall.ECONNRESET):
		return "connection reset by the other side"
	}
	return err.Error()
}

func tlsVersion(v uint16) string {
	switch v {
	case tls.VersionTLS13:
		return "TLS 1.3"
	case tls.VersionTLS12:
		return "TLS 1.2"
	}
	return fmt.Sprintf("TLS 0x%04x", v)
}

func ms(d time.Duration) string {
	return d.Round(time.Millisecond).String()
}

func addrStrings(a []netip.Addr) []string {
	out := make([]string, len(a))
	for i, x := range a {
		out[i] = x.String()
	}
	return out
}

func remoteIP(obs *gatewayObservation) netip.Addr {
	return addrOf(obs.Remote)
}

func localIP(obs *gatewayObservation) netip.Addr {
	return addrOf(obs.Local)
}

func addrOf(a net.Addr) netip.Addr {
	if tcp, ok := a.(*net.TCPAddr); ok {
		if ip, ok := netip.AddrFromSlice(tcp.IP); ok {
			return ip.Unmap()
		}
	}
	return netip.Addr{}
}
