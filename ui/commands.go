package ui

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"net/netip"
	"os"
	"path/filepath"
	"sort"
	"strings"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/axysdoctor/axysdoctor/checks"
	"github.com/axysdoctor/axysdoctor/csr"
)

// Every command closes over copies of its inputs, never over a model.

// egressMsg reports the detected calling addresses.
type egressMsg struct {
	addrs []netip.Addr
	note  string
}

func detectEgressCmd(c *common) tea.Cmd {
	ctx, opts, deps := c.ctx, c.backend.Base, c.backend.Deps
	return func() tea.Msg {
		res := checks.DetectEgress(ctx, opts, deps)
		note := ""
		if len(res.Addrs) == 0 {
			note = "Could not detect the calling IP: " + strings.Join(res.Notes, "; ")
		}
		return egressMsg{addrs: res.Addrs, note: note}
	}
}

// keygenDoneMsg: the key and CSR are on disk.
type keygenDoneMsg struct {
	keyPath, csrPath string
	csrPEM           []byte
	fingerprint      string
	subject          string
	sans             []string
	notes            []string
}

type keygenFailedMsg struct{ err error }

// generateCmd makes an RSA-2048 key and the CSR, then writes both — the
// CSR first, so a CSR never exists without its key. Nothing is written if
// the context ends during generation; writes are atomic and exclusive, and
// counted so that quitting waits for them.
func generateCmd(c *common, r formResult) tea.Cmd {
	ctx, writes := c.ctx, c.writes
	return func() tea.Msg {
		if !writes.begin() {
			return keygenFailedMsg{csr.ErrInterrupted}
		}
		defer writes.end()
		created, err := csr.Create(ctx, r.prepared, csr.RSA2048, r.keyPath, r.csrPath, false)
		if errors.Is(err, csr.ErrExists) {
			err = fmt.Errorf("%w — go back (esc) and choose another path: axysdoctor never overwrites a key", err)
		}
		if err != nil {
			return keygenFailedMsg{err}
		}
		return keygenDoneMsg{
			keyPath: r.keyPath, csrPath: r.csrPath, csrPEM: created.CSRPEM,
			fingerprint: csr.Fingerprint(created.CSR.Raw),
			subject:     csr.FormatName(created.CSR.RawSubject),
			sans:        csr.SANs(r.prepared.DNSNames, r.prepared.IPs),
			notes:       r.prepared.Notes,
		}
	}
}

// signedMsg: the demo's emulator signed the CSR.
type signedMsg struct {
	certPath string
	err      error
}

func signCmd(c *common, csrPEM []byte, certPath string) tea.Cmd {
	ctx, sign, writes := c.ctx, c.backend.Sign, c.writes
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
func copyCmd(c *common, text string) tea.Cmd {
	w, tmux := c.clipboard, c.tmux
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
type loadedMsg struct {
	material *checks.Material
	certPath string
	keyPath  string
}

type loadFailedMsg struct {
	err          error
	needPassword bool
}

func loadCmd(c *common, certPath, keyPath string, password []byte) tea.Cmd {
	now := c.now
	return func() tea.Msg {
		var pw csr.PasswordFunc
		if len(password) > 0 {
			pw = func() ([]byte, error) { return password, nil }
		}
		opts := checks.Options{CertPath: certPath, KeyPath: keyPath}
		mat, err := checks.LoadMaterial(opts, checks.Passwords{Key: pw, P12: pw}, now())
		if err != nil {
			return loadFailedMsg{err: err, needPassword: errors.Is(err, csr.ErrPasswordNeeded) || errors.Is(err, csr.ErrWrongPassword)}
		}
		return loadedMsg{material: mat, certPath: certPath, keyPath: keyPath}
	}
}

// completionsMsg lists paths that complete what was typed.
type completionsMsg struct {
	field int
	paths []string
}

// completeCmd lists the directory of partial for names starting with its
// last element (directories get a trailing slash).
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
			if !strings.HasPrefix(name, prefix) || (strings.HasPrefix(name, ".") && !strings.HasPrefix(prefix, ".")) {
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
type checkEventMsg struct {
	ev  checks.Event
	run int
}

// checksDoneMsg carries the finished report.
type checksDoneMsg struct {
	report checks.Report
	run    int
}

// checksStartedMsg hands the model the channel a diagnosis reports on.
type checksStartedMsg struct {
	events <-chan tea.Msg
	run    int
}

// runChecksCmd starts a diagnosis when executed (never inside Update) and
// returns the channel its events arrive on; the model then reads them one
// per command with waitFor.
func runChecksCmd(ctx context.Context, opts checks.Options, mat *checks.Material, deps checks.Deps, run int) tea.Cmd {
	return func() tea.Msg {
		ch := make(chan tea.Msg, 32)
		go func() {
			defer close(ch)
			rep := checks.Diagnose(ctx, opts, mat, deps, func(ev checks.Event) {
				ch <- checkEventMsg{ev: ev, run: run}
			})
			ch <- checksDoneMsg{report: rep, run: run}
		}()
		return checksStartedMsg{events: ch, run: run}
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

func saveCmd(c *common, path string, data []byte) tea.Cmd {
	writes := c.writes
	return func() tea.Msg {
		if !writes.begin() {
			return savedMsg{err: errors.New("quitting")}
		}
		defer writes.end()
		if err := csr.WriteFile(path, data, 0o644, false); err != nil {
			return savedMsg{err: err}
		}
		return savedMsg{path: path}
	}
}
