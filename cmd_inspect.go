package main

import (
	"crypto/x509"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/axysdoctor/axysdoctor/csr"
	"github.com/axysdoctor/axysdoctor/report"
)

type inspectFlags struct {
	passwordEnv string
	key         string
	output      string
}

func newInspectCmd(e env) *cobra.Command {
	var f inspectFlags
	cmd := &cobra.Command{
		Use:   "inspect FILE...",
		Short: "Say what certificates, keys, CSRs and PKCS#12 files are (and whether they match)",
		Long: `Describe each file: PEM or DER certificates and bundles, private keys
(PKCS#1, PKCS#8, SEC1, encrypted PKCS#8, legacy encrypted PEM), CSRs and
PKCS#12. With --key, also say whether that key belongs to the certificates.

Exit codes: 0 described; 1 a certificate is expired or not yet valid, or
--key does not match; 2 a file cannot be read (missing, wrong password,
not a certificate, key, CSR or PKCS#12).`,
		Example: `  axysdoctor inspect client.pem
  axysdoctor inspect --key client.key client.pem
  P12_PW=… axysdoctor inspect --password-env P12_PW client.p12`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runInspect(e, f, args)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.passwordEnv, "password-env", "", "environment variable holding the password of encrypted keys and PKCS#12")
	fl.StringVar(&f.key, "key", "", "also check whether this private key belongs to the certificates")
	fl.StringVar(&f.output, "output", "text", "text or json")
	return cmd
}

// inspected is one file's description, for text and JSON.
type inspected struct {
	Path      string     `json:"path"`
	Container string     `json:"container,omitempty"`
	Contents  string     `json:"contents,omitempty"`
	Notes     []string   `json:"notes,omitempty"`
	Items     []itemInfo `json:"items,omitempty"`
	Chain     []string   `json:"chain_findings,omitempty"`
	Error     string     `json:"error,omitempty"`
}

type itemInfo struct {
	Kind        string   `json:"kind"`
	Format      string   `json:"format"`
	Description string   `json:"description"`
	Subject     string   `json:"subject,omitempty"`
	Issuer      string   `json:"issuer,omitempty"`
	NotBefore   string   `json:"not_before,omitempty"`
	NotAfter    string   `json:"not_after,omitempty"`
	DaysLeft    *int     `json:"days_left,omitempty"`
	SANs        []string `json:"sans,omitempty"`
	Key         string   `json:"key,omitempty"`
	SHA256      string   `json:"sha256,omitempty"`
	Problem     string   `json:"problem,omitempty"`
}

type keyMatch struct {
	Key     string `json:"key"`
	Cert    string `json:"certificate"`
	Matches bool   `json:"matches"`
}

func runInspect(e env, f inspectFlags, paths []string) error {
	if f.output != "text" && f.output != "json" {
		return usageErr("--output %q: use text or json", f.output)
	}
	now := time.Now()
	pw := passwordFrom(e, f.passwordEnv, "--password-env", "the file")
	var files []inspected
	var certs []*x509.Certificate
	var reqs []*x509.CertificateRequest
	unreadable, problem := false, false
	for _, p := range paths {
		file, err := csr.ReadFile(p, pw)
		if err != nil {
			unreadable = true
			files = append(files, inspected{Path: p, Error: err.Error()})
			continue
		}
		in, bad := describeFile(file, now)
		problem = problem || bad
		files = append(files, in)
		certs = append(certs, file.Certificates()...)
		reqs = append(reqs, file.CSRs()...)
	}
	var match *keyMatch
	if f.key != "" {
		kf, err := csr.ReadFile(f.key, pw)
		switch {
		case err != nil:
			unreadable = true
			files = append(files, inspected{Path: f.key, Error: err.Error()})
		case kf.MisuseAsKey() != "":
			unreadable = true
			files = append(files, inspected{Path: f.key, Error: kf.MisuseAsKey()})
		default:
			key := kf.Keys()[0]
			m := keyMatch{Key: f.key}
			if leaf := csr.AnalyzeChain(certs, key, now).Leaf; leaf != nil {
				m.Cert = csr.FormatName(leaf.RawSubject)
				m.Matches = csr.KeyMatches(leaf.PublicKey, key)
			} else if len(reqs) > 0 {
				m.Cert = "the CSR for " + csr.FormatName(reqs[0].RawSubject)
				m.Matches = csr.KeyMatches(reqs[0].PublicKey, key)
			}
			if !m.Matches && m.Cert != "" {
				problem = true
			}
			match = &m
		}
	}
	if f.output == "json" {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(struct {
			Files    []inspected `json:"files"`
			KeyMatch *keyMatch   `json:"key_match,omitempty"`
		}{files, match}); err != nil {
			return usageErr("writing the report: %v", err)
		}
	} else {
		writeInspectText(e.stdout, files, match, report.NewStyles(e.stdout, e.color(e.stdoutTTY)))
	}
	switch {
	case unreadable:
		for _, fl := range files {
			if fl.Error != "" {
				fmt.Fprintf(e.stderr, "axysdoctor: %s\n", oneLineMsg(fl.Error))
			}
		}
		return exitWith(exitUsage)
	case problem:
		return exitWith(exitFailed)
	}
	return nil
}

// describeFile describes every item; bad reports an expired or not yet
// valid certificate.
func describeFile(file *csr.File, now time.Time) (inspected, bool) {
	in := inspected{Path: file.Path, Container: file.Container, Contents: file.Contents(), Notes: file.Notes}
	bad := false
	for _, it := range file.Items {
		info := itemInfo{Kind: it.Kind.String(), Format: it.Format, Description: csr.DescribeItem(it, now), Problem: it.Problem}
		switch {
		case it.Cert != nil:
			c := it.Cert
			info.Subject, info.Issuer = csr.FormatName(c.RawSubject), csr.FormatName(c.RawIssuer)
			info.NotBefore, info.NotAfter = c.NotBefore.UTC().Format(time.RFC3339), c.NotAfter.UTC().Format(time.RFC3339)
			d := csr.DaysLeft(c.NotAfter, now)
			info.DaysLeft = &d
			info.SANs = csr.SANs(c.DNSNames, ipStrings(c))
			info.Key = csr.DescribeKey(c.PublicKey)
			info.SHA256 = csr.Fingerprint(c.Raw)
			if now.After(c.NotAfter) || now.Before(c.NotBefore) {
				bad = true
			}
		case it.CSR != nil:
			info.Subject = csr.FormatName(it.CSR.RawSubject)
			var ips []string
			for _, ip := range it.CSR.IPAddresses {
				ips = append(ips, ip.String())
			}
			info.SANs = csr.SANs(it.CSR.DNSNames, ips)
			info.Key = csr.DescribeKey(it.CSR.PublicKey)
			info.SHA256 = csr.Fingerprint(it.CSR.Raw)
		case it.Public != nil:
			info.Key = csr.DescribeKey(it.Public)
		}
		in.Items = append(in.Items, info)
	}
	if certs := file.Certificates(); len(certs) > 0 {
		keys := file.Keys()
		var key any
		if len(keys) > 0 {
			key = keys[0]
		}
		ch := csr.AnalyzeChain(certs, key, now)
		in.Chain = append(append(in.Chain, ch.Warnings...), ch.Info...)
	}
	return in, bad
}

func ipStrings(c *x509.Certificate) []string {
	var out []string
	for _, ip := range c.IPAddresses {
		out = append(out, ip.String())
	}
	return out
}

func writeInspectText(w io.Writer, files []inspected, match *keyMatch, st report.Styles) {
	for i, f := range files {
		if i > 0 {
			fmt.Fprintln(w)
		}
		if f.Error != "" {
			continue // said on stderr, as one line
		}
		fmt.Fprintf(w, "%s: %s, %s\n", st.Title.Render(f.Path), f.Container, f.Contents)
		for _, n := range f.Notes {
			fmt.Fprintf(w, "  %s %s\n", st.Subtle.Render("note:"), n)
		}
		for j, it := range f.Items {
			fmt.Fprintf(w, "  %d. %s\n", j+1, it.Description)
			if it.Format != "PEM CERTIFICATE" && it.Format != "DER" && (it.Kind == "certificate" || it.Kind == "certificate signing request") {
				fmt.Fprintf(w, "     stored as %s\n", it.Format)
			}
			if len(it.SANs) > 0 {
				fmt.Fprintf(w, "     SANs: %s\n", strings.Join(it.SANs, ", "))
			}
			if it.SHA256 != "" {
				fmt.Fprintf(w, "     %s\n", st.Subtle.Render("sha256 "+it.SHA256))
			}
		}
		for _, c := range f.Chain {
			fmt.Fprintf(w, "  %s %s\n", st.Subtle.Render("chain:"), c)
		}
	}
	if match != nil {
		fmt.Fprintln(w)
		switch {
		case match.Cert == "":
			fmt.Fprintf(w, "%s %s: no certificate or CSR given to compare it with\n", st.Warn.Render("!"), match.Key)
		case match.Matches:
			fmt.Fprintf(w, "%s %s belongs to %s\n", st.Pass.Render("✓"), match.Key, match.Cert)
		default:
			fmt.Fprintf(w, "%s %s does NOT belong to %s: use the key generated together with the CSR\n", st.Fail.Render("✗"), match.Key, match.Cert)
		}
	}
}
