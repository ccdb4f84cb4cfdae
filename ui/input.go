package ui

import (
	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/textinput"
)

// newInput makes a text input with a steady cursor, styled with the wizard's renderer, so that
// NO_COLOR and non-terminals are honoured inside inputs too.
func newInput(c *common, charLimit int) textinput.Model {
	in := textinput.New()
	in.Prompt = ""
	in.CharLimit = charLimit
	in.PlaceholderStyle = c.styles.Subtle
	in.CompletionStyle = c.styles.Subtle
	in.TextStyle = c.styles.Value
	in.PromptStyle = c.styles.Value
	in.Cursor.Style = c.styles.Cursor
	in.Cursor.TextStyle = c.styles.Value
	// A steady cursor: no blink timer redrawing the screen over SSH.
	in.Cursor.SetMode(cursor.CursorStatic)
	return in
}
