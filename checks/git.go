package checks

import (
	"context"
	"errors"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// GitStatus is where a file stands with git.
type GitStatus int

// Git statuses.
const (
	GitNone      GitStatus = iota // not in a work tree, or git is not installed
	GitIgnored                    // in a work tree and ignored
	GitUntracked                  // in a work tree, not ignored: one `git add .` from a leak
	GitTracked                    // committed or staged
)

// GitInspector says whether a file is tracked or ignored.
type GitInspector interface {
	Status(ctx context.Context, path string) (GitStatus, string, error)
}

// ExecGit asks the git binary. It returns the work tree's root too.
type ExecGit struct{}

// Status implements GitInspector.
func (ExecGit) Status(ctx context.Context, path string) (GitStatus, string, error) {
	if _, err := exec.LookPath("git"); err != nil {
		return GitNone, "", nil
	}
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	abs, err := filepath.Abs(path)
	if err != nil {
		return GitNone, "", err
	}
	dir, base := filepath.Split(abs)
	run := func(args ...string) (string, error) {
		cmd := exec.CommandContext(ctx, "git", append([]string{"-C", dir}, args...)...)
		out, err := cmd.Output()
		return strings.TrimSpace(string(out)), err
	}
	root, err := run("rev-parse", "--show-toplevel")
	if err != nil {
		return GitNone, "", nil // not a work tree
	}
	if _, err := run("ls-files", "--error-unmatch", "--", base); err == nil {
		return GitTracked, root, nil
	}
	_, err = run("check-ignore", "-q", "--", base)
	var ee *exec.ExitError
	switch {
	case err == nil:
		return GitIgnored, root, nil
	case errors.As(err, &ee) && ee.ExitCode() == 1:
		return GitUntracked, root, nil
	}
	return GitNone, root, err
}
