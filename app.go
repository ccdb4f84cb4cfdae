package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"strings"
	"time"

	"github.com/charmbracelet/x/term"
	"github.com/spf13/cobra"

	"github.com/axysdoctor/axysdoctor/internal/termsafe"
)

// Exit codes (documented in README.md and `axysdoctor --help`).
const (
	exitOK          = 0
	exitFailed      = 1
	exitUsage       = 2
	exitInterrupted = 130
)

// env is the process's view of the world, injectable for tests.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	getenv         func(string) string
	// stdinTTY etc. say whether each stream is a terminal.
	stdinTTY, stdoutTTY, stderrTTY bool
	// readPassword reads a line without echo from the terminal.
	readPassword func() ([]byte, error)
	// stdoutWidth is the terminal's width in columns, 0 when unknown.
	stdoutWidth func() int
	// sleep waits d or until ctx ends; nil is a real timer. Tests give one
	// that returns at once, so loops (--watch, the exporter) run without
	// waiting.
	sleep func(ctx context.Context, d time.Duration) error
}

func newSystemEnv() env {
	return env{
		stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr,
		getenv:    os.Getenv,
		stdinTTY:  term.IsTerminal(os.Stdin.Fd()),
		stdoutTTY: term.IsTerminal(os.Stdout.Fd()),
		stderrTTY: term.IsTerminal(os.Stderr.Fd()),
		readPassword: func() ([]byte, error) {
			return term.ReadPassword(os.Stdin.Fd())
		},
		stdoutWidth: func() int {
			w, _, err := term.GetSize(os.Stdout.Fd())
			if err != nil {
				return 0
			}
			return w
		},
	}
}

// color reports whether w may carry ANSI colour: a terminal, and no NO_COLOR.
func (e env) color(tty bool) bool {
	return tty && e.getenv("NO_COLOR") == "" && e.getenv("TERM") != "dumb"
}

// textWidth is the width text reports wrap to: the terminal's, when stdout
// is one; no wrapping for pipes and files.
func (e env) textWidth() int {
	if !e.stdoutTTY || e.stdoutWidth == nil {
		return 0
	}
	return e.stdoutWidth()
}

// exitError ends a command with a code; msg, if any, is printed as one line.
type exitError struct {
	code int
	msg  string
}

func (e *exitError) Error() string { return e.msg }

func usageErr(format string, args ...any) error {
	return &exitError{code: exitUsage, msg: fmt.Sprintf(format, args...)}
}

func exitWith(code int) error { return &exitError{code: code} }

// run executes the command line and returns the exit code. Nothing below
// it exits the process.
func run(ctx context.Context, args []string, e env) int {
	root := newRootCmd(e)
	root.SetArgs(args)
	root.SetIn(e.stdin)
	root.SetOut(e.stdout)
	root.SetErr(e.stderr)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return exitOK
	}
	var ee *exitError
	if errors.As(err, &ee) {
		if ee.msg != "" {
			fmt.Fprintf(e.stderr, "axysdoctor: %s\n", safeLine(ee.msg))
		}
		return ee.code
	}
	if ctx.Err() != nil {
		fmt.Fprintln(e.stderr, "axysdoctor: interrupted")
		return exitInterrupted
	}
	// Cobra's own errors: unknown flags, bad values, wrong arguments.
	fmt.Fprintf(e.stderr, "axysdoctor: %s (see --help)\n", safeLine(err.Error()))
	return exitUsage
}

// safeLine is how any message reaches stderr: flattened to one line, then
// made terminal-safe, because errors often quote their input (a PEM
// header, a certificate's name, a path).
func safeLine(s string) string {
	return termsafe.Line(oneLineMsg(s))
}

func oneLineMsg(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

const rootLong = `axysdoctor gets a tenant from nothing to a 200 from the Axys API, and tells
a support engineer in one run which layer is broken: the mutual-TLS client
certificate, the X-API-Key, the IP allowlist or forward-confirmed reverse DNS.

Run without arguments in a terminal for the wizard; --profile NAME starts
it from a profile of the config file (see axysdoctor profiles).

Exit codes:
  0  no check failed (warnings allowed unless --strict)
  1  at least one check failed
  2  usage error or unreadable input (missing file, wrong password)
  130 interrupted`

func newRootCmd(e env) *cobra.Command {
	var wo wizardOptions
	root := &cobra.Command{
		Use:           "axysdoctor",
		Short:         "Diagnose access to the Axys card-issuing API",
		Long:          rootLong,
		SilenceErrors: true,
		SilenceUsage:  true,
		Version:       version(),
		Args:          unknownCommand,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runWizard(cmd.Context(), e, wo)
		},
	}
	addProfileFlag(root, e, &wo.profile)
	root.Flags().Lookup("profile").Usage = "start the wizard from this profile of the config file (see axysdoctor profiles)"
	root.SuggestionsMinimumDistance = 2
	root.SetVersionTemplate(versionLine() + "\n")
	root.SetFlagErrorFunc(func(cmd *cobra.Command, err error) error {
		if serr := secretFlagError(cmd, err); serr != nil {
			return serr
		}
		return usageErr("%v (see %s --help)", err, cmd.CommandPath())
	})
	root.AddCommand(
		newCheckCmd(e),
		newCSRCmd(e),
		newInspectCmd(e),
		newEmulatorCmd(e),
		newDemoCmd(e),
		newVersionCmd(e),
		newProfilesCmd(e),
		newCompareCmd(e),
		newExporterCmd(e),
	)
	return root
}

// version is the module version when installed with `go install …@vX`,
// else "devel" with the VCS revision when known.
func version() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "devel"
	}
	if v := bi.Main.Version; v != "" && v != "(devel)" {
		return v
	}
	rev, dirty := "", false
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			dirty = s.Value == "true"
		}
	}
	if len(rev) > 12 {
		rev = rev[:12]
	}
	switch {
	case rev == "":
		return "devel"
	case dirty:
		return "devel-" + rev + "-dirty"
	}
	return "devel-" + rev
}
