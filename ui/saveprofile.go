package ui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/axysdoctor/axysdoctor/config"
	"github.com/axysdoctor/axysdoctor/internal/termsafe"
)

const (
	pfName = iota
	pfKeyEnv
	pfKeyFile
)

// profileSaveStep saves what the last run used as a profile of the config
// file, for check --profile, compare and exporter. The API key never goes
// there: the profile names the variable or the file check reads it from.
// A profile of the same name with other values is replaced only when the
// user says so.
type profileSaveStep struct {
	c     *common
	list  fieldList
	phase profilePhase
	// pending is the profile being saved, or asked about.
	pending config.Profile
	// clash lists how the file's profile of the same name differs from
	// pending.
	clash []change
	saved string // the config file written
}

type profilePhase int

const (
	profileEditing profilePhase = iota
	profileSaving
	profileAsking // replace the profile of the same name?
	profileSaved
)

func newProfileSave(c *common) profileSaveStep {
	m := profileSaveStep{c: c, list: fieldList{labelWidth: 14}}
	l := &m.list
	l.add(c, "Profile name", "letters, digits, - and _: axysdoctor check --profile NAME", true, validateProfileName, "staging")
	l.add(c, "Key variable", "the environment variable check reads the API key from (api-key-env)", false, c.validateKeyEnv, "none")
	l.add(c, "Key file", "or a file only you can read that holds the API key (api-key-file)", false, c.validateKeyFile, "none")
	l.setWidth(c)
	return m
}

func (m profileSaveStep) title() string { return "Save as profile" }

func (m profileSaveStep) busy() bool { return m.phase == profileSaving }

func (m profileSaveStep) init() (step, tea.Cmd) {
	if m.phase != profileEditing {
		return m, nil
	}
	return m, m.list.focus()
}

// fill offers a name (the starting profile's, else the environment's) and
// where the key came from: the starting profile's variable or file (a key
// typed over it is to be put there), else $AXYS_API_KEY.
func (m *profileSaveStep) fill() {
	j := m.c.journey
	name := j.environment().Name
	if j.profile != nil {
		name = j.profile.profile.Name
	}
	if !config.ValidName(name) {
		name = ""
	}
	src := j.keyOffer.source
	if src.env == "" && src.file == "" {
		src = keySource{env: config.DefaultAPIKeyEnv}
	}
	for i, v := range []string{name, src.env, src.file} {
		m.list.fields[i].input.SetValue(v)
		m.list.fields[i].input.CursorEnd()
		m.list.fields[i].flagged, m.list.fields[i].touched = false, false
	}
	m.list.focused, m.list.err = pfName, ""
	m.phase, m.clash, m.saved = profileEditing, nil, ""
}

// source is where the fields say the key is.
func (m profileSaveStep) source() keySource {
	return keySource{env: m.list.fields[pfKeyEnv].value(), file: m.list.fields[pfKeyFile].value()}
}

// profile is what the fields and the last run make.
func (m profileSaveStep) profile() config.Profile {
	return m.c.journey.profileToSave(m.list.fields[pfName].value(), m.c.backend.Base, m.c.config.WorkDir, m.source())
}

func (m profileSaveStep) update(msg tea.Msg) (step, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.list.setWidth(m.c)
		return m, nil
	case openProfileSaveMsg:
		m.fill()
		return m, nil
	case profileSaveMsg:
		switch {
		case msg.err != nil:
			m.phase, m.list.err = profileEditing, msg.err.Error()
			return m, m.list.focus()
		case len(msg.clash) > 0:
			m.phase, m.pending, m.clash = profileAsking, msg.profile, msg.clash
			m.list.fields[m.list.focused].input.Blur()
			return m, nil
		}
		m.phase, m.saved, m.pending = profileSaved, msg.path, msg.profile
		return m, handOff(profileSavedMsg{path: msg.path, profile: msg.profile})
	case tea.KeyMsg:
		switch m.phase {
		case profileEditing:
			return m.updateEditing(msg)
		case profileAsking:
			return m.updateAsking(msg)
		}
		return m, nil
	}
	if m.phase != profileEditing {
		return m, nil
	}
	return m, m.list.typeInto(msg)
}

func (m profileSaveStep) updateEditing(msg tea.KeyMsg) (step, tea.Cmd) {
	l := &m.list
	if cmd, done, ok := l.navigate(msg, m.c.keys); ok {
		if done {
			return m.submit()
		}
		return m, cmd
	}
	return m, l.typeInto(msg)
}

// submit checks the fields together and saves, asking first (on the
// command's answer) when the name is taken by other values.
func (m profileSaveStep) submit() (step, tea.Cmd) {
	l := &m.list
	if i, err := l.firstProblem(); err != nil {
		cmd := l.moveTo(i)
		l.err = err.Error()
		return m, cmd
	}
	src := m.source()
	switch {
	case src.env != "" && src.file != "":
		cmd := l.moveTo(pfKeyFile)
		l.err = "give the key's variable or its file, not both"
		return m, cmd
	case src.env == "" && src.file == "":
		cmd := l.moveTo(pfKeyEnv)
		l.err = "name where check reads the API key: a variable such as AXYS_API_KEY, or a file"
		return m, cmd
	}
	p, err := normalizeProfile(m.profile())
	if err != nil {
		l.err = err.Error()
		return m, nil
	}
	return m.save(p, false)
}

func (m profileSaveStep) save(p config.Profile, replace bool) (step, tea.Cmd) {
	m.phase, m.pending, m.list.err = profileSaving, p, ""
	m.list.fields[m.list.focused].input.Blur()
	return m, m.c.tasks.start(stepSaveProfile, jobSaveProfile, saveProfileCmd(m.c.writes, m.c.config.Path, p, replace))
}

func (m profileSaveStep) updateAsking(msg tea.KeyMsg) (step, tea.Cmd) {
	switch {
	case key.Matches(msg, m.c.keys.Yes):
		return m.save(m.pending, true)
	case key.Matches(msg, m.c.keys.No):
		m.phase, m.clash = profileEditing, nil
		m.list.focused = pfName
		m.list.err = "kept profile " + m.pending.Name + " as it is: choose another name"
		return m, m.list.focus()
	}
	return m, nil
}

func (m profileSaveStep) view() string {
	s, w := m.c.styles, m.c.width
	if m.phase == profileSaved {
		return m.savedView()
	}
	var b strings.Builder
	b.WriteString(wrap("Save this run's settings as a profile for check --profile, compare and exporter.", w) + "\n\n")
	b.WriteString(m.list.view(s))
	switch m.phase {
	case profileAsking:
		b.WriteString("\n" + m.clashView())
		return b.String()
	case profileSaving:
		b.WriteString(s.Subtle.Render("Saving…") + "\n")
	default:
		b.WriteString(m.list.message(s, w) + "\n")
	}
	b.WriteString("\n" + wrap(m.keyNote(), w) + "\n\n")
	b.WriteString(s.Subtle.Render(truncate("To "+termsafe.Line(m.c.config.Path)+":", w)) + "\n")
	for _, f := range m.profile().Flags() {
		b.WriteString(indent(field(s.Label, f.Name, termsafe.Line(f.Value), 16, w-2), "  "))
	}
	return b.String()
}

// clashView asks whether to replace the profile of the same name, and
// shows what would change.
func (m profileSaveStep) clashView() string {
	s, w := m.c.styles, m.c.width
	var b strings.Builder
	b.WriteString(s.Warn.Render(wrap(fmt.Sprintf("Profile %s is already in %s, with other values. Replace them?", m.pending.Name, termsafe.Line(m.c.config.Path)), w)) + "\n")
	b.WriteString(s.Selected.Render("y replaces it · n keeps it (then choose another name)") + "\n\n")
	orNone := func(v string) string {
		if v == "" {
			return "(not set)"
		}
		return termsafe.Line(v)
	}
	for _, c := range m.clash {
		b.WriteString(indent(field(s.Label, c.key, "was "+orNone(c.was), 16, w-2), "  "))
		b.WriteString(indent(field(s.Label, "", "now "+orNone(c.now), 16, w-2), "  "))
	}
	return b.String()
}

// keyNote says plainly that the key is not saved, and where check will
// look for it.
func (m profileSaveStep) keyNote() string {
	j, src := m.c.journey, m.source()
	where := "$" + src.env
	if src.file != "" {
		where = "the file " + src.file
	}
	where = termsafe.Line(where)
	switch {
	case src.env == "" && src.file == "":
		return "The API key itself is never saved: name the variable or the file check reads it from."
	case j.keyTyped:
		return "The API key itself is never saved. You typed it here, so the profile expects it in " + where + ": put it there before running check with this profile."
	case src == j.keyOffer.source:
		return "The API key itself is never saved: the profile names " + where + ", where it is now."
	}
	return "The API key itself is never saved: the profile names " + where + ", which must hold the key when check runs."
}

func (m profileSaveStep) savedView() string {
	s, w := m.c.styles, m.c.width
	name := m.pending.Name
	var b strings.Builder
	b.WriteString(s.Pass.Render(wrap("✓ Saved profile "+name+" to "+termsafe.Line(m.saved), w)) + "\n\n")
	b.WriteString("Use it without the wizard:\n\n")
	for _, cmd := range []string{"axysdoctor check --profile " + name, "axysdoctor compare " + name + " OTHER", "axysdoctor exporter --profile " + name, "axysdoctor --profile " + name} {
		b.WriteString("  " + s.Value.Render(cmd) + "\n")
	}
	b.WriteString("\n" + wrap(m.keyNote(), w) + "\n\n")
	b.WriteString("Press esc to go back to the checks, or q to quit.\n")
	return b.String()
}

func (m profileSaveStep) keys() stepKeys {
	k := m.c.keys
	switch m.phase {
	case profileAsking:
		return stepKeys{short: []key.Binding{k.Yes, k.No}, full: [][]key.Binding{{k.Yes, k.No}}}
	case profileEditing:
		next := withHelp(k.Next, "next/save")
		return stepKeys{short: []key.Binding{next, k.NextFld, k.PrevFld}, full: [][]key.Binding{{next, k.NextFld, k.PrevFld}}, typing: true}
	}
	return stepKeys{}
}

// validateKeyEnv checks a variable's name as the config file does, and
// refuses the key itself typed where its variable's name goes.
func (c *common) validateKeyEnv(s string) error {
	if err := c.notTheKey(s); err != nil {
		return err
	}
	var probe config.Profile
	return probe.Set("api-key-env", strings.TrimSpace(s))
}

// validateKeyFile refuses stdin ("-": only the command line can read it)
// and the key itself.
func (c *common) validateKeyFile(s string) error {
	if err := c.notTheKey(s); err != nil {
		return err
	}
	if strings.TrimSpace(s) == "-" {
		return fmt.Errorf(`"-" (stdin) works on check's command line only: give a file`)
	}
	return nil
}

func (c *common) notTheKey(s string) error {
	if k := c.journey.apiKey; !k.Empty() && strings.TrimSpace(s) == k.Reveal() {
		return fmt.Errorf("this is the API key itself: name where it is kept, never the key")
	}
	return nil
}
