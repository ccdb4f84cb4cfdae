package main

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/axysdoctor/axysdoctor/checks"
	"github.com/axysdoctor/axysdoctor/csr"
	"github.com/axysdoctor/axysdoctor/internal/shell"
	"github.com/axysdoctor/axysdoctor/internal/termsafe"
)

type csrFlags struct {
	org, cn                   string
	units, dns, ips           []string
	country, state, locality  string
	keyType                   string
	keyOut, csrOut            string
	fromCert, fromCertPassEnv string
	force                     bool
}

func newCSRCmd(e env) *cobra.Command {
	var f csrFlags
	cmd := &cobra.Command{
		Use:   "csr",
		Short: "Generate a private key and a CSR for Axys",
		Long: `Generate a private key (RSA-2048 by default, as Axys documents) and a
certificate signing request with O = your Tenant, one OU per Program (each
its own RDN), CN = your primary calling domain, and every calling domain and
IP as SANs. With --from-cert, copy O, OU, CN and every SAN from the current
certificate onto a fresh key, as the rotation guide requires.

The key is written with mode 0600 and never replaces an existing file
unless --force (then atomically). Send the CSR — never the key — to Axys.`,
		Example: `  axysdoctor csr --org "Acme Financial Services Ltd" --unit "Acme Cards" \
      --cn api.acmecards.example --dns staging.api.acmecards.example --ip 203.0.113.10
  axysdoctor csr --from-cert client.pem --key-out client-2027.key --csr-out client-2027.csr`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runCSR(cmd.Context(), e, f)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.org, "org", "", "O: the Tenant's legal entity name")
	fl.StringArrayVar(&f.units, "unit", nil, "OU: a Program's trading name (repeatable, one OU each)")
	fl.StringVar(&f.cn, "cn", "", "CN: the primary domain you call the API from")
	fl.StringArrayVar(&f.dns, "dns", nil, "another DNS name you call from (repeatable; the CN is added)")
	fl.StringArrayVar(&f.ips, "ip", nil, "an IP address you call from (repeatable)")
	fl.StringVar(&f.country, "country", "", "C: two-letter country code")
	fl.StringVar(&f.state, "state", "", "ST: state or province")
	fl.StringVar(&f.locality, "locality", "", "L: city")
	fl.StringVar(&f.keyType, "key-type", string(csr.RSA2048), "rsa2048, rsa3072, rsa4096 or p256")
	fl.StringVar(&f.keyOut, "key-out", "client.key", "where to write the private key")
	fl.StringVar(&f.csrOut, "csr-out", "client.csr", "where to write the CSR")
	fl.StringVar(&f.fromCert, "from-cert", "", "renewal: copy the subject and SANs of this certificate")
	fl.StringVar(&f.fromCertPassEnv, "from-cert-password-env", "", "password for --from-cert when it is a PKCS#12")
	fl.BoolVar(&f.force, "force", false, "replace existing output files (atomically)")
	return cmd
}

// csrRequest assembles the request from --from-cert and the flags; flags
// override the copied subject, and --dns/--ip add to the copied SANs.
func csrRequest(e env, f csrFlags) (csr.Request, []string, error) {
	var req csr.Request
	var notes []string
	if f.fromCert != "" {
		file, err := csr.ReadFile(f.fromCert, passwordFrom(e, f.fromCertPassEnv, "--from-cert-password-env", f.fromCert))
		if err != nil {
			return req, nil, usageErr("--from-cert: %v", err)
		}
		if msg := file.MisuseAsCertificate(); msg != "" {
			return req, nil, usageErr("%s", msg)
		}
		leaf := csr.AnalyzeChain(file.Certificates(), nil, time.Now()).Leaf
		req, notes = csr.FromCertificate(leaf)
		notes = append([]string{fmt.Sprintf("copied the subject and SANs of %s (%s)", f.fromCert, csr.FormatName(leaf.RawSubject))}, notes...)
	}
	if f.org != "" {
		req.Organization = f.org
	}
	if len(f.units) > 0 {
		req.Units = f.units
	}
	if f.cn != "" {
		req.CommonName = f.cn
	}
	req.DNSNames = append(req.DNSNames, f.dns...)
	req.IPs = append(req.IPs, f.ips...)
	for _, kv := range []struct {
		dst *string
		v   string
	}{{&req.Country, f.country}, {&req.State, f.state}, {&req.Locality, f.locality}} {
		if kv.v != "" {
			*kv.dst = kv.v
		}
	}
	if f.fromCert == "" && req.Organization == "" && len(req.Units) == 0 && req.CommonName == "" {
		return req, nil, usageErr("give --org, --unit and --cn (or --from-cert to renew); see axysdoctor csr --help")
	}
	return req, notes, nil
}

func runCSR(ctx context.Context, e env, f csrFlags) error {
	kt, err := csr.ParseKeyType(f.keyType)
	if err != nil {
		return usageErr("--key-type: %v", err)
	}
	req, notes, err := csrRequest(e, f)
	if err != nil {
		return err
	}
	p, err := req.Prepare()
	if err != nil {
		return usageErr("%s", strings.TrimPrefix(err.Error(), csr.ErrInvalid.Error()+": "))
	}
	if same(f.keyOut, f.csrOut) {
		return usageErr("--key-out and --csr-out are the same file")
	}
	switch err := csr.CheckTargets(f.force, f.keyOut, f.csrOut); {
	case errors.Is(err, csr.ErrNotRegular):
		return usageErr("%v; nothing was written", err)
	case err != nil:
		return usageErr("%v, or choose another --key-out/--csr-out; nothing was written", err)
	}
	if w := kt.Warning(); w != "" {
		fmt.Fprintf(e.stderr, "axysdoctor: warning: %s\n", w)
	}
	created, err := csr.Create(ctx, p, kt, f.keyOut, f.csrOut, f.force)
	switch {
	case errors.Is(err, csr.ErrInterrupted):
		return &exitError{code: exitInterrupted, msg: "interrupted during key generation: nothing was written"}
	case errors.Is(err, csr.ErrExists):
		return usageErr("%v", err)
	case err != nil:
		return usageErr("%v", err)
	}
	// The subject and SANs may have been copied from a hostile certificate.
	safe := termsafe.Line
	parsed := created.CSR
	out := e.stdout
	fmt.Fprintf(out, "Wrote %s (%s private key, mode 0600) and %s.\n\n", safe(f.keyOut), kt, safe(f.csrOut))
	fmt.Fprintf(out, "  subject  %s\n", safe(csr.FormatName(parsed.RawSubject)))
	fmt.Fprintf(out, "  SANs     %s\n", safe(strings.Join(csr.SANs(p.DNSNames, p.IPs), ", ")))
	fmt.Fprintf(out, "  CSR      sha256 %s\n", csr.Fingerprint(parsed.Raw))
	for _, n := range append(notes, p.Notes...) {
		fmt.Fprintf(out, "  note     %s\n", safe(n))
	}
	fmt.Fprintf(out, "\nNext: send %s — never %s — to Axys; the signed certificate comes back in about 24 hours.\n", safe(f.csrOut), safe(f.keyOut))
	fmt.Fprintf(out, "Then: axysdoctor inspect CERT --key %s && axysdoctor check --cert CERT --key %s\n", safe(shell.Quote(f.keyOut)), safe(shell.Quote(f.keyOut)))
	warnKeyInGit(ctx, e, f.keyOut)
	return nil
}

// warnKeyInGit says on stderr when the new key sits in a git work tree
// without being ignored.
func warnKeyInGit(ctx context.Context, e env, path string) {
	st, root, err := checks.ExecGit{}.Status(ctx, path)
	if err != nil {
		return
	}
	switch st {
	case checks.GitUntracked:
		fmt.Fprintf(e.stderr, "axysdoctor: warning: %s is inside the git work tree %s and not ignored: add it to .gitignore or move it out\n", termsafe.Line(path), termsafe.Line(root))
	case checks.GitTracked:
		fmt.Fprintf(e.stderr, "axysdoctor: warning: %s is tracked by git in %s: remove it from the repository before you commit\n", termsafe.Line(path), termsafe.Line(root))
	}
}

func same(a, b string) bool {
	ca, err1 := filepath.Abs(a)
	cb, err2 := filepath.Abs(b)
	return err1 == nil && err2 == nil && ca == cb
}
