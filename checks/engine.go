package checks

import (
	"context"
)

// plan is the check graph. Local certificate checks are instant; the
// egress → FCrDNS chain and the gateway chain (DNS → TCP → TLS → HTTP) run
// concurrently, so a run takes about as long as the longest chain.
func plan() []step {
	return []step{
		{id: IDKeyFile, title: "Private key file", run: checkKeyFile},
		{id: IDCertChain, title: "Certificate and chain", run: checkCertChain},
		{id: IDCertKeypair, title: "Key matches certificate", after: []string{IDKeyFile, IDCertChain}, run: checkKeypairStep},
		{id: IDCertValidity, title: "Validity dates", needs: []string{IDCertChain}, run: checkValidity},
		{id: IDCertSubject, title: "Subject: tenant and programs", needs: []string{IDCertChain}, run: checkSubject},
		{id: IDCertSANs, title: "Subject alternative names", needs: []string{IDCertChain}, run: checkSANs},
		{id: IDNetEgress, title: "Egress IP addresses", after: []string{IDCertChain}, run: checkEgress},
		{id: IDDNSFCrDNS, title: "Forward-confirmed reverse DNS", needs: []string{IDNetEgress}, after: []string{IDCertChain}, run: checkFCrDNS},
		{id: IDTLSHandshake, title: "mTLS handshake with the gateway", needs: []string{IDCertKeypair}, run: checkHandshake},
		{id: IDAPIProbe, title: "API probe GET /cardholders", needs: []string{IDTLSHandshake}, after: []string{IDNetEgress, IDDNSFCrDNS}, run: checkProbe},
	}
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
// certificate or key given). Cancelling ctx stops network steps promptly.
func Diagnose(ctx context.Context, opts Options, mat *Material, deps Deps, onEvent func(Event)) Report {
	if mat == nil {
		mat = &Material{}
	}
	s := &session{opts: opts, mat: mat, deps: deps, results: map[string]Result{}}
	start := deps.now()
	rep := Report{StartedAt: start, Environment: opts.Environment, Inputs: inputsOf(opts)}
	rep.Results = runGraph(ctx, plan(), s, redacting(opts.APIKey, onEvent))
	for i := range rep.Results {
		rep.Results[i] = redactResult(rep.Results[i], opts.APIKey)
	}
	rep.Duration = deps.now().Sub(start)
	return rep
}

// redacting wraps onEvent so that finished results reach it redacted too.
func redacting(key APIKey, onEvent func(Event)) func(Event) {
	if onEvent == nil {
		return nil
	}
	return func(e Event) {
		e.Result = redactResult(e.Result, key)
		onEvent(e)
	}
}

// redactResult removes the API key from every text of a result and makes
// each text one line without control characters: whatever a check quoted
// from the network (a body, a header, a certificate name inside an error),
// the key never leaves the engine and no escape sequence reaches a terminal.
func redactResult(r Result, key APIKey) Result {
	clean := func(s string) string { return redactKey(controlFree(s), key) }
	r.Summary = clean(r.Summary)
	r.Fix = clean(r.Fix)
	ev := make([]Evidence, len(r.Evidence))
	for i, e := range r.Evidence {
		ev[i] = Evidence{Label: clean(e.Label), Value: clean(e.Value)}
	}
	r.Evidence = ev
	return r
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
