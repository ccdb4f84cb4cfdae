package report

import (
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/axysdoctor/axysdoctor/checks"
)

func run(statuses ...checks.Status) checks.Report {
	ids := []string{checks.IDDNSFCrDNS, checks.IDAPIProbe}
	var rep checks.Report
	for i, s := range statuses {
		rep.Results = append(rep.Results, checks.Result{ID: ids[i], Status: s, Summary: strings.Repeat(string(s)+" ", 40)})
	}
	return rep
}

func TestWatchReportsChangesAndWhen(t *testing.T) {
	var w Watch
	t0 := time.Date(2026, 11, 27, 9, 0, 0, 0, time.Local)
	first := w.Observe(run(checks.Pass, checks.Fail), t0)
	if len(first) != 2 || first[1].From != "" || first[1].To != checks.Fail {
		t.Fatalf("first run: %+v", first)
	}
	if again := w.Observe(run(checks.Pass, checks.Fail), t0.Add(time.Minute)); len(again) != 0 {
		t.Errorf("nothing changed, got %+v", again)
	}
	changes := w.Observe(run(checks.Pass, checks.Pass), t0.Add(2*time.Minute))
	if len(changes) != 1 || !strings.HasPrefix(changes[0].Line(), "09:02:00 api.probe fail → pass: pass pass") {
		t.Errorf("changes %+v", changes)
	}
	table := w.Table(NewStyles(&strings.Builder{}, false), "header", 60)
	lines := strings.Split(strings.TrimSuffix(table, "\n"), "\n")
	if len(lines) != 3 {
		t.Fatalf("table:\n%s", table)
	}
	for _, l := range lines {
		if ansi.StringWidth(l) > 60 {
			t.Errorf("line wider than 60: %q", l)
		}
	}
	if !strings.HasSuffix(lines[1], "since 09:00:00") || !strings.HasSuffix(lines[2], "since 09:02:00 (was fail)") {
		t.Errorf("since column:\n%s", table)
	}
}
