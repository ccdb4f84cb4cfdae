package checks

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// GitStatus is where a file stands with git.
type GitStatus int

// Git statuses.
const (
	GitNone      GitStatus = iota // not in a work tree
	GitIgnored                    // in a work tree and ignored
	GitUntracked                  // in a work tree, not ignored: one `git add .` from a leak
	GitTracked                    // committed or staged
)

// GitInspector says whether a file is tracked or ignored. An error means
// the question could not be answered (git missing, refusing, failing); the
// caller says so rather than passing.
type GitInspector interface {
	Status(ctx context.Context, path string) (GitStatus, string, error)
}

// ErrGitMissing: git is not installed, so tracking could not be checked.
var ErrGitMissing = errors.New("git is not installed here")

// gitTimeout bounds each git command.
const gitTimeout = 5 * time.Second

// ExecGit asks the git binary, stripped of the power a repository's own
// configuration would give it: the key may sit in a repository a stranger
// prepared, whose .git/config can name commands git runs (core.fsmonitor,
// hooks, filters, a pager). Its environment holds nothing of ours — no API
// key, no password — and no system or global configuration.
type ExecGit struct{}

// Status implements GitInspector. It returns the work tree's root too.
func (ExecGit) Status(ctx context.Context, path string) (GitStatus, string, error) {
	gitBin, err := exec.LookPath("git")
	if err != nil {
		return GitNone, "", ErrGitMissing
	}
	ctx, cancel := context.WithTimeout(ctx, gitTimeout)
	defer cancel()
	abs, err := filepath.Abs(path)
	if err != nil {
		return GitNone, "", err
	}
	dir, base := filepath.Split(abs)
	run := func(args ...string) (string, string, error) {
		cmd := exec.CommandContext(ctx, gitBin, append(neutralGitArgs(dir), args...)...)
		cmd.Env = neutralGitEnv()
		cmd.Dir = dir
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		cmd.WaitDelay = time.Second
		err := cmd.Run()
		if ctx.Err() != nil {
			err = fmt.Errorf("git did not answer within %s", gitTimeout)
		}
		return strings.TrimSpace(stdout.String()), firstLineOf(stderr.String()), err
	}
	root, stderr, err := run("rev-parse", "--show-toplevel")
	if err != nil {
		switch {
		case strings.Contains(stderr, "not a git repository"):
			return GitNone, "", nil
		case strings.Contains(stderr, "dubious ownership"):
			return GitNone, "", fmt.Errorf("git refuses the directory: it is owned by someone else (%s)", stderr)
		case stderr != "":
			return GitNone, "", fmt.Errorf("git failed: %s", stderr)
		}
		return GitNone, "", fmt.Errorf("git failed: %v", err)
	}
	if _, _, err := run("ls-files", "--error-unmatch", "--", base); err == nil {
		return GitTracked, root, nil
	}
	_, stderr, err = run("check-ignore", "-q", "--", base)
	var ee *exec.ExitError
	switch {
	case err == nil:
		return GitIgnored, root, nil
	case errors.As(err, &ee) && ee.ExitCode() == 1:
		return GitUntracked, root, nil
	case stderr != "":
		return GitNone, root, fmt.Errorf("git check-ignore failed: %s", stderr)
	}
	return GitNone, root, fmt.Errorf("git check-ignore failed: %v", err)
}

// neutralGitArgs override, on the command line (which wins over every
// configuration file), each setting through which a repository's config
// makes git run a program or write: the file-system monitor, hooks, the
// pager, optional index locks.
func neutralGitArgs(dir string) []string {
	return []string{
		"-C", dir,
		"--no-optional-locks",
		"-c", "core.fsmonitor=false",
		"-c", "core.hooksPath=" + os.DevNull,
		"-c", "core.pager=cat",
		"-c", "core.untrackedCache=false",
		"-c", "core.sshCommand=false",
		"-c", "credential.helper=",
		"-c", "protocol.allow=never",
	}
}

// neutralGitEnv is the whole environment git gets: a PATH to find its
// helpers, no system or global configuration, no prompts, no pager, and
// nothing else — in particular no API key and no password variable.
func neutralGitEnv() []string {
	return []string{
		"PATH=" + os.Getenv("PATH"),
		"HOME=" + os.DevNull,
		"GIT_CONFIG_NOSYSTEM=1",
		"GIT_CONFIG_GLOBAL=" + os.DevNull,
		"GIT_TERMINAL_PROMPT=0",
		"GIT_PAGER=cat",
		"GIT_OPTIONAL_LOCKS=0",
		"LC_ALL=C",
	}
}

func firstLineOf(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	return oneLine(s, 200)
}
