package ui

import (
	"fmt"
	"strings"
	"time"

	"github.com/axysdoctor/axysdoctor/checks"
	"github.com/axysdoctor/axysdoctor/csr"
)

// certCard renders the details of loaded material: subject, SANs, issuer,
// validity with a bar against the reminders, and the key match.
func certCard(s Styles, mat *checks.Material, certPath, keyPath string, now time.Time, width int) string {
	var b strings.Builder
	row := func(label, value string) {
		b.WriteString(field(s.Label, label, value, 10, width))
	}
	leaf := mat.Leaf
	if leaf == nil {
		return s.Error.Render(wrap("✗ "+mat.CertProblem, width-4)) + "\n"
	}
	subj := leaf.Subject
	row("File", certPath)
	row("Tenant", "O="+strings.Join(subj.Organization, ", "))
	row("Programs", "OU="+strings.Join(subj.OrganizationalUnit, ", OU="))
	row("CN", subj.CommonName)
	var ips []string
	for _, ip := range leaf.IPAddresses {
		ips = append(ips, ip.String())
	}
	row("SANs", strings.Join(csr.SANs(leaf.DNSNames, ips), ", "))
	row("Issuer", csr.FormatName(leaf.RawIssuer))
	days := csr.DaysLeft(leaf.NotAfter, now)
	validity := fmt.Sprintf("%s → %s · ", leaf.NotBefore.UTC().Format("2006-01-02"), leaf.NotAfter.UTC().Format("2006-01-02"))
	style := s.Pass
	switch {
	case now.After(leaf.NotAfter):
		validity += fmt.Sprintf("expired %d days ago", -days)
		style = s.Fail
	case now.Before(leaf.NotBefore):
		validity += "not valid yet"
		style = s.Fail
	case days < 30:
		validity += fmt.Sprintf("%d days left: renew now", days)
		style = s.Warn
	default:
		validity += fmt.Sprintf("%d days left", days)
	}
	row("Valid", style.Render(validity))
	bar, labels := validityBar(leaf.NotBefore, leaf.NotAfter, now, min(width-14, 50))
	if bar != "" {
		fmt.Fprintf(&b, "%s %s\n%s %s\n", strings.Repeat(" ", 10), style.Render(bar), strings.Repeat(" ", 10), s.Subtle.Render(labels))
	}
	switch {
	case mat.KeyFile == nil:
	case mat.Key == nil:
		row("Key", s.Fail.Render("✗ "+mat.KeyProblem))
	case csr.KeyMatches(leaf.PublicKey, mat.Key):
		row("Key", s.Pass.Render(fmt.Sprintf("✓ %s (%s) belongs to this certificate", keyPath, csr.DescribeKey(leaf.PublicKey))))
	default:
		row("Key", s.Fail.Render(fmt.Sprintf("✗ %s does NOT belong to this certificate", keyPath)))
	}
	for _, w := range mat.Chain.Warnings {
		row("Bundle", s.Warn.Render(w))
	}
	return b.String()
}
