package ui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/axysdoctor/axysdoctor/checks"
	"github.com/axysdoctor/axysdoctor/docs"
	"github.com/axysdoctor/axysdoctor/report"
)

// detailStep shows one result, most useful first so that it fits 80×24
// where it can: what was found, what was observed, what to do (and how,
// in this wizard), then the failure table folded to the matched row.
type detailStep struct {
	c      *common
	result checks.Result
	// table: the whole failure table, not only the matched row.
	table bool
}

func newDetail(c *common) detailStep { return detailStep{c: c} }

func (m detailStep) title() string { return "Check detail" }

func (m detailStep) busy() bool { return false }

func (m detailStep) init() (step, tea.Cmd) { return m, nil }

func (m detailStep) update(msg tea.Msg) (step, tea.Cmd) {
	switch msg := msg.(type) {
	case openDetailMsg:
		m.result, m.table = msg.result, false
	case settingsMsg: // opened from here: this result is out of date
		return m, handOff(rerunMsg{})
	case tea.KeyMsg:
		k := m.c.keys
		switch {
		case key.Matches(msg, k.Save):
			return m, handOff(openSaveMsg{})
		case key.Matches(msg, k.Advanced):
			return m, handOff(openAdvancedMsg{})
		case key.Matches(msg, k.Table) && m.result.Row != "":
			m.table = !m.table
		case key.Matches(msg, k.Up):
			return m, scrollBy(-1)
		case key.Matches(msg, k.Down):
			return m, scrollBy(1)
		}
	}
	return m, nil
}

func (m detailStep) view() string {
	s, w := m.c.styles, m.c.width
	r := m.result
	if r.ID == "" {
		return ""
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s — %s\n", s.status(r.Status).Render(report.Mark(r.Status)+" "+string(r.Status)), s.Title.Render(r.ID), r.Title)
	b.WriteString(wrap(r.Summary, w) + "\n")
	if len(r.Evidence) > 0 {
		b.WriteString("\n" + s.Title.Render("Observed") + "\n")
		for _, e := range r.Evidence {
			b.WriteString(hanging(s.Label.Render(e.Label+":")+" "+e.Value, w, 2, 4) + "\n")
		}
	}
	if r.Fix != "" {
		b.WriteString("\n" + s.Title.Render("What to do") + "\n")
		b.WriteString(indent(wrap(r.Fix, w-2), "  ") + "\n")
		for _, h := range wizardHints(r) {
			b.WriteString(s.Selected.Render(indent(wrap("In this wizard: "+h, w-2), "  ")) + "\n")
		}
	}
	if r.Row != "" {
		b.WriteString("\n" + m.failureTable())
	}
	return b.String()
}

// failureTable is the matched row and where to look; with t, every row
// of the Axys docs' table (and the matched one when it is axysdoctor's
// own), the match highlighted.
func (m detailStep) failureTable() string {
	s, w, match := m.c.styles, m.c.width, m.result.Row
	var b strings.Builder
	b.WriteString(s.Title.Render("Failure table"))
	if !m.table {
		b.WriteString(s.Subtle.Render(" · t shows the whole table"))
	}
	b.WriteString("\n")
	for _, row := range docs.Table {
		if row.ID != match && (row.Ours || !m.table) {
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
			b.WriteString(s.Highlight.Render(truncate("▶ "+line, w)) + "\n")
			continue
		}
		b.WriteString(truncate("  "+line, w) + "\n")
	}
	if row, ok := docs.Lookup(match); ok {
		b.WriteString(indent(wrap(fmt.Sprintf("Likely cause: %s. See %s: %s", row.Cause, row.WhereToLook, row.URL), w-2), "  ") + "\n")
	}
	return b.String()
}

func (m detailStep) keys() stepKeys {
	k := m.c.keys
	table := k.Table
	if m.table {
		table = withHelp(k.Table, "fold table")
	}
	short := []key.Binding{k.Scroll, k.Save, k.Advanced}
	if m.result.Row != "" {
		short = append(short, table)
	}
	return stepKeys{short: short, full: [][]key.Binding{{k.Up, k.Down, k.PageUp, k.PageDown}, {k.Save, k.Advanced, table}}}
}
