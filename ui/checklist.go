package ui

import (
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/spinner"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/axysdoctor/axysdoctor/checks"
	"github.com/axysdoctor/axysdoctor/report"
)

// checksStep runs the diagnosis and shows it live: a spinner on each
// running check, a mark, a one-line summary and the elapsed time, filled
// in as the runner's events arrive.
type checksStep struct {
	c       *common
	order   [][2]string // id, title
	results map[string]checks.Result
	started map[string]time.Time
	report  checks.Report
	running bool
	events  <-chan tea.Msg
	cursor  int
	spinner spinner.Model
	now     time.Time
}

func newChecks(c *common) checksStep {
	return checksStep{
		c: c, order: checks.Titles(), spinner: c.spinner(),
		results: map[string]checks.Result{}, started: map[string]time.Time{},
	}
}

func (m checksStep) title() string { return "Checks" }

func (m checksStep) busy() bool { return m.running }

func (m checksStep) init() (step, tea.Cmd) { return m, nil }

// start runs a diagnosis of what the journey holds; answers from an
// earlier run become stale.
func (m *checksStep) start() tea.Cmd {
	j := m.c.journey
	m.results = map[string]checks.Result{}
	m.started = map[string]time.Time{}
	m.running, m.now, m.report = true, m.c.now(), checks.Report{}
	t := m.c.tasks
	return tea.Batch(
		t.start(stepChecks, jobChecks, runChecksCmd(m.c.ctx, j.options(m.c.backend.Base), j.creds.material, m.c.backend.Deps)),
		t.start(stepChecks, jobSpin, m.spinner.Tick),
	)
}

func (m checksStep) update(msg tea.Msg) (step, tea.Cmd) {
	switch msg := msg.(type) {
	case apiKeyMsg, settingsMsg, rerunMsg:
		return m, m.start()
	case checksStartedMsg:
		m.events = msg.events
		return m, m.c.tasks.follow(stepChecks, jobChecks, waitFor(m.events))
	case checkEventMsg:
		switch msg.ev.Type {
		case checks.Started:
			m.started[msg.ev.ID] = m.now
		case checks.Finished:
			m.results[msg.ev.ID] = msg.ev.Result
		}
		return m, m.c.tasks.follow(stepChecks, jobChecks, waitFor(m.events))
	case checksDoneMsg:
		m.running, m.report = false, msg.report
		for _, r := range msg.report.Results {
			m.results[r.ID] = r
		}
		// Put the cursor on the root cause, else the first problem: that
		// is what people look at.
		for i, r := range msg.report.Results {
			if r.Status == checks.Fail || r.Status == checks.Warn {
				m.cursor = i
				break
			}
		}
		if rc := msg.report.RootCause; rc != nil {
			for i, r := range msg.report.Results {
				if r.ID == rc.ID {
					m.cursor = i
				}
			}
		}
		return m, handOff(reportMsg{msg.report})
	case spinner.TickMsg:
		if !m.running {
			return m, nil
		}
		m.now = msg.Time
		var cmd tea.Cmd
		m.spinner, cmd = m.spinner.Update(msg)
		return m, m.c.tasks.follow(stepChecks, jobSpin, cmd)
	case tea.KeyMsg:
		k := m.c.keys
		switch {
		case key.Matches(msg, k.Up):
			m.cursor = (m.cursor + len(m.order) - 1) % len(m.order)
		case key.Matches(msg, k.Down):
			m.cursor = (m.cursor + 1) % len(m.order)
		case key.Matches(msg, k.Detail):
			if r, ok := m.results[m.order[m.cursor][0]]; ok {
				return m, handOff(openDetailMsg{r})
			}
		case m.running:
		case key.Matches(msg, k.Rerun):
			return m, m.start()
		case key.Matches(msg, k.Save):
			return m, handOff(openSaveMsg{})
		case key.Matches(msg, k.Advanced):
			return m, handOff(openAdvancedMsg{})
		case key.Matches(msg, k.SaveProfile) && m.canSaveProfile():
			return m, handOff(openProfileSaveMsg{})
		}
	}
	return m, nil
}

// canSaveProfile: a run has finished, and this session has a config file.
func (m checksStep) canSaveProfile() bool {
	return !m.running && len(m.report.Results) > 0 && m.c.profilesOn()
}

func (m checksStep) view() string {
	s := m.c.styles
	w := m.c.width
	var b strings.Builder
	env := m.c.journey.environment()
	b.WriteString(truncate(fmt.Sprintf("Every layer, checked against %s (%s).", env.BaseURL, env.Name), w) + "\n\n")
	var done []checks.Result
	for i, idt := range m.order {
		id := idt[0]
		r, finished := m.results[id]
		mark, summary, elapsed := "·", s.Subtle.Render(idt[1]), ""
		switch {
		case finished:
			done = append(done, r)
			mark = s.status(r.Status).Render(report.Mark(r.Status))
			summary = r.Summary
			if r.Status != checks.Skip && r.Duration > 0 {
				elapsed = report.Duration(r.Duration)
			}
		case !m.started[id].IsZero():
			mark = m.spinner.View()
			summary = s.Subtle.Render(idt[1] + "…")
			elapsed = report.Duration(m.now.Sub(m.started[id]))
		}
		cursor := "  "
		idText := fmt.Sprintf("%-14s", id)
		if i == m.cursor {
			cursor = s.Selected.Render("› ")
			idText = s.Selected.Render(idText)
		}
		line := fmt.Sprintf("%s%s %s ", cursor, mark, idText)
		room := w - 2 - 1 - 14 - 2 - 8
		fmt.Fprintf(&b, "%s%s%s\n", line, padRight(truncate(summary, room), room), s.Subtle.Render(fmt.Sprintf("%7s", elapsed)))
	}
	b.WriteString("\n")
	sum := checks.Summarize(done)
	line := sum.String()
	if m.running {
		line = m.spinner.View() + " running… " + line
	}
	style := s.Pass
	switch {
	case sum.Fail > 0:
		style = s.Fail
	case sum.Warn > 0 || m.running:
		style = s.Warn
	}
	b.WriteString(style.Render(line) + "\n")
	if !m.running && len(done) > 0 {
		hint := "All checks pass: this setup gets a 200."
		if sum.Fail > 0 || sum.Warn > 0 {
			hint = "Select a check and press enter for its evidence, fix and failure-table row."
		}
		b.WriteString(s.Subtle.Render(truncate(hint, w)) + "\n")
	}
	if m.canSaveProfile() {
		b.WriteString(s.Subtle.Render(truncate("p saves these settings as a profile, for check --profile, compare and exporter.", w)) + "\n")
	}
	return b.String()
}

func (m checksStep) keys() stepKeys {
	k := m.c.keys
	if m.running {
		return stepKeys{short: []key.Binding{k.Select, k.Detail}, full: [][]key.Binding{{k.Up, k.Down, k.Detail}}}
	}
	full := []key.Binding{k.Save, k.Rerun, k.Advanced}
	if m.canSaveProfile() {
		full = append(full, k.SaveProfile)
	}
	return stepKeys{short: []key.Binding{k.Select, k.Detail, k.Save, k.Rerun}, full: [][]key.Binding{{k.Up, k.Down, k.Detail}, full}}
}

func padRight(s string, n int) string {
	if w := lipglossWidth(s); w < n {
		return s + strings.Repeat(" ", n-w)
	}
	return s
}
