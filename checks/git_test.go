package checks

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/axysdoctor/axysdoctor/docs"
)

// fakeGitOnPath puts a shell script named git first on PATH.
func fakeGitOnPath(t *testing.T, script string) {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "git"), []byte("#!/bin/sh\n"+script), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", dir+string(os.PathListSeparator)+os.Getenv("PATH"))
}

// TestGitRunsWithoutOurSecrets: git's environment holds no API key, no
// password variable and none of the user's git settings.
func TestGitRunsWithoutOurSecrets(t *testing.T) {
	envDump := filepath.Join(t.TempDir(), "env")
	fakeGitOnPath(t, "env >> "+envDump+"\necho 'fatal: not a git repository' >&2\nexit 128\n")
	t.Setenv("AXYS_API_KEY", "axys_prog_must_not_reach_git_0001")
	t.Setenv("P12_PW", "hunter2")
	t.Setenv("GIT_DIR", "/somewhere/else")
	status, _, err := ExecGit{}.Status(context.Background(), filepath.Join(t.TempDir(), "client.key"))
	if err != nil || status != GitNone {
		t.Fatalf("%v %v", status, err)
	}
	env, err := os.ReadFile(envDump)
	if err != nil {
		t.Fatal("git was not run")
	}
	for _, bad := range []string{"axys_prog_must_not_reach_git", "hunter2", "GIT_DIR=", "P12_PW"} {
		if strings.Contains(string(env), bad) {
			t.Errorf("git's environment holds %q:\n%s", bad, env)
		}
	}
	for _, want := range []string{"GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL=" + os.DevNull} {
		if !strings.Contains(string(env), want) {
			t.Errorf("git's environment lacks %s", want)
		}
	}
}

// TestGitThatCannotAnswerIsAWarningWithItsReason: a missing git, one that
// refuses the directory, or one that fails is never a silent pass.
func TestGitThatCannotAnswerIsAWarningWithItsReason(t *testing.T) {
	cases := map[string]struct {
		script string
		want   string
	}{
		"dubious ownership": {"echo \"fatal: detected dubious ownership in repository at '/srv/repo'\" >&2\nexit 128\n", "owned by someone else"},
		"broken":            {"echo 'fatal: bad config line 1 in file .git/config' >&2\nexit 128\n", "bad config line 1"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			fakeGitOnPath(t, c.script)
			path := filepath.Join(t.TempDir(), "client.key")
			writeKey(t, path, 0o600)
			r := keyFileResult(t, path, ExecGit{})
			if r.Status != Warn || r.Row != docs.RowCredentialHygiene || !strings.Contains(r.Summary, "could not be checked") || !strings.Contains(r.Summary, c.want) {
				t.Errorf("%s [%s] %q", r.Status, r.Row, r.Summary)
			}
		})
	}
	t.Run("git missing", func(t *testing.T) {
		t.Setenv("PATH", t.TempDir())
		path := filepath.Join(t.TempDir(), "client.key")
		writeKey(t, path, 0o600)
		r := keyFileResult(t, path, ExecGit{})
		if r.Status != Warn || !strings.Contains(r.Summary, "git is not installed") {
			t.Errorf("%s %q", r.Status, r.Summary)
		}
	})
}

// TestHostileGitConfigRunsNothing: a repository whose .git/config names a
// file-system monitor command (run by git status and ls-files) does not get
// it run when the key inside it is checked.
func TestHostileGitConfigRunsNothing(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed (TestGitRunsWithoutOurSecrets covers the environment)")
	}
	repo := t.TempDir()
	marker := filepath.Join(t.TempDir(), "pwned")
	run := func(args ...string) {
		cmd := exec.Command("git", append([]string{"-C", repo}, args...)...)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	run("init", "-q")
	key := filepath.Join(repo, "client.key")
	writeKey(t, key, 0o600)
	hook := filepath.Join(repo, "monitor.sh")
	os.WriteFile(hook, []byte("#!/bin/sh\nenv > "+marker+"\n"), 0o755)
	run("config", "core.fsmonitor", hook)
	run("config", "core.hooksPath", repo)
	// Proof that this configuration does run the command with plain git.
	probe := exec.Command("git", "-C", repo, "status", "--porcelain")
	probe.Run()
	if _, err := os.Stat(marker); err != nil {
		t.Skipf("this git does not run core.fsmonitor (%v); nothing to prove", err)
	}
	os.Remove(marker)
	status, _, err := ExecGit{}.Status(context.Background(), key)
	if err != nil || status != GitUntracked {
		t.Errorf("status %v, %v", status, err)
	}
	if _, err := os.Stat(marker); err == nil {
		t.Error("the repository's core.fsmonitor command ran")
	}
}
