package ui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/axysdoctor/axysdoctor/internal/termsafe"
)

// formField is one labelled input with its validator, a plain
// func(string) error (shared with the csr package where one exists).
type formField struct {
	label    string
	hint     string
	required bool
	validate func(string) error
	input    textinput.Model
	// touched: typed into since it last had the focus.
	touched bool
	// flagged: required, and left empty after being typed into.
	flagged bool
}

func (f formField) value() string { return strings.TrimSpace(f.input.Value()) }

// check is the field's problem, if any.
func (f formField) check() error {
	if f.value() == "" {
		if f.required {
			return fmt.Errorf("%s is required: %s", f.label, f.hint)
		}
		return nil
	}
	return f.validate(f.input.Value())
}

// fieldList is a column of fields with one focused: the CSR form and the
// Advanced settings. The reason for a ✗ shows as the user types, and a
// required field emptied and left is flagged.
type fieldList struct {
	fields     []formField
	focused    int
	labelWidth int
	// err is the message that blocked a submit or flagged a field; it
	// gives way to the focused field's own message once the user types.
	err string
}

func (l *fieldList) add(c *common, label, hint string, required bool, v func(string) error, placeholder string) {
	in := newInput(c, 512)
	in.Placeholder = placeholder
	l.fields = append(l.fields, formField{label: label, hint: hint, required: required, validate: v, input: in})
}

func (l *fieldList) setWidth(c *common) {
	for i := range l.fields {
		l.fields[i].input.Width = c.inputWidth(l.labelWidth)
	}
}

func (l *fieldList) focus() tea.Cmd {
	for i := range l.fields {
		l.fields[i].input.Blur()
	}
	return l.fields[l.focused].input.Focus()
}

// moveTo focuses field i (wrapping around). Leaving a required field that
// was emptied flags it and says so.
func (l *fieldList) moveTo(i int) tea.Cmd {
	f := &l.fields[l.focused]
	f.input.Blur()
	if f.required && f.touched && f.value() == "" {
		f.flagged = true
		l.err = f.check().Error()
	} else {
		l.err = ""
	}
	f.touched = false
	l.focused = (i + len(l.fields)) % len(l.fields)
	return l.fields[l.focused].input.Focus()
}

// typeInto passes msg to the focused input.
func (l *fieldList) typeInto(msg tea.Msg) tea.Cmd {
	f := &l.fields[l.focused]
	before := f.input.Value()
	var cmd tea.Cmd
	f.input, cmd = f.input.Update(msg)
	if f.input.Value() != before {
		f.touched, l.err = true, ""
		f.flagged = f.flagged && f.value() == ""
	}
	return cmd
}

// firstProblem is the index and problem of the first invalid field.
func (l fieldList) firstProblem() (int, error) {
	for i, f := range l.fields {
		if err := f.check(); err != nil {
			return i, err
		}
	}
	return -1, nil
}

// view renders one row per field: marker, label, ✓ or ✗, input.
func (l fieldList) view(s Styles) string {
	var b strings.Builder
	for i, f := range l.fields {
		label := f.label
		if f.required {
			label += " *"
		}
		label = fmt.Sprintf("%-*s", l.labelWidth, label)
		marker := "  "
		if i == l.focused {
			marker, label = s.Selected.Render("› "), s.Selected.Render(label)
		} else {
			label = s.Label.Render(label)
		}
		mark := " "
		switch {
		case f.flagged:
			mark = s.Error.Render("✗")
		case f.value() == "":
		case f.check() != nil:
			mark = s.Error.Render("✗")
		default:
			mark = s.Pass.Render("✓")
		}
		fmt.Fprintf(&b, "%s%s %s %s\n", marker, label, mark, f.input.View())
	}
	return b.String()
}

// message is the line under the fields: what blocked, else the focused
// field's ✗ reason as it is typed, else its hint.
func (l fieldList) message(s Styles, width int) string {
	if l.err != "" {
		return s.Error.Render(wrap("✗ "+termsafe.Line(l.err), width))
	}
	f := l.fields[l.focused]
	if err := f.check(); err != nil && (f.value() != "" || f.flagged) {
		return s.Error.Render(wrap("✗ "+termsafe.Line(err.Error()), width))
	}
	return s.Subtle.Render(wrap(f.label+": "+f.hint, width))
}

// navigate handles the keys every field list shares: enter checks the
// focused field and moves to the next (done when it was the last), tab and
// shift+tab move. handled is false for any other key.
func (l *fieldList) navigate(msg tea.KeyMsg, k KeyMap) (cmd tea.Cmd, done, handled bool) {
	switch {
	case key.Matches(msg, k.Next):
		if err := l.fields[l.focused].check(); err != nil {
			l.err = err.Error()
			return nil, false, true
		}
		if l.focused < len(l.fields)-1 {
			return l.moveTo(l.focused + 1), false, true
		}
		return nil, true, true
	case key.Matches(msg, k.NextFld):
		return l.moveTo(l.focused + 1), false, true
	case key.Matches(msg, k.PrevFld):
		return l.moveTo(l.focused - 1), false, true
	}
	return nil, false, false
}
