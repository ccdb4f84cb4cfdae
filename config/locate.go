package config

import (
	"strings"

	"github.com/pelletier/go-toml/v2/unstable"
)

// position is where something starts in the file.
type position struct{ line, column int }

// keyPath joins a TOML key's parts; NUL cannot occur in a key, dots can.
func keyPath(parts ...string) string { return strings.Join(parts, "\x00") }

// locate maps every table and key of a valid document to where it is
// written, and lists tables in the order they appear, so that errors found
// after decoding still carry a line and column, and profiles keep the
// order the user wrote them in. go-toml's decoder drops positions; its
// parser keeps them.
func locate(data []byte) (pos map[string]position, order []string) {
	pos = map[string]position{}
	var p unstable.Parser
	p.Reset(data)
	at := func(r unstable.Range) position {
		s := p.Shape(r).Start
		return position{s.Line, s.Column}
	}
	// note records parts and its parents (a dotted key defines them too),
	// each at the position of its own last part; the first mention wins.
	note := func(parts []string, where []position) {
		for i := 1; i <= len(parts); i++ {
			k := keyPath(parts[:i]...)
			if _, ok := pos[k]; !ok {
				pos[k] = where[min(i, len(where))-1]
				order = append(order, k)
			}
		}
	}
	var table []string
	var walk func(prefix []string, kv *unstable.Node)
	walk = func(prefix []string, kv *unstable.Node) {
		parts := append(append([]string{}, prefix...), keyParts(kv.Key())...)
		note(parts, []position{at(kv.Raw)})
		if v := kv.Value(); v.Kind == unstable.InlineTable {
			it := v.Children()
			for it.Next() {
				if n := it.Node(); n.Kind == unstable.KeyValue {
					walk(parts, n)
				}
			}
		}
	}
	for p.NextExpression() {
		e := p.Expression()
		switch e.Kind {
		case unstable.Table, unstable.ArrayTable:
			table = keyParts(e.Key())
			var where []position
			for it := e.Key(); it.Next(); {
				where = append(where, at(it.Node().Raw))
			}
			note(table, where)
		case unstable.KeyValue:
			walk(table, e)
		}
	}
	return pos, order
}

func keyParts(it unstable.Iterator) []string {
	var parts []string
	for it.Next() {
		parts = append(parts, string(it.Node().Data))
	}
	return parts
}
