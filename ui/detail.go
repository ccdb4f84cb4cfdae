package ui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/viewport"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/axysdoctor/axysdoctor/checks"
	"github.com/axysdoctor/axysdoctor/docs"
	"github.com/axysdoctor/axysdoctor/report"
)

// detailModel shows one result: its evidence, the fix, and the failure
// table with the matched row highlighted, scrollable.
type detailModel struct {
	c      *common
	result checks.Result
	vp     viewport.Model
}

func newDetail(c *common) detailModel {
	m := detailModel{c: c, vp: viewport.New(c.width, c.bodyHeight())}
	return m
}

func (m *detailModel) setSize() {
	m.vp.Width, m.vp.Height = m.c.width, m.c.bodyHeight()
	m.vp.SetContent(m.content())
}

func (m *detailModel) show(r checks.Result) {
	m.result = r
	m.vp.SetContent(m.content())
	m.vp.GotoTop()
}

func (m detailModel) update(msg tea.Msg) (detailModel, tea.Cmd) {
	if k, ok := msg.(tea.KeyMsg); ok && key.Matches(k, m.c.keys.Save) {
		return m, advance(stateDetail, nil)
	}
	var cmd tea.Cmd
	m.vp, cmd = m.vp.Update(msg)
	return m, cmd
}

// content is the whole detail text, wrapped to the width: what was found,
// what to do, the failure table with the matched row highlighted, then the
// evidence (scroll for more).
func (m detailModel) content() string {
	s := m.c.styles
	r := m.result
	w := m.c.width
	if r.ID == "" {
		return ""
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s — %s\n", s.status(r.Status).Render(report.Mark(r.Status)+" "+string(r.Status)), s.Title.Render(r.ID), r.Title)
	b.WriteString(wrap(r.Summary, w) + "\n\n")
	if r.Fix != "" {
		b.WriteString(s.Title.Render("What to do") + "\n")
		b.WriteString(indent(wrap(r.Fix, w-2), "  ") + "\n\n")
	}
	if r.Row != "" {
		b.WriteString(s.Title.Render("Failure table") + "\n")
		b.WriteString(failureTable(s, r.Row, w))
		if row, ok := docs.Lookup(r.Row); ok {
			b.WriteString(indent(wrap(fmt.Sprintf("Likely cause: %s. See %s: %s", row.Cause, row.WhereToLook, row.URL), w-2), "  ") + "\n")
		}
		b.WriteString("\n")
	}
	if len(r.Evidence) > 0 {
		b.WriteString(s.Title.Render("Observed") + "\n")
		for _, e := range r.Evidence {
			b.WriteString(indent(wrap(s.Label.Render(e.Label+":")+" "+e.Value, w-4), "  ") + "\n")
		}
	}
	return b.String()
}

// failureTable renders the four rows of the Axys docs' table, and the
// matched row when it is one of axysdoctor's own, one line each, the
// matched one highlighted.
func failureTable(s Styles, match string, width int) string {
	var b strings.Builder
	for _, row := range docs.Table {
		if row.Ours && row.ID != match {
			continue
		}
		id := row.ID
		if row.Ours {
			id += " (axysdoctor's own row)"
		}
		line := fmt.Sprintf("%-19s %s", id, row.Symptom)
		if row.Ours {
			line = fmt.Sprintf("%s: %s", id, row.Symptom)
		}
		if row.ID == match {
			b.WriteString(s.Highlight.Render(truncate("▶ "+line, width)) + "\n")
			continue
		}
		b.WriteString(truncate("  "+line, width) + "\n")
	}
	return b.String()
}

func (m detailModel) view() string { return m.vp.View() }

func (m detailModel) keys() stepKeys {
	k := m.c.keys
	scroll := withHelp(k.Select, "scroll")
	return stepKeys{short: []key.Binding{scroll, k.Save}, full: [][]key.Binding{{k.Up, k.Down, k.PageUp, k.PageDown}, {k.Save}}}
}
