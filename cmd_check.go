package main

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"net/url"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/axysdoctor/axysdoctor/checks"
	"github.com/axysdoctor/axysdoctor/report"
)

// checkFlags are the check command's flags, as typed.
type checkFlags struct {
	env, baseURL          string
	cert, key, p12        string
	keyPasswordEnv        string
	p12PasswordEnv        string
	apiKeyEnv, apiKeyFile string
	caFile                string
	resolver              string
	egressServers         []string
	egressIPs             []string
	egressURLs            []string
	expectTenant          string
	expectProgram         string
	timeout               time.Duration
	output                string
	strict                bool
	verbose               bool
	proxy                 string

	// profile, watch and bundle are not options of a diagnosis but of the
	// run (cmd_profiles.go, watch.go, bundle.go).
	profile string
	watch   time.Duration
	bundle  string
}

func newCheckCmd(e env) *cobra.Command {
	var f checkFlags
	cmd := &cobra.Command{
		Use:   "check",
		Short: "Run every diagnostic headless (for CI and cutovers)",
		Long: `Run every diagnostic and print a report: certificate, key, egress IP,
FCrDNS, the mTLS handshake and an API probe (GET /cardholders?limit=1).

The API key comes from $AXYS_API_KEY (--api-key-env NAME) or a file
(--api-key-file FILE, - for stdin), never from a flag value.

Stdout holds only the report; progress goes to stderr.
Exit codes: 0 no check failed, 1 a check failed (or warned, with --strict),
2 usage error or unreadable input.`,
		Example: `  AXYS_API_KEY=… axysdoctor check --cert client.pem --key client.key
  axysdoctor check --env production --p12 client.p12 --p12-password-env P12_PW --output json
  axysdoctor check --profile production --watch=1m      # a cutover: re-run until every check passes
  axysdoctor check --profile staging --bundle ticket.zip # a redacted support bundle
  axysdoctor check --profile staging -o junit > axysdoctor.xml`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := useProfile(e, cmd.Flags(), f.profile); err != nil {
				return err
			}
			return runCheck(cmd.Context(), e, f)
		},
	}
	f.register(cmd.Flags())
	addProfileFlag(cmd, e, &f.profile)
	addWatchFlag(cmd.Flags(), &f.watch)
	addBundleFlag(cmd.Flags(), &f.bundle)
	return cmd
}

// register defines check's flags on fl. Profiles hold the same names, so
// compare and the exporter register them on a flag set of their own to
// read a profile exactly as check would.
func (f *checkFlags) register(fl *pflag.FlagSet) {
	fl.StringVar(&f.env, "env", "staging", "environment: staging, sandbox or production")
	fl.StringVar(&f.baseURL, "base-url", "", "override the base URL (https only), e.g. for the emulator or a proxy")
	fl.StringVar(&f.cert, "cert", "", "client certificate (PEM or DER, a bundle is fine)")
	fl.StringVar(&f.key, "key", "", "private key (PEM or DER, may be encrypted)")
	fl.StringVar(&f.p12, "p12", "", "PKCS#12 file instead of --cert and --key")
	fl.StringVar(&f.keyPasswordEnv, "key-password-env", "", "environment variable holding the key's password")
	fl.StringVar(&f.p12PasswordEnv, "p12-password-env", "", "environment variable holding the PKCS#12 password")
	fl.StringVar(&f.apiKeyEnv, "api-key-env", "AXYS_API_KEY", "environment variable holding the API key")
	fl.StringVar(&f.apiKeyFile, "api-key-file", "", "read the API key from FILE (- for stdin)")
	fl.StringVar(&f.caFile, "ca-file", "", "extra CA certificates (PEM) to trust for the gateway's server certificate")
	fl.StringVar(&f.resolver, "resolver", "", "recursive resolver HOST:PORT for forward and reverse lookups (default: /etc/resolv.conf)")
	fl.StringArrayVar(&f.egressServers, "egress-server", nil, "ask this DNS server HOST:PORT for myip.opendns.com instead of the public services (repeatable)")
	fl.StringArrayVar(&f.egressIPs, "egress-ip", nil, "skip detection: the calling IP (repeatable)")
	fl.StringArrayVar(&f.egressURLs, "egress-url", nil, "with a proxy: ask this HTTPS who-am-I URL (answers the caller's IP as text) through it, instead of the public ones (repeatable)")
	fl.StringVar(&f.expectTenant, "expect-tenant", "", "the tenant (certificate O) you expect")
	fl.StringVar(&f.expectProgram, "expect-program", "", "a program (certificate OU) you expect")
	fl.DurationVar(&f.timeout, "timeout", checks.DefaultTimeout, "timeout of each network step")
	fl.StringVarP(&f.output, "output", "o", "text", "report format: text, json, markdown or junit")
	fl.StringVar(&f.proxy, "proxy", "", "HTTPS proxy URL for the gateway, or \"direct\" for none (default: HTTPS_PROXY/ALL_PROXY/NO_PROXY, as curl reads them)")
	fl.BoolVar(&f.strict, "strict", false, "warnings fail too (exit 1)")
	fl.BoolVarP(&f.verbose, "verbose", "v", false, "text output: show the evidence of passing checks too")
}

// checkOptions turns flags into engine options, rejecting bad input with
// one line each.
func checkOptions(e env, f checkFlags) (checks.Options, checks.Passwords, error) {
	var o checks.Options
	switch f.output {
	case "text", "json", "markdown", "junit":
	default:
		return o, checks.Passwords{}, usageErr("--output %q: use text, json, markdown or junit", f.output)
	}
	envr, err := checks.ResolveEnvironment(f.env, f.baseURL)
	if err != nil {
		return o, checks.Passwords{}, usageErr("%v", err)
	}
	if f.p12 != "" && (f.cert != "" || f.key != "") {
		return o, checks.Passwords{}, usageErr("give either --p12 or --cert/--key, not both")
	}
	if f.key != "" && f.cert == "" {
		return o, checks.Passwords{}, usageErr("--key needs --cert (the certificate it belongs to)")
	}
	if f.timeout <= 0 {
		return o, checks.Passwords{}, usageErr("--timeout must be positive, such as 5s")
	}
	o = checks.Options{
		Environment: envr, CertPath: f.cert, KeyPath: f.key, P12Path: f.p12,
		CAFile: f.caFile, ExpectTenant: f.expectTenant, ExpectProgram: f.expectProgram,
		Timeout: f.timeout, UserAgent: "axysdoctor/" + version(),
	}
	if o.Proxy, err = checks.ParseProxy(f.proxy); err != nil {
		return o, checks.Passwords{}, usageErr("%v", err)
	}
	if o.Resolver, err = hostPort(f.resolver, "--resolver"); err != nil {
		return o, checks.Passwords{}, err
	}
	for _, s := range f.egressServers {
		hp, err := hostPort(s, "--egress-server")
		if err != nil {
			return o, checks.Passwords{}, err
		}
		o.EgressServers = append(o.EgressServers, hp)
	}
	for _, s := range f.egressURLs {
		u, err := url.Parse(strings.TrimSpace(s))
		if err != nil || u.Scheme != "https" || u.Host == "" {
			return o, checks.Passwords{}, usageErr("--egress-url %q: give an https URL, such as https://checkip.amazonaws.com/", s)
		}
		o.EgressURLs = append(o.EgressURLs, u.String())
	}
	for _, s := range f.egressIPs {
		a, err := netip.ParseAddr(strings.TrimSpace(s))
		if err != nil {
			return o, checks.Passwords{}, usageErr("--egress-ip %q is not an IP address", s)
		}
		o.EgressIPs = append(o.EgressIPs, a.Unmap())
	}
	if o.APIKey, _, err = readAPIKey(e, f.apiKeyFile, f.apiKeyEnv); err != nil {
		return o, checks.Passwords{}, err
	}
	if f.cert == "" && f.p12 == "" {
		return o, checks.Passwords{}, usageErr("check needs the client certificate: --cert FILE --key FILE, or --p12 FILE (see axysdoctor check --help)")
	}
	pw := checks.Passwords{
		Key: passwordFrom(e, f.keyPasswordEnv, "--key-password-env", "the private key"),
		P12: passwordFrom(e, f.p12PasswordEnv, "--p12-password-env", "the PKCS#12 file"),
	}
	return o, pw, nil
}

// hostPort validates HOST:PORT (checks.ParseHostPort) for flag.
func hostPort(s, flag string) (string, error) {
	hp, err := checks.ParseHostPort(s)
	if err != nil {
		return "", usageErr("%s %v", flag, err)
	}
	return hp, nil
}

func runCheck(ctx context.Context, e env, f checkFlags) error {
	opts, pw, err := checkOptions(e, f)
	if err != nil {
		return err
	}
	return runDiagnosis(ctx, e, f, opts, pw)
}

// runDiagnosis runs every check (once, or with --watch until they pass),
// prints the report, writes the --bundle, and returns the exit code.
func runDiagnosis(ctx context.Context, e env, f checkFlags, opts checks.Options, pw checks.Passwords) error {
	bundle, err := prepareBundle(f.bundle, &opts)
	if err != nil {
		return err
	}
	var rep checks.Report
	if f.watch > 0 {
		rep, err = watchUntilGreen(ctx, e, f, opts, pw)
	} else {
		rep, err = diagnoseOnce(ctx, e, f, opts, pw)
	}
	if err != nil {
		return err
	}
	if err := render(e, rep, f.output, f.strict, f.verbose); err != nil {
		return err
	}
	if err := bundle.write(e, rep, opts); err != nil {
		return err
	}
	return exitWith(rep.ExitCode(f.strict))
}

// diagnoseOnce reads the material, says when there is no API key, and
// runs every check.
func diagnoseOnce(ctx context.Context, e env, f checkFlags, opts checks.Options, pw checks.Passwords) (checks.Report, error) {
	mat, err := loadMaterial(opts, pw)
	if err != nil {
		return checks.Report{}, err
	}
	if opts.APIKey.Empty() {
		fmt.Fprintf(e.stderr, "axysdoctor: no API key ($%s is empty): the probe will show what the gateway says without one\n", orDefault(f.apiKeyEnv, "AXYS_API_KEY"))
	}
	return diagnose(ctx, e, opts, mat)
}

// loadMaterial reads the certificate and key; unreadable input is a usage
// error (exit 2), before any check runs.
func loadMaterial(opts checks.Options, pw checks.Passwords) (*checks.Material, error) {
	mat, err := checks.LoadMaterial(opts, pw, time.Now())
	if err != nil {
		return nil, usageErr("%v", err)
	}
	return mat, nil
}

// diagnose runs every check, with progress on a terminal's stderr. An
// interrupted run has no report.
func diagnose(ctx context.Context, e env, opts checks.Options, mat *checks.Material) (checks.Report, error) {
	progress := newProgress(e.stderr, e.stderrTTY)
	rep := checks.Diagnose(ctx, opts, mat, checks.Deps{}, progress.event)
	progress.done()
	rep.Version = version()
	if ctx.Err() != nil {
		return rep, &exitError{code: exitInterrupted, msg: "interrupted: the report is incomplete and was not printed"}
	}
	return rep, nil
}

// render writes the report to stdout in format.
func render(e env, rep checks.Report, format string, strict, verbose bool) error {
	var err error
	switch format {
	case "json":
		err = report.JSON(e.stdout, rep, rep.Version, strict)
	case "markdown":
		err = report.Markdown(e.stdout, rep, rep.Version, strict)
	case "junit":
		err = report.JUnit(e.stdout, rep, rep.Version, strict)
	default:
		err = report.Text(e.stdout, rep, report.TextOptions{Version: rep.Version, Color: e.color(e.stdoutTTY), Verbose: verbose, Strict: strict, Width: e.textWidth()})
	}
	if err != nil && !errors.Is(err, context.Canceled) {
		return &exitError{code: exitUsage, msg: "writing the report: " + err.Error()}
	}
	return nil
}

func orDefault(s, d string) string {
	if s == "" {
		return d
	}
	return s
}
