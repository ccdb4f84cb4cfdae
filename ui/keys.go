package ui

import "github.com/charmbracelet/bubbles/key"

// KeyMap holds every key binding of the wizard, with its help text.
type KeyMap struct {
	Next     key.Binding
	Back     key.Binding
	Quit     key.Binding
	QuitAny  key.Binding
	Help     key.Binding
	Up       key.Binding
	Down     key.Binding
	NextFld  key.Binding
	PrevFld  key.Binding
	Complete key.Binding
	Copy     key.Binding
	Detail   key.Binding
	Rerun    key.Binding
	Save     key.Binding
	AddIP    key.Binding
	Change   key.Binding
	PageUp   key.Binding
	PageDown key.Binding
	Format   key.Binding
	Advanced key.Binding
	Table    key.Binding
	Edit     key.Binding
	// SaveProfile saves the run's settings as a profile; Yes and No
	// answer whether to replace a profile of the same name.
	SaveProfile key.Binding
	Yes         key.Binding
	No          key.Binding
	// Select stands for Up and Down in the short help.
	Select key.Binding
	// Scroll stands for Up and Down when they scroll.
	Scroll key.Binding
}

// DefaultKeyMap is the wizard's key map.
func DefaultKeyMap() KeyMap {
	return KeyMap{
		Next:        key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "next")),
		Back:        key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "back")),
		Quit:        key.NewBinding(key.WithKeys("q", "ctrl+c"), key.WithHelp("q", "quit")),
		QuitAny:     key.NewBinding(key.WithKeys("ctrl+c"), key.WithHelp("ctrl+c", "quit")),
		Help:        key.NewBinding(key.WithKeys("?"), key.WithHelp("?", "keys")),
		Up:          key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", "up")),
		Down:        key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", "down")),
		NextFld:     key.NewBinding(key.WithKeys("tab", "down"), key.WithHelp("tab/↓", "next")),
		PrevFld:     key.NewBinding(key.WithKeys("shift+tab", "up"), key.WithHelp("⇧tab/↑", "back a field")),
		Complete:    key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", "complete path")),
		Copy:        key.NewBinding(key.WithKeys("c"), key.WithHelp("c", "copy CSR")),
		Detail:      key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "details")),
		Rerun:       key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "rerun")),
		Save:        key.NewBinding(key.WithKeys("s"), key.WithHelp("s", "save")),
		AddIP:       key.NewBinding(key.WithKeys("ctrl+o"), key.WithHelp("ctrl+o", "add detected IP")),
		Change:      key.NewBinding(key.WithKeys("e"), key.WithHelp("e", "enter another key")),
		PageUp:      key.NewBinding(key.WithKeys("pgup"), key.WithHelp("pgup", "page up")),
		PageDown:    key.NewBinding(key.WithKeys("pgdown"), key.WithHelp("pgdn", "page down")),
		Format:      key.NewBinding(key.WithKeys("left", "right"), key.WithHelp("←/→", "format")),
		Advanced:    key.NewBinding(key.WithKeys("a"), key.WithHelp("a", "advanced")),
		Table:       key.NewBinding(key.WithKeys("t"), key.WithHelp("t", "whole table")),
		Edit:        key.NewBinding(key.WithKeys("e"), key.WithHelp("e", "other files")),
		SaveProfile: key.NewBinding(key.WithKeys("p"), key.WithHelp("p", "save as profile")),
		Yes:         key.NewBinding(key.WithKeys("y"), key.WithHelp("y", "replace it")),
		No:          key.NewBinding(key.WithKeys("n"), key.WithHelp("n", "keep it")),
		Select:      key.NewBinding(key.WithKeys("up", "down"), key.WithHelp("↑/↓", "select")),
		Scroll:      key.NewBinding(key.WithKeys("up", "down"), key.WithHelp("↑/↓", "scroll")),
	}
}

// stepKeys is the help for one step: ShortHelp in the bar, FullHelp on ?.
// typing is set while a field has the focus: q and ? are letters then.
type stepKeys struct {
	short  []key.Binding
	full   [][]key.Binding
	typing bool
}

func (k stepKeys) ShortHelp() []key.Binding  { return k.short }
func (k stepKeys) FullHelp() [][]key.Binding { return k.full }
