package checks

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"encoding/pem"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/axysdoctor/axysdoctor/docs"
)

type fakeGit struct{ status GitStatus }

func (f fakeGit) Status(context.Context, string) (GitStatus, string, error) {
	return f.status, "/repo", nil
}

func writeKey(t *testing.T, path string, mode os.FileMode) {
	t.Helper()
	k, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	der, _ := x509.MarshalPKCS8PrivateKey(k)
	if err := os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}), mode); err != nil {
		t.Fatal(err)
	}
	os.Chmod(path, mode)
}

func keyFileResult(t *testing.T, path string, git GitInspector) Result {
	t.Helper()
	mat, err := LoadMaterial(Options{KeyPath: path}, Passwords{}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	s := &session{mat: mat, deps: Deps{Git: git}, results: map[string]Result{}}
	return checkKeyFile(context.Background(), s)
}

func TestKeyFileFindings(t *testing.T) {
	dir := t.TempDir()
	private := filepath.Join(dir, "private.key")
	writeKey(t, private, 0o600)
	open := filepath.Join(dir, "open.key")
	writeKey(t, open, 0o644)
	cases := []struct {
		name   string
		path   string
		git    GitStatus
		status Status
		row    string
		want   string
	}{
		{"ignored and private, but not RSA-2048", private, GitIgnored, Warn, docs.RowCertificateContent, "the key is ECDSA P-256"},
		{"world-readable", open, GitNone, Warn, docs.RowCredentialHygiene, "readable by group or others (mode 0644)"},
		{"in a work tree, not ignored", private, GitUntracked, Warn, docs.RowCredentialHygiene, "one `git add .` from a leak"},
		{"tracked", private, GitTracked, Fail, docs.RowCredentialHygiene, "tracked by git"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := keyFileResult(t, c.path, fakeGit{c.git})
			if r.Status != c.status || r.Row != c.row || !strings.Contains(r.Summary, c.want) {
				t.Errorf("%s [%s] %q; want %s [%s] with %q", r.Status, r.Row, r.Summary, c.status, c.row, c.want)
			}
		})
	}
}

// TestGitStatusWithRealGit runs the real git in a throwaway repository.
func TestGitStatusWithRealGit(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed; TestKeyFileFindings covers the classification")
	}
	repo := t.TempDir()
	git := func(args ...string) {
		cmd := exec.Command("git", append([]string{"-C", repo, "-c", "user.email=t@example", "-c", "user.name=t"}, args...)...)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	git("init", "-q")
	os.WriteFile(filepath.Join(repo, ".gitignore"), []byte("ignored.key\n"), 0o644)
	for _, n := range []string{"tracked.key", "loose.key", "ignored.key"} {
		writeKey(t, filepath.Join(repo, n), 0o600)
	}
	git("add", "tracked.key", ".gitignore")
	git("commit", "-q", "-m", "oops")
	outside := filepath.Join(t.TempDir(), "outside.key")
	writeKey(t, outside, 0o600)
	for path, want := range map[string]GitStatus{
		filepath.Join(repo, "tracked.key"): GitTracked,
		filepath.Join(repo, "loose.key"):   GitUntracked,
		filepath.Join(repo, "ignored.key"): GitIgnored,
		outside:                            GitNone,
	} {
		got, _, err := ExecGit{}.Status(context.Background(), path)
		if err != nil || got != want {
			t.Errorf("%s: %v %v, want %v", filepath.Base(path), got, err, want)
		}
	}
	if r := keyFileResult(t, filepath.Join(repo, "tracked.key"), ExecGit{}); r.Status != Fail || r.Row != docs.RowCredentialHygiene {
		t.Errorf("tracked key: %s [%s] %s", r.Status, r.Row, r.Summary)
	}
}
