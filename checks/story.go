package checks

import (
	"fmt"
	"strings"
	"time"

	"github.com/axysdoctor/axysdoctor/docs"
)

// One run tells one story. The checks run as a graph and judge what each
// saw; this pass, after the graph, reads their results together:
//
//  1. The platform's verdict outranks local inference. When the gateway
//     accepted the probe (HTTP 200 and the API's envelope), a local DNS
//     failure, an unknown egress address or a certificate this machine's
//     clock calls expired cannot be what blocks the API: they become
//     warnings that say the platform's own check passed.
//  2. One root cause. Among the failures, the check that explains the
//     others is named: a local finding that explains the gateway's refusal
//     (an expired certificate, a key that does not match, FCrDNS failing
//     here before a 403), or else the gateway's own answer.
//  3. Consequences follow the cause. A failure that the root cause
//     explains — the handshake an expired certificate made the gateway
//     refuse, the 403 a failing FCrDNS produced, the 403 from a hop that
//     terminated TLS — is kept as evidence but becomes a warning that points
//     at the root cause, and its fix no longer gives advice of its own.

// maxClockSkew is how far this machine's clock may be from the gateway's
// before the difference is a finding.
const maxClockSkew = 2 * time.Minute

// story is the outcome of tellStory.
type story struct {
	results []Result
	changed map[string]bool
	root    *RootCause
}

// tellStory revises results (in plan order) into one story. gw may be nil
// when the gateway was never reached.
func tellStory(results []Result, gw *gatewayObservation, now time.Time) story {
	st := story{results: make([]Result, len(results)), changed: map[string]bool{}}
	copy(st.results, results)
	st.addClock(gw, now)
	if st.platformAccepted() {
		st.outrank(gw, now)
	}
	st.pickRoot(gw)
	st.refreshSkips()
	return st
}

func (st *story) get(id string) (*Result, bool) {
	for i := range st.results {
		if st.results[i].ID == id {
			return &st.results[i], true
		}
	}
	return nil, false
}

func (st *story) status(id string) Status {
	if r, ok := st.get(id); ok {
		return r.Status
	}
	return ""
}

// platformAccepted: the gateway answered the probe with 200 and the API's
// envelope, so the certificate, the calling IP's allowlisting and FCrDNS,
// and the API key all passed the platform's own checks.
func (st *story) platformAccepted() bool {
	return st.status(IDAPIProbe) == Pass
}

// outrank turns local failures about things the platform just accepted
// into warnings that say so.
func (st *story) outrank(gw *gatewayObservation, now time.Time) {
	const accepted = "the gateway accepted this call (HTTP 200), so its own "
	if r, ok := st.get(IDDNSFCrDNS); ok && r.Status == Fail {
		r.Status = Warn
		cause := "likely cause: your resolver answers differently from the DNS the gateway uses (split-horizon DNS), so this result describes your view only"
		if r.Row == docs.RowDNSTemporary {
			cause = "likely cause: your resolver is failing or slow; the gateway's resolvers answered"
		}
		r.Summary = accepted + "allowlist and FCrDNS checks passed; here, " + lowerFirst(r.Summary) + " — " + cause
		r.Fix = "Nothing blocks the API now. Fix your resolver's view before it matters elsewhere (--resolver to compare another resolver), and keep the public PTR and A records as they are."
		st.changed[r.ID] = true
	}
	if r, ok := st.get(IDNetEgress); ok && r.Status == Warn && gw != nil && gw.Proxy != nil && strings.Contains(r.Summary, "could not be learnt") {
		r.Summary = accepted + "allowlist and FCrDNS checks passed for the proxy's egress address, whatever it is; here, " + lowerFirst(r.Summary)
		r.Fix = "Nothing blocks the API now. For the next allowlist change, ask whoever runs the proxy for its egress address, or name a who-am-I service it can reach with --egress-url."
		st.changed[r.ID] = true
	}
	if r, ok := st.get(IDNetEgress); ok && r.Status == Fail {
		r.Status = Warn
		r.Summary = accepted + "allowlist passed for whatever address it saw; here, " + lowerFirst(r.Summary)
		r.Fix = "Nothing blocks the API now. To know the address the gateway sees (for the next allowlist change), allow outbound DNS to the who-am-I services or give it with --egress-ip."
		st.changed[r.ID] = true
	}
	if r, ok := st.get(IDCertValidity); ok && r.Status == Fail {
		switch {
		case gw.validByGatewayClock(now):
			r.Status = Warn
			r.Row = docs.RowClockSkew
			r.Summary = "the gateway accepted the certificate, and by its clock it is valid; " + lowerFirst(r.Summary) + " — likely cause: this machine's clock is wrong"
			r.Fix = "Fix this machine's clock (timedatectl set-ntp true, or your NTP service), then run again."
		default:
			// Both clocks (or ours, when the gateway sent no Date) say the
			// certificate is out of date, yet it was accepted: whatever
			// answered does not check certificate dates, and the Axys
			// gateway does. The certificate's verdict stands.
			clocks := "by this machine's clock and the gateway's"
			if gw == nil || gw.ServerDate.IsZero() {
				clocks = "by this machine's clock (the gateway sent no Date to compare)"
			}
			r.Summary += "; " + clocks + " — yet the server accepted it, so it does not check certificate dates, which the Axys gateway does: likely not the Axys gateway answering"
			r.Fix += " Also check the base URL: whatever accepted an out-of-date certificate is not enforcing Axys's rules."
		}
		st.changed[r.ID] = true
	}
}

// validByGatewayClock: the gateway's Date is known, and by it the
// certificate we sent is within its validity.
func (obs *gatewayObservation) validByGatewayClock(now time.Time) bool {
	if obs == nil || obs.ServerDate.IsZero() {
		return false
	}
	notAfter, notBefore, ok := obs.leafDates()
	gatewayNow := now.Add(-obs.skew())
	return ok && !gatewayNow.After(notAfter) && !gatewayNow.Before(notBefore)
}

// addClock compares this machine's clock with the gateway's Date header.
func (st *story) addClock(gw *gatewayObservation, now time.Time) {
	if gw == nil || gw.ServerDate.IsZero() {
		return
	}
	r, ok := st.get(IDCertValidity)
	if !ok || r.Status == Skip {
		return
	}
	skew := gw.skew()
	r.add("gateway clock", "%s (HTTP Date header); this machine %s", gw.ServerDate.UTC().Format("2006-01-02 15:04:05 MST"), describeSkew(skew))
	st.changed[r.ID] = true
	if skew.Abs() <= maxClockSkew {
		return
	}
	gatewayNow := now.Add(-skew)
	leafNotAfter, leafNotBefore, known := gw.leafDates()
	explains := known && (now.After(leafNotAfter) && !gatewayNow.After(leafNotAfter) ||
		now.Before(leafNotBefore) && !gatewayNow.Before(leafNotBefore))
	switch {
	case r.Status == Fail && explains:
		r.Summary += fmt.Sprintf("; but this machine's clock is %s the gateway's, by whose clock the certificate is valid", skewPhrase(skew))
		r.Fix = "Fix this machine's clock first (timedatectl set-ntp true, or your NTP service): the certificate may be fine. " + r.Fix
	case r.Status == Fail:
		r.add("note", "this machine's clock is %s the gateway's; that does not change this verdict", skewPhrase(skew))
	default:
		r.Status = Warn
		r.Row = docs.RowClockSkew
		r.Summary = fmt.Sprintf("this machine's clock is %s the gateway's (more than %s): certificate dates and TLS are judged against a wrong clock; %s", skewPhrase(skew), maxClockSkew, lowerFirst(r.Summary))
		r.Fix = "Fix this machine's clock (timedatectl set-ntp true, or your NTP service)."
	}
}

// pickRoot names the check that explains the run's failures and turns the
// failures it explains into consequences.
func (st *story) pickRoot(gw *gatewayObservation) {
	var root *Result
	hs, _ := st.get(IDTLSHandshake)
	probe, _ := st.get(IDAPIProbe)
	switch {
	case hs != nil && hs.Status == Fail:
		root = hs
		if hs.Row == docs.RowTLSHandshake {
			// The gateway refused our certificate: a local finding that
			// explains the refusal is the cause.
			for _, id := range []string{IDCertKeypair, IDKeyFile, IDCertChain, IDCertValidity, IDCertSANs} {
				if r, ok := st.get(id); ok && r.Status == Fail && r.Row == docs.RowTLSHandshake {
					root = r
					break
				}
			}
		}
	case probe != nil && probe.Status == Fail:
		root = probe
		if probe.Row == docs.RowAuthorizedIPs || probe.Row == docs.RowIPv6Egress {
			if fc, ok := st.get(IDDNSFCrDNS); ok && fc.Status == Fail && fc.Row == docs.RowAuthorizedIPs {
				root = fc
			}
		}
	}
	if root == nil {
		for i := range st.results {
			if st.results[i].Status == Fail {
				root = &st.results[i]
				break
			}
		}
	}
	if root == nil {
		return
	}
	st.root = &RootCause{ID: root.ID, Reason: root.Summary, Row: root.Row}
	for _, id := range []string{IDTLSHandshake, IDAPIProbe} {
		if r, ok := st.get(id); ok && r.ID != root.ID && r.Status == Fail && explainedBy(*r, *root) {
			st.consequence(r, *root)
		}
	}
	// A proxy that refused the tunnel also kept net.egress from learning
	// its address: the same cause, not a second story.
	if eg, ok := st.get(IDNetEgress); ok && eg.Status == Warn && root.ID == IDTLSHandshake && gw != nil && gw.Proxy != nil && gw.Proxy.StatusCode/100 != 2 && gw.Proxy.StatusCode != 0 {
		st.consequence(eg, *root)
		eg.Fix = "Fix the proxy first (see tls.handshake); its egress address can be learnt through it once it tunnels."
	}
}

// explainedBy reports whether root explains r's failure: a refused
// handshake is explained by a local certificate or key failure; any probe
// failure by a gateway-side root (the handshake showed it is not the Axys
// gateway answering); a 403 by FCrDNS failing here.
func explainedBy(r, root Result) bool {
	switch r.ID {
	case IDTLSHandshake:
		return r.Row == docs.RowTLSHandshake && root.Row == docs.RowTLSHandshake
	case IDAPIProbe:
		switch root.ID {
		case IDTLSHandshake:
			return true
		case IDDNSFCrDNS:
			return r.Row == docs.RowAuthorizedIPs || r.Row == docs.RowIPv6Egress
		}
	}
	return false
}

// consequence keeps r's observation, says what explains it, and replaces
// its fix with a pointer to the root cause, so no two fixes disagree.
func (st *story) consequence(r *Result, root Result) {
	r.Status = Warn
	r.Summary = strings.TrimSuffix(r.Summary, ".") + " — a consequence of " + root.ID + " (the root cause)"
	r.Fix = "Fix " + root.ID + " first (see its fix); this follows from it."
	if r.ID == IDAPIProbe && root.ID == IDTLSHandshake {
		r.Fix = "This answer came from the hop that terminated TLS (see tls.handshake), not from the Axys gateway: fix that path first; until the gateway itself answers, this status says nothing about your address or key."
	}
	if r.ID == IDAPIProbe && root.ID == IDDNSFCrDNS {
		r.Fix = "Fix FCrDNS first (see dns.fcrdns); if the 403 remains once it passes, ask Axys to confirm the allowlist."
	}
	st.changed[r.ID] = true
}

// skew is this machine's clock minus the gateway's at the moment its Date
// header was written (one-second resolution).
func (obs *gatewayObservation) skew() time.Duration {
	return obs.ReceivedAt.Sub(obs.ServerDate).Truncate(time.Second)
}

// leafDates returns the validity of the certificate we sent, when known.
func (obs *gatewayObservation) leafDates() (notAfter, notBefore time.Time, ok bool) {
	if obs.Leaf == nil {
		return time.Time{}, time.Time{}, false
	}
	return obs.Leaf.NotAfter, obs.Leaf.NotBefore, true
}

func describeSkew(d time.Duration) string {
	if d.Abs() < 2*time.Second {
		return "agrees with it"
	}
	return "is " + skewPhrase(d) + " it"
}

func skewPhrase(d time.Duration) string {
	if d > 0 {
		return d.String() + " ahead of"
	}
	return (-d).String() + " behind"
}

func lowerFirst(s string) string {
	if s == "" || strings.HasPrefix(s, "HTTP") || strings.HasPrefix(s, "FCrDNS") || strings.HasPrefix(s, "TLS") {
		return s
	}
	return strings.ToLower(s[:1]) + s[1:]
}

// refreshSkips keeps skip reasons true after a revision: "needs net.egress
// (failed)" no longer holds once net.egress became a warning.
func (st *story) refreshSkips() {
	for id := range st.changed {
		r, _ := st.get(id)
		if r == nil || r.Status == Fail {
			continue
		}
		for i := range st.results {
			if st.results[i].Status == Skip {
				st.results[i].Summary = strings.ReplaceAll(st.results[i].Summary, id+" (failed)", id+" (it found nothing to go on)")
			}
		}
	}
}
