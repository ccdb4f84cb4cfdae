package ui

import (
	"testing"

	tea "github.com/charmbracelet/bubbletea"
)

// BenchmarkView renders every step, in the states the golden files show,
// at 120×40: each must stay well under 2 ms (a frame at 60 Hz is 16 ms,
// and a slow SSH link has less to spare). Run with:
// go test ./ui -run '^$' -bench View
func BenchmarkView(b *testing.B) {
	for _, c := range goldenCases(b) {
		b.Run(c.name, func(b *testing.B) {
			m := newTestModel(b, testBackend("/home/tenant"))
			send(m, tea.WindowSizeMsg{Width: 120, Height: 40})
			c.setup(m)
			for b.Loop() {
				_ = m.View()
			}
		})
	}
}
