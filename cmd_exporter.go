package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/axysdoctor/axysdoctor/checks"
	"github.com/axysdoctor/axysdoctor/fleet"
)

type exporterFlags struct {
	listen   string
	interval time.Duration
	profiles []string
}

const exporterLong = `Diagnose profiles of the config file on an interval and serve the results
as Prometheus metrics on /metrics (and /healthz for liveness probes).

Every --interval (default 5m) each profile is diagnosed, all at the same
time; a scrape only reads the last results and never starts a diagnosis.
Metrics: each check's status, the certificate's notAfter, the probe's
latency and HTTP status, the time and duration of the last run, and run
errors (a diagnosis that could not run). docs/monitoring.md has alerting
rules for the 30/15/5-day reminders and failing checks, and Kubernetes
examples for a fleet of egress hosts.

Without --profile, every profile of the config file is diagnosed. Files and
API keys are read again on every run, so rotations are picked up. Stop with
Ctrl+C or SIGTERM (exit 0).`

func newExporterCmd(e env) *cobra.Command {
	var f exporterFlags
	cmd := &cobra.Command{
		Use:   "exporter",
		Short: "Prometheus metrics of periodic diagnoses (fleet monitoring)",
		Long:  exporterLong,
		Example: `  axysdoctor exporter --profile production
  axysdoctor exporter --listen 0.0.0.0:9387 --interval 10m --profile staging --profile production
  curl -s 127.0.0.1:9387/metrics | grep axysdoctor_check_status`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runExporter(cmd.Context(), e, f)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.listen, "listen", "127.0.0.1:9387", "address to serve /metrics and /healthz on (0.0.0.0:9387 for every interface)")
	fl.DurationVar(&f.interval, "interval", 5*time.Minute, "time between diagnoses")
	fl.StringArrayVar(&f.profiles, "profile", nil, "a profile to diagnose (repeatable; default: every profile)")
	cmd.RegisterFlagCompletionFunc("profile", completeProfiles(e))
	return cmd
}

func runExporter(ctx context.Context, e env, f exporterFlags) error {
	if f.interval < time.Second {
		return usageErr("--interval %s: give at least 1s, such as 5m", f.interval)
	}
	names := f.profiles
	if len(names) == 0 {
		file, err := loadConfig(e)
		if err != nil {
			return err
		}
		if names = file.Names(); len(names) == 0 {
			return usageErr("no profiles in %s: the exporter diagnoses profiles (see axysdoctor profiles --help)", file.Path)
		}
	}
	// Never ask for a password: nobody is there to answer.
	unattended := e
	unattended.stdinTTY = false
	var targets []fleet.Target
	for _, name := range names {
		// Read each profile once now, so a broken one stops the start
		// (exit 2) rather than failing silently every five minutes.
		_, opts, _, err := profileOptions(unattended, "profile", name, nil)
		if err != nil {
			return err
		}
		targets = append(targets, fleet.Target{
			Profile: name, Environment: opts.Environment.Name, BaseURL: opts.Environment.BaseURL,
			Run: func(ctx context.Context) (checks.Report, *checks.Material, error) {
				return diagnoseProfile(ctx, unattended, name)
			},
		})
	}
	ln, err := net.Listen("tcp", f.listen)
	if err != nil {
		return usageErr("--listen %s: %v", f.listen, err)
	}
	x := fleet.New(fleet.Options{
		Targets: targets, Interval: f.interval, Version: version(),
		Log: func(line string) {
			fmt.Fprintf(e.stderr, "axysdoctor: %s %s\n", time.Now().Format("15:04:05"), line)
		},
	})
	srv := &http.Server{Handler: x.Handler(), ReadHeaderTimeout: 10 * time.Second}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	fmt.Fprintf(e.stderr, "axysdoctor: exporter listening on http://%s/metrics · profiles %s · a diagnosis every %s\n", ln.Addr(), strings.Join(names, ", "), f.interval)
	x.Loop(ctx, e.pause)
	shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	srv.Shutdown(shutdown)
	if err := <-served; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return usageErr("serving metrics: %v", err)
	}
	return nil
}

// diagnoseProfile reads the profile and its files afresh and runs every
// check once.
func diagnoseProfile(ctx context.Context, e env, name string) (checks.Report, *checks.Material, error) {
	_, opts, pw, err := profileOptions(e, "profile", name, nil)
	if err != nil {
		return checks.Report{}, nil, err
	}
	mat, err := checks.LoadMaterial(opts, pw, time.Now())
	if err != nil {
		return checks.Report{}, nil, err
	}
	rep := checks.Diagnose(ctx, opts, mat, checks.Deps{}, nil)
	rep.Version = version()
	return rep, mat, nil
}
