package main

import (
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/axysdoctor/axysdoctor/checks"
	"github.com/axysdoctor/axysdoctor/csr"
)

// maxAPIKeyFile bounds what --api-key-file reads: keys are short.
const maxAPIKeyFile = 64 << 10

// readAPIKey takes the key from --api-key-file (a path, or - for stdin) or
// from the environment variable envName. It is never a flag value: argv is
// visible to every user of the machine.
func readAPIKey(e env, file, envName string) (checks.APIKey, string, error) {
	if file != "" {
		var r io.Reader
		source := "file " + file
		if file == "-" {
			r, source = e.stdin, "stdin"
		} else {
			f, err := os.Open(file)
			if err != nil {
				return checks.APIKey{}, "", usageErr("--api-key-file %s: %v", file, plainErr(err))
			}
			defer f.Close()
			r = f
		}
		b, err := io.ReadAll(io.LimitReader(r, maxAPIKeyFile+1))
		if err != nil {
			return checks.APIKey{}, "", usageErr("--api-key-file %s: %v", file, err)
		}
		if len(b) > maxAPIKeyFile {
			return checks.APIKey{}, "", usageErr("--api-key-file %s is larger than %d KB: not an API key", file, maxAPIKeyFile>>10)
		}
		key := checks.NewAPIKey(firstLine(string(b)))
		if key.Empty() {
			return key, "", usageErr("--api-key-file %s is empty", file)
		}
		return key, source, nil
	}
	if envName == "" {
		envName = "AXYS_API_KEY"
	}
	return checks.NewAPIKey(e.getenv(envName)), "$" + envName, nil
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

func plainErr(err error) string {
	switch {
	case os.IsNotExist(err):
		return "no such file"
	case os.IsPermission(err):
		return "permission denied"
	}
	return err.Error()
}
