package ui

import (
	"io"

	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"github.com/axysdoctor/axysdoctor/checks"
)

// Styles are the wizard's semantic styles, in one place.
type Styles struct {
	Title     lipgloss.Style
	Step      lipgloss.Style
	Purpose   lipgloss.Style
	Subtle    lipgloss.Style
	Label     lipgloss.Style
	Value     lipgloss.Style
	Selected  lipgloss.Style
	Pass      lipgloss.Style
	Warn      lipgloss.Style
	Fail      lipgloss.Style
	Skip      lipgloss.Style
	Error     lipgloss.Style
	Highlight lipgloss.Style
	Banner    lipgloss.Style
	Card      lipgloss.Style
	Key       lipgloss.Style
	Cursor    lipgloss.Style
}

// NewStyles builds styles for w; with color false every style is plain
// text (NO_COLOR, or not a terminal).
func NewStyles(w io.Writer, color bool) Styles {
	r := lipgloss.NewRenderer(w)
	if color {
		r.SetColorProfile(termenv.ANSI256)
	} else {
		r.SetColorProfile(termenv.Ascii)
	}
	s := r.NewStyle
	return Styles{
		Title:     s().Bold(true).Foreground(lipgloss.Color("12")),
		Step:      s().Foreground(lipgloss.Color("8")),
		Purpose:   s().Foreground(lipgloss.Color("7")),
		Subtle:    s().Foreground(lipgloss.Color("8")),
		Label:     s().Foreground(lipgloss.Color("6")),
		Value:     s(),
		Selected:  s().Bold(true).Foreground(lipgloss.Color("12")),
		Pass:      s().Foreground(lipgloss.Color("2")),
		Warn:      s().Foreground(lipgloss.Color("3")),
		Fail:      s().Foreground(lipgloss.Color("1")).Bold(true),
		Skip:      s().Foreground(lipgloss.Color("8")),
		Error:     s().Foreground(lipgloss.Color("1")),
		Highlight: s().Bold(true).Foreground(lipgloss.Color("0")).Background(lipgloss.Color("11")),
		Banner:    s().Foreground(lipgloss.Color("13")),
		Card:      s().Border(lipgloss.RoundedBorder()).BorderForeground(lipgloss.Color("8")).Padding(0, 1),
		Key:       s().Bold(true),
		Cursor:    s().Reverse(true),
	}
}

// status returns the style of a check status.
func (s Styles) status(st checks.Status) lipgloss.Style {
	switch st {
	case checks.Pass:
		return s.Pass
	case checks.Warn:
		return s.Warn
	case checks.Fail:
		return s.Fail
	}
	return s.Skip
}
