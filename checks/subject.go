package checks

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/axysdoctor/axysdoctor/csr"
	"github.com/axysdoctor/axysdoctor/docs"
)

// checkSubject: O (tenant) and OU (programs) present as separate values, a
// CN, and the tenant and program the user expects.
func checkSubject(_ context.Context, s *session) Result {
	c := s.mat.Leaf
	r := Result{Status: Pass}
	subj := c.Subject
	r.add("subject", "%s", csr.FormatName(c.RawSubject))
	r.add("O (tenant)", "%s", quoteList(subj.Organization))
	r.add("OU (programs)", "%s", quoteList(subj.OrganizationalUnit))
	r.add("CN", "%q", subj.CommonName)

	var fails, warns []string
	var fixes []string
	switch len(subj.Organization) {
	case 0:
		fails = append(fails, "the subject has no O (the Tenant's legal entity name)")
	case 1:
	default:
		warns = append(warns, fmt.Sprintf("the subject has %d O values; Axys expects one, the Tenant", len(subj.Organization)))
	}
	if len(subj.OrganizationalUnit) == 0 {
		fails = append(fails, "the subject has no OU (the Program's trading name)")
	}
	if subj.CommonName == "" {
		fails = append(fails, "the subject has no CN (the primary domain you call from)")
	}
	if csr.MultiValuedRDN(c.RawSubject) {
		warns = append(warns, "several attributes share one RDN (such as OU=a+OU=b); Axys's sample writes each OU as its own RDN")
		fixes = append(fixes, "If Axys reads only one Program, request a certificate with one OU per RDN (`axysdoctor csr --unit A --unit B`).")
	}
	if want := strings.TrimSpace(s.opts.ExpectTenant); want != "" {
		if slices.ContainsFunc(subj.Organization, func(o string) bool { return strings.EqualFold(o, want) }) {
			r.add("expected tenant", "%q: matches", want)
		} else {
			fails = append(fails, fmt.Sprintf("O is %s, not the expected tenant %q", quoteList(subj.Organization), want))
		}
	}
	if want := strings.TrimSpace(s.opts.ExpectProgram); want != "" {
		if slices.ContainsFunc(subj.OrganizationalUnit, func(o string) bool { return strings.EqualFold(o, want) }) {
			r.add("expected program", "%q: matches", want)
		} else {
			fails = append(fails, fmt.Sprintf("no OU is the expected program %q (OUs: %s)", want, quoteList(subj.OrganizationalUnit)))
		}
	}
	switch {
	case len(fails) > 0:
		r.Status = Fail
		r.Row = docs.RowCertificateContent
		r.Summary = joinSentences(append(fails, warns...))
		r.Fix = "Check you are using the right certificate (`axysdoctor inspect`). If it is, it was requested with the wrong subject: make a new CSR with O = Tenant, one OU per Program, CN = your primary calling domain (`axysdoctor csr`), and send it to Axys."
	case len(warns) > 0:
		r.Status = Warn
		r.Row = docs.RowCertificateContent
		r.Summary = joinSentences(warns)
		r.Fix = joinSentences(append(fixes, "Ask Axys whether the certificate's subject is read as intended."))
	default:
		r.Summary = fmt.Sprintf("tenant %q, %s %s, CN %s", subj.Organization[0], noun(len(subj.OrganizationalUnit), "program"), quoteList(subj.OrganizationalUnit), subj.CommonName)
	}
	return r
}

func quoteList(v []string) string {
	if len(v) == 0 {
		return "(none)"
	}
	q := make([]string, len(v))
	for i, s := range v {
		q[i] = fmt.Sprintf("%q", s)
	}
	return strings.Join(q, ", ")
}
