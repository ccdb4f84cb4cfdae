// Package compare puts two credential sets side by side for a cutover
// (staging → production, or an old certificate → its renewal): first what
// can be judged without the network — tenant, programs, client CAs, key
// and API-key reuse, validity, SANs, egress coverage — then both full
// diagnoses, run at the same time.
package compare

import (
	"context"
	"sync"
	"time"

	"github.com/axysdoctor/axysdoctor/checks"
)

// Side is one credential set: a profile (or set of flags) as options, and
// its certificate and key as read.
type Side struct {
	Name     string
	Options  checks.Options
	Material *checks.Material
}

// Result is a whole comparison.
type Result struct {
	A, B   string
	Static []checks.Result
	// Reports are A's and B's diagnoses, in that order.
	Reports [2]checks.Report
}

// Run compares a and b statically, then diagnoses both concurrently, so
// the comparison takes as long as the slower side.
func Run(ctx context.Context, a, b Side, deps checks.Deps) Result {
	res := Result{A: a.Name, B: b.Name, Static: Static(a, b, now(deps))}
	var wg sync.WaitGroup
	for i, s := range []Side{a, b} {
		wg.Go(func() { res.Reports[i] = checks.Diagnose(ctx, s.Options, s.Material, deps, nil) })
	}
	wg.Wait()
	return res
}

// ExitCode is 1 when a static comparison or either diagnosis failed (or
// warned, with strict), else 0.
func (r Result) ExitCode(strict bool) int {
	s := checks.Summarize(r.Static)
	if s.Fail > 0 || (strict && s.Warn > 0) {
		return 1
	}
	for _, rep := range r.Reports {
		if rep.ExitCode(strict) != 0 {
			return 1
		}
	}
	return 0
}

// now is the clock Static judges validity by (Deps.Now, else the real one).
func now(d checks.Deps) time.Time {
	if d.Now != nil {
		return d.Now()
	}
	return time.Now()
}
