package main

import (
	"context"
	"errors"
	"fmt"
	"os"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/axysdoctor/axysdoctor/config"
	"github.com/axysdoctor/axysdoctor/internal/shell"
	"github.com/axysdoctor/axysdoctor/internal/termsafe"
	"github.com/axysdoctor/axysdoctor/ui"
)

// wizardOptions start the wizard.
type wizardOptions struct {
	demo     bool
	scenario string
	style    string
	// profile (--profile) is the config file's profile the welcome
	// selects.
	profile string
}

// runWizard starts the terminal wizard, or, without a terminal, says what
// to run instead.
func runWizard(ctx context.Context, e env, o wizardOptions) error {
	if !(e.stdinTTY && e.stdoutTTY) {
		fmt.Fprint(e.stderr, noTTYHelp)
		if o.profile != "" {
			fmt.Fprintf(e.stderr, "With your profile: axysdoctor check --profile %s\n", shell.Quote(o.profile))
		}
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

// wizardConfig reads the config file for the wizard: the profiles it may
// start from and where it saves one. A file that does not load stops the
// wizard before it starts (exit 2, with the line and column), as it stops
// every other command; an unknown --profile lists the names there are.
// Without a config directory (no HOME), the wizard runs without profiles
// unless one was asked for.
func wizardConfig(e env, profile, cwd string) (ui.Config, error) {
	path, err := config.Path(e.getenv)
	if err != nil {
		if profile != "" {
			return ui.Config{}, usageErr("--profile: %v", err)
		}
		return ui.Config{}, nil
	}
	file, err := config.Load(path)
	if err != nil {
		return ui.Config{}, usageErr("%v", err)
	}
	if profile != "" {
		if _, err := file.Lookup(profile); err != nil {
			return ui.Config{}, usageErr("--profile: %v", err)
		}
	}
	return ui.Config{Path: path, Profiles: file.Profiles(), Start: profile, Getenv: e.getenv, WorkDir: cwd}, nil
}

// newWizard builds the wizard's model as startUI runs it: the real
// backend with the config file's profiles, or the demo's on a fresh
// emulator (without profiles: its files vanish when it ends). stop
// releases the demo's emulator and files.
func newWizard(ctx context.Context, e env, o wizardOptions) (model *ui.Model, stop func(), err error) {
	cwd, err := os.Getwd()
	if err != nil {
		cwd = "."
	}
	backend, stop := ui.RealBackend(e.getenv, cwd), func() {}
	var cfg ui.Config
	if o.demo {
		b, stopDemo, err := demoBackend(o.scenario, o.style)
		if err != nil {
			return nil, nil, usageErr("start the emulator: %v", err)
		}
		backend, stop = b, stopDemo
	} else if cfg, err = wizardConfig(e, o.profile, cwd); err != nil {
		return nil, nil, err
	}
	model = ui.New(ctx, ui.Options{
		Backend:   backend,
		Color:     e.color(e.stdoutTTY),
		Output:    e.stdout,
		ReportDir: cwd,
		Version:   version(),
		InTmux:    e.getenv("TMUX") != "",
		Config:    cfg,
	})
	return model, stop, nil
}

// startUI runs the Bubble Tea wizard until the user quits. Quitting
// cancels running work and waits for file writes in flight, so no key file
// is ever left half-written; Bubble Tea restores the terminal.
func startUI(ctx context.Context, e env, o wizardOptions) error {
	model, stop, err := newWizard(ctx, e, o)
	if err != nil {
		return err
	}
	defer stop()
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
