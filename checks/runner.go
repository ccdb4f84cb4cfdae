package checks

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"
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

// Event types.
const (
	Started EventType = iota
	Finished
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
// one goroutine at a time.
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
			} else if ctx.Err() != nil {
				r = Result{Status: Skip, Summary: "not run: the diagnosis was cancelled"}
			} else {
				emit(Event{Type: Started, ID: st.id, Title: st.title})
				start := s.now()
				r = st.run(ctx, s)
				if r.Duration == 0 {
					r.Duration = s.now().Sub(start)
				}
				if ctx.Err() != nil && r.Status == Fail {
					r = Result{Status: Skip, Summary: "stopped: the diagnosis was cancelled", Evidence: r.Evidence, Duration: r.Duration}
				}
			}
			r.ID, r.Title = st.id, st.title
			s.record(r)
			results[i] = r
			emit(Event{Type: Finished, ID: st.id, Title: st.title, Result: r})
		}()
	}
	wg.Wait()
	return results
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

// session is the state one diagnosis shares between its steps. Fields set
// by a step are read only by steps that wait for it, after its done channel
// closed, which orders the accesses.
type session struct {
	opts  Options
	mat   *Material
	deps  Deps
	start time.Time

	mu      sync.Mutex
	results map[string]Result

	egress  []egressAnswer // net.egress → dns.fcrdns
	gateway *gatewayObservation
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
