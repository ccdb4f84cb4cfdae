package main

import (
	"fmt"
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
--key does not match; 2 a file cannot be read (missing, not a regular file,
wrong password, not a certificate, key, CSR or PKCS#12).`,
		Example: `  axysdoctor inspect client.pem
  axysdoctor inspect --key client.key client.pem
  P12_PW=… axysdoctor inspect --password-env P12_PW client.p12`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				fmt.Fprintf(e.stderr, "axysdoctor inspect needs at least one FILE.\n\n%s", cmd.UsageString())
				return exitWith(exitUsage)
			}
			return runInspect(e, f, args)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.passwordEnv, "password-env", "", "environment variable holding the password of encrypted keys and PKCS#12")
	fl.StringVar(&f.key, "key", "", "also check whether this private key belongs to the certificates")
	fl.StringVarP(&f.output, "output", "o", "text", "text or json")
	return cmd
}

func runInspect(e env, f inspectFlags, paths []string) error {
	if f.output != "text" && f.output != "json" {
		return usageErr("--output %q: use text or json", f.output)
	}
	pw := passwordFrom(e, f.passwordEnv, "--password-env", "the file")
	in := csr.Inspect(paths, f.key, pw, time.Now())
	var err error
	if f.output == "json" {
		err = report.InspectJSON(e.stdout, in)
	} else {
		err = report.InspectText(e.stdout, in, report.NewStyles(e.stdout, e.color(e.stdoutTTY)))
	}
	if err != nil {
		return usageErr("writing the report: %v", err)
	}
	switch in.Verdict() {
	case csr.Unreadable:
		for _, fl := range in.Files {
			switch {
			case fl.Error != "":
				fmt.Fprintf(e.stderr, "axysdoctor: %s\n", safeLine(fl.Error))
			case len(fl.Items) > 0 && fl.Items[0].Problem != "":
				fmt.Fprintf(e.stderr, "axysdoctor: %s: nothing usable: %s\n", safeLine(fl.Path), safeLine(fl.Items[0].Problem))
			}
		}
		return exitWith(exitUsage)
	case csr.Problem:
		return exitWith(exitFailed)
	}
	return nil
}
