package ui

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/spinner"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"github.com/axysdoctor/axysdoctor/checks"
)

// state is a step of the wizard.
type state int

const (
	stateWelcome state = iota
	stateEnvironment
	stateCurrentCert // renewal: which certificate to renew
	stateForm
	stateKeygen
	stateLoad
	stateAPIKey
	stateChecks
	stateDetail
	stateSave
)

func (s state) String() string {
	return [...]string{"Welcome", "Environment", "Current certificate", "Certificate request", "Key and CSR",
		"Signed certificate", "API key", "Checks", "Check detail", "Save report"}[s]
}

// mode is what the user came to do.
type mode int

const (
	modeOnboard mode = iota
	modeRenew
	modeHaveCert
	modeTriage
)

func (m mode) String() string {
	return [...]string{"New onboarding", "Renewal", "I have a signed certificate", "Triage an existing setup"}[m]
}

// path is the order of steps for a mode, used for "step k of n".
func (m mode) path() []state {
	switch m {
	case modeOnboard:
		return []state{stateWelcome, stateEnvironment, stateForm, stateKeygen, stateLoad, stateAPIKey, stateChecks}
	case modeRenew:
		return []state{stateWelcome, stateEnvironment, stateCurrentCert, stateForm, stateKeygen, stateLoad, stateAPIKey, stateChecks}
	}
	return []state{stateWelcome, stateEnvironment, stateLoad, stateAPIKey, stateChecks}
}

// Options configure the wizard.
type Options struct {
	Backend   Backend
	Color     bool
	Output    io.Writer // for styles and the clipboard
	ReportDir string
	// Version is axysdoctor's version, written into saved reports.
	Version string
	Now     func() time.Time
	// InTmux wraps clipboard sequences for tmux.
	InTmux bool
}

// Model is the root model: it owns the step state machine, hands sizes
// down, handles the global keys once, and delegates everything else to
// exactly one child.
type Model struct {
	c       *common
	cancel  context.CancelFunc
	state   state
	history []state
	mode    mode

	welcome welcomeModel
	env     envModel
	current loadModel // renewal's current certificate
	form    formModel
	keygen  keygenModel
	load    loadModel
	apikey  apiKeyModel
	checks  checksModel
	detail  detailModel
	save    saveModel

	help     help.Model
	quitting bool
	// scroll is each step's scroll offset when its body is taller than
	// the terminal (pgup/pgdn).
	scroll map[state]int
}

// New makes the wizard's root model.
func New(ctx context.Context, o Options) *Model {
	ctx, cancel := context.WithCancel(ctx)
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Output == nil {
		o.Output = io.Discard
	}
	c := &common{
		width: 80, height: 24,
		styles:    NewStyles(o.Output, o.Color),
		keys:      DefaultKeyMap(),
		backend:   o.Backend,
		ctx:       ctx,
		now:       o.Now,
		clipboard: o.Output,
		reportDir: o.ReportDir,
		version:   o.Version,
		writes:    &fileWrites{},
		tmux:      o.InTmux,
	}
	m := &Model{c: c, cancel: cancel, help: help.New(), scroll: map[state]int{}}
	m.welcome = newWelcome(c)
	m.env = newEnv(c)
	m.current = newLoad(c, loadCurrent)
	m.form = newForm(c)
	m.keygen = newKeygen(c)
	m.load = newLoad(c, loadSigned)
	m.apikey = newAPIKey(c)
	m.checks = newChecks(c)
	m.detail = newDetail(c)
	m.save = newSave(c)
	m.help.Styles = help.Styles{
		ShortKey: c.styles.Key, ShortDesc: c.styles.Subtle, ShortSeparator: c.styles.Subtle, Ellipsis: c.styles.Subtle,
		FullKey: c.styles.Key, FullDesc: c.styles.Subtle, FullSeparator: c.styles.Subtle,
	}
	return m
}

// Wait stops new file writes and blocks until those started by the wizard
// have finished; call it after the program exits.
func (m *Model) Wait() { m.c.writes.closeAndWait() }

// Stop cancels running work.
func (m *Model) Stop() { m.cancel() }

// Init implements tea.Model.
func (m *Model) Init() tea.Cmd { return m.welcome.init() }

// Update implements tea.Model.
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.c.width, m.c.height = msg.Width, msg.Height
		m.help.Width = msg.Width
		m.resize()
		return m, nil
	case tea.KeyMsg:
		if cmd, handled := m.globalKey(msg); handled {
			return m, cmd
		}
	case advanceMsg:
		return m, m.advance(msg)
	}
	return m, m.updateChild(msg)
}

// globalKey handles quit, help and back, once, for every step.
func (m *Model) globalKey(msg tea.KeyMsg) (tea.Cmd, bool) {
	k := m.c.keys
	switch {
	case key.Matches(msg, k.QuitAny), key.Matches(msg, k.Quit) && !m.capturesText():
		m.quitting = true
		m.cancel()
		return tea.Quit, true
	case key.Matches(msg, k.Help) && !m.capturesText():
		m.help.ShowAll = !m.help.ShowAll
		return nil, true
	case m.state != stateDetail && (msg.String() == "pgdown" || msg.String() == "pgup"):
		step := m.c.bodyHeight() - 2
		if msg.String() == "pgup" {
			step = -step
		}
		m.scroll[m.state] = max(m.scroll[m.state]+step, 0)
		return nil, true
	case key.Matches(msg, k.Back):
		if m.busy() || len(m.history) == 0 {
			return nil, true
		}
		m.state = m.history[len(m.history)-1]
		m.history = m.history[:len(m.history)-1]
		return m.focusCurrent(), true
	}
	return nil, false
}

// capturesText reports whether the current step is typing into a field,
// where q is a letter rather than quit.
func (m *Model) capturesText() bool {
	switch m.state {
	case stateForm:
		return true
	case stateCurrentCert:
		return m.current.capturesText()
	case stateLoad:
		return m.load.capturesText()
	case stateAPIKey:
		return m.apikey.capturesText()
	case stateSave:
		return m.save.capturesText()
	}
	return false
}

// busy reports running work that esc must not abandon half-way.
func (m *Model) busy() bool {
	switch m.state {
	case stateKeygen:
		return m.keygen.busy()
	case stateChecks:
		return m.checks.running
	}
	return false
}

// goTo moves to a step, remembering where we were for esc.
func (m *Model) goTo(s state) tea.Cmd {
	if s != m.state {
		m.history = append(m.history, m.state)
	}
	m.state = s
	return m.focusCurrent()
}

func (m *Model) focusCurrent() tea.Cmd {
	switch m.state {
	case stateForm:
		return m.form.focus()
	case stateCurrentCert:
		return m.current.focus()
	case stateLoad:
		return m.load.focus()
	case stateAPIKey:
		return m.apikey.focus()
	case stateSave:
		return m.save.focus()
	}
	return nil
}

func (m *Model) resize() {
	m.form.setSize()
	m.current.setSize()
	m.load.setSize()
	m.apikey.setSize()
	m.detail.setSize()
	m.save.setSize()
}

// updateChild routes a message to the current step; messages that belong
// to background work go to their owner whatever the current step is.
func (m *Model) updateChild(msg tea.Msg) tea.Cmd {
	var cmd tea.Cmd
	switch msg := msg.(type) {
	case spinner.TickMsg:
		// Spinner ticks go to the spinner that asked for them, whichever
		// step is showing, so a spinner never stops turning.
		switch msg.ID {
		case m.checks.spinner.ID():
			m.checks, cmd = m.checks.update(msg)
		case m.keygen.spinner.ID():
			m.keygen, cmd = m.keygen.update(msg)
		}
		return cmd
	case checksStartedMsg, checkEventMsg, checksDoneMsg:
		m.checks, cmd = m.checks.update(msg)
		return cmd
	case keygenDoneMsg, keygenFailedMsg, signedMsg:
		m.keygen, cmd = m.keygen.update(msg)
		return cmd
	case egressMsg:
		m.form, cmd = m.form.update(msg)
		return cmd
	}
	switch m.state {
	case stateWelcome:
		m.welcome, cmd = m.welcome.update(msg)
	case stateEnvironment:
		m.env, cmd = m.env.update(msg)
	case stateCurrentCert:
		m.current, cmd = m.current.update(msg)
	case stateForm:
		m.form, cmd = m.form.update(msg)
	case stateKeygen:
		m.keygen, cmd = m.keygen.update(msg)
	case stateLoad:
		m.load, cmd = m.load.update(msg)
	case stateAPIKey:
		m.apikey, cmd = m.apikey.update(msg)
	case stateChecks:
		m.checks, cmd = m.checks.update(msg)
	case stateDetail:
		m.detail, cmd = m.detail.update(msg)
	case stateSave:
		m.save, cmd = m.save.update(msg)
	}
	return cmd
}

// advanceMsg is sent by a step that is done; it carries what the next
// steps need.
type advanceMsg struct {
	from state
	data any
}

func advance(from state, data any) tea.Cmd {
	return func() tea.Msg { return advanceMsg{from: from, data: data} }
}

// advance moves the state machine on.
func (m *Model) advance(msg advanceMsg) tea.Cmd {
	switch msg.from {
	case stateWelcome:
		m.mode = msg.data.(mode)
		return m.goTo(stateEnvironment)
	case stateEnvironment:
		env := msg.data.(checks.Environment)
		m.checks.env = env
		m.save.env = env
		switch m.mode {
		case modeOnboard:
			return tea.Batch(m.goTo(stateForm), m.form.start())
		case modeRenew:
			return m.goTo(stateCurrentCert)
		}
		return m.goTo(stateLoad)
	case stateCurrentCert:
		loaded := msg.data.(loadedMsg)
		m.form.prefill(loaded)
		return tea.Batch(m.goTo(stateForm), m.form.start())
	case stateForm:
		req := msg.data.(formResult)
		return tea.Batch(m.goTo(stateKeygen), m.keygen.start(req))
	case stateKeygen:
		out := msg.data.(keygenResult)
		m.load.prefill(out.certPath, out.keyPath)
		return m.goTo(stateLoad)
	case stateLoad:
		loaded := msg.data.(loadedMsg)
		m.checks.material, m.checks.certPath, m.checks.keyPath = loaded.material, loaded.certPath, loaded.keyPath
		return m.goTo(stateAPIKey)
	case stateAPIKey:
		m.checks.apiKey = msg.data.(checks.APIKey)
		return tea.Batch(m.goTo(stateChecks), m.checks.start())
	case stateChecks:
		switch d := msg.data.(type) {
		case openDetail:
			m.detail.show(d.result)
			return m.goTo(stateDetail)
		case openSave:
			m.save.report = d.report
			return m.goTo(stateSave)
		}
	case stateDetail:
		m.save.report = m.checks.report
		return m.goTo(stateSave)
	}
	return nil
}

// View implements tea.Model.
func (m *Model) View() string {
	if m.quitting {
		return ""
	}
	var body string
	switch m.state {
	case stateWelcome:
		body = m.welcome.view()
	case stateEnvironment:
		body = m.env.view()
	case stateCurrentCert:
		body = m.current.view()
	case stateForm:
		body = m.form.view()
	case stateKeygen:
		body = m.keygen.view()
	case stateLoad:
		body = m.load.view()
	case stateAPIKey:
		body = m.apikey.view()
	case stateChecks:
		body = m.checks.view()
	case stateDetail:
		body = m.detail.view()
	case stateSave:
		body = m.save.view()
	}
	footer := m.footer()
	h := max(m.c.height-headerHeight-strings.Count(footer, "\n")-1, 3)
	return lipgloss.JoinVertical(lipgloss.Left, m.header(), m.scrolled(body, h), footer)
}

// header is the title line, the step line, and a blank line.
func (m *Model) header() string {
	c := m.c
	title := c.styles.Title.Render("axysdoctor")
	if c.backend.Demo {
		title += c.styles.Banner.Render(fmt.Sprintf("  demo · emulator · scenario %s", c.backend.Scenario))
	}
	step := m.state.String()
	if m.state != stateWelcome {
		path := m.mode.path()
		for i, s := range path {
			if s == m.state {
				step = fmt.Sprintf("%s · step %d of %d: %s", m.mode, i+1, len(path), m.state)
			}
		}
		if m.state == stateDetail || m.state == stateSave {
			step = fmt.Sprintf("%s · %s", m.mode, m.state)
		}
	}
	return truncate(title, c.width) + "\n" + c.styles.Step.Render(truncate(step, c.width)) + "\n"
}

func (m *Model) footer() string {
	var k stepKeys
	switch m.state {
	case stateWelcome:
		k = m.welcome.keys()
	case stateEnvironment:
		k = m.env.keys()
	case stateCurrentCert:
		k = m.current.keys()
	case stateForm:
		k = m.form.keys()
	case stateKeygen:
		k = m.keygen.keys()
	case stateLoad:
		k = m.load.keys()
	case stateAPIKey:
		k = m.apikey.keys()
	case stateChecks:
		k = m.checks.keys()
	case stateDetail:
		k = m.detail.keys()
	case stateSave:
		k = m.save.keys()
	}
	quit := m.c.keys.Quit
	if m.capturesText() {
		quit = m.c.keys.QuitAny
	}
	global := []key.Binding{}
	if len(m.history) > 0 && !m.busy() {
		global = append(global, m.c.keys.Back)
	}
	global = append(global, quit)
	if !m.capturesText() { // while typing, ? is a character
		global = append(global, m.c.keys.Help)
	}
	k.short = append(k.short, global...)
	k.full = append(k.full, global)
	return "\n" + m.help.View(k)
}

// scrolled shows the part of body that fits, with a line saying what is
// above or below when it does not fit (small terminals).
func (m *Model) scrolled(body string, h int) string {
	lines := strings.Split(strings.TrimRight(body, "\n"), "\n")
	if len(lines) <= h || m.state == stateDetail {
		return fitLines(body, h, m.c.width)
	}
	off := min(m.scroll[m.state], len(lines)-(h-1))
	m.scroll[m.state] = off
	visible := lines[off : off+h-1]
	var more []string
	if off > 0 {
		more = append(more, fmt.Sprintf("↑ %d lines above (pgup)", off))
	}
	if below := len(lines) - off - (h - 1); below > 0 {
		more = append(more, fmt.Sprintf("↓ %d more lines (pgdn)", below))
	}
	visible = append(visible, m.c.styles.Subtle.Render(strings.Join(more, " · ")))
	return fitLines(strings.Join(visible, "\n"), h, m.c.width)
}

// fitLines pads or cuts s to exactly n lines, each cut to width, so the
// help bar stays at the bottom whatever a step renders.
func fitLines(s string, n, width int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[:n]
	}
	for i, l := range lines {
		lines[i] = truncate(l, width)
	}
	for len(lines) < n {
		lines = append(lines, "")
	}
	return strings.Join(lines, "\n")
}

// LastReport returns the report of the last completed run, if any.
func (m *Model) LastReport() (checks.Report, bool) {
	return m.checks.report, len(m.checks.report.Results) > 0
}

// SavedReport is the path the report was saved to, or "".
func (m *Model) SavedReport() string { return m.save.saved }
