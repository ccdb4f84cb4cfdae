package ui

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"net/netip"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/axysdoctor/axysdoctor/checks"
	"github.com/axysdoctor/axysdoctor/config"
	"github.com/axysdoctor/axysdoctor/csr"
	"github.com/axysdoctor/axysdoctor/internal/termsafe"
	"github.com/axysdoctor/axysdoctor/report"
)

// Every command here closes over copies of its inputs, never over a
// model; steps address them with tasks.start, so the answers come back
// wrapped in an asyncMsg.

// egressBound is how long the form waits for the calling IP: long enough
// for the who-am-I services on a normal network, short enough that a
// firewalled one does not hold the form up.
const egressBound = 1500 * time.Millisecond

// egressMsg reports the detected calling addresses, or why there are none.
type egressMsg struct {
	addrs   []netip.Addr
	failure string
}

func detectEgressCmd(ctx context.Context, opts checks.Options, deps checks.Deps) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(ctx, egressBound)
		defer cancel()
		if opts.Timeout <= 0 || opts.Timeout > egressBound {
			opts.Timeout = egressBound
		}
		res := checks.DetectEgress(ctx, opts, deps)
		if len(res.Addrs) > 0 {
			return egressMsg{addrs: res.Addrs}
		}
		why := strings.Join(res.Notes, "; ")
		if why == "" {
			why = "no service answered"
		}
		return egressMsg{failure: fmt.Sprintf("Could not detect the calling IP within %s: %s. Type it in the IP addresses field.", egressBound, why)}
	}
}

// pathsMsg says which of the form's output files exist already.
type pathsMsg struct{ keyExists, csrExists bool }

func statPathsCmd(keyPath, csrPath string) tea.Cmd {
	return func() tea.Msg {
		return pathsMsg{keyExists: exists(keyPath), csrExists: exists(csrPath)}
	}
}

func exists(path string) bool {
	_, err := os.Lstat(path)
	return err == nil
}

// keygenDoneMsg: the key and CSR are on disk.
type keygenDoneMsg struct{ made created }

type keygenFailedMsg struct{ err error }

// generateCmd makes an RSA-2048 key and the CSR, then writes both (the CSR
// first, so a CSR never exists without its key). Nothing is written if the
// context ends during generation; writes are atomic and exclusive, and
// counted so that quitting waits for them.
func generateCmd(ctx context.Context, writes *fileWrites, r formResult) tea.Cmd {
	return func() tea.Msg {
		if !writes.begin() {
			return keygenFailedMsg{csr.ErrInterrupted}
		}
		defer writes.end()
		made, err := csr.Create(ctx, r.prepared, csr.RSA2048, r.keyPath, r.csrPath, false)
		if errors.Is(err, csr.ErrExists) { // created between the form's look and now
			err = errors.New(collision(r.keyPath, r.csrPath, exists(r.keyPath), exists(r.csrPath)))
		}
		if err != nil {
			return keygenFailedMsg{err}
		}
		return keygenDoneMsg{created{
			request: r.request, keyPath: r.keyPath, csrPath: r.csrPath, csrPEM: made.CSRPEM,
			fingerprint: csr.Fingerprint(made.CSR.Raw),
			subject:     csr.FormatName(made.CSR.RawSubject),
			sans:        csr.SANs(r.prepared.DNSNames, r.prepared.IPs),
			notes:       r.prepared.Notes,
		}}
	}
}

// signedMsg: the demo's emulator signed the CSR.
type signedMsg struct {
	certPath string
	err      error
}

func signCmd(ctx context.Context, writes *fileWrites, sign func(context.Context, []byte) ([]byte, error), csrPEM []byte, certPath string) tea.Cmd {
	return func() tea.Msg {
		pemBytes, err := sign(ctx, csrPEM)
		if err != nil {
			return signedMsg{err: err}
		}
		if !writes.begin() {
			return signedMsg{err: errors.New("quitting")}
		}
		defer writes.end()
		if err := csr.WriteFile(certPath, pemBytes, 0o644, false); err != nil {
			return signedMsg{err: err}
		}
		return signedMsg{certPath: certPath}
	}
}

// copyCmd puts text on the clipboard with OSC 52, which terminals honour
// over SSH too; inside tmux or screen the sequence is wrapped for them.
func copyCmd(w interface{ Write([]byte) (int, error) }, tmux bool, text string) tea.Cmd {
	return func() tea.Msg {
		seq := "\x1b]52;c;" + base64.StdEncoding.EncodeToString([]byte(text)) + "\x07"
		if tmux {
			seq = "\x1bPtmux;\x1b" + strings.ReplaceAll(seq, "\x1b", "\x1b\x1b") + "\x1b\\"
		}
		_, err := w.Write([]byte(seq))
		return copiedMsg{err: err}
	}
}

type copiedMsg struct{ err error }

// loadedMsg carries certificate material read from disk.
type loadedMsg struct{ loaded loaded }

type loadFailedMsg struct {
	err          error
	needPassword bool
}

// loadCmd reads the files, then runs the engine's local certificate
// checks and gathers the card's facts, so that nothing slow or hostile is
// left for View. paths holds CertPath and KeyPath, or P12Path; pw are the
// password typed in the wizard or the variables a profile names.
func loadCmd(now time.Time, paths checks.Options, pw checks.Passwords) tea.Cmd {
	return func() tea.Msg {
		mat, err := checks.LoadMaterial(paths, pw, now)
		if err != nil {
			return loadFailedMsg{err: err, needPassword: errors.Is(err, csr.ErrPasswordNeeded) || errors.Is(err, csr.ErrWrongPassword)}
		}
		certPath, keyPath := paths.CertPath, paths.KeyPath
		if paths.P12Path != "" {
			certPath, keyPath = paths.P12Path, paths.P12Path
		}
		return loadedMsg{newLoaded(mat, certPath, keyPath, now)}
	}
}

// completionsMsg lists paths that complete what was typed.
type completionsMsg struct {
	field int
	paths []string
}

// completeCmd lists the directory of partial for names starting with its
// last element (directories get a trailing slash). Names a terminal
// cannot show as they are are left out: they would reach the input raw.
func completeCmd(field int, partial string) tea.Cmd {
	return func() tea.Msg {
		dir, prefix := filepath.Split(partial)
		readDir := dir
		if readDir == "" {
			readDir = "."
		}
		entries, err := os.ReadDir(readDir)
		if err != nil {
			return completionsMsg{field: field}
		}
		var out []string
		for _, e := range entries {
			name := e.Name()
			if !strings.HasPrefix(name, prefix) || (strings.HasPrefix(name, ".") && !strings.HasPrefix(prefix, ".")) || !termsafe.Safe(name) {
				continue
			}
			p := dir + name
			if e.IsDir() {
				p += string(filepath.Separator)
			}
			out = append(out, p)
			if len(out) >= 200 {
				break
			}
		}
		sort.Strings(out)
		return completionsMsg{field: field, paths: out}
	}
}

// checkEventMsg is one progress event from the runner.
type checkEventMsg struct{ ev checks.Event }

// checksDoneMsg carries the finished report.
type checksDoneMsg struct{ report checks.Report }

// checksStartedMsg hands the step the channel a diagnosis reports on.
type checksStartedMsg struct{ events <-chan tea.Msg }

// runChecksCmd starts a diagnosis when executed (never inside Update) and
// returns the channel its events arrive on; the step then reads them one
// per command with waitFor.
func runChecksCmd(ctx context.Context, opts checks.Options, mat *checks.Material, deps checks.Deps) tea.Cmd {
	return func() tea.Msg {
		ch := make(chan tea.Msg, 32)
		go func() {
			defer close(ch)
			rep := checks.Diagnose(ctx, opts, mat, deps, func(ev checks.Event) {
				ch <- checkEventMsg{ev: ev}
			})
			ch <- checksDoneMsg{report: rep}
		}()
		return checksStartedMsg{events: ch}
	}
}

// waitFor delivers the next message from ch.
func waitFor(ch <-chan tea.Msg) tea.Cmd {
	return func() tea.Msg {
		msg, ok := <-ch
		if !ok {
			return nil
		}
		return msg
	}
}

// savedMsg reports a saved report.
type savedMsg struct {
	path string
	err  error
}

// saveCmd renders the report (redacted) and writes it, never over an
// existing file.
func saveCmd(writes *fileWrites, rep checks.Report, asJSON bool, path string) tea.Cmd {
	return func() tea.Msg {
		var buf bytes.Buffer
		render := report.Markdown
		if asJSON {
			render = report.JSON
		}
		if err := render(&buf, rep, rep.Version, false); err != nil {
			return savedMsg{err: err}
		}
		if !writes.begin() {
			return savedMsg{err: errors.New("quitting")}
		}
		defer writes.end()
		if err := csr.WriteFile(path, buf.Bytes(), 0o644, false); err != nil {
			return savedMsg{err: err}
		}
		return savedMsg{path: path}
	}
}

// profileReadMsg: a profile chosen on the welcome step, with its API key
// read from where it says.
type profileReadMsg struct {
	from  fromProfile
	offer keyOffer
}

type profileFailedMsg struct{ err error }

// readProfileCmd turns a profile into options and reads its API key from
// the variable (getenv) or the file it names. A key that cannot be read is
// not an error here: the API-key step says why and asks for it.
func readProfileCmd(p config.Profile, getenv func(string) string) tea.Cmd {
	return func() tea.Msg {
		opts, err := p.Options(getenv)
		if err != nil && opts.Environment.BaseURL == "" {
			return profileFailedMsg{fmt.Errorf("profile %s: %w", p.Name, err)}
		}
		offer := keyOffer{key: opts.APIKey, source: keySource{env: p.APIKeyEnv, file: p.APIKeyFile}}
		if p.APIKeyFile == "" && p.APIKeyEnv == "" {
			offer.source.env = config.DefaultAPIKeyEnv
		}
		opts.APIKey = checks.APIKey{}
		switch {
		case err != nil:
			offer.problem = err.Error()
		case offer.key.Empty():
			offer.problem = "$" + offer.source.env + " is not set in this shell"
		}
		return profileReadMsg{fromProfile{profile: p, opts: opts}, offer}
	}
}

// profileSaveMsg answers saveProfileCmd: the profile was saved at path;
// or a profile of that name holds other values (clash lists them) and
// nothing was written; or err.
type profileSaveMsg struct {
	path    string
	profile config.Profile
	clash   []change
	err     error
}

// saveProfileCmd writes p into the config file at path, keeping the rest
// of the file. A profile of the same name with other values is replaced
// only when replace is set; otherwise the answer lists what differs.
func saveProfileCmd(writes *fileWrites, path string, p config.Profile, replace bool) tea.Cmd {
	return func() tea.Msg {
		file, err := config.Load(path)
		if err != nil {
			return profileSaveMsg{err: err}
		}
		if old, err := file.Lookup(p.Name); err == nil && !replace {
			if clash := changes(old, p); len(clash) > 0 {
				return profileSaveMsg{path: path, profile: p, clash: clash}
			}
		}
		if !writes.begin() {
			return profileSaveMsg{err: errors.New("quitting")}
		}
		defer writes.end()
		if err := config.Save(path, p); err != nil {
			return profileSaveMsg{err: err}
		}
		return profileSaveMsg{path: path, profile: p}
	}
}
