package fleet

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/axysdoctor/axysdoctor/checks"
)

// Target is one profile the exporter diagnoses.
type Target struct {
	Profile string
	// Environment and BaseURL label axysdoctor_profile_info.
	Environment, BaseURL string
	// Run diagnoses once and returns the report and the material it read
	// (for the certificate's notAfter), or an error when the diagnosis
	// could not run at all (an unreadable certificate, a missing API key
	// file). It is called again on every round, so rotated files are read.
	Run func(ctx context.Context) (checks.Report, *checks.Material, error)
}

// Options configure an Exporter.
type Options struct {
	Targets  []Target
	Interval time.Duration
	Version  string
	// Now is the clock (default time.Now).
	Now func() time.Time
	// Log, if set, receives one line per diagnosis, one call at a time.
	Log func(line string)
}

// Exporter diagnoses its targets every interval and serves the results.
type Exporter struct {
	o       Options
	reg     *prometheus.Registry
	m       metrics
	logMu   sync.Mutex
	mu      sync.Mutex
	started time.Time
	rounds  int
	last    time.Time // when the last round finished
}

// New registers the metrics of every target; nothing runs until Loop or
// RunOnce.
func New(o Options) *Exporter {
	if o.Now == nil {
		o.Now = time.Now
	}
	x := &Exporter{o: o, reg: prometheus.NewRegistry(), started: o.Now()}
	x.m = newMetrics(x.reg, o.Version)
	for _, t := range o.Targets {
		x.m.info.WithLabelValues(t.Profile, t.Environment, t.BaseURL).Set(1)
		// Counters exist from the start, so rate() and increase() see the
		// first error.
		x.m.runs.WithLabelValues(t.Profile)
		x.m.runErrors.WithLabelValues(t.Profile)
	}
	return x
}

// Loop runs a round, waits the interval with pause, and again, until ctx
// ends or pause fails.
func (x *Exporter) Loop(ctx context.Context, pause func(context.Context, time.Duration) error) {
	for ctx.Err() == nil {
		x.RunOnce(ctx)
		if pause(ctx, x.o.Interval) != nil {
			return
		}
	}
}

// RunOnce diagnoses every target at the same time and records the results.
func (x *Exporter) RunOnce(ctx context.Context) {
	var wg sync.WaitGroup
	for _, t := range x.o.Targets {
		wg.Go(func() { x.runTarget(ctx, t) })
	}
	wg.Wait()
	x.mu.Lock()
	x.rounds++
	x.last = x.o.Now()
	x.mu.Unlock()
}

func (x *Exporter) runTarget(ctx context.Context, t Target) {
	start := x.o.Now()
	rep, mat, err := t.Run(ctx)
	took := x.o.Now().Sub(start)
	if ctx.Err() != nil {
		return // stopping: a cancelled run says nothing about the target
	}
	p := t.Profile
	x.m.runs.WithLabelValues(p).Inc()
	x.m.lastRun.WithLabelValues(p).Set(float64(start.UnixMilli()) / 1000)
	x.m.lastDuration.WithLabelValues(p).Set(took.Seconds())
	if err != nil {
		x.m.runErrors.WithLabelValues(p).Inc()
		x.m.lastSuccess.WithLabelValues(p).Set(0)
		// Old results would be stale: drop them rather than let an alert
		// keep firing (or stay quiet) on them. The run-error alert covers it.
		for _, v := range []*prometheus.GaugeVec{x.m.checkStatus, x.m.notAfter, x.m.latency, x.m.httpStatus} {
			v.DeletePartialMatch(prometheus.Labels{"profile": p})
		}
		x.log("%s: run error: %v", p, err)
		return
	}
	x.m.lastSuccess.WithLabelValues(p).Set(1)
	for _, r := range rep.Results {
		for _, s := range statuses {
			v := 0.0
			if string(r.Status) == s {
				v = 1
			}
			x.m.checkStatus.WithLabelValues(p, r.ID, s).Set(v)
		}
	}
	setOrDelete(x.m.notAfter, p, mat != nil && mat.Leaf != nil, func() float64 { return float64(mat.Leaf.NotAfter.Unix()) })
	setOrDelete(x.m.latency, p, rep.Gateway.ProbeLatency > 0, rep.Gateway.ProbeLatency.Seconds)
	setOrDelete(x.m.httpStatus, p, rep.Gateway.HTTPStatus > 0, func() float64 { return float64(rep.Gateway.HTTPStatus) })
	x.log("%s: %s (%s)", p, rep.Summary(), took.Round(time.Millisecond))
}

// setOrDelete sets the profile's series when the value is known, and
// removes it otherwise: an absent series is honest, a zero would lie.
func setOrDelete(v *prometheus.GaugeVec, profile string, known bool, value func() float64) {
	if known {
		v.WithLabelValues(profile).Set(value())
	} else {
		v.DeleteLabelValues(profile)
	}
}

func (x *Exporter) log(format string, args ...any) {
	if x.o.Log == nil {
		return
	}
	x.logMu.Lock()
	defer x.logMu.Unlock()
	x.o.Log(fmt.Sprintf(format, args...))
}

// Handler serves /metrics (the Prometheus exposition) and /healthz.
func (x *Exporter) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", promhttp.HandlerFor(x.reg, promhttp.HandlerOpts{ErrorHandling: promhttp.ContinueOnError}))
	mux.HandleFunc("GET /healthz", x.healthz)
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, _ *http.Request) {
		fmt.Fprintln(w, "axysdoctor exporter: /metrics, /healthz")
	})
	return mux
}

// healthz answers 200 while rounds keep finishing: the last one (or the
// start) is no older than two intervals and a minute. A stuck exporter
// answers 503, so Kubernetes restarts it.
func (x *Exporter) healthz(w http.ResponseWriter, _ *http.Request) {
	x.mu.Lock()
	last, rounds := x.last, x.rounds
	x.mu.Unlock()
	since := last
	if rounds == 0 {
		since = x.started
	}
	limit := 2*x.o.Interval + time.Minute
	names := make([]string, len(x.o.Targets))
	for i, t := range x.o.Targets {
		names[i] = t.Profile
	}
	if age := x.o.Now().Sub(since); age > limit {
		http.Error(w, fmt.Sprintf("stale: no round of diagnoses finished in %s", age.Round(time.Second)), http.StatusServiceUnavailable)
		return
	}
	fmt.Fprintf(w, "ok: %d rounds finished; profiles %s\n", rounds, strings.Join(names, ", "))
}
