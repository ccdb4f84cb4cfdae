package checks

import (
	"context"
	"fmt"
	"strings"

	"github.com/axysdoctor/axysdoctor/internal/termsafe"
)

// plan is the check graph. Local certificate checks are instant; the
// egress → FCrDNS chain and the gateway chain (DNS → TCP → TLS → HTTP) run
// concurrently, so a run takes about as long as the longest chain.
// cert.chain waits for the handshake only to read which CAs the gateway
// asked for (an incomplete chain shows there); the checks that need the
// certificate read it from the material, so they do not wait.
func plan() []step {
	return []step{
		{id: IDKeyFile, title: "Private key file", run: checkKeyFile},
		{id: IDCertChain, title: "Certificate and chain", after: []string{IDTLSHandshake}, run: checkCertChain},
		{id: IDCertKeypair, title: "Key matches certificate", run: checkKeypairStep},
		{id: IDCertValidity, title: "Validity dates", run: withLeaf(checkValidity)},
		{id: IDCertSubject, title: "Subject: tenant and programs", run: withLeaf(checkSubject)},
		{id: IDCertSANs, title: "Subject alternative names", run: withLeaf(checkSANs)},
		{id: IDNetEgress, title: "Egress IP addresses", run: checkEgress},
		{id: IDDNSFCrDNS, title: "Forward-confirmed reverse DNS", needs: []string{IDNetEgress}, run: checkFCrDNS},
		{id: IDTLSHandshake, title: "mTLS handshake with the gateway", needs: []string{IDCertKeypair}, run: checkHandshake},
		{id: IDAPIProbe, title: "API probe GET /cardholders", after: []string{IDTLSHandshake, IDNetEgress, IDDNSFCrDNS}, run: checkProbe},
	}
}

// withLeaf skips a certificate check, with the reason, when no certificate
// could be read.
func withLeaf(check func(context.Context, *session) Result) func(context.Context, *session) Result {
	return func(ctx context.Context, s *session) Result {
		if s.mat == nil || s.mat.Leaf == nil {
			return Result{Status: Skip, Summary: "skipped: needs a certificate (see cert.chain)"}
		}
		return check(ctx, s)
	}
}

// validatePlan checks the graph: unique IDs, every needs/after names a
// real check, and no cycle (which would deadlock the runner).
func validatePlan(steps []step) error {
	index := map[string]int{}
	for i, st := range steps {
		if _, dup := index[st.id]; dup {
			return fmt.Errorf("check %s is in the plan twice", st.id)
		}
		index[st.id] = i
	}
	for _, st := range steps {
		for _, dep := range append(append([]string{}, st.needs...), st.after...) {
			if _, ok := index[dep]; !ok {
				return fmt.Errorf("check %s waits for %q, which is not a check", st.id, dep)
			}
		}
	}
	const (
		unvisited = iota
		visiting
		done
	)
	state := make([]int, len(steps))
	var visit func(i int, path []string) error
	visit = func(i int, path []string) error {
		switch state[i] {
		case visiting:
			return fmt.Errorf("the checks wait for each other in a cycle: %s", strings.Join(append(path, steps[i].id), " → "))
		case done:
			return nil
		}
		state[i] = visiting
		for _, dep := range append(append([]string{}, steps[i].needs...), steps[i].after...) {
			if err := visit(index[dep], append(path, steps[i].id)); err != nil {
				return err
			}
		}
		state[i] = done
		return nil
	}
	for i := range steps {
		if err := visit(i, nil); err != nil {
			return err
		}
	}
	return nil
}

// Titles maps every check ID to its title, in run order, for renderers
// that show the list before results arrive.
func Titles() [][2]string {
	var out [][2]string
	for _, st := range plan() {
		out = append(out, [2]string{st.id, st.title})
	}
	return out
}

// checkKeypairStep runs cert.keypair when both a key and a certificate were
// read, whatever else key.file found (a tracked key still works).
func checkKeypairStep(ctx context.Context, s *session) Result {
	switch {
	case s.mat == nil || s.mat.Leaf == nil:
		return Result{Status: Skip, Summary: "skipped: needs a certificate (see cert.chain)"}
	case s.mat.Key == nil:
		return Result{Status: Skip, Summary: "skipped: needs a private key (see key.file)"}
	}
	return checkKeypair(ctx, s)
}

// Diagnose runs every check and returns the report. onEvent, if not nil,
// receives progress events, one call at a time. mat may be nil (no
// certificate or key given). Cancelling ctx stops network steps promptly;
// whatever the peers do, the run ends within Options.runBudget (3 ×
// Timeout), and a check cut off by that deadline says so.
func Diagnose(ctx context.Context, opts Options, mat *Material, deps Deps, onEvent func(Event)) Report {
	if mat == nil {
		mat = &Material{}
	}
	runCtx, cancel := context.WithTimeout(ctx, opts.runBudget())
	defer cancel()
	s := &session{parent: ctx, opts: opts, mat: mat, deps: deps, results: map[string]Result{}, dns: newBudgetDNS(deps.dns())}
	s.serverTrust().prewarm()
	red := newRedactor(opts.APIKey, ProxySecrets(opts, deps.getenv)...)
	s.clean = func(r Result) Result { return redactResult(r, red) }
	start := deps.now()
	rep := Report{StartedAt: start, Environment: opts.Environment, Inputs: inputsOf(opts)}
	rep.Results = runGraph(runCtx, plan(), s, onEvent)
	st := tellStory(rep.Results, s.gateway, s.now())
	rep.Results = st.results
	for i, r := range rep.Results {
		if !st.changed[r.ID] {
			continue // cleaned when its check finished
		}
		rep.Results[i] = redactResult(r, red)
		if onEvent != nil {
			onEvent(Event{Type: Revised, ID: r.ID, Title: r.Title, Result: rep.Results[i]})
		}
	}
	if st.root != nil {
		root := *st.root
		if r, ok := rep.Result(root.ID); ok {
			root.Reason = r.Summary // the redacted, printable form
		}
		rep.RootCause = &root
	}
	rep.Gateway = gatewayFacts(s.gateway, red)
	rep.Duration = deps.now().Sub(start)
	return rep
}

// gatewayFacts collects what the gateway said beyond the verdicts.
func gatewayFacts(obs *gatewayObservation, red redactor) GatewayFacts {
	var f GatewayFacts
	if obs == nil {
		return f
	}
	if obs.Proxy != nil {
		f.Proxy = obs.Proxy.URL
	}
	if obs.Response != nil {
		f.HTTPStatus = obs.Response.StatusCode
		f.ProbeLatency = obs.TTFB
		for _, id := range requestIDs(obs.Response.Header, red) {
			f.RequestIDs = append(f.RequestIDs, cleanText(id, red))
		}
	}
	if !obs.ServerDate.IsZero() {
		f.ServerDate = obs.ServerDate
		f.ClockSkew = obs.skew()
	}
	return f
}

// redactResult removes every secret from every text of a result and makes
// each text one printable line: whatever a check quoted from the network
// (a body, a header, a certificate name inside an error), no secret leaves
// the engine and no escape sequence reaches a terminal.
func redactResult(r Result, red redactor) Result {
	r.Summary = cleanText(r.Summary, red)
	r.Fix = cleanText(r.Fix, red)
	ev := make([]Evidence, len(r.Evidence))
	for i, e := range r.Evidence {
		ev[i] = Evidence{Label: cleanText(e.Label, red), Value: cleanText(e.Value, red)}
	}
	r.Evidence = ev
	return r
}

// cleanText redacts first — on the raw text, before anything is escaped —
// then makes the text printable.
func cleanText(s string, red redactor) string {
	return termsafe.Line(red.apply(s))
}

func inputsOf(o Options) Inputs {
	in := Inputs{
		Cert: o.CertPath, Key: o.KeyPath, P12: o.P12Path, APIKey: o.APIKey.Redacted(),
		CAFile: o.CAFile, Resolver: o.Resolver,
	}
	for i, s := range o.EgressServers {
		if i > 0 {
			in.EgressServer += ", "
		}
		in.EgressServer += s
	}
	in.EgressIPs = joinAddrs(o.EgressIPs)
	return in
}
