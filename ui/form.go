package ui

import (
	"errors"
	"fmt"
	"net/netip"
	"path/filepath"
	"slices"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/axysdoctor/axysdoctor/csr"
)

// formField is one input of the CSR form with its validator, a plain
// func(string) error shared with the csr package.
type formField struct {
	label    string
	hint     string
	required bool
	validate func(string) error
	input    textinput.Model
}

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

// formModel is the CSR form: inline validation blocks Next and says why.
type formModel struct {
	c       *common
	fields  []formField
	focused int
	err     string // the message that blocked Next
	notes   []string
	egress  []netip.Addr
	egressN string // a note from detection
}

// formResult is what the form hands to key generation.
type formResult struct {
	prepared csr.Prepared
	keyPath  string
	csrPath  string
}

func newForm(c *common) formModel {
	m := formModel{c: c}
	add := func(label, hint string, required bool, v func(string) error, placeholder string) {
		in := newInput(c, 512)
		in.Placeholder = placeholder
		m.fields = append(m.fields, formField{label: label, hint: hint, required: required, validate: v, input: in})
	}
	add("Organization (O)", "your Tenant's legal entity name", true, csr.ValidateOrganization, "e.g. Acme Financial Services Ltd")
	add("Programs (OU)", "trading names, comma-separated", true, validateList(csr.ValidateUnit, "a Program name"), "e.g. Acme Cards, Acme Prepaid")
	add("Common name (CN)", "primary domain you call from", true, validateHost, "e.g. api.acmecards.example")
	add("More DNS names", "comma-separated; the CN is added", false, validateList(validateHost, ""), "e.g. staging.api.acmecards.example")
	add("IP addresses", "every IP you call from", false, validateList(validateIP, ""), "e.g. 203.0.113.10")
	add("Country (C)", "two letters, optional", false, csr.ValidateCountry, "e.g. GB")
	add("State (ST)", "optional", false, func(s string) error { return csr.ValidatePlace("state (ST)", s) }, "")
	add("Locality (L)", "optional", false, func(s string) error { return csr.ValidatePlace("locality (L)", s) }, "")
	add("Key file", "written with mode 0600", true, validatePath, "")
	add("CSR file", "send this one to Axys", true, validatePath, "")
	m.fields[fieldKeyOut].input.SetValue(filepath.Join(c.backend.Dir, "client.key"))
	m.fields[fieldCSROut].input.SetValue(filepath.Join(c.backend.Dir, "client.csr"))
	if c.backend.Demo {
		m.fields[fieldOrg].input.SetValue("Acme Financial Services Ltd")
		m.fields[fieldUnits].input.SetValue("Acme Cards")
		m.fields[fieldCN].input.SetValue("api.acmecards.example")
	}
	m.setSize()
	return m
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

// prefill copies a current certificate's subject and SANs (renewal).
func (m *formModel) prefill(l loadedMsg) {
	req, notes := csr.FromCertificate(l.material.Leaf)
	m.fields[fieldOrg].input.SetValue(req.Organization)
	m.fields[fieldUnits].input.SetValue(strings.Join(req.Units, ", "))
	m.fields[fieldCN].input.SetValue(req.CommonName)
	var dns []string
	for _, d := range req.DNSNames {
		if !strings.EqualFold(d, req.CommonName) {
			dns = append(dns, d)
		}
	}
	m.fields[fieldDNS].input.SetValue(strings.Join(dns, ", "))
	m.fields[fieldIPs].input.SetValue(strings.Join(req.IPs, ", "))
	m.fields[fieldCountry].input.SetValue(req.Country)
	m.fields[fieldState].input.SetValue(req.State)
	m.fields[fieldLocality].input.SetValue(req.Locality)
	m.notes = append([]string{"pre-filled from " + l.certPath + ": same O, OU, CN and SANs, as the rotation guide requires"}, notes...)
}

// start begins egress detection, which offers the calling IP.
func (m formModel) start() tea.Cmd {
	return detectEgressCmd(m.c)
}

func (m *formModel) setSize() {
	for i := range m.fields {
		m.fields[i].input.Width = m.c.inputWidth(labelWidth)
	}
}

const labelWidth = 18

func (m *formModel) focus() tea.Cmd {
	for i := range m.fields {
		m.fields[i].input.Blur()
	}
	return m.fields[m.focused].input.Focus()
}

func (m *formModel) moveTo(i int) tea.Cmd {
	m.fields[m.focused].input.Blur()
	m.focused = (i + len(m.fields)) % len(m.fields)
	return m.fields[m.focused].input.Focus()
}

func (m formModel) update(msg tea.Msg) (formModel, tea.Cmd) {
	switch msg := msg.(type) {
	case egressMsg:
		m.egress = msg.addrs
		m.egressN = msg.note
		if len(msg.addrs) > 0 && strings.TrimSpace(m.fields[fieldIPs].input.Value()) == "" {
			m.fields[fieldIPs].input.SetValue(joinAddrs(msg.addrs))
		}
		return m, nil
	case tea.KeyMsg:
		k := m.c.keys
		switch {
		case key.Matches(msg, k.Next):
			if err := m.fields[m.focused].check(); err != nil {
				m.err = err.Error()
				return m, nil
			}
			m.err = ""
			if m.focused < len(m.fields)-1 {
				return m, m.moveTo(m.focused + 1)
			}
			return m.submit()
		case msg.String() == "tab" || msg.String() == "down":
			m.err = ""
			return m, m.moveTo(m.focused + 1)
		case msg.String() == "shift+tab" || msg.String() == "up":
			m.err = ""
			return m, m.moveTo(m.focused - 1)
		case key.Matches(msg, k.AddIP):
			m.addDetectedIPs()
			return m, nil
		}
	}
	var cmd tea.Cmd
	m.fields[m.focused].input, cmd = m.fields[m.focused].input.Update(msg)
	return m, cmd
}

func (f formField) check() error {
	v := f.input.Value()
	if f.required && strings.TrimSpace(v) == "" {
		return fmt.Errorf("%s is required: %s", f.label, f.hint)
	}
	if strings.TrimSpace(v) == "" {
		return nil
	}
	return f.validate(v)
}

func (m *formModel) addDetectedIPs() {
	have := splitList(m.fields[fieldIPs].input.Value())
	for _, a := range m.egress {
		if !slices.Contains(have, a.String()) {
			have = append(have, a.String())
		}
	}
	m.fields[fieldIPs].input.SetValue(strings.Join(have, ", "))
}

// submit validates every field, then the request as a whole; the first
// problem keeps the form open, focused where it is.
func (m formModel) submit() (formModel, tea.Cmd) {
	for i, f := range m.fields {
		if err := f.check(); err != nil {
			m.err = err.Error()
			return m, m.moveTo(i)
		}
	}
	keyPath := strings.TrimSpace(m.fields[fieldKeyOut].input.Value())
	csrPath := strings.TrimSpace(m.fields[fieldCSROut].input.Value())
	if filepath.Clean(keyPath) == filepath.Clean(csrPath) {
		m.err = "the key file and the CSR file must differ"
		return m, m.moveTo(fieldCSROut)
	}
	p, err := m.request().Prepare()
	if err != nil {
		m.err = strings.TrimPrefix(err.Error(), csr.ErrInvalid.Error()+": ")
		return m, nil
	}
	m.err = ""
	p.Notes = append(append([]string{}, m.notes...), p.Notes...)
	return m, advance(stateForm, formResult{prepared: p, keyPath: keyPath, csrPath: csrPath})
}

func (m formModel) request() csr.Request {
	v := func(i int) string { return m.fields[i].input.Value() }
	return csr.Request{
		Organization: v(fieldOrg), Units: splitList(v(fieldUnits)), CommonName: v(fieldCN),
		DNSNames: splitList(v(fieldDNS)), IPs: splitList(v(fieldIPs)),
		Country: v(fieldCountry), State: v(fieldState), Locality: v(fieldLocality),
	}
}

func (m formModel) view() string {
	s := m.c.styles
	var b strings.Builder
	b.WriteString(wrap("The certificate signing request Axys signs: O is your Tenant, each OU a Program, the CN and SANs every domain and IP you call from (no wildcards). An RSA-2048 key is made with it.", m.c.width) + "\n\n")
	for i, f := range m.fields {
		label := f.label
		if f.required {
			label += " *"
		}
		marker := "  "
		if i == m.focused {
			marker = s.Selected.Render("› ")
			label = s.Selected.Render(fmt.Sprintf("%-*s", labelWidth, label))
		} else {
			label = s.Label.Render(fmt.Sprintf("%-*s", labelWidth, label))
		}
		mark := " "
		if strings.TrimSpace(f.input.Value()) != "" {
			if f.check() != nil {
				mark = s.Error.Render("✗")
			} else {
				mark = s.Pass.Render("✓")
			}
		}
		fmt.Fprintf(&b, "%s%s %s %s\n", marker, label, mark, f.input.View())
	}
	b.WriteString("\n")
	switch {
	case m.err != "":
		b.WriteString(s.Error.Render(wrap("✗ "+m.err, m.c.width)) + "\n")
	default:
		b.WriteString(s.Subtle.Render(wrap(m.fields[m.focused].label+": "+m.fields[m.focused].hint, m.c.width)) + "\n")
	}
	if len(m.egress) > 0 {
		fmt.Fprintf(&b, "%s\n", s.Subtle.Render(fmt.Sprintf("Detected calling IP: %s (ctrl+o adds it)", joinAddrs(m.egress))))
	} else if m.egressN != "" {
		fmt.Fprintf(&b, "%s\n", s.Subtle.Render(truncate(m.egressN, m.c.width)))
	}
	return b.String()
}

func (m formModel) keys() stepKeys {
	k := m.c.keys
	next := withHelp(k.Next, "next/create")
	return stepKeys{
		short: []key.Binding{next, k.NextFld, k.PrevFld},
		full:  [][]key.Binding{{next, k.NextFld, k.PrevFld}, {k.AddIP}},
	}
}

func joinAddrs(a []netip.Addr) string {
	s := make([]string, len(a))
	for i, x := range a {
		s[i] = x.String()
	}
	return strings.Join(s, ", ")
}
