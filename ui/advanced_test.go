package ui

import (
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/axysdoctor/axysdoctor/checks"
)

// typeField clears the focused field and types v.
func typeField(m *Model, v string) {
	l := stepOf[advancedStep](m, stepAdvanced).list
	for range len([]rune(l.fields[l.focused].input.Value())) {
		press(m, "backspace")
	}
	press(m, v)
}

// flat is s with every run of spaces and line breaks made one space, so
// that wrapped text can be searched.
func flat(s string) string { return strings.Join(strings.Fields(s), " ") }

// focusAdvanced moves the focus to field i, as tab does.
func focusAdvanced(m *Model, i int) {
	for stepOf[advancedStep](m, stepAdvanced).list.focused != i {
		press(m, "tab")
	}
}

func TestAdvancedSetsWhatTheFixesName(t *testing.T) {
	m := newTestModel(t, testBackend(t.TempDir()))
	press(m, "enter", "a")
	if m.current != stepAdvanced {
		t.Fatalf("step %v", m.current)
	}
	for _, v := range []string{"https://gw.example/v2", "/etc/corp-ca.pem", "10.0.0.53", "192.0.2.1:5353, 192.0.2.2", "https://whoami.corp.example/", "198.51.100.9", "direct", "12s"} {
		typeField(m, v)
		press(m, "enter")
	}
	if m.current != stepEnvironment {
		t.Fatalf("saving went to %v, err %q", m.current, stepOf[advancedStep](m, stepAdvanced).list.err)
	}
	if v := flat(m.View()); !strings.Contains(v, "resolver 10.0.0.53:53") || !strings.Contains(v, "proxy direct") {
		t.Errorf("the environment step does not say what is set:\n%s", v)
	}
	press(m, "enter") // staging
	o := m.c.journey.options(m.c.backend.Base)
	want := checks.Options{
		CAFile: "/etc/corp-ca.pem", Resolver: "10.0.0.53:53", EgressServers: []string{"192.0.2.1:5353", "192.0.2.2:53"},
		EgressIPs: []netip.Addr{netip.MustParseAddr("198.51.100.9")}, Proxy: checks.ProxyDirect, Timeout: 12 * time.Second,
	}
	if o.CAFile != want.CAFile || o.Resolver != want.Resolver || strings.Join(o.EgressServers, " ") != strings.Join(want.EgressServers, " ") ||
		joinAddrs(o.EgressIPs) != joinAddrs(want.EgressIPs) || o.Proxy != want.Proxy || o.Timeout != want.Timeout ||
		strings.Join(o.EgressURLs, " ") != "https://whoami.corp.example/" {
		t.Errorf("options %+v", o)
	}
	if o.Environment.BaseURL != "https://gw.example/v2" || o.Environment.ProbeURL != "https://gw.example/v2/cardholders?limit=1" || o.Environment.Name != "staging" {
		t.Errorf("environment %+v", o.Environment)
	}
	// The form's calling IP comes from the settings too.
	if got := formOf(m).list.fields[fieldIPs].value(); got != "198.51.100.9" {
		t.Errorf("IPs %q", got)
	}
}

func TestAdvancedRefusesWhatCheckWouldRefuse(t *testing.T) {
	m := newTestModel(t, testBackend(t.TempDir()))
	press(m, "enter", "a")
	for _, c := range []struct {
		field int
		value string
		want  string
	}{
		{advBaseURL, "http://gw.example", "only https"},
		{advResolver, "::1::53", "HOST:PORT"},
		{advProxy, "socks5://p:1080", "socks5 proxies are not supported"},
		{advEgressURL, "http://whoami.example", "give an https URL"},
		{advTimeout, "-3s", "not a duration"},
	} {
		focusAdvanced(m, c.field)
		typeField(m, c.value)
		a := stepOf[advancedStep](m, stepAdvanced)
		if got := a.list.message(m.c.styles, 200); !strings.Contains(got, c.want) {
			t.Errorf("%q: %q", c.value, got)
		}
		press(m, "enter")
		if m.current != stepAdvanced {
			t.Fatalf("%q was accepted", c.value)
		}
		typeField(m, "")
	}
}

// From a result's detail: a opens Advanced, and saving runs the checks
// again with the new settings.
func TestAdvancedFromTheDetailRerunsTheChecks(t *testing.T) {
	m := newTestModel(t, testBackend(t.TempDir()))
	run := startChecks(m)
	rep := sampleReport()
	rep.Results[3].Fix = "Give a recursive resolver with --resolver HOST:PORT."
	send(m, asyncMsg{step: stepChecks, job: jobChecks, run: run, msg: checksDoneMsg{rep}})
	press(m, "enter")
	if m.current != stepDetail {
		t.Fatalf("step %v", m.current)
	}
	if v := m.View(); !strings.Contains(v, "In this wizard: a opens Advanced, where you set the resolver") {
		t.Errorf("the fix does not say how to follow it here:\n%s", v)
	}
	press(m, "a")
	focusAdvanced(m, advResolver)
	typeField(m, "10.0.0.53")
	run0 := m.c.tasks[taskKey{stepChecks, jobChecks}]
	focusAdvanced(m, advTimeout)
	_, cmd := m.Update(keyEnter()) // save
	m.Update(cmd())                // settingsMsg: back to the detail, which asks for a rerun
	_, cmd = m.Update(rerunMsg{})
	if m.current != stepChecks || !checksOf(m).running || m.c.tasks[taskKey{stepChecks, jobChecks}] == run0 {
		t.Fatalf("step %v running %v", m.current, checksOf(m).running)
	}
	if cmd == nil || m.c.journey.settings.Resolver != "10.0.0.53:53" {
		t.Errorf("no run started, or settings %+v", m.c.journey.settings)
	}
}

func TestWizardHintsNameWhatTheWizardCanSet(t *testing.T) {
	for fix, want := range map[string]string{
		"Give a recursive resolver with --resolver HOST:PORT.": "a opens Advanced, where you set the resolver",
		"Allow outbound DNS (UDP and TCP port 53) to the services listed, point --egress-server at a resolver that answers myip.opendns.com, or give it with --egress-ip.": "set the egress server and calling IP",
		"Run again with a longer --timeout; if it persists, …":                                                       "set the timeout",
		"Renew now: `axysdoctor csr --from-cert CERT --key-out new.key --csr-out new.csr` makes a CSR…":              "Renewal, on the welcome screen",
		"Put the Program's API key in AXYS_API_KEY (or --api-key-env NAME, or --api-key-file FILE|-) and run again.": "esc back to the API key step",
		"Give the certificate (--cert) so its DNS names can be compared with the PTR names.":                         "esc back to the certificate step",
	} {
		got := strings.Join(wizardHints(checks.Result{Fix: fix}), " | ")
		if !strings.Contains(got, want) {
			t.Errorf("%q:\n got %q\nwant %q", fix, got, want)
		}
	}
	// Flags inside a quoted command are that command's, not check's.
	if got := wizardHints(checks.Result{Fix: "Run `axysdoctor csr --cn HOST --dns HOST --ip IP`."}); len(got) != 1 || strings.Contains(got[0], "Advanced") {
		t.Errorf("%q", got)
	}
	// A wrong API key's fix names no flag; its row says where to change it.
	if got := wizardHints(checks.Result{Row: "api-key", Fix: "Check the key belongs to this environment."}); len(got) != 1 || !strings.Contains(got[0], "API key step") {
		t.Errorf("%q", got)
	}
}
