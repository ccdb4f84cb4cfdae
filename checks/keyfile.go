package checks

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"

	"github.com/axysdoctor/axysdoctor/csr"
	"github.com/axysdoctor/axysdoctor/docs"
	"github.com/axysdoctor/axysdoctor/internal/shell"
)

// checkKeyFile: the key is readable and parsed, not readable by others, not
// in git, and of the documented type.
func checkKeyFile(ctx context.Context, s *session) Result {
	var r Result
	m := s.mat
	if !m.HasKey() {
		r.Status = Skip
		r.Summary = "skipped: no private key given (--key or --p12)"
		return r
	}
	r.Status = Pass
	r.add("file", "%s", m.KeyPath)
	if m.KeyPath == m.CertPath && !m.FromP12 {
		r.add("note", "the key was taken from the certificate file (a combined PEM)")
	}
	for _, n := range m.KeyFile.Notes {
		r.add("file note", "%s", n)
	}
	if m.KeyProblem != "" {
		r.Status = Fail
		r.Summary = m.KeyProblem
		r.Fix = "Pass the private key that was generated with the CSR for this certificate (`axysdoctor inspect FILE` says what a file holds)."
		r.Row = docs.RowTLSHandshake
		return r
	}
	kind := csr.DescribeKey(publicOf(m.Key))
	r.add("key", "%s (%s)", kind, m.KeyFormat)
	var warnings []string
	var fixes []string
	if kind != "RSA-2048" {
		warnings = append(warnings, fmt.Sprintf("the key is %s; the Axys docs ask for RSA-2048", kind))
		fixes = append(fixes, "Keep this key only if Axys signed a certificate for it; for a new CSR use `axysdoctor csr` (RSA-2048 by default).")
	}

	permsChecked := false
	switch st, err := os.Stat(m.KeyPath); {
	case runtime.GOOS == "windows":
		r.add("permissions", "not checked (Windows file permissions are ACLs, which this check does not read)")
	case err != nil:
		r.add("permissions", "not checked: %s", plainStatError(err))
	default:
		mode := st.Mode().Perm()
		permsChecked = true
		r.add("permissions", "%04o", mode)
		if mode&0o077 != 0 {
			r.worsen(Warn)
			r.Row = docs.RowCredentialHygiene
			warnings = append(warnings, fmt.Sprintf("the private key is readable by group or others (mode %04o)", mode))
			fixes = append(fixes, fmt.Sprintf("chmod 600 %s", shell.Quote(m.KeyPath)))
		}
	}

	status, root, err := s.deps.git().Status(ctx, m.KeyPath)
	switch {
	case err != nil:
		r.add("git", "not checked: %v", err)
		r.worsen(Warn)
		if r.Row == "" {
			r.Row = docs.RowCredentialHygiene
		}
		warnings = append(warnings, "whether git tracks the private key could not be checked ("+err.Error()+")")
		fixes = append(fixes, fmt.Sprintf("Check by hand that the key is not committed: `git -C %s ls-files --error-unmatch %s` must fail.", shell.Quote(filepath.Dir(m.KeyPath)), shell.Quote(filepath.Base(m.KeyPath))))
	case status == GitTracked:
		r.add("git", "tracked in the work tree at %s", root)
		r.Status = Fail
		r.Row = docs.RowCredentialHygiene
		r.Summary = "the private key is tracked by git: anyone with the repository can impersonate you"
		r.Fix = fmt.Sprintf("Treat the key as compromised: generate a new key and CSR (`axysdoctor csr --from-cert …`), ask Axys to revoke this certificate, `git rm --cached %s`, add it to .gitignore, and purge it from history.", shell.Quote(m.KeyPath))
		return r
	case status == GitUntracked:
		r.add("git", "inside the work tree at %s and not ignored", root)
		r.worsen(Warn)
		r.Row = docs.RowCredentialHygiene
		warnings = append(warnings, "the private key sits in a git work tree without being ignored: one `git add .` from a leak")
		fixes = append(fixes, "Move the key out of the repository, or add it to .gitignore.")
	case status == GitIgnored:
		r.add("git", "inside the work tree at %s, ignored", root)
	default:
		r.add("git", "not in a git work tree")
	}

	if len(warnings) > 0 {
		r.worsen(Warn)
		if r.Row == "" {
			r.Row = docs.RowCertificateContent
		}
		r.Summary = joinSentences(warnings)
		r.Fix = joinSentences(fixes)
		return r
	}
	perms := "readable only by you"
	if !permsChecked {
		perms = "permissions not checked"
		r.worsen(Warn)
		r.Row = docs.RowCredentialHygiene
		r.Fix = "Check by hand that only you can read the key file."
	}
	gitWord := "not in a git work tree"
	if status == GitIgnored {
		gitWord = "ignored by git"
	}
	r.Summary = fmt.Sprintf("%s private key, %s, %s", kind, perms, gitWord)
	return r
}

func plainStatError(err error) string {
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return "the file is gone"
	case errors.Is(err, fs.ErrPermission):
		return "permission denied"
	}
	return err.Error()
}
