package ui

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/axysdoctor/axysdoctor/checks"
)

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
	// Config offers the config file's profiles and saving one.
	Config Config
}

// Model is the root model. It owns the history and the chrome (header,
// help bar, scrolling), handles the global keys and the window size once,
// applies handoffs to the journey, delivers background results to the
// step they belong to, and routes everything else to the current step.
type Model struct {
	c       *common
	cancel  context.CancelFunc
	steps   [stepCount]step
	current stepID
	history []stepID
	// scroll is each step's scroll offset when its body is taller than
	// the terminal.
	scroll   [stepCount]int
	help     help.Model
	quitting bool
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
		tasks:     tasks{},
		config:    o.Config,
		getenv:    o.Config.Getenv,
	}
	if c.getenv == nil {
		c.getenv = func(string) string { return "" }
	}
	c.journey.settings = settingsFrom(o.Backend.Base)
	c.journey.keyOffer = keyOffer{key: o.Backend.APIKey, source: sourceFrom(o.Backend.APIKeySource)}
	c.journey.defaults.settings, c.journey.defaults.keyOffer = c.journey.settings, c.journey.keyOffer
	if c.profilesOn() {
		c.journey.profiles = o.Config.Profiles
	}
	m := &Model{c: c, cancel: cancel, help: help.New()}
	m.steps = [stepCount]step{
		stepWelcome:     newWelcome(c),
		stepEnvironment: newEnv(c),
		stepAdvanced:    newAdvanced(c),
		stepCurrentCert: newLoad(c, stepCurrentCert),
		stepForm:        newForm(c),
		stepKeygen:      newKeygen(c),
		stepLoad:        newLoad(c, stepLoad),
		stepAPIKey:      newAPIKey(c),
		stepChecks:      newChecks(c),
		stepDetail:      newDetail(c),
		stepSave:        newSave(c),
		stepSaveProfile: newProfileSave(c),
	}
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
func (m *Model) Init() tea.Cmd { return m.initStep(m.current) }

// Update implements tea.Model.
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.c.width, m.c.height = msg.Width, msg.Height
		m.help.Width = msg.Width
		var cmds []tea.Cmd
		for id := range m.steps { // every step sizes its inputs
			cmds = append(cmds, m.updateStep(stepID(id), msg))
		}
		return m, tea.Batch(cmds...)
	case tea.KeyMsg:
		if cmd, handled := m.globalKey(msg); handled {
			return m, cmd
		}
	case asyncMsg:
		if msg.msg == nil || !m.c.tasks.current(msg) {
			return m, nil // stale: the step has started newer work since
		}
		return m, m.updateStep(msg.step, msg.msg)
	case handoff:
		return m, m.handOff(msg)
	case scrollMsg:
		m.scrollBy(int(msg))
		return m, nil
	}
	return m, m.updateStep(m.current, msg)
}

func (m *Model) updateStep(id stepID, msg tea.Msg) tea.Cmd {
	var cmd tea.Cmd
	m.steps[id], cmd = m.steps[id].update(msg)
	return cmd
}

func (m *Model) initStep(id stepID) tea.Cmd {
	var cmd tea.Cmd
	m.steps[id], cmd = m.steps[id].init()
	return cmd
}

// globalKey handles quit, help, paging and back, once, for every step.
func (m *Model) globalKey(msg tea.KeyMsg) (tea.Cmd, bool) {
	k := m.c.keys
	cur := m.steps[m.current]
	typing := cur.keys().typing
	switch {
	case key.Matches(msg, k.QuitAny), key.Matches(msg, k.Quit) && !typing:
		m.quitting = true
		m.cancel()
		return tea.Quit, true
	case key.Matches(msg, k.Help) && !typing:
		m.help.ShowAll = !m.help.ShowAll
		return nil, true
	case key.Matches(msg, k.PageDown):
		m.scrollBy(m.bodyHeight() - 2)
		return nil, true
	case key.Matches(msg, k.PageUp):
		m.scrollBy(-(m.bodyHeight() - 2))
		return nil, true
	case key.Matches(msg, k.Back):
		if cur.busy() || len(m.history) == 0 {
			return nil, true
		}
		return m.goBack(), true
	}
	return nil, false
}

func (m *Model) goBack() tea.Cmd {
	m.current = m.history[len(m.history)-1]
	m.history = m.history[:len(m.history)-1]
	return m.initStep(m.current)
}

// handOff records what h carries, moves to the step it names and passes
// h on to it.
func (m *Model) handOff(h handoff) tea.Cmd {
	to := h.apply(&m.c.journey)
	switch to {
	case stay:
		return nil
	case back:
		if len(m.history) == 0 {
			return nil
		}
		return tea.Batch(m.goBack(), m.updateStep(m.current, h))
	}
	if to != m.current {
		m.history = append(m.history, m.current)
	}
	m.current = to
	m.scroll[to] = 0
	cmd := m.updateStep(to, h)
	return tea.Batch(cmd, m.initStep(to))
}

func (m *Model) scrollBy(n int) {
	limit := maxOffset(m.steps[m.current].view(), m.bodyHeight())
	m.scroll[m.current] = min(max(m.scroll[m.current]+n, 0), limit)
}

// View implements tea.Model.
func (m *Model) View() string {
	if m.quitting {
		return ""
	}
	footer := m.footer()
	body := window(m.steps[m.current].view(), m.heightFor(footer), m.scroll[m.current], m.c.width, m.c.styles)
	return m.header() + "\n" + body + "\n" + footer
}

const headerHeight = 3 // title, step, blank

func (m *Model) bodyHeight() int { return m.heightFor(m.footer()) }

func (m *Model) heightFor(footer string) int {
	return max(m.c.height-headerHeight-strings.Count(footer, "\n")-1, 3)
}

// header is the title line, the step line, and a blank line.
func (m *Model) header() string {
	c := m.c
	title := c.styles.Title.Render("axysdoctor")
	if c.backend.Demo {
		title += c.styles.Banner.Render(fmt.Sprintf("  demo · emulator · scenario %s", c.backend.Scenario))
	}
	line := m.steps[m.current].title()
	if m.current != stepWelcome {
		mode, what := c.journey.mode, c.journey.modeTitle()
		line = fmt.Sprintf("%s · %s", what, line)
		if i := slices.Index(mode.path(), m.current); i >= 0 {
			line = fmt.Sprintf("%s · step %d of %d: %s", what, i+1, len(mode.path()), m.steps[m.current].title())
		}
	}
	return truncate(title, c.width) + "\n" + c.styles.Step.Render(truncate(line, c.width)) + "\n"
}

// footer is a blank line and the help: the step's keys, then back, quit
// and help where they apply.
func (m *Model) footer() string {
	cur := m.steps[m.current]
	k := cur.keys()
	quit := m.c.keys.Quit
	if k.typing {
		quit = m.c.keys.QuitAny
	}
	var global []key.Binding
	if len(m.history) > 0 && !cur.busy() {
		global = append(global, m.c.keys.Back)
	}
	global = append(global, quit)
	if !k.typing { // while typing, ? is a character
		global = append(global, m.c.keys.Help)
	}
	k.short = append(slices.Clip(k.short), global...)
	k.full = append(slices.Clip(k.full), global)
	return "\n" + m.help.View(k)
}

// LastReport returns the report of the last completed run, if any.
func (m *Model) LastReport() (checks.Report, bool) {
	return m.c.journey.report, len(m.c.journey.report.Results) > 0
}

// SavedReport is the path the report was saved to, or "".
func (m *Model) SavedReport() string { return m.c.journey.saved }

// SavedProfile is the name of the profile saved in this session and the
// config file it is in, or "".
func (m *Model) SavedProfile() (name, path string) {
	return m.c.journey.savedProfile, m.c.journey.savedProfilePath
}
