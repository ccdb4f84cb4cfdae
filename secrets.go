package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"strings"

	"github.com/axysdoctor/axysdoctor/checks"
	"github.com/axysdoctor/axysdoctor/csr"
	"github.com/axysdoctor/axysdoctor/internal/shell"
	"github.com/axysdoctor/axysdoctor/internal/termsafe"
)

// maxAPIKeyFile bounds what --api-key-file reads: keys are short.
const maxAPIKeyFile = 64 << 10

// readAPIKey takes the key from --api-key-file (a path, or - for stdin) or
// from the environment variable envName. It is never a flag value: argv is
// visible to every user of the machine.
func readAPIKey(e env, file, envName string) (checks.APIKey, string, error) {
	if file == "" {
		if envName == "" {
			envName = "AXYS_API_KEY"
		}
		return checks.NewAPIKey(e.getenv(envName)), "$" + envName, nil
	}
	var b []byte
	source := "file " + file
	if file == "-" {
		var err error
		source = "stdin"
		if b, err = io.ReadAll(io.LimitReader(e.stdin, maxAPIKeyFile+1)); err != nil {
			return checks.APIKey{}, "", usageErr("--api-key-file -: reading stdin: %v", err)
		}
		if len(b) > maxAPIKeyFile {
			return checks.APIKey{}, "", usageErr("--api-key-file -: larger than %d KB: not an API key", maxAPIKeyFile>>10)
		}
	} else {
		var err error
		b, err = csr.ReadRegular(file, maxAPIKeyFile)
		switch {
		case errors.Is(err, csr.ErrTooLarge):
			return checks.APIKey{}, "", usageErr("--api-key-file %v: not an API key", err)
		case err != nil:
			return checks.APIKey{}, "", usageErr("--api-key-file %v", err)
		}
		warnReadableByOthers(e, file)
	}
	key := checks.NewAPIKey(firstLine(string(b)))
	if key.Empty() {
		return key, "", usageErr("--api-key-file %s is empty", file)
	}
	return key, source, nil
}

// warnReadableByOthers says on stderr, as key.file does for the private key,
// when the API key's file is readable by group or others.
func warnReadableByOthers(e env, file string) {
	st, err := os.Stat(file)
	if err != nil || runtime.GOOS == "windows" {
		return
	}
	if mode := st.Mode().Perm(); mode&0o077 != 0 {
		fmt.Fprintf(e.stderr, "axysdoctor: warning: the API key file %s is readable by group or others (mode %04o): chmod 600 %s\n",
			termsafe.Line(file), mode, termsafe.Line(shell.Quote(file)))
	}
}

func firstLine(s string) string {
	s = strings.TrimPrefix(s, "\uFEFF")
	if i := strings.IndexAny(s, "\r\n"); i >= 0 {
		return s[:i]
	}
	return s
}

// passwordFrom returns a csr.PasswordFunc that reads the environment
// variable envName when given, else asks on the terminal when there is
// one, else reports that none was given (with what to do).
func passwordFrom(e env, envName, flag, what string) csr.PasswordFunc {
	return func() ([]byte, error) {
		if envName != "" {
			v := e.getenv(envName)
			if v == "" {
				return nil, fmt.Errorf("it is encrypted and $%s (%s) is empty", envName, flag)
			}
			return []byte(v), nil
		}
		if e.stdinTTY && e.stderrTTY && e.readPassword != nil {
			fmt.Fprintf(e.stderr, "Password for %s: ", what)
			pw, err := e.readPassword()
			fmt.Fprintln(e.stderr)
			if err != nil {
				return nil, fmt.Errorf("reading the password: %w", err)
			}
			return pw, nil
		}
		return nil, fmt.Errorf("%w: put it in an environment variable and pass %s NAME", csr.ErrPasswordNeeded, flag)
	}
}
