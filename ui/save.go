package ui

import (
	"bytes"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/axysdoctor/axysdoctor/checks"
	"github.com/axysdoctor/axysdoctor/report"
)

// saveModel writes the report, redacted, as Markdown or JSON.
type saveModel struct {
	c      *common
	env    checks.Environment
	report checks.Report
	json   bool
	input  textinput.Model
	saved  string
	err    string
}

func newSave(c *common) saveModel {
	in := newInput(c, 4096)
	m := saveModel{c: c, input: in}
	m.input.SetValue(m.defaultPath())
	m.setSize()
	return m
}

func (m saveModel) defaultPath() string {
	ext := ".md"
	if m.json {
		ext = ".json"
	}
	return filepath.Join(m.c.reportDir, "axysdoctor-report-"+m.c.now().Format("20060102-150405")+ext)
}

func (m *saveModel) setSize() { m.input.Width = m.c.inputWidth(10) }

func (m saveModel) capturesText() bool { return m.saved == "" }

func (m *saveModel) focus() tea.Cmd { return m.input.Focus() }

func (m saveModel) update(msg tea.Msg) (saveModel, tea.Cmd) {
	switch msg := msg.(type) {
	case savedMsg:
		if msg.err != nil {
			m.err = msg.err.Error()
			return m, nil
		}
		m.saved, m.err = msg.path, ""
		m.input.Blur()
		return m, nil
	case tea.KeyMsg:
		if m.saved != "" {
			return m, nil
		}
		switch msg.String() {
		case "left", "right":
			// Switch the format, and the default name's extension with it.
			wasDefault := m.input.Value() == m.defaultPath()
			m.json = !m.json
			if wasDefault || strings.HasSuffix(m.input.Value(), ".md") || strings.HasSuffix(m.input.Value(), ".json") {
				v := strings.TrimSuffix(strings.TrimSuffix(m.input.Value(), ".md"), ".json")
				if m.json {
					m.input.SetValue(v + ".json")
				} else {
					m.input.SetValue(v + ".md")
				}
			}
			return m, nil
		case "enter":
			path := strings.TrimSpace(m.input.Value())
			if path == "" {
				m.err = "give a file name"
				return m, nil
			}
			var buf bytes.Buffer
			var err error
			rep := m.report
			if rep.Version == "" {
				rep.Version = m.c.version
			}
			if m.json {
				err = report.JSON(&buf, rep, rep.Version, false)
			} else {
				err = report.Markdown(&buf, rep, rep.Version, false)
			}
			if err != nil {
				m.err = err.Error()
				return m, nil
			}
			return m, saveCmd(m.c, path, buf.Bytes())
		}
	}
	var cmd tea.Cmd
	m.input, cmd = m.input.Update(msg)
	m.err = ""
	return m, cmd
}

func (m saveModel) view() string {
	s := m.c.styles
	w := m.c.width
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
	sum := m.report.Summary()
	fmt.Fprintf(&b, "  %s\n\n", s.Subtle.Render("Report: "+sum.String()))
	switch {
	case m.saved != "":
		b.WriteString(s.Pass.Render(wrap("✓ Saved to "+m.saved, w)) + "\n\n" + "Press q to quit, or esc to go back to the checks.\n")
	case m.err != "":
		b.WriteString(s.Error.Render(wrap("✗ "+m.err, w)) + "\n")
	}
	return b.String()
}

func (m saveModel) keys() stepKeys {
	k := m.c.keys
	if m.saved != "" {
		return stepKeys{}
	}
	save := withHelp(k.Next, "save")
	return stepKeys{short: []key.Binding{save, k.Format}, full: [][]key.Binding{{save, k.Format}}}
}
