package csr

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"
)

// The key-derivation budget of one run: what every encrypted key, PKCS#12
// MAC and encrypted container in every file read together may cost. Real
// files cost milliseconds (OpenSSL 3 writes 2 048 iterations, Java 10 000);
// a hostile one can ask for billions of iterations or gigabytes of scrypt
// memory, which would pin a core for minutes or exhaust the machine.
const (
	DefaultKDFTime = 2 * time.Second
	// DefaultKDFMemory keeps a whole run under 100 MB: OpenSSL's scrypt
	// default is 16 MiB (N = 2^14, r = 8); 64 MiB allows N = 2^16.
	DefaultKDFMemory = 64 << 20
)

// ErrKDFBudget means a file asks for more key-derivation work than the run
// allows; nothing was derived.
var ErrKDFBudget = errors.New("over the key-derivation budget")

// Budget is the key-derivation work one run may spend. Everything a run
// reads shares one Budget, so many files, blocks or bags — each modest —
// cannot add up to minutes. The work of a file is estimated from its
// parameters and taken from the budget before anything is derived. A Budget
// is safe for concurrent use.
type Budget struct {
	mu       sync.Mutex
	limit    time.Duration
	leftNS   float64
	memLimit float64
}

// NewBudget returns a budget of DefaultKDFTime and DefaultKDFMemory.
func NewBudget() *Budget { return NewBudgetOf(DefaultKDFTime, DefaultKDFMemory) }

// NewBudgetOf returns a budget of t estimated CPU time in total, and mem
// bytes for any one derivation (scrypt's memory is freed after each).
func NewBudgetOf(t time.Duration, mem int64) *Budget {
	return &Budget{limit: t, leftNS: float64(t.Nanoseconds()), memLimit: float64(mem)}
}

// take reserves w, or refuses it with the figures when it does not fit.
func (b *Budget) take(w work) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	if w.mem > b.memLimit {
		return &BudgetError{Need: w, memLimit: b.memLimit}
	}
	if w.ns > b.leftNS {
		return &BudgetError{Need: w, limit: b.limit, left: b.leftNS}
	}
	b.leftNS -= w.ns
	return nil
}

// BudgetError says how much key derivation a file needs and what the limit
// is, in one line.
type BudgetError struct {
	Need     work
	limit    time.Duration
	left     float64
	memLimit float64
}

func (e *BudgetError) Error() string {
	if e.memLimit > 0 {
		return fmt.Sprintf("refusing to decrypt it: it needs about %s of memory for key derivation (%s); the limit is %s",
			formatMemory(e.Need.mem), e.Need.memWhat, formatMemory(e.memLimit))
	}
	limit := "the limit is " + formatNS(float64(e.limit.Nanoseconds()))
	if spent := float64(e.limit.Nanoseconds()) - e.left; spent > 0 {
		limit += fmt.Sprintf(" per run, and other files already used %s of it", formatNS(spent))
	}
	return fmt.Sprintf("refusing to decrypt it: it needs about %s of key derivation (%s); %s", formatNS(e.Need.ns), e.Need.what, limit)
}

func (e *BudgetError) Is(target error) bool { return target == ErrKDFBudget }

// work is an estimate of key-derivation effort: CPU time (on the machine
// the unit costs in kdfcost.go were measured on) and the peak memory of one
// derivation, each with the derivation that dominates it, for messages.
type work struct {
	ns, mem       float64
	what, memWhat string
	whatNS        float64
}

// derivation is the work of one key derivation described by what.
func derivation(what string, ns, mem float64) work {
	w := work{ns: ns, mem: mem, what: what, whatNS: ns}
	if mem > 0 {
		w.memWhat = what
	}
	return w
}

// plus is the work of doing w and then o.
func (w work) plus(o work) work {
	w.ns += o.ns
	if o.whatNS > w.whatNS {
		w.what, w.whatNS = o.what, o.whatNS
	}
	if o.mem > w.mem {
		w.mem, w.memWhat = o.mem, o.memWhat
	}
	return w
}

// times is the work of doing w n times in a row.
func (w work) times(n int) work {
	w.ns *= float64(n)
	return w
}

// formatNS writes an estimated duration the way a person reads it.
func formatNS(ns float64) string {
	s := ns / 1e9
	switch {
	case s < 10:
		return strings.TrimSuffix(fmt.Sprintf("%.1f", s), ".0") + " s"
	case s < 120:
		return fmt.Sprintf("%.0f s", s)
	case s < 2*3600:
		return fmt.Sprintf("%.0f min", s/60)
	case s < 2*86400:
		return fmt.Sprintf("%.0f h", s/3600)
	case s < 2*365*86400:
		return fmt.Sprintf("%.0f days", s/86400)
	case s < 1e6*365*86400:
		return fmt.Sprintf("%.0f years", s/(365*86400))
	}
	return "more than a million years"
}

// formatMemory writes a byte count in binary units.
func formatMemory(b float64) string {
	switch {
	case b >= 1<<40:
		return fmt.Sprintf("%.0f TiB", b/(1<<40))
	case b >= 1<<30:
		return fmt.Sprintf("%.0f GiB", b/(1<<30))
	case b >= 1<<20:
		return fmt.Sprintf("%.0f MiB", b/(1<<20))
	}
	return fmt.Sprintf("%.0f KiB", b/(1<<10))
}
