package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/axysdoctor/axysdoctor/checks"
	"github.com/axysdoctor/axysdoctor/compare"
	"github.com/axysdoctor/axysdoctor/report"
)

type compareFlags struct {
	profiles []string
	a, b     []string // KEY=VALUE: one side's check flags
	output   string
	strict   bool
}

const compareLong = `Put two credential sets side by side for a cutover: A is where you are
(staging, or the current certificate), B where you are going (production,
or the renewal).

First, without the network: the same tenant (O) and programs (OU),
different client CAs across environments, no private key or API key reused
across environments, validity windows, SANs, and whether the egress IPs the
profiles declare are IP SANs of both. Then both full diagnoses run at the
same time, shown in two columns.

A and B are profiles of the config file (see axysdoctor profiles). --a and
--b give one side's check flags as KEY=VALUE (the keys of a profile, which
are check's flag names), over its profile or, with no profiles, instead of
one.

Exit codes: 0 nothing failed, 1 a comparison or a check failed (or warned,
with --strict), 2 usage error or unreadable input.`

func newCompareCmd(e env) *cobra.Command {
	var f compareFlags
	cmd := &cobra.Command{
		Use:   "compare [A B]",
		Short: "Cutover: two profiles side by side, statically and live",
		Long:  compareLong,
		Example: `  axysdoctor compare staging production
  axysdoctor compare production production --b cert=renewed.pem --b key=renewed.key
  axysdoctor compare --a cert=old.pem --a key=old.key --b cert=new.pem --b key=new.key -o markdown`,
		Args: cobra.MaximumNArgs(2),
		ValidArgsFunction: func(cmd *cobra.Command, args []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
			if len(args) >= 2 {
				return nil, cobra.ShellCompDirectiveNoFileComp
			}
			return completeProfiles(e)(cmd, args, toComplete)
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			return runCompare(cmd.Context(), e, f, append(args, f.profiles...))
		},
	}
	fl := cmd.Flags()
	fl.StringArrayVar(&f.profiles, "profile", nil, "a profile to compare (twice: A, then B), as an alternative to the arguments")
	cmd.RegisterFlagCompletionFunc("profile", completeProfiles(e))
	fl.StringArrayVar(&f.a, "a", nil, "KEY=VALUE: a check flag for side A (repeatable), such as cert=old.pem")
	fl.StringArrayVar(&f.b, "b", nil, "KEY=VALUE: a check flag for side B (repeatable), such as cert=new.pem")
	fl.StringVarP(&f.output, "output", "o", "text", "report format: text, json or markdown")
	fl.BoolVar(&f.strict, "strict", false, "warnings fail too (exit 1)")
	return cmd
}

func runCompare(ctx context.Context, e env, f compareFlags, names []string) error {
	switch f.output {
	case "text", "json", "markdown":
	default:
		return usageErr("--output %q: use text, json or markdown", f.output)
	}
	switch {
	case len(names) == 1 || len(names) > 2:
		return usageErr("compare takes two profiles, A and B (got %d)", len(names))
	case len(names) == 0 && (len(f.a) == 0 || len(f.b) == 0):
		return usageErr("compare needs two profiles (compare A B), or both sides' flags (--a KEY=VALUE … --b KEY=VALUE …)")
	case len(names) == 0:
		names = []string{"", ""}
	}
	a, err := compareSide(e, "a", names[0], f.a)
	if err != nil {
		return err
	}
	b, err := compareSide(e, "b", names[1], f.b)
	if err != nil {
		return err
	}
	if a.Name == b.Name {
		a.Name, b.Name = a.Name+" (A)", b.Name+" (B)"
	}
	if e.stderrTTY {
		fmt.Fprintf(e.stderr, "\r\x1b[Kdiagnosing %s and %s…", a.Name, b.Name)
	}
	res := compare.Run(ctx, a, b, checks.Deps{})
	if e.stderrTTY {
		fmt.Fprint(e.stderr, "\r\x1b[K")
	}
	if ctx.Err() != nil {
		return &exitError{code: exitInterrupted, msg: "interrupted: the comparison is incomplete and was not printed"}
	}
	v := version()
	switch f.output {
	case "json":
		err = report.CompareJSON(e.stdout, res, v, f.strict)
	case "markdown":
		err = report.CompareMarkdown(e.stdout, res, v, f.strict)
	default:
		err = report.CompareText(e.stdout, res, report.TextOptions{Version: v, Color: e.color(e.stdoutTTY), Strict: f.strict, Width: e.textWidth()})
	}
	if err != nil && !errors.Is(err, context.Canceled) {
		return &exitError{code: exitUsage, msg: "writing the comparison: " + err.Error()}
	}
	return exitWith(res.ExitCode(f.strict))
}

// compareSide reads one side: its profile (if any) under its --a/--b
// flags, read as check would read them.
func compareSide(e env, side, profile string, overrides []string) (compare.Side, error) {
	name, opts, pw, err := profileOptions(e, side, profile, overrides)
	if err != nil {
		return compare.Side{}, err
	}
	mat, err := loadMaterial(opts, pw)
	if err != nil {
		return compare.Side{}, usageErr("%s: %v", name, err)
	}
	return compare.Side{Name: name, Options: opts, Material: mat}, nil
}
