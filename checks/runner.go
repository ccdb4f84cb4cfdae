package checks

import (
	"context"
	"crypto/x509"
	"fmt"
	"net/netip"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/axysdoctor/axysdoctor/docs"
)

// step is one node of the check graph.
type step struct {
	id, title string
	// needs must pass (or warn) for the step to run; otherwise it is skipped.
	needs []string
	// after must merely finish first: the step reads their results.
	after []string
	run   func(ctx context.Context, s *session) Result
}

// EventType distinguishes progress events.
type EventType int

// Event types. A Revised event follows the graph when telling the run's
// story changed a finished result (a consequence of the root cause, or a
// local finding the platform's own verdict outranks); consumers keyed by
// check ID simply replace the result.
const (
	Started EventType = iota
	Finished
	Revised
)

// Event reports progress: a check started, or finished with its Result.
type Event struct {
	Type   EventType
	ID     string
	Title  string
	Result Result // set when Finished
}

// runGraph runs steps, each as soon as what it waits for is done, and
// returns results in the order of steps. onEvent, if set, is called from
// one goroutine at a time. A step that panics becomes its own failure; a
// step cut off by the run's deadline says so.
func runGraph(ctx context.Context, steps []step, s *session, onEvent func(Event)) []Result {
	var emitMu sync.Mutex
	emit := func(e Event) {
		if onEvent != nil {
			emitMu.Lock()
			defer emitMu.Unlock()
			onEvent(e)
		}
	}
	done := make(map[string]chan struct{}, len(steps))
	for _, st := range steps {
		done[st.id] = make(chan struct{})
	}
	results := make([]Result, len(steps))
	var wg sync.WaitGroup
	for i, st := range steps {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer close(done[st.id])
			for _, dep := range append(append([]string{}, st.needs...), st.after...) {
				<-done[dep]
			}
			var r Result
			if skip, ok := s.blocked(st.needs); ok {
				r = Result{Status: Skip, Summary: skip}
			} else if why := s.stoppedFor(ctx, st.id); why != "" {
				r = Result{Status: Skip, Summary: "not run: " + why}
			} else {
				emit(Event{Type: Started, ID: st.id, Title: st.title})
				start := s.now()
				r = runStep(ctx, st, s)
				if r.Duration == 0 {
					r.Duration = s.now().Sub(start)
				}
				if why := s.stoppedFor(ctx, st.id); why != "" && r.Status != Pass && r.Status != Skip {
					r = cutOff(r, why, s.cancelled(ctx))
				}
			}
			r.ID, r.Title = st.id, st.title
			if s.clean != nil {
				r = s.clean(r) // once, as it leaves the check: redacted, printable
			}
			s.record(r)
			results[i] = r
			emit(Event{Type: Finished, ID: st.id, Title: st.title, Result: r})
		}()
	}
	wg.Wait()
	return results
}

// runStep runs one check; a panic becomes the check's failure, with the
// panic's text and where it happened as evidence, so one broken check
// never takes the report with it.
func runStep(ctx context.Context, st step, s *session) (r Result) {
	defer func() {
		if p := recover(); p != nil {
			r = Result{Status: Fail, Row: docs.RowInternalError,
				Summary: "internal error: this check crashed (" + oneLine(fmt.Sprint(p), 120) + "); the other checks are unaffected",
				Fix:     "Report it to the axysdoctor maintainers with this output; the evidence holds where it crashed."}
			r.add("panic", "%v", p)
			r.add("where", "%s", panicSite())
		}
	}()
	return st.run(ctx, s)
}

// panicSite is the first frame of the stack outside the runtime and this
// file: where the panic happened.
func panicSite() string {
	pcs := make([]uintptr, 32)
	n := runtime.Callers(3, pcs)
	frames := runtime.CallersFrames(pcs[:n])
	for {
		f, more := frames.Next()
		if !strings.HasPrefix(f.Function, "runtime.") && !strings.HasSuffix(f.File, "/runner.go") {
			return fmt.Sprintf("%s (%s:%d)", f.Function, filepath.Base(f.File), f.Line)
		}
		if !more {
			return "unknown"
		}
	}
}

// cutOff replaces a result that ended badly because the run was stopped:
// what it saw is kept as evidence, but a missing answer is not reported as
// a finding about the world.
func cutOff(r Result, why string, cancelled bool) Result {
	out := Result{Status: Skip, Summary: "stopped: " + why, Evidence: r.Evidence, Duration: r.Duration}
	if !cancelled {
		out.Status = Fail
		out.Row = docs.RowNetworkPath
		out.Summary = "cut off: " + why + " before this check finished, so its answer is unknown (not missing)"
		out.Fix = "The peers answered too slowly for the whole run to finish: run again, with a longer --timeout if the network is slow."
		if r.Summary != "" {
			out.add("before the cut-off", "%s", r.Summary)
		}
		out.add("note", "a timeout shown above may be the run's deadline cutting that step short, not the peer using up --timeout")
	}
	return out
}

// blocked says why a step cannot run: a needed check failed or was skipped.
func (s *session) blocked(needs []string) (string, bool) {
	var bad []string
	for _, id := range needs {
		r := s.result(id)
		if r.Status == Fail || r.Status == Skip {
			bad = append(bad, fmt.Sprintf("%s (%s)", id, statusWord(r.Status)))
		}
	}
	if len(bad) == 0 {
		return "", false
	}
	return "skipped: needs " + strings.Join(bad, ", "), true
}

func statusWord(s Status) string {
	switch s {
	case Fail:
		return "failed"
	case Skip:
		return "skipped"
	case Warn:
		return "warned"
	}
	return "passed"
}

// stopped says why the run must not go on — the user cancelled it, or its
// deadline passed — or "" while it may.
func (s *session) stopped(ctx context.Context) string {
	switch {
	case ctx.Err() == nil:
		return ""
	case s.cancelled(ctx):
		return "the diagnosis was cancelled"
	}
	return fmt.Sprintf("the run's deadline (%s, 3 × --timeout) passed", ms(s.opts.runBudget()))
}

// stoppedFor is stopped for one step. A local check (instant, judging
// what LoadMaterial already read) still runs once the run's deadline has
// passed: cert.chain waits for the handshake only to read the CAs the
// gateway asked for, and a slow gateway must not take the certificate's
// own findings out of the report. A cancellation stops it like any other.
func (s *session) stoppedFor(ctx context.Context, id string) string {
	if slices.Contains(localIDs, id) && !s.cancelled(ctx) {
		return ""
	}
	return s.stopped(ctx)
}

// cancelled tells a cancelled run from one whose deadline passed.
func (s *session) cancelled(ctx context.Context) bool {
	return ctx.Err() != nil && (s.parent == nil || s.parent.Err() != nil)
}

// session is the state one diagnosis shares between its steps. Fields set
// by a step are read only by steps that wait for it, after its done channel
// closed, which orders the accesses.
type session struct {
	// parent is the caller's context, without the run's deadline: its
	// cancellation is the user's, the deadline is ours.
	parent context.Context
	opts   Options
	mat    *Material
	deps   Deps
	start  time.Time

	mu      sync.Mutex
	results map[string]Result

	egress []egressAnswer // net.egress → dns.fcrdns
	// viaProxy is set when the API traffic goes through a proxy; then
	// proxyEgress holds the proxy's egress addresses as learnt through it.
	viaProxy    *proxyTunnel
	proxyEgress []netip.Addr
	gateway     *gatewayObservation
	// dns is the run's bounded exchanger (newBudgetDNS over deps.DNS).
	dns DNSExchanger
	// clean, when set, redacts and makes printable each result as its
	// check finishes (Diagnose sets it).
	clean func(Result) Result
	// trust verifies the gateway's certificate (serverTrust).
	trustOnce sync.Once
	trust     *serverTrust
}

// serverTrust is the run's verifier of server certificates.
func (s *session) serverTrust() *serverTrust {
	s.trustOnce.Do(func() {
		if s.trust == nil {
			var given []*x509.Certificate
			if s.mat != nil {
				given = s.mat.ServerCAs
			}
			s.trust = newServerTrust(s.opts.CAFile, given)
		}
	})
	return s.trust
}

// resolverDNS is the exchanger every lookup of the run goes through.
func (s *session) resolverDNS() DNSExchanger {
	if s.dns != nil {
		return s.dns
	}
	return s.deps.dns()
}

// lookupAddrs looks name up through the run's bounded exchanger.
func (s *session) lookupAddrs(ctx context.Context, resolver, name string, v6 bool, timeout time.Duration) ([]netip.Addr, []query) {
	return lookupAddrs(ctx, s.resolverDNS(), resolver, name, v6, timeout)
}

func (s *session) now() time.Time { return s.deps.now() }

func (s *session) record(r Result) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.results[r.ID] = r
}

func (s *session) result(id string) Result {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.results[id]
}
