package main

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/spf13/cobra"

	"github.com/axysdoctor/axysdoctor/checks"
	"github.com/axysdoctor/axysdoctor/emulator"
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

Without a terminal (or with --plain), run the checks against the emulator
and print the report instead.`,
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
			if f.plain || !(e.stdinTTY && e.stdoutTTY) {
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
	fl.StringVar(&f.output, "output", "text", "with --plain: text, json or markdown")
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
	files, err := emu.WriteDir(dir, false)
	if err != nil {
		return usageErr("%v", err)
	}
	envr, _ := checks.ResolveEnvironment("staging", emu.BaseURL)
	envr.Name = "emulator (staging)"
	envr.Note = fmt.Sprintf("the built-in emulator plays the staging gateway (scenario %s)", emu.Scenario.Name)
	opts := checks.Options{
		Environment: envr, CertPath: files.Cert, KeyPath: files.Key,
		APIKey: checks.NewAPIKey(emu.APIKey()), CAFile: files.CA,
		Resolver: emu.DNSAddr, EgressServers: []string{emu.DNSAddr},
		Timeout: 2 * time.Second, UserAgent: "axysdoctor/" + version(),
	}
	mat, err := checks.LoadMaterial(opts, checks.Passwords{}, time.Now())
	if err != nil {
		return usageErr("%v", err)
	}
	progress := newProgress(e.stderr, e.stderrTTY)
	rep := checks.Diagnose(ctx, opts, mat, checks.Deps{}, progress.event)
	progress.done()
	rep.Version = version()
	if ctx.Err() != nil {
		return &exitError{code: exitInterrupted, msg: "interrupted"}
	}
	if err := render(e, rep, f.output, false, false); err != nil {
		return err
	}
	return exitWith(rep.ExitCode(false))
}
