//go:build acceptance

package acceptance

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// gitRepo makes a git repository in a new directory with one commit (so
// it has an index, which is what git's file-system monitor watches), and
// copies the client key into it untracked.
func gitRepo(t *testing.T) (dir, key string) {
	t.Helper()
	dir = filepath.Join(t.TempDir(), "repo")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"init", "-q", "."},
		{"-c", "user.email=a@example.test", "-c", "user.name=a", "commit", "-q", "--allow-empty", "-m", "init"},
	} {
		if err := gitCmd(dir, args...).Run(); err != nil {
			t.Fatalf("git %v: %v", args, err)
		}
	}
	data, err := os.ReadFile(fx.clientKey)
	if err != nil {
		t.Fatal(err)
	}
	key = filepath.Join(dir, "client.key")
	if err := os.WriteFile(key, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return dir, key
}

// gitCmd is git as a user's shell runs it, but without this machine's
// global configuration (a safe.directory = * there would hide what the
// tests look for).
func gitCmd(dir string, args ...string) *exec.Cmd {
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GIT_CONFIG_GLOBAL="+os.DevNull, "GIT_CONFIG_NOSYSTEM=1")
	return cmd
}

// TestKeyInARepositoryOwnedBySomeoneElse: git refuses a repository owned
// by another user ("dubious ownership"), so whether it tracks the key is
// unknown. key.file warns with git's reason instead of passing.
func TestKeyInARepositoryOwnedBySomeoneElse(t *testing.T) {
	dir, key := gitRepo(t)
	chown := func(owner string) *exec.Cmd {
		if os.Geteuid() == 0 {
			return exec.Command("chown", "-R", owner, dir)
		}
		return exec.Command("sudo", "-n", "chown", "-R", owner, dir)
	}
	if out, err := chown("nobody").CombinedOutput(); err != nil {
		t.Fatalf("this test gives the repository to nobody, which needs root or password-less sudo (CI has one): %v\n%s", err, out)
	}
	// Back to us, so that the temporary directory can be removed.
	t.Cleanup(func() { chown(fmt.Sprint(os.Geteuid())).Run() })
	// git itself refuses it, as a user would see.
	if out, err := gitCmd(dir, "status").CombinedOutput(); err == nil || !strings.Contains(string(out), "dubious ownership") {
		t.Fatalf("git status in a repository owned by nobody: %v\n%s", err, out)
	}
	r, code := check(t, programKey, withFlag(gateway(fx.gatewayPort, fx.dnsGood, fx.clientCert), "--key", key)...)
	logSummaries(t, r)
	kf := r.get(t, "key.file")
	if kf.Status != "warn" || kf.Row != "credential-hygiene" {
		t.Errorf("key.file %s [%s], want warn [credential-hygiene]", kf.Status, kf.Row)
	}
	wantOrder(t, "key.file", kf.Summary, "whether git tracks the private key could not be checked", "git refuses the directory: it is owned by someone else")
	if !strings.Contains(kf.Summary, "dubious ownership") {
		t.Errorf("key.file %q does not quote git's reason", kf.Summary)
	}
	if !strings.Contains(kf.Fix, "ls-files --error-unmatch") {
		t.Errorf("key.file fix %q does not say how to check by hand", kf.Fix)
	}
	wantOnly(t, r, "key.file")
	if code != 0 {
		t.Errorf("exit %d: a warning", code)
	}
}

// TestHostileGitConfigRunsNothing: the key sits in a repository whose
// .git/config names a command as core.fsmonitor. Plain git runs it (the
// control proves the trap works); axysdoctor, asking git whether the key
// is tracked, must not — and still answers the question.
func TestHostileGitConfigRunsNothing(t *testing.T) {
	dir, key := gitRepo(t)
	marker := filepath.Join(os.TempDir(), fmt.Sprintf("pwned-axysdoctor-%d-%d", os.Getpid(), time.Now().UnixNano()))
	t.Cleanup(func() { os.Remove(marker) })
	if err := gitCmd(dir, "config", "core.fsmonitor", "touch "+marker).Run(); err != nil {
		t.Fatal(err)
	}
	// The control: the same question plain git is asked runs the command.
	gitCmd(dir, "ls-files", "--error-unmatch", "--", "client.key").Run()
	if _, err := os.Stat(marker); err != nil {
		t.Fatalf("the hostile config did not fire for plain git, so this test proves nothing: %v", err)
	}
	if err := os.Remove(marker); err != nil {
		t.Fatal(err)
	}

	r, code := check(t, programKey, withFlag(gateway(fx.gatewayPort, fx.dnsGood, fx.clientCert), "--key", key)...)
	logSummaries(t, r)
	if _, err := os.Stat(marker); err == nil {
		t.Fatalf("axysdoctor check ran the repository's core.fsmonitor command (%s exists)", marker)
	}
	kf := r.get(t, "key.file")
	if kf.Status != "warn" || !strings.Contains(kf.Summary, "sits in a git work tree without being ignored") {
		t.Errorf("key.file %s %q, want the untracked-in-a-work-tree warning", kf.Status, kf.Summary)
	}
	wantOnly(t, r, "key.file")
	if code != 0 {
		t.Errorf("exit %d", code)
	}
}

// TestNoGitInstalled: a minimal container without git. Whether git tracks
// the key cannot be checked, and key.file says so instead of passing.
func TestNoGitInstalled(t *testing.T) {
	r := checkEnv(t, programKey, []string{"PATH=" + t.TempDir()}, gateway(fx.gatewayPort, fx.dnsGood, fx.clientCert)...)
	logSummaries(t, r.report)
	kf := r.get(t, "key.file")
	if kf.Status != "warn" || kf.Row != "credential-hygiene" || !strings.Contains(kf.Summary, "whether git tracks the private key could not be checked (git is not installed here)") {
		t.Errorf("key.file %s [%s] %q", kf.Status, kf.Row, kf.Summary)
	}
	wantOnly(t, r.report, "key.file")
	if r.code != 0 {
		t.Errorf("exit %d", r.code)
	}
}
