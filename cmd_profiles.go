package main

import (
	"fmt"
	"slices"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/axysdoctor/axysdoctor/checks"
	"github.com/axysdoctor/axysdoctor/config"
	"github.com/axysdoctor/axysdoctor/internal/termsafe"
)

const profilesLong = `List the profiles of the config file and say which files they reference
are missing.

The config file is $XDG_CONFIG_HOME/axysdoctor/config.toml (by default
~/.config/axysdoctor/config.toml). Each [profiles.NAME] table holds check
flags by their names; relative paths are taken from the config file's
directory. The API key is never written there: name the variable that holds
it (api-key-env) or a file only you can read (api-key-file).

  [profiles.staging]
  env = "staging"
  cert = "staging/client.pem"
  key = "staging/client.key"
  api-key-env = "AXYS_STAGING_KEY"

Use one with check --profile NAME, compare A B, or exporter --profile NAME;
flags given on the command line override the profile's values.

Exit codes: 0 every referenced file is there, 1 some are missing,
2 the config file does not load.`

func newProfilesCmd(e env) *cobra.Command {
	return &cobra.Command{
		Use:   "profiles",
		Short: "List the config file's profiles and the files they reference",
		Long:  profilesLong,
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return listProfiles(e)
		},
	}
}

func listProfiles(e env) error {
	file, err := loadConfig(e)
	if err != nil {
		return err
	}
	w := e.stdout
	if !file.Exists {
		fmt.Fprintf(e.stderr, "axysdoctor: no config file at %s (see axysdoctor profiles --help for an example)\n", file.Path)
		return nil
	}
	fmt.Fprintf(w, "%s\n", file.Path)
	profiles := file.Profiles()
	if len(profiles) == 0 {
		fmt.Fprintln(w, "\nno profiles: add a [profiles.NAME] table")
		return nil
	}
	missing := 0
	for _, p := range profiles {
		envr, _ := checks.ResolveEnvironment(p.Env, p.BaseURL) // validated when loaded
		fmt.Fprintf(w, "\n%s  %s · %s\n", p.Name, envr.Name, envr.BaseURL)
		for _, ref := range p.Files() {
			state := "ok"
			if ref.Problem != "" {
				state = strings.ToUpper(ref.Problem)
				missing++
			}
			fmt.Fprintf(w, "  %-13s %s  %s\n", ref.Key, termsafe.Line(ref.Path), state)
		}
		if p.APIKeyFile == "" {
			state := "set"
			if e.getenv(strings.TrimPrefix(p.APIKeySource(), "$")) == "" {
				state = "not set here"
			}
			fmt.Fprintf(w, "  %-13s %s  %s\n", "API key", p.APIKeySource(), state)
		}
	}
	if missing > 0 {
		fmt.Fprintf(w, "\n%s missing\n", plural(missing, "referenced file is", "referenced files are"))
		return exitWith(exitFailed)
	}
	return nil
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// loadConfig reads the config file; a file that does not load is a usage
// error (exit 2) naming its line and column.
func loadConfig(e env) (*config.File, error) {
	path, err := config.Path(e.getenv)
	if err != nil {
		return nil, usageErr("%v", err)
	}
	file, err := config.Load(path)
	if err != nil {
		return nil, usageErr("%v", err)
	}
	return file, nil
}

// lookupProfile loads the config file and finds name in it.
func lookupProfile(e env, name string) (config.Profile, error) {
	file, err := loadConfig(e)
	if err != nil {
		return config.Profile{}, err
	}
	p, err := file.Lookup(name)
	if err != nil {
		return p, usageErr("--profile: %v", err)
	}
	return p, nil
}

// addProfileFlag adds --profile NAME with completion of the config file's
// profile names.
func addProfileFlag(cmd *cobra.Command, e env, name *string) {
	cmd.Flags().StringVar(name, "profile", "", "take flag values from this profile of the config file (see axysdoctor profiles)")
	cmd.RegisterFlagCompletionFunc("profile", completeProfiles(e))
}

// completeProfiles offers the config file's profile names, each described
// by its environment.
func completeProfiles(e env) cobra.CompletionFunc {
	return func(*cobra.Command, []string, string) ([]cobra.Completion, cobra.ShellCompDirective) {
		file, err := loadConfig(e)
		if err != nil {
			return nil, cobra.ShellCompDirectiveError
		}
		var out []cobra.Completion
		for _, p := range file.Profiles() {
			out = append(out, cobra.CompletionWithDesc(p.Name, orDefault(p.Env, "staging")))
		}
		return out, cobra.ShellCompDirectiveNoFileComp
	}
}

// useProfile fills the flags the user did not give from profile name, if
// one was asked for.
func useProfile(e env, fl *pflag.FlagSet, name string) error {
	if name == "" {
		return nil
	}
	p, err := lookupProfile(e, name)
	if err != nil {
		return err
	}
	return applyProfile(fl, p)
}

// takesOver: giving one of these flags on the command line replaces the
// profile's whole choice, not one key of it. A certificate is a cert and
// key or a PKCS#12 (with their passwords), the API key comes from one
// place, and a base URL belongs to its environment. Without this, --p12
// over a cert/key profile would be "both given", and --api-key-env would
// lose to the profile's api-key-file.
var takesOver = []struct{ given, skip []string }{
	{[]string{"cert", "key", "p12"}, []string{"cert", "key", "p12", "key-password-env", "p12-password-env"}},
	{[]string{"api-key-env", "api-key-file"}, []string{"api-key-env", "api-key-file"}},
	{[]string{"env"}, []string{"base-url"}},
}

// applyProfile sets every flag of fl that was not given on the command
// line (cobra's Changed) from the profile.
func applyProfile(fl *pflag.FlagSet, p config.Profile) error {
	skip := map[string]bool{}
	fl.Visit(func(f *pflag.Flag) { skip[f.Name] = true })
	for _, t := range takesOver {
		if slices.ContainsFunc(t.given, func(n string) bool { return fl.Changed(n) }) {
			for _, n := range t.skip {
				skip[n] = true
			}
		}
	}
	for _, f := range p.Flags() {
		if skip[f.Name] {
			continue
		}
		if err := fl.Set(f.Name, f.Value); err != nil {
			return usageErr("profile %s: %s: %v", p.Name, f.Name, err)
		}
	}
	return nil
}

// profileOptions reads a profile (if any) under overrides (KEY=VALUE, keys
// being check's flag names) through check's own flags and options, so that
// compare and the exporter mean exactly what `check --profile NAME` with
// those flags would. label names the set when there is no profile.
func profileOptions(e env, label, profile string, overrides []string) (string, checks.Options, checks.Passwords, error) {
	fs := pflag.NewFlagSet(label, pflag.ContinueOnError)
	var f checkFlags
	f.register(fs)
	for _, kv := range overrides {
		key, value, ok := strings.Cut(kv, "=")
		if !ok {
			return "", checks.Options{}, checks.Passwords{}, usageErr("--%s %q: give KEY=VALUE, such as cert=client.pem", label, kv)
		}
		var probe config.Profile // a profile's keys and checks: never a secret
		if err := probe.Set(key, value); err != nil {
			return "", checks.Options{}, checks.Passwords{}, usageErr("--%s %s: %v", label, key, err)
		}
		if err := fs.Set(key, value); err != nil {
			return "", checks.Options{}, checks.Passwords{}, usageErr("--%s %s: %v", label, key, err)
		}
	}
	name := strings.ToUpper(label)
	if profile != "" {
		p, err := lookupProfile(e, profile)
		if err != nil {
			return "", checks.Options{}, checks.Passwords{}, err
		}
		if err := applyProfile(fs, p); err != nil {
			return "", checks.Options{}, checks.Passwords{}, err
		}
		name = profile
	}
	opts, pw, err := checkOptions(e, f)
	if err != nil {
		return "", checks.Options{}, checks.Passwords{}, usageErr("%s: %v", name, err)
	}
	return name, opts, pw, nil
}
