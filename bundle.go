package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/spf13/pflag"

	"github.com/axysdoctor/axysdoctor/bundle"
	"github.com/axysdoctor/axysdoctor/checks"
	"github.com/axysdoctor/axysdoctor/report"
)

func addBundleFlag(fl *pflag.FlagSet, path *string) {
	fl.StringVar(path, "bundle", "", "also write a redacted support bundle (zip) to FILE, with a correlation ID to quote in a ticket")
}

// supportBundle is a --bundle to write once the run is over.
type supportBundle struct {
	path, id string
}

// prepareBundle checks the bundle's path is free before anything runs, and
// stamps the correlation ID on the probe's User-Agent so that it reaches
// the gateway's logs too. It returns nil when no bundle was asked for.
func prepareBundle(path string, opts *checks.Options) (*supportBundle, error) {
	if path == "" {
		return nil, nil
	}
	if bundle.Exists(path) {
		return nil, usageErr("--bundle %s already exists: a bundle never replaces a file; choose another name", path)
	}
	b := &supportBundle{path: path, id: bundle.NewCorrelationID()}
	opts.UserAgent = strings.TrimSpace(opts.UserAgent + " (correlation " + b.id + ")")
	return b, nil
}

// write puts the report (Markdown and JSON, both redacted), the facts of
// the machine and a README into the zip, then prints the correlation ID.
func (b *supportBundle) write(e env, rep checks.Report, opts checks.Options) error {
	if b == nil {
		return nil
	}
	now := time.Now()
	var md, js bytes.Buffer
	if err := report.Markdown(&md, rep, rep.Version, false); err != nil {
		return err
	}
	if err := report.JSON(&js, rep, rep.Version, false); err != nil {
		return err
	}
	facts := bundle.Collect(bundle.Sources{Getenv: e.getenv}, b.id, rep.Version, rep, now)
	env, err := json.MarshalIndent(facts, "", "  ")
	if err != nil {
		return err
	}
	files := []bundle.File{
		{Name: "README.txt", Data: []byte(bundleReadme(b.id, rep, now))},
		{Name: "report.md", Data: md.Bytes()},
		{Name: "report.json", Data: js.Bytes()},
		{Name: "environment.json", Data: append(env, '\n')},
	}
	secrets := bundle.Secrets{APIKey: opts.APIKey.Reveal(), KeyFile: readKeyFile(opts), Others: checks.ProxySecrets(opts, e.getenv)}
	if err := bundle.Write(b.path, files, secrets, now); err != nil {
		return &exitError{code: exitUsage, msg: "--bundle: " + err.Error()}
	}
	fmt.Fprintf(e.stderr, "axysdoctor: support bundle written to %s · correlation ID %s (quote it in your ticket)\n", b.path, b.id)
	return nil
}

// readKeyFile is the private key file's bytes, for the bundle's last look
// for leaks; nothing is read when there is none.
func readKeyFile(opts checks.Options) []byte {
	path := opts.KeyPath
	if path == "" {
		path = opts.CertPath // a combined PEM
	}
	fh, err := os.Open(path)
	if err != nil {
		return nil
	}
	defer fh.Close()
	data, _ := io.ReadAll(io.LimitReader(fh, 1<<20))
	return data
}

func bundleReadme(id string, rep checks.Report, now time.Time) string {
	var b strings.Builder
	fmt.Fprintf(&b, "axysdoctor support bundle\n\n")
	fmt.Fprintf(&b, "Correlation ID: %s (also sent to the gateway in the probe's User-Agent)\n", id)
	fmt.Fprintf(&b, "Created:        %s by axysdoctor %s\n", now.UTC().Format(time.RFC3339), rep.Version)
	fmt.Fprintf(&b, "Environment:    %s %s\n", rep.Environment.Name, rep.Environment.BaseURL)
	fmt.Fprintf(&b, "Result:         %s — exit %d\n", rep.Summary(), rep.ExitCode(false))
	if rc := rep.RootCause; rc != nil {
		fmt.Fprintf(&b, "Root cause:     %s — %s\n", rc.ID, rc.Reason)
	}
	ids := "none returned"
	if len(rep.Gateway.RequestIDs) > 0 {
		ids = strings.Join(rep.Gateway.RequestIDs, ", ")
	}
	fmt.Fprintf(&b, "Request IDs:    %s\n\n", ids)
	fmt.Fprintf(&b, `Files:
  report.md         the report, to read (redacted)
  report.json       the same for tools (docs/json.md in the axysdoctor repository)
  environment.json  version, OS, resolver configuration, proxy variables (credentials
                    redacted), clock skew against the gateway, request IDs

The API key appears only as its last four characters and a short hash; private keys
never appear. axysdoctor scanned every file for both before writing this bundle.
`)
	return b.String()
}
