package ui

import (
	"fmt"
	"net"
	"strings"
	"time"

	"github.com/axysdoctor/axysdoctor/checks"
	"github.com/axysdoctor/axysdoctor/csr"
	"github.com/axysdoctor/axysdoctor/internal/termsafe"
	"github.com/axysdoctor/axysdoctor/report"
)

// loaded is certificate material read from disk, with the engine's own
// local verdicts on it (checks.LocalChecks) and the card's facts, all
// computed in the command that read it.
type loaded struct {
	material          *checks.Material
	certPath, keyPath string
	local             map[string]checks.Result
	card              cardFacts
}

// cardFacts are what the card shows from the certificate itself, made
// terminal-safe once: they come from a file.
type cardFacts struct {
	problem                            string // why the file is not a certificate
	keyProblem                         string
	file, keyFile                      string
	tenant, programs, cn, sans, issuer string
	notBefore, notAfter                time.Time
}

func newLoaded(mat *checks.Material, certPath, keyPath string, now time.Time) loaded {
	l := loaded{material: mat, certPath: certPath, keyPath: keyPath, local: map[string]checks.Result{}}
	for _, r := range checks.LocalChecks(mat, now) {
		l.local[r.ID] = r
	}
	f := &l.card
	f.file, f.keyFile = termsafe.Line(certPath), termsafe.Line(keyPath)
	f.problem, f.keyProblem = termsafe.Line(mat.CertProblem), termsafe.Line(mat.KeyProblem)
	leaf := mat.Leaf
	if leaf == nil {
		return l
	}
	f.tenant = termsafe.Line("O=" + strings.Join(leaf.Subject.Organization, ", "))
	f.programs = termsafe.Line("OU=" + strings.Join(leaf.Subject.OrganizationalUnit, ", OU="))
	f.cn = termsafe.Line(leaf.Subject.CommonName)
	f.sans = termsafe.Line(strings.Join(csr.SANs(leaf.DNSNames, ipStrings(leaf.IPAddresses)), ", "))
	f.issuer = termsafe.Line(csr.FormatName(leaf.RawIssuer))
	f.notBefore, f.notAfter = leaf.NotBefore, leaf.NotAfter
	return l
}

func ipStrings(ips []net.IP) []string {
	out := make([]string, len(ips))
	for i, ip := range ips {
		out[i] = ip.String()
	}
	return out
}

// usable reports whether the material can go on: a certificate was found
// (a mismatched key still can, for the checks to explain).
func (l loaded) usable() bool { return l.material != nil && l.material.Leaf != nil }

// certCard renders loaded material: subject, SANs, issuer, the engine's
// validity verdict with a bar against the reminders, the engine's verdict
// on the key, and any other local check that did not pass.
func certCard(s Styles, l loaded, now time.Time, width int) string {
	f := l.card
	if !l.usable() {
		return s.Error.Render(wrap("✗ "+f.problem, width-4)) + "\n"
	}
	var b strings.Builder
	row := func(label, value string) { b.WriteString(field(s.Label, label, value, 10, width)) }
	verdict := func(r checks.Result) string {
		return s.status(r.Status).Render(report.Mark(r.Status) + " " + r.Summary)
	}
	row("File", f.file)
	row("Tenant", f.tenant)
	row("Programs", f.programs)
	row("CN", f.cn)
	row("SANs", f.sans)
	row("Issuer", f.issuer)
	validity := l.local[checks.IDCertValidity]
	row("Valid", fmt.Sprintf("%s → %s", f.notBefore.UTC().Format("2006-01-02"), f.notAfter.UTC().Format("2006-01-02")))
	row("", verdict(validity))
	if bar, labels := validityBar(f.notBefore, f.notAfter, now, min(width-14, 50)); bar != "" {
		pad := strings.Repeat(" ", 11)
		fmt.Fprintf(&b, "%s%s\n%s%s\n", pad, s.status(validity.Status).Render(bar), pad, s.Subtle.Render(labels))
	}
	switch {
	case l.material.KeyFile == nil:
	case l.material.Key == nil:
		row("Key", s.Fail.Render("✗ "+f.keyFile+": "+f.keyProblem))
	default:
		row("Key", f.keyFile)
		row("", verdict(l.local[checks.IDCertKeypair]))
	}
	for _, id := range []string{checks.IDCertChain, checks.IDCertSubject, checks.IDCertSANs} {
		if r := l.local[id]; r.Status == checks.Warn || r.Status == checks.Fail {
			row("Check", verdict(r))
		}
	}
	return b.String()
}
