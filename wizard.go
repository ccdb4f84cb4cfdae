package main

import (
	"context"
	"errors"
	"fmt"
	"os"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/axysdoctor/axysdoctor/internal/termsafe"
	"github.com/axysdoctor/axysdoctor/ui"
)

// wizardOptions start the wizard.
type wizardOptions struct {
	demo     bool
	scenario string
	style    string
}

// runWizard starts the terminal wizard, or, without a terminal, says what
// to run instead.
func runWizard(ctx context.Context, e env, o wizardOptions) error {
	if !(e.stdinTTY && e.stdoutTTY) {
		fmt.Fprint(e.stderr, noTTYHelp)
		return exitWith(exitUsage)
	}
	return startUI(ctx, e, o)
}

const noTTYHelp = `axysdoctor: the wizard needs a terminal. Without one, run:

  axysdoctor check --cert client.pem --key client.key     every diagnostic (AXYS_API_KEY in the environment)
  axysdoctor csr --org ORG --unit PROGRAM --cn HOST         a key and CSR for Axys
  axysdoctor inspect FILE...                                what a certificate, key, CSR or PKCS#12 is
  axysdoctor demo --plain                                   the checks against the built-in emulator

See axysdoctor --help.
`

// startUI runs the Bubble Tea wizard until the user quits. Quitting
// cancels running work and waits for file writes in flight, so no key file
// is ever left half-written; Bubble Tea restores the terminal.
func startUI(ctx context.Context, e env, o wizardOptions) error {
	cwd, err := os.Getwd()
	if err != nil {
		cwd = "."
	}
	backend := ui.RealBackend(e.getenv, cwd)
	if o.demo {
		b, stop, err := demoBackend(o.scenario, o.style)
		if err != nil {
			return usageErr("start the emulator: %v", err)
		}
		defer stop()
		backend = b
	}
	model := ui.New(ctx, ui.Options{
		Backend:   backend,
		Color:     e.color(e.stdoutTTY),
		Output:    e.stdout,
		ReportDir: cwd,
		Version:   version(),
		InTmux:    e.getenv("TMUX") != "",
	})
	p := tea.NewProgram(model, tea.WithAltScreen(), tea.WithContext(ctx), tea.WithInput(e.stdin), tea.WithOutput(e.stdout))
	_, runErr := p.Run()
	model.Stop()
	model.Wait()
	// The alternate screen is gone: what is printed now stays on the
	// user's screen.
	fmt.Fprint(e.stdout, model.Farewell())
	if rep, ok := model.LastReport(); ok {
		fmt.Fprintf(e.stdout, "axysdoctor: %s (%s)\n", rep.Summary(), rep.Environment.BaseURL)
		if path := model.SavedReport(); path != "" {
			fmt.Fprintf(e.stdout, "axysdoctor: report saved to %s\n", termsafe.Line(path))
		}
		if runErr == nil {
			return exitWith(rep.ExitCode(false))
		}
	}
	switch {
	case runErr == nil:
		return nil
	case errors.Is(runErr, tea.ErrInterrupted), errors.Is(runErr, tea.ErrProgramKilled), ctx.Err() != nil:
		return exitWith(exitInterrupted)
	}
	return usageErr("the wizard stopped: %v", runErr)
}
