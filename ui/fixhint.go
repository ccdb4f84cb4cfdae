package ui

import (
	"regexp"
	"slices"
	"strings"

	"github.com/axysdoctor/axysdoctor/checks"
	"github.com/axysdoctor/axysdoctor/docs"
)

// The engine's fixes are written for `axysdoctor check` and name its
// flags. flagHints says where each of those is set in the wizard, so a
// fix shown here never asks for something the wizard cannot do. Commands
// in backquotes are other commands (`axysdoctor csr …`, `git rm …`), run
// as they are written; for axysdoctor's own the wizard's way is named too.

var (
	quoted   = regexp.MustCompile("`[^`]*`")
	flagName = regexp.MustCompile(`--[a-z0-9][a-z0-9-]*`)
)

// advancedFlags are set in the Advanced panel, named as it names them.
var advancedFlags = map[string]string{
	"--base-url":      "base URL",
	"--ca-file":       "CA file",
	"--resolver":      "resolver",
	"--egress-server": "egress server",
	"--egress-url":    "egress URL",
	"--egress-ip":     "calling IP",
	"--proxy":         "proxy",
	"--timeout":       "timeout",
}

// otherFlags are set by an earlier step.
var otherFlags = map[string]string{
	"--cert":             "esc back to the certificate step to choose other files.",
	"--key":              "esc back to the certificate step to choose other files.",
	"--p12":              "esc back to the certificate step to choose other files.",
	"--api-key-env":      "esc back to the API key step; e enters another key.",
	"--api-key-file":     "esc back to the API key step; e enters another key.",
	"--env":              "esc back to the environment step.",
	"--expect-tenant":    "compare the Tenant line of the certificate step's card with what you expect.",
	"--expect-program":   "compare the Programs line of the certificate step's card with what you expect.",
	"--key-password-env": "esc back to the certificate step: it asks for the password.",
}

// wizardHints says how to follow r's fix inside the wizard: from the
// flags and commands it names, and from its failure-table row.
func wizardHints(r checks.Result) []string {
	hints := flagHints(r.Fix)
	if h := otherFlags["--api-key-env"]; r.Row == docs.RowAPIKey && !slices.Contains(hints, h) {
		hints = append(hints, h)
	}
	return hints
}

func flagHints(fix string) []string {
	var hints, settable []string
	add := func(h string) {
		if !slices.Contains(hints, h) {
			hints = append(hints, h)
		}
	}
	for _, cmd := range quoted.FindAllString(fix, -1) {
		switch {
		case strings.Contains(cmd, "axysdoctor csr") && strings.Contains(cmd, "--from-cert"):
			add("Renewal, on the welcome screen, makes that key and CSR.")
		case strings.Contains(cmd, "axysdoctor csr"):
			add("New onboarding, on the welcome screen, makes a new key and CSR.")
		}
	}
	for _, f := range flagName.FindAllString(quoted.ReplaceAllString(fix, ""), -1) {
		if name, ok := advancedFlags[f]; ok && !slices.Contains(settable, name) {
			settable = append(settable, name)
		}
		if h, ok := otherFlags[f]; ok {
			add(h)
		}
	}
	if strings.Contains(fix, "AXYS_API_KEY") {
		add(otherFlags["--api-key-env"])
	}
	if len(settable) > 0 {
		hints = append([]string{"a opens Advanced, where you set the " + joinWords(settable) + "; saving runs the checks again."}, hints...)
	}
	return hints
}

// joinWords joins "a", "a and b", "a, b and c".
func joinWords(w []string) string {
	if len(w) <= 1 {
		return strings.Join(w, "")
	}
	return strings.Join(w[:len(w)-1], ", ") + " and " + w[len(w)-1]
}
