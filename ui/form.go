package ui

import (
	"errors"
	"fmt"
	"net/netip"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/spinner"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/axysdoctor/axysdoctor/csr"
	"github.com/axysdoctor/axysdoctor/internal/termsafe"
)

const (
	fieldOrg = iota
	fieldUnits
	fieldCN
	fieldDNS
	fieldIPs
	fieldCountry
	fieldState
	fieldLocality
	fieldKeyOut
	fieldCSROut
	fieldCount
)

// formStep is the CSR form: inline validation blocks Next and says why;
// the calling IP is detected in the background and offered.
type formStep struct {
	c     *common
	list  fieldList
	notes []string // from renewal's pre-fill
	// renewing: the fields come from the certificate being renewed.
	renewing bool

	egress  egressMsg
	finding bool // the calling-IP lookup is running
	spinner spinner.Model

	// checking: a submit waits to know whether its files exist.
	checking bool
	pending  formResult
	// offering: asking whether to keep the key and CSR this session
	// already made at the same paths, or to choose new paths.
	offering bool
	offer    menu
}

// formResult is what the form hands to key generation.
type formResult struct {
	request  csr.Request
	prepared csr.Prepared
	keyPath  string
	csrPath  string
}

func newForm(c *common) formStep {
	m := formStep{c: c, spinner: c.spinner(), list: fieldList{labelWidth: 18}}
	l := &m.list
	l.add(c, "Organization (O)", "your Tenant's legal entity name", true, csr.ValidateOrganization, "e.g. Acme Financial Services Ltd")
	l.add(c, "Programs (OU)", "trading names, comma-separated", true, validateList(csr.ValidateUnit, "a Program name"), "e.g. Acme Cards, Acme Prepaid")
	l.add(c, "Common name (CN)", "primary domain you call from", true, validateHost, "e.g. api.acmecards.example")
	l.add(c, "More DNS names", "comma-separated; the CN is added", false, validateList(validateHost, ""), "e.g. staging.api.acmecards.example")
	l.add(c, "IP addresses", "every IP you call from", false, validateList(validateIP, ""), "e.g. 203.0.113.10")
	l.add(c, "Country (C)", "two letters, optional", false, csr.ValidateCountry, "e.g. GB")
	l.add(c, "State (ST)", "optional", false, func(s string) error { return csr.ValidatePlace("state (ST)", s) }, "")
	l.add(c, "Locality (L)", "optional", false, func(s string) error { return csr.ValidatePlace("locality (L)", s) }, "")
	l.add(c, "Key file", "written with mode 0600, never overwritten", true, validatePath, "")
	l.add(c, "CSR file", "send this one to Axys", true, validatePath, "")
	l.fields[fieldKeyOut].input.SetValue(filepath.Join(c.backend.Dir, "client.key"))
	l.fields[fieldCSROut].input.SetValue(filepath.Join(c.backend.Dir, "client.csr"))
	if c.backend.Demo {
		l.fields[fieldOrg].input.SetValue("Acme Financial Services Ltd")
		l.fields[fieldUnits].input.SetValue("Acme Cards")
		l.fields[fieldCN].input.SetValue("api.acmecards.example")
	}
	l.setWidth(c)
	return m
}

func (m formStep) title() string { return "Certificate request" }

func (m formStep) busy() bool { return m.checking }

func (m formStep) init() (step, tea.Cmd) {
	m.offering = false
	return m, m.list.focus()
}

func (m formStep) update(msg tea.Msg) (step, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.list.setWidth(m.c)
		return m, nil
	case envChosenMsg:
		m.renewing, m.notes = false, nil
		return m, m.findEgress()
	case renewFromMsg:
		m.prefill(msg.current)
		m.renewing = true
		return m, m.findEgress()
	case egressMsg:
		m.finding, m.egress = false, msg
		if len(msg.addrs) > 0 && m.list.fields[fieldIPs].value() == "" {
			m.list.fields[fieldIPs].input.SetValue(joinAddrs(msg.addrs))
		}
		return m, nil
	case spinner.TickMsg:
		return m, m.spin(msg)
	case pathsMsg:
		m.checking = false
		return m.afterPaths(msg)
	case tea.KeyMsg:
		if m.checking {
			return m, nil
		}
		if m.offering {
			return m.updateOffer(msg)
		}
		return m.updateKey(msg)
	}
	return m, m.list.typeInto(msg)
}

func (m formStep) updateKey(msg tea.KeyMsg) (step, tea.Cmd) {
	k := m.c.keys
	l := &m.list
	if cmd, done, ok := l.navigate(msg, k); ok {
		if done {
			return m.submit()
		}
		return m, cmd
	}
	switch {
	case key.Matches(msg, k.AddIP):
		m.addDetectedIPs()
		return m, nil
	}
	return m, l.typeInto(msg)
}

// findEgress starts the calling-IP lookup, which offers the address for
// the IP SANs.
func (m *formStep) findEgress() tea.Cmd {
	m.finding, m.egress = true, egressMsg{}
	t := m.c.tasks
	return tea.Batch(
		t.start(stepForm, jobEgress, detectEgressCmd(m.c.ctx, m.c.journey.settings.apply(m.c.backend.Base), m.c.backend.Deps)),
		t.start(stepForm, jobSpin, m.spinner.Tick),
	)
}

func (m *formStep) spin(msg spinner.TickMsg) tea.Cmd {
	if !m.finding && !m.checking {
		return nil
	}
	var cmd tea.Cmd
	m.spinner, cmd = m.spinner.Update(msg)
	return m.c.tasks.follow(stepForm, jobSpin, cmd)
}

// prefill copies a current certificate's subject and SANs (renewal).
func (m *formStep) prefill(l loaded) {
	req, notes := csr.FromCertificate(l.material.Leaf)
	// The values come from a file: an input shows them as they are, so
	// they are made printable first (a validator then refuses what was
	// escaped, and says why).
	set := func(i int, v string) { m.list.fields[i].input.SetValue(termsafe.Line(v)) }
	set(fieldOrg, req.Organization)
	set(fieldUnits, strings.Join(req.Units, ", "))
	set(fieldCN, req.CommonName)
	var dns []string
	for _, d := range req.DNSNames {
		if !strings.EqualFold(d, req.CommonName) {
			dns = append(dns, d)
		}
	}
	set(fieldDNS, strings.Join(dns, ", "))
	set(fieldIPs, strings.Join(req.IPs, ", "))
	set(fieldCountry, req.Country)
	set(fieldState, req.State)
	set(fieldLocality, req.Locality)
	m.notes = append([]string{"same O, OU, CN and SANs as the certificate being renewed, as the rotation guide requires"}, notes...)
}

func (m *formStep) addDetectedIPs() {
	ips := &m.list.fields[fieldIPs].input
	have := splitList(ips.Value())
	for _, a := range m.egress.addrs {
		if !slices.Contains(have, a.String()) {
			have = append(have, a.String())
		}
	}
	ips.SetValue(strings.Join(have, ", "))
}

// submit validates every field, then the request as a whole, then asks
// (in a command) whether the output files exist; the first problem keeps
// the form open, focused where it is.
func (m formStep) submit() (step, tea.Cmd) {
	l := &m.list
	if i, err := l.firstProblem(); err != nil {
		cmd := l.moveTo(i)
		l.fields[i].flagged = l.fields[i].value() == ""
		l.err = err.Error()
		return m, cmd
	}
	keyPath, csrPath := l.fields[fieldKeyOut].value(), l.fields[fieldCSROut].value()
	if filepath.Clean(keyPath) == filepath.Clean(csrPath) {
		cmd := l.moveTo(fieldCSROut)
		l.err = "the key file and the CSR file must differ"
		return m, cmd
	}
	req := m.request()
	p, err := req.Prepare()
	if err != nil {
		l.err = strings.TrimPrefix(err.Error(), csr.ErrInvalid.Error()+": ")
		return m, nil
	}
	l.err = ""
	p.Notes = append(slices.Clone(m.notes), p.Notes...)
	m.pending = formResult{request: req, prepared: p, keyPath: keyPath, csrPath: csrPath}
	m.checking = true
	return m, tea.Batch(
		m.c.tasks.start(stepForm, jobPaths, statPathsCmd(keyPath, csrPath)),
		m.c.tasks.start(stepForm, jobSpin, m.spinner.Tick),
	)
}

// afterPaths goes on when neither file exists. When both are the key and
// CSR this session made, it offers to keep them or choose new paths;
// otherwise it names the file in the way.
func (m formStep) afterPaths(p pathsMsg) (step, tea.Cmd) {
	r := m.pending
	if !p.keyExists && !p.csrExists {
		return m, handOff(requestMsg{req: r})
	}
	if made := m.c.journey.created; made != nil && samePath(made.keyPath, r.keyPath) && samePath(made.csrPath, r.csrPath) {
		keep := "the CSR already made has this form's subject and SANs"
		if !reflect.DeepEqual(made.request, r.request) {
			keep = "made before your last edits: they are not in it"
		}
		m.offering, m.offer = true, menu{items: []menuItem{
			{title: "Keep the key and CSR", detail: keep},
			{title: "Choose new paths", detail: termsafe.Line(fmt.Sprintf("%s and %s", filepath.Base(numbered(r.keyPath)), filepath.Base(numbered(r.csrPath))))},
		}}
		return m, nil
	}
	l := &m.list
	field := fieldKeyOut
	if !p.keyExists {
		field = fieldCSROut
	}
	cmd := l.moveTo(field)
	l.err = collision(r.keyPath, r.csrPath, p.keyExists, p.csrExists)
	return m, cmd
}

func (m formStep) updateOffer(msg tea.KeyMsg) (step, tea.Cmd) {
	if !key.Matches(msg, m.c.keys.Next) {
		m.offer = m.offer.update(msg, m.c.keys)
		return m, nil
	}
	m.offering = false
	choice := m.offer.cursor
	if choice == 0 {
		return m, handOff(requestMsg{req: m.pending, keep: m.c.journey.created})
	}
	l := &m.list
	l.fields[fieldKeyOut].input.SetValue(numbered(m.pending.keyPath))
	l.fields[fieldCSROut].input.SetValue(numbered(m.pending.csrPath))
	cmd := l.moveTo(fieldKeyOut)
	l.err = ""
	return m, cmd
}

// collision names the files that already exist.
func collision(keyPath, csrPath string, keyExists, csrExists bool) string {
	key, req := termsafe.Line(keyPath), termsafe.Line(csrPath)
	switch {
	case keyExists && csrExists:
		return fmt.Sprintf("the key file %s and the CSR file %s already exist: axysdoctor never overwrites a key; give other paths", key, req)
	case keyExists:
		return fmt.Sprintf("the key file %s already exists: axysdoctor never overwrites a key; give another path", key)
	}
	return fmt.Sprintf("the CSR file %s already exists: give another path, or move it away", req)
}

// numbered is path with a counter before its extension: client.key →
// client-2.key → client-3.key.
func numbered(path string) string {
	ext := filepath.Ext(path)
	stem := strings.TrimSuffix(path, ext)
	n := 2
	if i := strings.LastIndex(stem, "-"); i >= 0 {
		if k, err := strconv.Atoi(stem[i+1:]); err == nil && k >= 2 {
			stem, n = stem[:i], k+1
		}
	}
	return fmt.Sprintf("%s-%d%s", stem, n, ext)
}

func samePath(a, b string) bool { return filepath.Clean(a) == filepath.Clean(b) }

func (m formStep) request() csr.Request {
	v := func(i int) string { return m.list.fields[i].input.Value() }
	return csr.Request{
		Organization: v(fieldOrg), Units: splitList(v(fieldUnits)), CommonName: v(fieldCN),
		DNSNames: splitList(v(fieldDNS)), IPs: splitList(v(fieldIPs)),
		Country: v(fieldCountry), State: v(fieldState), Locality: v(fieldLocality),
	}
}

func (m formStep) view() string {
	s, w := m.c.styles, m.c.width
	var b strings.Builder
	b.WriteString(wrap("The certificate signing request Axys signs: O is your Tenant, each OU a Program, the CN and SANs every domain and IP you call from (no wildcards). An RSA-2048 key is made with it.", w) + "\n")
	if m.renewing {
		b.WriteString(s.Subtle.Render(wrap("Renewal: filled in from the certificate being renewed; keep the O, OU, CN and SANs as they are.", w)) + "\n")
	}
	b.WriteString("\n")
	b.WriteString(m.list.view(s))
	b.WriteString("\n")
	switch {
	case m.offering:
		b.WriteString(wrap("This session already made a key and CSR at these paths.", w) + "\n")
		b.WriteString(m.offer.view(s, w))
		return b.String()
	case m.checking:
		b.WriteString(m.spinner.View() + " Checking the output paths…\n")
	default:
		b.WriteString(m.list.message(s, w) + "\n")
	}
	b.WriteString(m.egressLine() + "\n")
	return b.String()
}

// egressLine reports the calling-IP lookup: running, its answer, or its
// whole failure.
func (m formStep) egressLine() string {
	s, w := m.c.styles, m.c.width
	switch {
	case m.finding:
		return m.spinner.View() + s.Subtle.Render(" Detecting your calling IP…")
	case len(m.egress.addrs) > 0:
		return s.Subtle.Render(wrap(fmt.Sprintf("Detected calling IP: %s (ctrl+o adds it)", joinAddrs(m.egress.addrs)), w))
	case m.egress.failure != "":
		return s.Warn.Render(wrap(termsafe.Line(m.egress.failure), w))
	}
	return ""
}

func (m formStep) keys() stepKeys {
	k := m.c.keys
	if m.offering {
		choose := withHelp(k.Next, "choose")
		return stepKeys{short: []key.Binding{k.Select, choose}, full: [][]key.Binding{{k.Up, k.Down, choose}}}
	}
	next := withHelp(k.Next, "next/create")
	return stepKeys{
		short:  []key.Binding{next, k.NextFld, k.PrevFld},
		full:   [][]key.Binding{{next, k.NextFld, k.PrevFld}, {k.AddIP}},
		typing: !m.checking,
	}
}

func validateHost(s string) error {
	_, err := csr.NormalizeDNSName(s)
	return err
}

func validateIP(s string) error {
	_, err := csr.NormalizeIP(s)
	return err
}

func validatePath(s string) error {
	if strings.TrimSpace(s) == "" {
		return errors.New("give a file path")
	}
	return nil
}

// validateList checks each comma-separated item; what, when set, makes
// at least one item required.
func validateList(each func(string) error, what string) func(string) error {
	return func(s string) error {
		items := splitList(s)
		if len(items) == 0 && what != "" {
			return fmt.Errorf("give at least one: %s", what)
		}
		for _, it := range items {
			if err := each(it); err != nil {
				return err
			}
		}
		return nil
	}
}

func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func joinAddrs(a []netip.Addr) string {
	s := make([]string, len(a))
	for i, x := range a {
		s[i] = x.String()
	}
	return strings.Join(s, ", ")
}
