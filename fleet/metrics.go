package fleet

import (
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
)

// statuses are the values of the status label, one series each, so that
// an alert can say `axysdoctor_check_status{status="fail"} == 1`.
var statuses = []string{"pass", "warn", "fail", "skip"}

// metrics are the exporter's series. Names follow Prometheus's
// conventions: base units (seconds), _timestamp_seconds for points in
// time, _total for counters.
type metrics struct {
	info         *prometheus.GaugeVec
	checkStatus  *prometheus.GaugeVec
	notAfter     *prometheus.GaugeVec
	latency      *prometheus.GaugeVec
	httpStatus   *prometheus.GaugeVec
	lastRun      *prometheus.GaugeVec
	lastDuration *prometheus.GaugeVec
	lastSuccess  *prometheus.GaugeVec
	runs         *prometheus.CounterVec
	runErrors    *prometheus.CounterVec
}

func newMetrics(reg *prometheus.Registry, version string) metrics {
	gauge := func(name, help string, labels ...string) *prometheus.GaugeVec {
		g := prometheus.NewGaugeVec(prometheus.GaugeOpts{Namespace: "axysdoctor", Name: name, Help: help}, labels)
		reg.MustRegister(g)
		return g
	}
	counter := func(name, help string) *prometheus.CounterVec {
		c := prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: "axysdoctor", Name: name, Help: help}, []string{"profile"})
		reg.MustRegister(c)
		return c
	}
	m := metrics{
		info:         gauge("profile_info", "Always 1: the environment and base URL each profile diagnoses.", "profile", "environment", "base_url"),
		checkStatus:  gauge("check_status", "1 for the status the check had in the profile's last run (pass, warn, fail, skip), 0 for the other statuses.", "profile", "check", "status"),
		notAfter:     gauge("certificate_not_after_timestamp_seconds", "When the profile's client certificate expires (its notAfter), as a Unix time.", "profile"),
		latency:      gauge("probe_latency_seconds", "Time from sending the API probe to the first byte of its answer, in the last run.", "profile"),
		httpStatus:   gauge("probe_http_status", "HTTP status code of the API probe's answer in the last run.", "profile"),
		lastRun:      gauge("last_run_timestamp_seconds", "When the profile's last diagnosis started, as a Unix time.", "profile"),
		lastDuration: gauge("last_run_duration_seconds", "How long the profile's last diagnosis took.", "profile"),
		lastSuccess:  gauge("last_run_success", "1 when the profile's last diagnosis ran (whatever it found), 0 when it could not (run error).", "profile"),
		runs:         counter("runs_total", "Diagnoses started for the profile."),
		runErrors:    counter("run_errors_total", "Diagnoses that could not run for the profile (unreadable certificate or key, missing API key file)."),
	}
	build := gauge("build_info", "Always 1: the axysdoctor version exporting.", "version")
	build.WithLabelValues(version).Set(1)
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}
