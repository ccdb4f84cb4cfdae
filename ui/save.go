package ui

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/axysdoctor/axysdoctor/internal/termsafe"
)

// saveStep writes the last report, redacted, as Markdown or JSON.
type saveStep struct {
	c      *common
	json   bool
	input  textinput.Model
	saving bool
	saved  string
	err    string
}

func newSave(c *common) saveStep {
	m := saveStep{c: c, input: newInput(c, 4096)}
	m.input.Width = c.inputWidth(10)
	return m
}

func (m saveStep) title() string { return "Save report" }

func (m saveStep) busy() bool { return m.saving }

func (m saveStep) init() (step, tea.Cmd) {
	if m.saved != "" {
		return m, nil
	}
	return m, m.input.Focus()
}

func (m saveStep) defaultPath() string {
	ext := ".md"
	if m.json {
		ext = ".json"
	}
	return filepath.Join(m.c.reportDir, "axysdoctor-report-"+m.c.now().Format("20060102-150405")+ext)
}

func (m saveStep) update(msg tea.Msg) (step, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.input.Width = m.c.inputWidth(10)
		return m, nil
	case openSaveMsg: // a new report each time: a new name
		m.saved, m.err, m.saving = "", "", false
		m.input.SetValue(m.defaultPath())
		m.input.CursorEnd()
		return m, nil
	case savedMsg:
		m.saving = false
		if msg.err != nil {
			m.err = msg.err.Error()
			return m, nil
		}
		m.saved, m.err = msg.path, ""
		m.input.Blur()
		return m, handOff(reportSavedMsg{msg.path})
	case tea.KeyMsg:
		if m.saved != "" || m.saving {
			return m, nil
		}
		switch {
		case key.Matches(msg, m.c.keys.Format):
			m.switchFormat()
			return m, nil
		case key.Matches(msg, m.c.keys.Next):
			path := strings.TrimSpace(m.input.Value())
			if path == "" {
				m.err = "give a file name"
				return m, nil
			}
			rep := m.c.journey.report
			if rep.Version == "" {
				rep.Version = m.c.version
			}
			m.saving, m.err = true, ""
			return m, m.c.tasks.start(stepSave, jobSave, saveCmd(m.c.writes, rep, m.json, path))
		}
	}
	var cmd tea.Cmd
	m.input, cmd = m.input.Update(msg)
	m.err = ""
	return m, cmd
}

// switchFormat flips Markdown and JSON, and the file name's extension
// with it.
func (m *saveStep) switchFormat() {
	v := m.input.Value()
	m.json = !m.json
	if strings.HasSuffix(v, ".md") || strings.HasSuffix(v, ".json") {
		v = strings.TrimSuffix(strings.TrimSuffix(v, ".md"), ".json")
		if m.json {
			m.input.SetValue(v + ".json")
		} else {
			m.input.SetValue(v + ".md")
		}
	}
}

func (m saveStep) view() string {
	s, w := m.c.styles, m.c.width
	var b strings.Builder
	b.WriteString(wrap("Save the report for a ticket or a colleague. It is redacted: the API key appears only as its last four characters and a hash; private keys never.", w) + "\n\n")
	md, js := "  Markdown  ", "  JSON  "
	if m.json {
		js = s.Selected.Render("› JSON  ")
	} else {
		md = s.Selected.Render("› Markdown  ")
	}
	fmt.Fprintf(&b, "  %s %s%s\n", s.Label.Render(fmt.Sprintf("%-8s", "Format")), md, js)
	fmt.Fprintf(&b, "  %s %s\n\n", s.Label.Render(fmt.Sprintf("%-8s", "File")), m.input.View())
	fmt.Fprintf(&b, "  %s\n\n", s.Subtle.Render("Report: "+m.c.journey.report.Summary().String()))
	switch {
	case m.saved != "":
		b.WriteString(s.Pass.Render(wrap("✓ Saved to "+termsafe.Line(m.saved), w)) + "\n\n" + "Press q to quit, or esc to go back to the checks.\n")
	case m.saving:
		b.WriteString(s.Subtle.Render("Saving…") + "\n")
	case m.err != "":
		b.WriteString(s.Error.Render(wrap("✗ "+termsafe.Line(m.err), w)) + "\n")
	}
	return b.String()
}

func (m saveStep) keys() stepKeys {
	k := m.c.keys
	if m.saved != "" {
		return stepKeys{}
	}
	save := withHelp(k.Next, "save")
	return stepKeys{short: []key.Binding{save, k.Format}, full: [][]key.Binding{{save, k.Format}}, typing: true}
}
