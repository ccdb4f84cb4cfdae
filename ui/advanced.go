package ui

import (
	"fmt"
	"net/netip"
	"net/url"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/axysdoctor/axysdoctor/checks"
)

const (
	advBaseURL = iota
	advCAFile
	advResolver
	advEgressServer
	advEgressURL
	advEgressIP
	advProxy
	advTimeout
)

// advancedStep sets what `check` takes as flags and no other step asks
// for, so every fix the checks give can be followed inside the wizard.
// Saving returns to the step it was opened from.
type advancedStep struct {
	c    *common
	list fieldList
}

func newAdvanced(c *common) advancedStep {
	m := advancedStep{c: c, list: fieldList{labelWidth: 14}}
	l := &m.list
	l.add(c, "Base URL", "https only; empty means the environment's (--base-url)", false, validateBaseURL, "the environment's")
	l.add(c, "CA file", "extra roots for the gateway's server certificate, PEM (--ca-file)", false, func(string) error { return nil }, "none: the system's roots")
	l.add(c, "Resolver", "recursive resolver HOST:PORT for the FCrDNS lookups (--resolver)", false, validateHostPort, "from /etc/resolv.conf")
	l.add(c, "Egress server", "DNS servers HOST:PORT asked myip.opendns.com, comma-separated (--egress-server)", false, validateList(validateHostPort, ""), "the public who-am-I services")
	l.add(c, "Egress URL", "with a proxy: HTTPS who-am-I URLs asked through it, comma-separated (--egress-url)", false, validateList(validateEgressURL, ""), "the public HTTPS services")
	l.add(c, "Calling IP", "skip detection: the addresses you call from, comma-separated (--egress-ip)", false, validateList(validateAddr, ""), "detected")
	l.add(c, "Proxy", `HTTPS proxy http://HOST:PORT, or "direct" (--proxy)`, false, validateProxy, "HTTPS_PROXY / NO_PROXY as curl reads them")
	l.add(c, "Timeout", "per network step, such as 5s (--timeout)", false, validateTimeout, checks.DefaultTimeout.String())
	l.setWidth(c)
	return m
}

func (m advancedStep) title() string { return "Advanced settings" }

func (m advancedStep) busy() bool { return false }

func (m advancedStep) init() (step, tea.Cmd) { return m, m.list.focus() }

func (m advancedStep) update(msg tea.Msg) (step, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.list.setWidth(m.c)
		return m, nil
	case openAdvancedMsg:
		m.fill(m.c.journey.settings)
		return m, nil
	case tea.KeyMsg:
		l := &m.list
		if cmd, done, ok := l.navigate(msg, m.c.keys); ok {
			if !done {
				return m, cmd
			}
			if i, err := l.firstProblem(); err != nil {
				cmd := l.moveTo(i)
				l.err = err.Error()
				return m, cmd
			}
			return m, handOff(settingsMsg{m.settings()})
		}
	}
	return m, m.list.typeInto(msg)
}

// fill shows s in the inputs.
func (m *advancedStep) fill(s settings) {
	var ips []string
	for _, a := range s.EgressIPs {
		ips = append(ips, a.String())
	}
	timeout := ""
	if s.Timeout > 0 {
		timeout = s.Timeout.String()
	}
	for i, v := range []string{s.BaseURL, s.CAFile, s.Resolver, strings.Join(s.EgressServers, ", "), strings.Join(s.EgressURLs, ", "), strings.Join(ips, ", "), s.Proxy, timeout} {
		m.list.fields[i].input.SetValue(v)
		m.list.fields[i].flagged = false
	}
	m.list.focused, m.list.err = 0, ""
}

// settings reads the inputs, which are valid.
func (m advancedStep) settings() settings {
	v := func(i int) string { return m.list.fields[i].value() }
	s := settings{BaseURL: v(advBaseURL), CAFile: v(advCAFile)}
	s.Resolver, _ = checks.ParseHostPort(v(advResolver))
	for _, e := range splitList(v(advEgressServer)) {
		hp, _ := checks.ParseHostPort(e)
		s.EgressServers = append(s.EgressServers, hp)
	}
	for _, e := range splitList(v(advEgressURL)) {
		u, _ := url.Parse(e)
		s.EgressURLs = append(s.EgressURLs, u.String())
	}
	for _, e := range splitList(v(advEgressIP)) {
		a, _ := netip.ParseAddr(e)
		s.EgressIPs = append(s.EgressIPs, a)
	}
	s.Proxy, _ = checks.ParseProxy(v(advProxy))
	s.Timeout = checks.DefaultTimeout
	if d, err := time.ParseDuration(v(advTimeout)); err == nil {
		s.Timeout = d
	}
	return s
}

// describe lists the settings that differ from the defaults, or "".
func (s settings) describe() string {
	var parts []string
	add := func(name, v string) {
		if v != "" {
			parts = append(parts, name+" "+v)
		}
	}
	add("base URL", s.BaseURL)
	add("CA file", s.CAFile)
	add("resolver", s.Resolver)
	add("egress server", strings.Join(s.EgressServers, ", "))
	add("egress URL", strings.Join(s.EgressURLs, ", "))
	add("calling IP", joinAddrs(s.EgressIPs))
	add("proxy", s.Proxy)
	if s.Timeout > 0 && s.Timeout != checks.DefaultTimeout {
		add("timeout", s.Timeout.String())
	}
	return strings.Join(parts, "; ")
}

func (m advancedStep) view() string {
	s, w := m.c.styles, m.c.width
	var b strings.Builder
	b.WriteString(wrap("What `axysdoctor check` takes as flags, for networks that need them. Empty fields keep the defaults; saving reruns the checks if they have run.", w) + "\n\n")
	b.WriteString(m.list.view(s))
	b.WriteString("\n" + m.list.message(s, w) + "\n")
	return b.String()
}

func (m advancedStep) keys() stepKeys {
	k := m.c.keys
	next := withHelp(k.Next, "next/save")
	return stepKeys{short: []key.Binding{next, k.NextFld, k.PrevFld}, full: [][]key.Binding{{next, k.NextFld, k.PrevFld}}, typing: true}
}

func validateBaseURL(s string) error {
	_, err := withBaseURL(checks.Environment{Name: "staging"}, s)
	return err
}

func validateHostPort(s string) error {
	_, err := checks.ParseHostPort(s)
	return err
}

func validateAddr(s string) error {
	if _, err := netip.ParseAddr(strings.TrimSpace(s)); err != nil {
		return fmt.Errorf("%q is not an IP address", s)
	}
	return nil
}

func validateEgressURL(s string) error {
	u, err := url.Parse(strings.TrimSpace(s))
	if err != nil || u.Scheme != "https" || u.Host == "" {
		return fmt.Errorf("%q: give an https URL, such as https://checkip.amazonaws.com/", s)
	}
	return nil
}

func validateProxy(s string) error {
	_, err := checks.ParseProxy(s)
	return err
}

func validateTimeout(s string) error {
	if strings.TrimSpace(s) == "" {
		return nil
	}
	d, err := time.ParseDuration(strings.TrimSpace(s))
	if err != nil || d <= 0 {
		return fmt.Errorf("%q is not a duration such as 5s or 1m", s)
	}
	return nil
}
