package main

import (
	"context"
	"fmt"
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
