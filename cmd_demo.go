package main

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/spf13/cobra"

	"github.com/axysdoctor/axysdoctor/emulator"
	"github.com/axysdoctor/axysdoctor/internal/cleanup"
)

type demoFlags struct {
	scenario, style string
	list, plain     bool
	output          string
}

func newDemoCmd(e env) *cobra.Command {
	var f demoFlags
	cmd := &cobra.Command{
		Use:   "demo",
		Short: "Run the whole wizard against the built-in emulator (no network, no credentials)",
		Long: `Start the built-in emulator and walk through the wizard against it: the
emulator signs your CSR on the spot (the real platform takes about a day),
the certificate is loaded, the API key filled in, and the checks run.
--scenario plays a fault so you can see what a failure looks like.

Without a terminal (or with --plain, or --output json|markdown), run the
checks against the emulator and print the report instead.`,
		Example: `  axysdoctor demo
  axysdoctor demo --scenario ptr-mismatch
  axysdoctor demo --plain --scenario wrong-api-key --output markdown`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if f.list {
				listScenarios(e)
				return nil
			}
			if _, err := emulator.LookupScenario(f.scenario); err != nil {
				return usageErr("%v", err)
			}
			// A JSON or Markdown report is for a file or a program, not the
			// wizard: asking for one asks for --plain.
			if f.plain || f.output != "text" || !(e.stdinTTY && e.stdoutTTY) {
				return runPlainDemo(cmd.Context(), e, f)
			}
			return runWizard(cmd.Context(), e, wizardOptions{demo: true, scenario: f.scenario, style: f.style})
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.scenario, "scenario", "ok", "fault to play (see --list-scenarios)")
	fl.StringVar(&f.style, "style", emulator.StyleStrict, "how a bad certificate is refused: strict or nginx")
	fl.BoolVar(&f.list, "list-scenarios", false, "list the scenarios and exit")
	fl.BoolVar(&f.plain, "plain", false, "no wizard: run the checks and print the report")
	fl.StringVarP(&f.output, "output", "o", "text", "report format: text, json or markdown (json and markdown imply --plain)")
	return cmd
}

// runPlainDemo is `check` against a fresh emulator.
func runPlainDemo(ctx context.Context, e env, f demoFlags) error {
	emu, err := emulator.Start(emulator.Options{Scenario: f.scenario, Style: f.style})
	if err != nil {
		return usageErr("%v", err)
	}
	defer emu.Close()
	dir, err := os.MkdirTemp("", "axysdoctor-demo-")
	if err != nil {
		return usageErr("%v", err)
	}
	defer os.RemoveAll(dir)
	defer cleanup.RemoveOnExit(dir)() // also when a signal cuts the run short
	files, err := emu.WriteDir(dir, false)
	if err != nil {
		return usageErr("%v", err)
	}
	fmt.Fprintf(e.stderr, "axysdoctor: demo: the emulator plays the staging gateway at %s (scenario %s); credentials in %s, removed on exit\n", emu.BaseURL, emu.Scenario().Name, dir)
	f2 := checkFlags{
		env: "staging", baseURL: emu.BaseURL, cert: files.Cert, key: files.Key, apiKeyFile: files.APIKey,
		caFile: files.CA, resolver: emu.DNSAddr, egressServers: []string{emu.DNSAddr},
		timeout: 2 * time.Second, output: f.output,
	}
	if emu.Scenario().Proxy {
		f2.proxy, f2.egressURLs = emu.ProxyURL, []string{emu.WhoAmIURL}
	}
	opts, pw, err := checkOptions(e, f2)
	if err != nil {
		return err
	}
	opts.Environment.Name = "emulator (staging)"
	opts.Environment.Note = fmt.Sprintf("the built-in emulator plays the staging gateway (scenario %s)", emu.Scenario().Name)
	return runDiagnosis(ctx, e, f2, opts, pw)
}
