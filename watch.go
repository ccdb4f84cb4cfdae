package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/charmbracelet/x/term"
	"github.com/spf13/pflag"

	"github.com/axysdoctor/axysdoctor/checks"
	"github.com/axysdoctor/axysdoctor/csr"
	"github.com/axysdoctor/axysdoctor/report"
)

// defaultWatch is --watch's interval when none is given.
const defaultWatch = "30s"

// watchInterval is --watch's value: a positive duration, so that
// --watch=0s is a usage error rather than a silent single run.
type watchInterval struct{ d *time.Duration }

func (w watchInterval) String() string {
	if w.d == nil || *w.d == 0 {
		return ""
	}
	return w.d.String()
}

func (w watchInterval) Set(s string) error {
	d, err := time.ParseDuration(s)
	if err != nil || d <= 0 {
		return fmt.Errorf("give a positive interval such as %s", defaultWatch)
	}
	*w.d = d
	return nil
}

func (watchInterval) Type() string { return "duration" }

func addWatchFlag(fl *pflag.FlagSet, d *time.Duration) {
	fl.Var(watchInterval{d}, "watch", "re-run every DURATION ("+defaultWatch+" when given alone) until every check passes, or Ctrl+C; write it --watch=1m")
	fl.Lookup("watch").NoOptDefVal = defaultWatch
}

// pause waits d, or less when ctx ends (then it returns ctx's error).
func (e env) pause(ctx context.Context, d time.Duration) error {
	if e.sleep != nil {
		return e.sleep(ctx, d)
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// watchUntilGreen re-runs the diagnosis every f.watch until no check fails
// (nor warns, with --strict) and returns that run's report. The material is
// read again on every run, because a cutover often replaces the files
// while it is watched; a file caught half-replaced is reported and the
// watch goes on. Ctrl+C ends it with exit 130.
func watchUntilGreen(ctx context.Context, e env, f checkFlags, opts checks.Options, pw checks.Passwords) (checks.Report, error) {
	pw = checks.Passwords{Key: remember(pw.Key), P12: remember(pw.P12)} // ask once, not every run
	view := newWatchView(e, f.watch)
	var w report.Watch
	start := time.Now()
	for run := 1; ; run++ {
		rep, err := watchRun(ctx, e, f, opts, pw, run)
		switch {
		case ctx.Err() != nil:
			return rep, stillFailing(&w)
		case err != nil && run == 1:
			return rep, err
		case err != nil:
			view.trouble(run, err)
		default:
			view.show(&w, w.Observe(rep, time.Now()))
			if rep.ExitCode(f.strict) == 0 {
				view.green(&w, time.Since(start))
				return rep, nil
			}
		}
		if err := e.pause(ctx, f.watch); err != nil {
			return w.Last, stillFailing(&w)
		}
	}
}

func watchRun(ctx context.Context, e env, f checkFlags, opts checks.Options, pw checks.Passwords, run int) (checks.Report, error) {
	if run == 1 {
		return diagnoseOnce(ctx, e, f, opts, pw)
	}
	mat, err := loadMaterial(opts, pw)
	if err != nil {
		return checks.Report{}, err
	}
	// The API key is one of the three things a cutover changes: a key file
	// is read again too (stdin and the environment cannot change).
	if f.apiKeyFile != "" && f.apiKeyFile != "-" {
		if opts.APIKey, _, err = readAPIKey(e, f.apiKeyFile, f.apiKeyEnv); err != nil {
			return checks.Report{}, err
		}
	}
	return diagnose(ctx, e, opts, mat)
}

func stillFailing(w *report.Watch) error {
	var bad []string
	for _, r := range w.Last.Results {
		if r.Status == checks.Fail || r.Status == checks.Warn {
			bad = append(bad, r.ID)
		}
	}
	msg := fmt.Sprintf("interrupted after %d runs", w.Runs)
	if len(bad) > 0 {
		msg += "; still not passing: " + strings.Join(bad, ", ")
	}
	return &exitError{code: exitInterrupted, msg: msg}
}

// remember asks for a password once and hands out that answer after.
func remember(get csr.PasswordFunc) csr.PasswordFunc {
	if get == nil {
		return nil
	}
	var once sync.Once
	var pw []byte
	var err error
	return func() ([]byte, error) {
		once.Do(func() { pw, err = get() })
		return slices.Clone(pw), err
	}
}

// watchView shows the watch on stderr: on a terminal, a table redrawn in
// place; elsewhere (CI logs, files), one line per change.
type watchView struct {
	w        io.Writer
	live     bool
	interval time.Duration
	styles   report.Styles
	width    int
	drawn    int // lines of the table now on screen
}

func newWatchView(e env, interval time.Duration) *watchView {
	v := &watchView{w: e.stderr, live: e.stderrTTY, interval: interval, width: 100}
	v.styles = report.NewStyles(e.stderr, e.color(e.stderrTTY))
	if f, ok := e.stderr.(*os.File); ok && v.live {
		if w, _, err := term.GetSize(f.Fd()); err == nil && w > 20 {
			v.width = w
		}
	}
	if !v.live {
		fmt.Fprintf(v.w, "axysdoctor: watching every %s until every check passes (Ctrl+C stops)\n", interval)
	}
	return v
}

func (v *watchView) show(w *report.Watch, changes []report.Change) {
	if v.live {
		next := w.At.Add(v.interval).Format("15:04:05")
		v.redraw(w.Table(v.styles, fmt.Sprintf("run %d · %s · %d/%d pass · next %s (every %s) · Ctrl+C stops",
			w.Runs, w.At.Format("15:04:05"), w.Last.Summary().Pass, len(w.Last.Results), next, v.interval), v.width))
		return
	}
	if w.Runs == 1 {
		fmt.Fprintf(v.w, "%s run 1: %s\n", w.At.Format("15:04:05"), w.Last.Summary())
	}
	for _, c := range changes {
		if w.Runs == 1 && c.To == checks.Pass {
			continue // the first run lists only what is wrong
		}
		fmt.Fprintln(v.w, c.Line())
	}
}

func (v *watchView) green(w *report.Watch, took time.Duration) {
	msg := fmt.Sprintf("every check passes after %s (%s)", plural(w.Runs, "run", "runs"), took.Round(time.Second))
	if v.live {
		v.redraw(w.Table(v.styles, msg, v.width))
		v.drawn = 0 // leave it on screen above the report
		return
	}
	fmt.Fprintf(v.w, "%s %s\n", w.At.Format("15:04:05"), msg)
}

func (v *watchView) trouble(run int, err error) {
	line := fmt.Sprintf("%s run %d did not start: %s (still watching)", time.Now().Format("15:04:05"), run, oneLineMsg(err.Error()))
	if v.live {
		line = "\r\x1b[K" + line
		fmt.Fprint(v.w, line)
		return
	}
	fmt.Fprintln(v.w, line)
}

// redraw replaces the table on screen with table.
func (v *watchView) redraw(table string) {
	if v.drawn > 0 {
		fmt.Fprintf(v.w, "\x1b[%dA\r\x1b[J", v.drawn)
	} else {
		fmt.Fprint(v.w, "\r\x1b[K")
	}
	fmt.Fprint(v.w, table)
	v.drawn = strings.Count(table, "\n")
}
