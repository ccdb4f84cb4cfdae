package checks

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"errors"
	"fmt"
	"io"
	"net"
	"net/netip"
	"slices"
	"strings"
	"syscall"
	"time"
	"unicode"

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
	if obs.Proxy != nil {
		r.Duration += obs.Proxy.Time
	}
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

// judgeHandshake turns an observation into the tls.handshake result. Every
// summary starts with what the peer did; what is inferred from our own
// certificate follows, worded as a likely cause.
func judgeHandshake(obs *gatewayObservation, mat *Material, now time.Time) Result {
	r := Result{Status: Pass}
	r.add("gateway", "%s port %s", obs.Host, obs.Port)
	if obs.Proxy != nil {
		return judgeThroughProxy(r, obs, mat, now)
	}
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
	addDialEvidence(&r, obs)
	if obs.ConnectErr != nil && isClosed(obs.ConnectErr) {
		// The server accepted the connection and ended it so fast that
		// connect(2) itself reported it (EPIPE or ECONNRESET): TCP got
		// through; no TLS server answered.
		return closedBeforeHello(r, obs)
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
	return judgeTLS(r, obs, mat, now)
}

// judgeThroughProxy judges the tunnel, then the TLS inside it.
func judgeThroughProxy(r Result, obs *gatewayObservation, mat *Material, now time.Time) Result {
	p := obs.Proxy
	r.add("proxy", "%s", p.describe())
	addDialEvidence(&r, obs)
	if obs.ConnectErr != nil && p.Status == "" && p.Err == nil {
		r.Status = Fail
		r.Row = docs.RowNetworkPath
		r.Summary = fmt.Sprintf("cannot connect to the proxy %s (%s): %s", p.URL, p.Source, describeNetError(errors.Unwrap(obs.ConnectErr), obs.Timeout))
		r.Fix = fmt.Sprintf("Check the proxy address in %s, or reach the gateway without it (--proxy direct, or NO_PROXY).", p.Source)
		return r
	}
	if p.Status == "" {
		r.Status = Fail
		r.Row = docs.RowNetworkPath
		r.Summary = fmt.Sprintf("the proxy %s (%s) did not answer CONNECT %s:%s: %s", p.URL, p.Source, obs.Host, obs.Port, describeNetError(p.Err, obs.Timeout))
		r.Fix = "Check that " + p.URL + " is an HTTP proxy that supports CONNECT (an HTTPS proxy port, or one speaking another protocol, will not)."
		return r
	}
	r.add("CONNECT", "%s:%s → %s in %s", obs.Host, obs.Port, p.quote(p.Status, 80), ms(p.Time))
	if p.StatusCode/100 != 2 {
		r.Status = Fail
		r.Row = docs.RowNetworkPath
		if via := proxyName(p); via != "" {
			r.add("proxy software", "%s", via)
		}
		if snippet := p.quote(string(p.Body), 200); snippet != "" {
			r.add("proxy said", "%s", snippet)
		}
		switch {
		case (p.StatusCode == 407 || p.StatusCode == 401) && p.url != nil && p.url.User != nil:
			// tinyproxy answers a wrong password with 401, others with 407.
			r.Summary = fmt.Sprintf("the proxy %s (%s) answered CONNECT with %s: it refused the credentials given in the proxy's URL", p.URL, p.Source, p.quote(p.Status, 60))
			r.Fix = fmt.Sprintf("Check the user name and password in the proxy URL (%s; special characters must be percent-encoded), or ask whoever runs the proxy.", p.Source)
			return r
		case p.StatusCode == 407 || p.StatusCode == 401:
			r.Summary = fmt.Sprintf("the proxy %s (%s) answered CONNECT with %s: it wants proxy credentials before it tunnels to the gateway", p.URL, p.Source, p.quote(p.Status, 60))
			r.Fix = "Give the proxy's credentials in its URL (http://USER:PASSWORD@HOST:PORT, in HTTPS_PROXY or --proxy; never printed), or ask whoever runs the proxy."
			return r
		case p.StatusCode >= 500:
			// The proxy tried: it could not reach the gateway (tinyproxy's
			// 500 "Unable to connect", squid's 503, a 502 or 504).
			r.Summary = fmt.Sprintf("the proxy %s (%s) could not connect to %s:%s: it answered CONNECT with %s", p.URL, p.Source, obs.Host, obs.Port, p.quote(p.Status, 60))
			r.Fix = fmt.Sprintf("The proxy cannot reach %s:%s: check the base URL's host and port, and the proxy's own outbound access (its logs say why); or try without it (--proxy direct).", obs.Host, obs.Port)
			return r
		}
		r.Summary = fmt.Sprintf("the proxy %s (%s) refused to tunnel to %s:%s: it answered CONNECT with %s", p.URL, p.Source, obs.Host, obs.Port, p.quote(p.Status, 60))
		r.Fix = fmt.Sprintf("Ask whoever runs the proxy to allow CONNECT to %s:%s, or reach the gateway without it (--proxy direct, or add the host to NO_PROXY).", obs.Host, obs.Port)
		return r
	}
	return judgeTLS(r, obs, mat, now)
}

func addDialEvidence(r *Result, obs *gatewayObservation) {
	for _, d := range obs.Dials {
		if d.Err != nil && !errors.Is(d.Err, context.Canceled) {
			r.add("connect "+d.Addr, "%s", describeNetError(d.Err, obs.Timeout))
		}
	}
}

// judgeTLS judges the handshake and the server's verdict on our
// certificate, once a connection (direct or tunnelled) exists.
func judgeTLS(r Result, obs *gatewayObservation, mat *Material, now time.Time) Result {
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
			return rejected(r, obs, mat, now, fmt.Sprintf("the gateway refused the client certificate right after the handshake: alert %s", alert))
		}
		if isTimeout(obs.ExchangeErr) {
			r.Status = Warn
			r.Row = docs.RowNetworkPath
			r.Summary = fmt.Sprintf("handshake done (%s), but the gateway sent no answer within %s, so its verdict on the certificate is unknown", tlsVersion(st.Version), obs.Timeout)
			r.Fix = "Run again with a longer --timeout; if it persists, something between you and Axys holds the connection open."
			return r
		}
		if isClosed(obs.ExchangeErr) && obs.CertRequested {
			return rejected(r, obs, mat, now, "the gateway closed the connection right after the handshake, without an answer or an alert: most likely it refused the client certificate")
		}
		if isClosed(obs.ExchangeErr) {
			r.Status = Fail
			r.Row = docs.RowNetworkPath
			r.Summary = "the server closed the connection right after the handshake, without an answer; it never asked for a client certificate, so this is not the Axys gateway refusing ours"
			r.Fix = "Check the base URL and anything on the path (a load balancer without a healthy backend does this)."
			return r
		}
		var op *net.OpError
		if !errors.As(obs.ExchangeErr, &op) {
			// Bytes came back, just not valid HTTP: the TLS layer did its
			// part, and the answer is api.probe's to judge.
			r.Summary = fmt.Sprintf("%s with %s; the server answered after the handshake (no refusal at the TLS level), but not with valid HTTP (see api.probe)", tlsVersion(st.Version), obs.Host)
			return r
		}
		r.Status = Fail
		r.Row = docs.RowNetworkPath
		r.Summary = "the connection failed after the handshake: " + obs.ExchangeErr.Error()
		r.Fix = "Run again; if it persists, compare with `openssl s_client -connect HOST:443 -cert CERT -key KEY`."
		return r
	case obs.Response != nil && obs.Response.StatusCode == 400 && nginxCertError(obs.Body) != "":
		return rejected(r, obs, mat, now, fmt.Sprintf("the gateway finished the handshake but answered HTTP 400 %q: it refused the client certificate", nginxCertError(obs.Body)))
	}
	if !obs.CertRequested {
		r.Status = Fail
		r.Row = docs.RowTLSInterception
		r.Summary = "the server never asked for a client certificate: this is not mutual TLS, so what answered is not the Axys gateway itself (a proxy or load balancer terminating TLS, or a wrong base URL)"
		r.Fix = "Call the Axys gateway directly: mTLS cannot pass through a hop that terminates TLS. Check the base URL, and any proxy or load balancer in front of it."
		return r
	}
	r.Summary = fmt.Sprintf("%s with %s; the server asked for the client certificate and accepted it (it answered HTTP %d)", tlsVersion(st.Version), obs.Host, obs.Response.StatusCode)
	if obs.Response.StatusCode != 200 {
		// Observation only: what answered is api.probe's to judge.
		r.Summary = fmt.Sprintf("%s with %s; the server asked for the client certificate and accepted it at the TLS level (it answered HTTP %d: see api.probe)", tlsVersion(st.Version), obs.Host, obs.Response.StatusCode)
	}
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
	r.add("server sent", "%s before the handshake ended", pluralize(int(obs.ServerBytes), "byte"))
	var unknown x509.UnknownAuthorityError
	var host x509.HostnameError
	var invalid x509.CertificateInvalidError
	var notTLS tls.RecordHeaderError
	switch {
	case errors.As(err, &notTLS):
		r.Status = Fail
		r.Row = docs.RowNetworkPath
		r.Summary = fmt.Sprintf("the server on %s port %s does not speak TLS: it answered %s", obs.Host, obs.Port, describeBytes(obs.FirstBytes))
		r.Fix = "Check the base URL's host and port: something other than an HTTPS server listens there."
	case errors.As(err, &unknown):
		r.Status = Fail
		r.Row = docs.RowTLSInterception
		issuer := "an unknown issuer"
		if len(obs.ServerChain) > 0 {
			issuer = csr.FormatName(obs.ServerChain[0].RawIssuer)
			r.add("server certificate", "%s, issued by %s (NOT trusted here)", describeServerCert(obs.ServerChain[0]), issuer)
		}
		r.Summary = fmt.Sprintf("the server's certificate is signed by %s, which this machine does not trust: likely a TLS-intercepting proxy (mTLS cannot work through one) or a missing --ca-file", issuer)
		r.Fix = "If your network inspects TLS, exempt the Axys gateway from interception; if this is a test gateway, pass its CA with --ca-file."
	case errors.As(err, &host):
		return wrongServerName(r, obs, host)
	case errors.As(err, &invalid):
		r.Status = Fail
		r.Row = docs.RowTLSInterception
		r.Summary = "the server's certificate is invalid: " + invalid.Error()
		r.Fix = "Check this machine's clock; if it is right, report the gateway's certificate to Axys."
	default:
		if alert, ok := receivedAlert(err); ok {
			return rejected(r, obs, mat, now, fmt.Sprintf("the gateway aborted the handshake: alert %s", alert))
		}
		if isTimeout(err) {
			r.Status = Fail
			r.Row = docs.RowNetworkPath
			r.Summary = fmt.Sprintf("the server accepted the TCP connection but did not finish the TLS handshake within %s", obs.Timeout)
			r.Fix = "Something on the path holds TLS (a proxy or firewall inspecting it), or the server is overloaded: run again with a longer --timeout and compare with `openssl s_client`."
			return r
		}
		if isClosed(err) && obs.ServerBytes == 0 {
			return closedBeforeHello(r, obs)
		}
		if isClosed(err) && obs.CertRequested {
			return rejected(r, obs, mat, now, "the gateway closed the connection during the handshake, after asking for a client certificate, without an alert: most likely it refused ours")
		}
		r.Status = Fail
		r.Row = docs.RowNetworkPath
		r.Summary = "the TLS handshake failed: " + err.Error()
		if isClosed(err) {
			r.Summary = "the server closed the connection during the handshake, before asking for a client certificate: something on the path, not a verdict on our certificate"
		}
		r.Fix = "Compare with `openssl s_client -connect HOST:PORT`; check the base URL and port."
	}
	return r
}

// closedBeforeHello: the peer ended the connection before sending a single
// byte of TLS. Nothing judged our certificate: the path is the problem.
func closedBeforeHello(r Result, obs *gatewayObservation) Result {
	r.Status = Fail
	r.Row = docs.RowNetworkPath
	how := "closed"
	if errors.Is(obs.HandshakeErr, syscall.ECONNRESET) || errors.Is(obs.ConnectErr, syscall.ECONNRESET) {
		how = "reset"
	}
	if obs.Proxy != nil {
		r.Summary = fmt.Sprintf("the tunnel through the proxy %s was %s before the gateway sent anything (no ServerHello): the proxy or whatever it reached ended it", obs.Proxy.URL, how)
		r.Fix = fmt.Sprintf("Check that the proxy reaches %s:%s (its logs say why it closed the tunnel), or try without it (--proxy direct).", obs.Host, obs.Port)
		return r
	}
	r.Summary = fmt.Sprintf("the connection to %s port %s was %s before the server sent anything (no ServerHello): no TLS server answered there — a load balancer without a healthy backend, a firewall, or a wrong port; nothing has judged the certificate yet", obs.Host, obs.Port, how)
	r.Fix = "Check the base URL's host and port; `openssl s_client -connect HOST:PORT` shows the same. If they are right, something on the path ends TLS connections: your firewall, or the gateway's load balancer (report it to Axys with this output)."
	return r
}

// wrongServerName explains a server certificate that is not for the host we
// asked: what it is for and who issued it tell a wrong base URL (a trusted
// certificate for another name) from interception (an untrusted issuer).
func wrongServerName(r Result, obs *gatewayObservation, host x509.HostnameError) Result {
	r.Status = Fail
	r.Row = docs.RowTLSInterception
	c := host.Certificate
	issuer := csr.FormatName(c.RawIssuer)
	r.add("server certificate", "%s, issued by %s", describeServerCert(c), issuer)
	trusted := obs.Trust != nil && len(obs.ServerChain) > 0 && obs.Trust.trusted(obs.ServerChain)
	if trusted {
		r.Summary = fmt.Sprintf("the server's certificate is for %s, not %s (issued by %s, which this machine trusts): likely a wrong base URL, or another service on that address", certNames(c), obs.Host, issuer)
		r.Fix = "Use the documented base URL (staging.api.axyscards.com or production.api.axyscards.com); if you set --base-url, check its host."
		return r
	}
	r.Summary = fmt.Sprintf("the server's certificate is for %s, not %s, and its issuer %s is not trusted here: likely a TLS-intercepting proxy (mTLS cannot work through one)", certNames(c), obs.Host, issuer)
	r.Fix = "Exempt the Axys gateway from TLS interception on your network, or check the base URL."
	return r
}

// rejected builds the failure for a gateway that refused our certificate.
// observed says what the gateway did; the likely causes found in our own
// material follow it, never replace it.
func rejected(r Result, obs *gatewayObservation, mat *Material, now time.Time, observed string) Result {
	r.Status = Fail
	r.Row = docs.RowTLSHandshake
	if alert, ok := receivedAlert(obs.firstErr()); ok {
		r.add("alert means", "%s", alert.meaning())
	}
	causes, fix := likelyCauses(obs, mat, now)
	r.Summary = observed
	if len(causes) > 0 {
		r.Summary += "; likely cause: " + joinSentences(causes)
	}
	r.Fix = fix
	return r
}

// firstErr is the error that carried the gateway's verdict.
func (obs *gatewayObservation) firstErr() error {
	if obs.HandshakeErr != nil {
		return obs.HandshakeErr
	}
	if obs.ExchangeErr != nil {
		return obs.ExchangeErr
	}
	return errors.New("")
}

// likelyCauses reads our own material for why the gateway refused it, most
// specific first, and the fix for the first.
func likelyCauses(obs *gatewayObservation, mat *Material, now time.Time) ([]string, string) {
	var why []string
	var fix string
	add := func(cause, f string) {
		why = append(why, cause)
		if fix == "" {
			fix = f
		}
	}
	switch {
	case mat == nil || mat.Leaf == nil:
		add("no usable client certificate was given (see cert.chain)", "Give the signed certificate Axys returned, with its key (see cert.chain and key.file).")
	case obs.SentChain == 0:
		add("our certificate was not sent (the server did not ask for one where we could answer)", "Compare with `openssl s_client -connect HOST:PORT -cert CERT -key KEY`.")
	case now.After(mat.Leaf.NotAfter):
		add(fmt.Sprintf("our certificate expired on %s by this machine's clock", mat.Leaf.NotAfter.UTC().Format("2006-01-02")),
			"Renew the certificate (`axysdoctor csr --from-cert CERT`) and send the CSR to Axys; there is no grace period after expiry.")
	case now.Before(mat.Leaf.NotBefore):
		add("our certificate is not valid yet by this machine's clock", "Check this machine's clock, or wait for the certificate's start date.")
	}
	if mat != nil && mat.Leaf != nil && csr.IsSelfSigned(mat.Leaf) {
		add("our certificate is self-signed: Axys signs client certificates, so it is not one Axys issued",
			"Send your CSR to Axys and use the certificate it returns (`axysdoctor csr` makes the key and CSR).")
	} else if mat != nil && mat.Leaf != nil && len(obs.AcceptableCAs) > 0 && !issuerListed(mat.Leaf, obs.AcceptableCAs) {
		accepted := strings.Join(caNames(obs.AcceptableCAs), "; ")
		ours := csr.FormatName(mat.Leaf.RawIssuer)
		missing, top := missingIntermediate(mat, obs.AcceptableCAs)
		switch {
		case otherEnvironment(mat.Leaf.RawIssuer, obs.AcceptableCAs):
			add(fmt.Sprintf("the gateway accepts certificates from %s, ours is from %s: a certificate for the other environment (staging and production have separate ones)", accepted, ours),
				"Use the certificate issued for this environment (staging and sandbox share one; production has its own), or check --env / --base-url.")
		case missing:
			add(fmt.Sprintf("our certificate's issuer %s is neither in the certificate file nor among the CAs the gateway accepts (%s): most likely an intermediate CA certificate is missing", csr.FormatName(top.RawIssuer), accepted),
				fmt.Sprintf("Append the intermediate certificate %s to the certificate file, leaf first (`cat client.pem intermediate.pem > bundle.pem`); whoever issued the certificate can send it.", csr.FormatName(top.RawIssuer)))
		default:
			add(fmt.Sprintf("the gateway accepts certificates from %s, ours is from %s: not a certificate Axys issued for this gateway", accepted, ours),
				"Use the certificate Axys issued for this environment; `axysdoctor inspect CERT` shows its issuer.")
		}
	}
	if mat != nil && mat.Leaf != nil && !clientAuthAllowed(mat.Leaf) {
		add("our certificate is not valid for client authentication (no clientAuth usage)", "Ask Axys for a certificate with the clientAuth extended key usage.")
	}
	if fix == "" {
		fix = "Check that the certificate was issued by Axys for this environment and is not revoked; `axysdoctor inspect CERT` shows its issuer and dates."
	}
	return why, fix
}

// missingIntermediate walks from the leaf through the certificates in the
// file; when the walk ends at a certificate that is not self-signed, whose
// issuer is neither in the file nor among the gateway's acceptable CAs, an
// intermediate is most likely missing. top is where the walk ended.
func missingIntermediate(mat *Material, acceptable [][]byte) (bool, *x509.Certificate) {
	if mat == nil || mat.Leaf == nil {
		return false, nil
	}
	top := mat.Leaf
	if csr.IsSelfSigned(top) {
		return false, top // not a chain at all: likelyCauses says so
	}
	for range len(mat.Chain.Extra) + 1 {
		if csr.IsSelfSigned(top) {
			return false, top
		}
		var next *x509.Certificate
		for _, c := range mat.Chain.Extra {
			if c != top && bytes.Equal(c.RawSubject, top.RawIssuer) && top.CheckSignatureFrom(c) == nil {
				next = c
			}
		}
		if next == nil {
			break
		}
		top = next
	}
	for _, ca := range acceptable {
		if bytes.Equal(ca, top.RawIssuer) {
			return false, top
		}
	}
	// An intermediate is missing only if one could link the issuer to a
	// CA the gateway accepts: against openssl s_server, a leaf from a
	// tenant's own corporate root was told to "append the intermediate".
	return samePKI(top.RawIssuer, acceptable), top
}

// samePKI reports whether issuer could sit under one of the acceptable
// CAs: it shares an organisation (O) with one of them, or the names carry
// no organisation to tell either way. A different organisation is a
// different PKI, not a missing link.
func samePKI(issuer []byte, acceptable [][]byte) bool {
	ours := orgsOf(issuer)
	if len(ours) == 0 {
		return true
	}
	told := false
	for _, ca := range acceptable {
		theirs := orgsOf(ca)
		told = told || len(theirs) > 0
		for _, o := range theirs {
			if slices.ContainsFunc(ours, func(x string) bool { return strings.EqualFold(strings.TrimSpace(x), strings.TrimSpace(o)) }) {
				return true
			}
		}
	}
	return !told
}

// orgsOf is the O values of a DER-encoded distinguished name.
func orgsOf(der []byte) []string {
	var seq pkix.RDNSequence
	if rest, err := asn1.Unmarshal(der, &seq); err != nil || len(rest) > 0 {
		return nil
	}
	var n pkix.Name
	n.FillFromRDNSequence(&seq)
	return n.Organization
}

// otherEnvironment: our issuer names one Axys environment and the gateway's
// acceptable CAs name the other.
func otherEnvironment(ourIssuer []byte, acceptable [][]byte) bool {
	ours := envWord(csr.FormatName(ourIssuer))
	if ours == "" {
		return false
	}
	for _, ca := range acceptable {
		if theirs := envWord(csr.FormatName(ca)); theirs != "" && theirs != ours {
			return true
		}
	}
	return false
}

func envWord(name string) string {
	n := strings.ToLower(name)
	switch {
	case strings.Contains(n, "production") || strings.Contains(n, " prod "):
		return "production"
	case strings.Contains(n, "staging") || strings.Contains(n, "sandbox"):
		return "staging"
	}
	return ""
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

// certNames says what a server certificate is for: its DNS and IP SANs, or
// its CN when it has none.
func certNames(c *x509.Certificate) string {
	var names []string
	names = append(names, c.DNSNames...)
	for _, ip := range c.IPAddresses {
		names = append(names, ip.String())
	}
	if len(names) == 0 {
		return fmt.Sprintf("CN %q", c.Subject.CommonName)
	}
	if len(names) > 6 {
		names = append(names[:6], fmt.Sprintf("and %d more", len(names)-6))
	}
	return strings.Join(names, ", ")
}

func describeServerCert(c *x509.Certificate) string {
	return fmt.Sprintf("%s (for %s)", leafName(c), certNames(c))
}

// describeBytes shows what a non-TLS server sent: text when it is text
// (an SSH banner, an HTTP status line), else hex.
func describeBytes(b []byte) string {
	if len(b) == 0 {
		return "nothing"
	}
	printable := true
	for _, c := range string(b) {
		if c != '\r' && c != '\n' && !unicode.IsPrint(c) {
			printable = false
		}
	}
	if i := bytes.IndexAny(b, "\r\n"); i > 0 {
		b = b[:i]
	}
	if printable {
		s := oneLine(string(b), 60)
		if strings.HasPrefix(s, "HTTP/") {
			return fmt.Sprintf("%q (plain HTTP, not HTTPS)", s)
		}
		return fmt.Sprintf("%q", s)
	}
	return fmt.Sprintf("bytes % x", b)
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
	case err == nil:
		return "no answer"
	case errors.Is(err, syscall.ECONNREFUSED):
		return "connection refused: nothing listens there, or a firewall rejects the connection"
	case isTimeout(err):
		return fmt.Sprintf("no answer within %s: a firewall silently drops the traffic, or there is no route", timeout)
	case errors.Is(err, syscall.ENETUNREACH), errors.Is(err, syscall.EHOSTUNREACH):
		return "no route to the gateway from this machine"
	case errors.Is(err, syscall.ECONNRESET):
		return "connection reset by the other side"
	case isClosed(err):
		return "the connection was closed"
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
	if d < time.Millisecond {
		return "<1ms"
	}
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
