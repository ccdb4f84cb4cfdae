package compare

import (
	"bytes"
	"crypto/x509"
	"fmt"
	"net"
	"net/netip"
	"slices"
	"strings"
	"time"

	"github.com/axysdoctor/axysdoctor/checks"
	"github.com/axysdoctor/axysdoctor/csr"
	"github.com/axysdoctor/axysdoctor/docs"
	"github.com/axysdoctor/axysdoctor/internal/termsafe"
)

// Static comparison IDs. Like check's IDs they are a contract of the JSON.
const (
	IDTenant   = "compare.tenant"
	IDPrograms = "compare.programs"
	IDClientCA = "compare.client-ca"
	IDKeyPair  = "compare.key-pair"
	IDAPIKey   = "compare.api-key"
	IDValidity = "compare.validity"
	IDSANs     = "compare.sans"
	IDEgress   = "compare.egress"
)

// Static compares two credential sets without the network: what a cutover
// must keep (tenant, programs, SANs, egress coverage) and what it must
// change (client CA, key pair and API key across environments). now judges
// validity.
func Static(a, b Side, now time.Time) []checks.Result {
	p := pair{a: a, b: b, now: now}
	out := []checks.Result{
		p.certs(IDTenant, "Same tenant (O)", p.tenant),
		p.certs(IDPrograms, "Same programs (OU)", p.programs),
		p.certs(IDClientCA, "Client CAs", p.clientCA),
		p.certs(IDKeyPair, "Key pairs", p.keyPair),
		p.apiKey(),
		p.certs(IDValidity, "Validity windows", p.validity),
		p.certs(IDSANs, "Subject alternative names", p.sans),
		p.certs(IDEgress, "Egress IPs covered by IP SANs", p.egress),
	}
	for i := range out {
		out[i] = printable(out[i])
	}
	return out
}

// printable makes every text one printable line: subjects and issuers come
// from certificate files, which are hostile until cleaned (as the engine
// does for check's results).
func printable(r checks.Result) checks.Result {
	r.Summary, r.Fix = termsafe.Line(r.Summary), termsafe.Line(r.Fix)
	ev := make([]checks.Evidence, len(r.Evidence))
	for i, e := range r.Evidence {
		ev[i] = checks.Evidence{Label: termsafe.Line(e.Label), Value: termsafe.Line(e.Value)}
	}
	r.Evidence = ev
	return r
}

type pair struct {
	a, b Side
	now  time.Time
}

// crossing is true when the two sides are different environments.
// Sandbox shares staging's certificate and keys, so it counts as staging.
func (p pair) crossing() bool { return family(p.a) != family(p.b) }

func family(s Side) string {
	if s.Options.Environment.Name == "production" {
		return "production"
	}
	return "staging"
}

func evidence(r *checks.Result, label, format string, args ...any) {
	r.Evidence = append(r.Evidence, checks.Evidence{Label: label, Value: fmt.Sprintf(format, args...)})
}

// certs runs a comparison that needs both certificates, or skips it.
func (p pair) certs(id, title string, cmp func(a, b *x509.Certificate) checks.Result) checks.Result {
	var missing []string
	for _, s := range []Side{p.a, p.b} {
		if s.Material == nil || s.Material.Leaf == nil {
			missing = append(missing, s.Name)
		}
	}
	var r checks.Result
	if len(missing) > 0 {
		r = checks.Result{Status: checks.Skip, Summary: "skipped: no certificate for " + strings.Join(missing, " and ") + " (see cert.chain below)"}
	} else {
		r = cmp(p.a.Material.Leaf, p.b.Material.Leaf)
	}
	r.ID, r.Title = id, title
	return r
}

func (p pair) tenant(a, b *x509.Certificate) checks.Result {
	r := checks.Result{Status: checks.Pass}
	evidence(&r, p.a.Name, "O %s", quote(a.Subject.Organization))
	evidence(&r, p.b.Name, "O %s", quote(b.Subject.Organization))
	if sameFold(a.Subject.Organization, b.Subject.Organization) {
		r.Summary = "both certificates name tenant " + quote(a.Subject.Organization)
		return r
	}
	r.Status, r.Row = checks.Fail, docs.RowCertificateContent
	r.Summary = fmt.Sprintf("%s names tenant %s, %s names %s: both sides of a cutover belong to one tenant", p.a.Name, quote(a.Subject.Organization), p.b.Name, quote(b.Subject.Organization))
	r.Fix = "Check each profile points at the certificate you meant (`axysdoctor inspect`). If one was requested with the wrong O, make a new CSR with the tenant's legal entity name as O."
	return r
}

func (p pair) programs(a, b *x509.Certificate) checks.Result {
	r := checks.Result{Status: checks.Pass}
	evidence(&r, p.a.Name, "OU %s", quote(a.Subject.OrganizationalUnit))
	evidence(&r, p.b.Name, "OU %s", quote(b.Subject.OrganizationalUnit))
	onlyA, onlyB := diff(a.Subject.OrganizationalUnit, b.Subject.OrganizationalUnit)
	if len(onlyA)+len(onlyB) == 0 {
		r.Summary = "both certificates name programs " + quote(a.Subject.OrganizationalUnit)
		return r
	}
	r.Status, r.Row = checks.Warn, docs.RowCertificateContent
	r.Summary = "the programs differ: " + sides(p.a.Name, onlyA, p.b.Name, onlyB)
	r.Fix = "If both should serve the same programs, request the certificate that lacks one again with every program as its own OU (`axysdoctor csr --from-cert`)."
	return r
}

func (p pair) clientCA(a, b *x509.Certificate) checks.Result {
	r := checks.Result{Status: checks.Pass}
	evidence(&r, p.a.Name, "issued by %s", csr.FormatName(a.RawIssuer))
	evidence(&r, p.b.Name, "issued by %s", csr.FormatName(b.RawIssuer))
	same := bytes.Equal(a.RawIssuer, b.RawIssuer) && bytes.Equal(a.AuthorityKeyId, b.AuthorityKeyId)
	switch {
	case p.crossing() && !same:
		r.Summary = "different client CAs for staging and production, as expected"
	case p.crossing():
		r.Status, r.Row = checks.Warn, docs.RowTLSHandshake
		r.Summary = fmt.Sprintf("both certificates come from the same CA, although %s targets %s and %s targets %s: one may be from the wrong environment", p.a.Name, family(p.a), p.b.Name, family(p.b))
		r.Fix = "Each environment issues its own certificate. The Axys docs do not name the CAs, so the live tls.handshake below is the verdict: if one side's gateway refuses the certificate, request one from that environment."
	case same:
		r.Summary = "one client CA, as expected within one environment"
	default:
		r.Status, r.Row = checks.Warn, docs.RowTLSHandshake
		r.Summary = "different client CAs within one environment: one certificate may be from the other environment"
		r.Fix = "Check which environment issued each certificate; the live tls.handshake below shows whether each gateway accepts it."
	}
	return r
}

func (p pair) keyPair(a, b *x509.Certificate) checks.Result {
	r := checks.Result{Status: checks.Pass}
	evidence(&r, p.a.Name, "public key %s", csr.KeyFingerprint(a.PublicKey))
	evidence(&r, p.b.Name, "public key %s", csr.KeyFingerprint(b.PublicKey))
	sameKey := bytes.Equal(a.RawSubjectPublicKeyInfo, b.RawSubjectPublicKeyInfo)
	switch {
	case !sameKey:
		r.Summary = "different key pairs"
	case p.crossing():
		r.Status, r.Row = checks.Fail, docs.RowCredentialHygiene
		r.Summary = fmt.Sprintf("the same private key is used for %s and %s: credentials never cross environments, and a leak of one would compromise both", family(p.a), family(p.b))
		r.Fix = "Generate a fresh RSA-2048 key and CSR for production (`axysdoctor csr --from-cert`), and have the new certificate signed."
	case bytes.Equal(a.Raw, b.Raw):
		r.Summary = "the same certificate on both sides (as hosts sharing one certificate do)"
	default:
		r.Status, r.Row = checks.Warn, docs.RowCredentialHygiene
		r.Summary = "a new certificate on the old key: the rotation guide asks for a fresh key with every renewal"
		r.Fix = "Renew with a fresh key: `axysdoctor csr --from-cert CURRENT.pem` makes one with the same subject and SANs."
	}
	return r
}

func (p pair) apiKey() checks.Result {
	r := checks.Result{ID: IDAPIKey, Title: "API keys", Status: checks.Pass}
	ka, kb := p.a.Options.APIKey, p.b.Options.APIKey
	evidence(&r, p.a.Name, "%s", ka.Redacted())
	evidence(&r, p.b.Name, "%s", kb.Redacted())
	switch {
	case ka.Empty() && kb.Empty():
		r.Status, r.Summary = checks.Skip, "skipped: no API key on either side"
	case ka.Empty() || kb.Empty():
		name := p.a.Name
		if !kb.Empty() {
			name = p.b.Name
		}
		r.Status, r.Row = checks.Warn, docs.RowAPIKey
		r.Summary = name + " has no API key, so its probe cannot pass"
		r.Fix = "Set the variable its profile names (api-key-env), or give api-key-file."
	case ka.Reveal() != kb.Reveal():
		r.Summary = "different API keys"
	case p.crossing():
		r.Status, r.Row = checks.Fail, docs.RowCredentialHygiene
		r.Summary = fmt.Sprintf("the same API key is used for %s and %s: each environment has its own keys", family(p.a), family(p.b))
		r.Fix = "Use the production key from production Account Management for the production profile (and keep it in its own variable or file)."
	default:
		r.Summary = "the same API key (keys and certificates rotate independently)"
	}
	return r
}

func (p pair) validity(a, b *x509.Certificate) checks.Result {
	r := checks.Result{Status: checks.Pass}
	var fails, warns []string
	for _, s := range []struct {
		name string
		c    *x509.Certificate
	}{{p.a.Name, a}, {p.b.Name, b}} {
		days := csr.DaysLeft(s.c.NotAfter, p.now)
		evidence(&r, s.name, "%s → %s (%d days left)", day(s.c.NotBefore), day(s.c.NotAfter), days)
		switch {
		case p.now.After(s.c.NotAfter):
			fails = append(fails, s.name+"'s certificate has expired")
		case p.now.Before(s.c.NotBefore):
			fails = append(fails, s.name+"'s certificate is not valid yet")
		case days <= 30:
			warns = append(warns, fmt.Sprintf("%s's certificate expires in %d days (Axys's 30-day reminder: renew now)", s.name, days))
		}
	}
	if !p.crossing() && !bytes.Equal(a.Raw, b.Raw) && !b.NotAfter.After(a.NotAfter) {
		warns = append(warns, fmt.Sprintf("%s's certificate does not outlast %s's: a cutover moves to the newer one", p.b.Name, p.a.Name))
	}
	switch {
	case len(fails) > 0:
		r.Status, r.Row = checks.Fail, docs.RowTLSHandshake
		r.Summary = strings.Join(append(fails, warns...), "; ")
		r.Fix = "The gateway refuses an expired or not-yet-valid certificate at the handshake, with no grace period: deploy a valid one (or check this machine's clock)."
	case len(warns) > 0:
		r.Status, r.Row = checks.Warn, docs.RowTLSHandshake
		r.Summary = strings.Join(warns, "; ")
		r.Fix = "Renew with `axysdoctor csr --from-cert` and deploy the new certificate alongside the old one until it is tested."
	default:
		r.Summary = "both certificates are valid for more than 30 days"
	}
	return r
}

func (p pair) sans(a, b *x509.Certificate) checks.Result {
	r := checks.Result{Status: checks.Pass}
	sa, sb := csr.SANs(a.DNSNames, ipStrings(a)), csr.SANs(b.DNSNames, ipStrings(b))
	evidence(&r, p.a.Name, "%s", orNone(sa))
	evidence(&r, p.b.Name, "%s", orNone(sb))
	onlyA, onlyB := diff(sa, sb)
	switch {
	case len(onlyA)+len(onlyB) == 0:
		r.Summary = "the same SANs"
	case p.crossing():
		r.Summary = "different SANs, which environments may have: " + sides(p.a.Name, onlyA, p.b.Name, onlyB)
	default:
		r.Status, r.Row = checks.Warn, docs.RowCertificateContent
		r.Summary = "the SANs differ: " + sides(p.a.Name, onlyA, p.b.Name, onlyB)
		r.Fix = "A renewal repeats every SAN of the certificate it replaces (the rotation guide): request it again with `axysdoctor csr --from-cert`, adding what is missing."
	}
	return r
}

// egress checks that the calling addresses the profiles declare (egress-ip)
// are IP SANs of each certificate.
func (p pair) egress(a, b *x509.Certificate) checks.Result {
	r := checks.Result{Status: checks.Pass}
	ips := slices.Concat(p.a.Options.EgressIPs, p.b.Options.EgressIPs)
	slices.SortFunc(ips, func(x, y netip.Addr) int { return x.Compare(y) })
	ips = slices.Compact(ips)
	if len(ips) == 0 {
		r.Status, r.Summary = checks.Skip, "skipped: neither profile declares egress-ip; net.egress below shows the addresses each run saw"
		return r
	}
	var gaps []string
	for _, ip := range ips {
		inA, inB := covers(a, ip), covers(b, ip)
		evidence(&r, ip.String(), "%s: %s, %s: %s", p.a.Name, yesNo(inA), p.b.Name, yesNo(inB))
		if inA != inB {
			missing := p.b.Name
			if !inA {
				missing = p.a.Name
			}
			gaps = append(gaps, fmt.Sprintf("%s is not an IP SAN of %s's certificate", ip, missing))
		}
	}
	switch {
	case len(gaps) > 0:
		r.Status, r.Row = checks.Warn, docs.RowAuthorizedIPs
		r.Summary = strings.Join(gaps, "; ")
		r.Fix = "List every calling IP in the certificate you move to (and have it allowlisted for that environment)."
	default:
		r.Summary = "both certificates cover the declared egress IPs alike"
	}
	return r
}

func covers(c *x509.Certificate, ip netip.Addr) bool {
	return slices.ContainsFunc(c.IPAddresses, func(x net.IP) bool {
		a, ok := netip.AddrFromSlice(x)
		return ok && a.Unmap() == ip.Unmap()
	})
}

func ipStrings(c *x509.Certificate) []string {
	var out []string
	for _, ip := range c.IPAddresses {
		out = append(out, ip.String())
	}
	return out
}

func yesNo(b bool) string {
	if b {
		return "IP SAN"
	}
	return "not listed"
}

func sameFold(a, b []string) bool {
	onlyA, onlyB := diff(a, b)
	return len(onlyA)+len(onlyB) == 0
}

// diff returns the values of a missing from b and of b missing from a,
// ignoring case.
func diff(a, b []string) (onlyA, onlyB []string) {
	in := func(list []string, v string) bool {
		return slices.ContainsFunc(list, func(x string) bool { return strings.EqualFold(x, v) })
	}
	for _, v := range a {
		if !in(b, v) {
			onlyA = append(onlyA, v)
		}
	}
	for _, v := range b {
		if !in(a, v) {
			onlyB = append(onlyB, v)
		}
	}
	return onlyA, onlyB
}

func sides(nameA string, onlyA []string, nameB string, onlyB []string) string {
	var parts []string
	if len(onlyA) > 0 {
		parts = append(parts, "only "+nameA+" has "+quote(onlyA))
	}
	if len(onlyB) > 0 {
		parts = append(parts, "only "+nameB+" has "+quote(onlyB))
	}
	return strings.Join(parts, "; ")
}

func quote(v []string) string {
	if len(v) == 0 {
		return "(none)"
	}
	q := make([]string, len(v))
	for i, s := range v {
		q[i] = fmt.Sprintf("%q", s)
	}
	return strings.Join(q, ", ")
}

func day(t time.Time) string { return t.UTC().Format("2006-01-02") }

func orNone(v []string) string {
	if len(v) == 0 {
		return "(none)"
	}
	return strings.Join(v, ", ")
}
