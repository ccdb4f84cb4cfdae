package checks

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/axysdoctor/axysdoctor/docs"
)

func res(id string, st Status, row, summary string) Result {
	return Result{ID: id, Status: st, Row: row, Summary: summary, Fix: "own fix of " + id}
}

// TestStoryPlatformOutranksLocalFindings: once the gateway answered 200,
// local DNS and egress failures cannot be what blocks the API.
func TestStoryPlatformOutranksLocalFindings(t *testing.T) {
	results := []Result{
		res(IDCertValidity, Pass, "", "valid"),
		res(IDNetEgress, Fail, docs.RowNetworkPath, "every who-am-I query timed out"),
		res(IDDNSFCrDNS, Fail, docs.RowAuthorizedIPs, "FCrDNS fails: no PTR"),
		res(IDTLSHandshake, Pass, "", "accepted"),
		res(IDAPIProbe, Pass, "", "HTTP 200"),
	}
	st := tellStory(results, nil, time.Now())
	for _, id := range []string{IDNetEgress, IDDNSFCrDNS} {
		r, _ := st.get(id)
		if r.Status != Warn || !strings.HasPrefix(r.Summary, "the gateway accepted this call (HTTP 200)") || !st.changed[id] {
			t.Errorf("%s: %s %q", id, r.Status, r.Summary)
		}
	}
	if st.root != nil {
		t.Errorf("root cause %+v although the platform accepted the call", st.root)
	}
	// Without the platform's 200 the same findings stand.
	results[4] = res(IDAPIProbe, Fail, docs.RowAuthorizedIPs, "HTTP 403 No Authorised IPs configured")
	st = tellStory(results, nil, time.Now())
	if r, _ := st.get(IDDNSFCrDNS); r.Status != Fail {
		t.Errorf("FCrDNS turned %s without the platform's 200", r.Status)
	}
	if st.root == nil || st.root.ID != IDDNSFCrDNS {
		t.Errorf("root %+v, want dns.fcrdns (it explains the 403)", st.root)
	}
	if r, _ := st.get(IDAPIProbe); r.Status != Warn || !strings.Contains(r.Summary, "a consequence of dns.fcrdns") || strings.Contains(r.Fix, "own fix") {
		t.Errorf("probe: %s %q / %q", r.Status, r.Summary, r.Fix)
	}
}

// TestStoryRootCauseOrder: a local finding that explains the gateway's
// refusal is the root; a network failure is its own root; a refusal with
// no local explanation is the handshake's.
func TestStoryRootCauseOrder(t *testing.T) {
	cases := []struct {
		name    string
		results []Result
		root    string
		demoted []string
	}{
		{"expired certificate refused", []Result{
			res(IDCertValidity, Fail, docs.RowTLSHandshake, "expired"),
			res(IDTLSHandshake, Fail, docs.RowTLSHandshake, "alert 45"),
			res(IDAPIProbe, Skip, "", "skipped"),
		}, IDCertValidity, []string{IDTLSHandshake}},
		{"key mismatch refused", []Result{
			res(IDCertKeypair, Fail, docs.RowTLSHandshake, "the key does not match"),
			res(IDTLSHandshake, Fail, docs.RowTLSHandshake, "alert 42"),
		}, IDCertKeypair, []string{IDTLSHandshake}},
		{"network path, with a local finding beside it", []Result{
			res(IDCertSubject, Fail, docs.RowCertificateContent, "no OU"),
			res(IDTLSHandshake, Fail, docs.RowNetworkPath, "refused"),
		}, IDTLSHandshake, nil},
		{"refusal without a local explanation", []Result{
			res(IDCertValidity, Pass, "", "valid"),
			res(IDTLSHandshake, Fail, docs.RowTLSHandshake, "alert 48"),
		}, IDTLSHandshake, nil},
		{"not mTLS, and its 403", []Result{
			res(IDTLSHandshake, Fail, docs.RowTLSInterception, "never asked"),
			res(IDAPIProbe, Fail, docs.RowAuthorizedIPs, "HTTP 403"),
		}, IDTLSHandshake, []string{IDAPIProbe}},
		{"401", []Result{
			res(IDTLSHandshake, Pass, "", "ok"),
			res(IDAPIProbe, Fail, docs.RowAPIKey, "HTTP 401"),
		}, IDAPIProbe, nil},
		{"no gateway verdict: the first failure", []Result{
			res(IDKeyFile, Pass, "", ""),
			res(IDCertChain, Fail, docs.RowTLSHandshake, "a CSR, not a certificate"),
			res(IDTLSHandshake, Skip, "", "skipped"),
		}, IDCertChain, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			st := tellStory(c.results, nil, time.Now())
			if st.root == nil || st.root.ID != c.root {
				t.Fatalf("root %+v, want %s", st.root, c.root)
			}
			for _, id := range c.demoted {
				if r, _ := st.get(id); r.Status != Warn || !strings.Contains(r.Summary, "a consequence of "+c.root) || !strings.Contains(r.Fix, c.root) {
					t.Errorf("%s: %s %q / %q", id, r.Status, r.Summary, r.Fix)
				}
			}
			fails := 0
			for _, r := range st.results {
				if r.Status == Fail {
					fails++
				}
			}
			if want := 1 + map[bool]int{true: 1}[c.name == "network path, with a local finding beside it"]; fails != want {
				t.Errorf("%d failures remain, want %d", fails, want)
			}
		})
	}
}

// TestStoryClock: more than two minutes of skew warns; an expiry that the
// skew explains says so.
func TestStoryClock(t *testing.T) {
	now := time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)
	p := newGatewayPKI(t)
	obs := func(serverDate time.Time, leafNotAfter time.Time) *gatewayObservation {
		leaf := *p.client
		leaf.NotAfter = leafNotAfter
		leaf.NotBefore = leafNotAfter.Add(-90 * 24 * time.Hour)
		return &gatewayObservation{ServerDate: serverDate, ReceivedAt: now, Leaf: &leaf}
	}
	st := tellStory([]Result{res(IDCertValidity, Pass, "", "valid for 80 more days")}, obs(now.Add(-90*time.Second), now.Add(80*24*time.Hour)), now)
	if r, _ := st.get(IDCertValidity); r.Status != Pass || !strings.Contains(evidenceText(r), "1m30s ahead of") {
		t.Errorf("90 s of skew: %s %q %v", r.Status, r.Summary, r.Evidence)
	}
	st = tellStory([]Result{res(IDCertValidity, Pass, "", "valid for 80 more days")}, obs(now.Add(-10*time.Minute), now.Add(80*24*time.Hour)), now)
	if r, _ := st.get(IDCertValidity); r.Status != Warn || r.Row != docs.RowClockSkew || !strings.Contains(r.Summary, "10m0s ahead of the gateway's") {
		t.Errorf("10 min of skew: %s [%s] %q", r.Status, r.Row, r.Summary)
	}
	// Expired by our clock 5 minutes ago; by the gateway's, 10 minutes
	// behind, still valid.
	st = tellStory([]Result{res(IDCertValidity, Fail, docs.RowTLSHandshake, "the certificate expired")}, obs(now.Add(-10*time.Minute), now.Add(-5*time.Minute)), now)
	if r, _ := st.get(IDCertValidity); r.Status != Fail || !strings.Contains(r.Summary, "by whose clock the certificate is valid") || !strings.HasPrefix(r.Fix, "Fix this machine's clock first") {
		t.Errorf("expiry explained by skew: %s %q / %q", r.Status, r.Summary, r.Fix)
	}
}

func evidenceText(r *Result) string {
	var b strings.Builder
	for _, e := range r.Evidence {
		b.WriteString(e.Label + ": " + e.Value + "\n")
	}
	return b.String()
}

// TestPlanIsAValidGraph: every needs/after names a check, no cycle.
func TestPlanIsAValidGraph(t *testing.T) {
	if err := validatePlan(plan()); err != nil {
		t.Fatal(err)
	}
	noop := func(context.Context, *session) Result { return Result{Status: Pass} }
	for name, steps := range map[string][]step{
		"unknown":   {{id: "a", needs: []string{"b"}, run: noop}},
		"cycle":     {{id: "a", after: []string{"b"}, run: noop}, {id: "b", needs: []string{"a"}, run: noop}},
		"self":      {{id: "a", needs: []string{"a"}, run: noop}},
		"duplicate": {{id: "a", run: noop}, {id: "a", run: noop}},
	} {
		if err := validatePlan(steps); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

// TestRunnerSurvivesAPanickingCheck: the check becomes an internal-error
// failure with the panic as evidence; the others still run.
func TestRunnerSurvivesAPanickingCheck(t *testing.T) {
	s := &session{results: map[string]Result{}}
	steps := []step{
		{id: "boom", title: "Boom", run: func(context.Context, *session) Result { var m map[string]int; m["x"]++; return Result{} }},
		{id: "fine", title: "Fine", needs: []string{}, run: func(context.Context, *session) Result { return Result{Status: Pass, Summary: "ok"} }},
	}
	out := runGraph(context.Background(), steps, s, nil)
	if out[0].Status != Fail || out[0].Row != docs.RowInternalError || !strings.Contains(out[0].Summary, "internal error") ||
		!strings.Contains(evidenceText(&out[0]), "assignment to entry in nil map") || !strings.Contains(evidenceText(&out[0]), "story_test.go") {
		t.Errorf("panicking check: %+v", out[0])
	}
	if out[1].Status != Pass {
		t.Errorf("the other check: %+v", out[1])
	}
}

// TestRunDeadlineCutsOffAndSaysSo: a check still waiting when the run's
// deadline passes says it was cut off, not that an answer was missing;
// a check that had not started is not run.
func TestRunDeadlineCutsOffAndSaysSo(t *testing.T) {
	s := &session{parent: context.Background(), opts: Options{Timeout: 20 * time.Millisecond}, results: map[string]Result{}}
	ctx, cancel := context.WithTimeout(context.Background(), s.opts.runBudget())
	defer cancel()
	steps := []step{
		{id: "slow", run: func(ctx context.Context, _ *session) Result {
			<-ctx.Done()
			return Result{Status: Fail, Summary: "NXDOMAIN (the name does not exist)"}
		}},
		{id: "later", after: []string{"slow"}, run: func(context.Context, *session) Result { return Result{Status: Pass} }},
	}
	start := time.Now()
	out := runGraph(ctx, steps, s, nil)
	if took := time.Since(start); took > time.Second {
		t.Errorf("took %s", took)
	}
	if out[0].Status != Fail || !strings.HasPrefix(out[0].Summary, "cut off: the run's deadline (60ms, 3 × --timeout) passed") || out[0].Row != docs.RowNetworkPath {
		t.Errorf("slow: %s [%s] %q", out[0].Status, out[0].Row, out[0].Summary)
	}
	if out[1].Status != Skip || !strings.Contains(out[1].Summary, "deadline") {
		t.Errorf("later: %s %q", out[1].Status, out[1].Summary)
	}
	// A cancelled run is the user's doing: skipped, not failed.
	s = &session{parent: ctx, opts: Options{Timeout: time.Second}, results: map[string]Result{}}
	cctx, ccancel := context.WithCancel(context.Background())
	s.parent = cctx
	ccancel()
	out = runGraph(cctx, steps[:1], s, nil)
	if out[0].Status != Skip || !strings.Contains(out[0].Summary, "cancelled") {
		t.Errorf("cancelled: %s %q", out[0].Status, out[0].Summary)
	}
}

// TestStoryExpiredYetAccepted: a certificate out of date by both clocks
// that the server accepted is not blamed on the clock: the server is not
// enforcing the dates. Only when the gateway's clock says it is valid is
// this machine's clock the likely cause.
func TestStoryExpiredYetAccepted(t *testing.T) {
	now := time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)
	p := newGatewayPKI(t)
	leaf := *p.client
	leaf.NotAfter = now.Add(-5 * 24 * time.Hour)
	leaf.NotBefore = leaf.NotAfter.Add(-90 * 24 * time.Hour)
	results := func() []Result {
		return []Result{res(IDCertValidity, Fail, docs.RowTLSHandshake, "the certificate expired 5 days ago"), res(IDTLSHandshake, Pass, "", "ok"), res(IDAPIProbe, Pass, "", "HTTP 200")}
	}
	agree := &gatewayObservation{ServerDate: now, ReceivedAt: now, Leaf: &leaf}
	st := tellStory(results(), agree, now)
	r, _ := st.get(IDCertValidity)
	if r.Status != Fail || r.Row == docs.RowClockSkew || !strings.Contains(r.Summary, "does not check certificate dates") || strings.Contains(r.Fix, "clock") {
		t.Errorf("clocks agree: %s [%s] %q / %q", r.Status, r.Row, r.Summary, r.Fix)
	}
	behind := &gatewayObservation{ServerDate: now.Add(-6 * 24 * time.Hour), ReceivedAt: now, Leaf: &leaf}
	st = tellStory(results(), behind, now)
	if r, _ := st.get(IDCertValidity); r.Status != Warn || r.Row != docs.RowClockSkew {
		t.Errorf("the gateway's clock six days behind: %s [%s] %q", r.Status, r.Row, r.Summary)
	}
}
