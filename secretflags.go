package main

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// No flag takes a secret: argv is visible to every user of the machine
// (ps, /proc). People try anyway — --api-key, --password, --token — so an
// unknown flag whose name looks like one is answered with where the secret
// goes instead. The message names only the flag: whatever followed it,
// with = or as the next word, is never repeated.

var unknownFlag = regexp.MustCompile(`^unknown flag: --([^\s=]+)`)

// secretFlagError returns the pointed usage error for err when it is an
// unknown, secret-looking flag of cmd; nil otherwise.
func secretFlagError(cmd *cobra.Command, err error) error {
	m := unknownFlag.FindStringSubmatch(err.Error())
	if m == nil {
		return nil
	}
	name := strings.ToLower(m[1])
	switch {
	case strings.Contains(name, "api-key") || strings.Contains(name, "apikey") || strings.Contains(name, "token") || strings.Contains(name, "secret"):
		return usageErr("--%s: axysdoctor never takes the API key on the command line, where every user of this machine can read it; export AXYS_API_KEY (or name another variable with --api-key-env NAME), or use --api-key-file FILE (- for stdin)", m[1])
	case strings.Contains(name, "pass"):
		var envFlags []string
		cmd.Flags().VisitAll(func(f *pflag.Flag) {
			if strings.HasSuffix(f.Name, "password-env") {
				envFlags = append(envFlags, "--"+f.Name+" NAME")
			}
		})
		if len(envFlags) == 0 {
			return usageErr("--%s: axysdoctor never takes a password on the command line, and %s reads none", m[1], cmd.CommandPath())
		}
		return usageErr("--%s: axysdoctor never takes a password on the command line, where every user of this machine can read it; put it in an environment variable and name that variable with %s (or type it when asked, on a terminal)", m[1], strings.Join(envFlags, " or "))
	}
	return nil
}

// unknownCommand is the root's argument check: an unknown command, with
// the closest one when there is one.
func unknownCommand(cmd *cobra.Command, args []string) error {
	if len(args) == 0 {
		return nil
	}
	msg := fmt.Sprintf("unknown command %q", args[0])
	if s := cmd.SuggestionsFor(args[0]); len(s) > 0 {
		msg += fmt.Sprintf("; did you mean %q?", s[0])
	}
	return usageErr("%s (see axysdoctor --help)", msg)
}
