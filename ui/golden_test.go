package ui

import (
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/golden"

	"github.com/axysdoctor/axysdoctor/checks"
)

// TestGolden snapshots every step's View at 80×24 without colour. Update
// with: go test ./ui -run TestGolden -update
func TestGolden(t *testing.T) {
	certDir := t.TempDir()
	certPath, keyPath := fixture(t, certDir, time.Date(2027, 2, 18, 0, 0, 0, 0, time.UTC))
	mat, err := checks.LoadMaterial(checks.Options{CertPath: certPath, KeyPath: keyPath}, checks.Passwords{}, fixedNow)
	if err != nil {
		t.Fatal(err)
	}
	loaded := loadedMsg{material: mat, certPath: "/home/tenant/client.pem", keyPath: "/home/tenant/client.key"}
	rep := sampleReport()

	cases := []struct {
		name  string
		setup func(m *Model)
	}{
		{"welcome", func(m *Model) {}},
		{"help", func(m *Model) { press(m, "?") }},
		{"environment", func(m *Model) { press(m, "enter", "down") }},
		{"current_cert", func(m *Model) { press(m, "down", "enter", "enter") }},
		{"form", func(m *Model) { press(m, "enter", "enter") }},
		{"form_error", func(m *Model) {
			press(m, "enter", "enter", "Acme Financial Services Ltd", "enter", "Acme Cards", "enter", "*.acmecards.example", "enter")
		}},
		{"keygen_running", func(m *Model) {
			m.mode, m.state, m.keygen.phase = modeOnboard, stateKeygen, keygenRunning
		}},
		{"keygen_written", func(m *Model) {
			m.mode, m.state = modeOnboard, stateKeygen
			send(m, keygenDoneMsg{
				keyPath: "/home/tenant/client.key", csrPath: "/home/tenant/client.csr",
				fingerprint: "3C:B5:25:6D:1F:11:32:5D:77:DC:A7:5E:DF:B5:A2:D3:23:7A:3D:16:90:F1:58:2B:9D:23:8A:93:86:F7:02:2D",
				subject:     "O=Acme Financial Services Ltd, OU=Acme Cards, CN=api.acmecards.example",
				sans:        []string{"DNS:api.acmecards.example", "IP:203.0.113.10"},
				notes:       []string{"added the CN api.acmecards.example as the first DNS SAN, as the Axys sample does"},
			})
		}},
		{"load", func(m *Model) { press(m, "down", "down", "enter", "enter") }},
		{"load_card", func(m *Model) {
			press(m, "down", "down", "enter", "enter")
			send(m, loaded)
		}},
		{"apikey", func(m *Model) {
			m.mode = modeHaveCert
			m.goTo(stateAPIKey)
			m.apikey.focus()
			press(m, "axys_prog_0123456789abcdef")
		}},
		{"checks_running", func(m *Model) {
			m.mode, m.state = modeHaveCert, stateChecks
			m.checks.env = rep.Environment
			m.checks.running, m.checks.run, m.checks.now = true, 1, fixedNow
			m.checks.started[checks.IDNetEgress] = fixedNow.Add(-1200 * time.Millisecond)
			m.checks.started[checks.IDTLSHandshake] = fixedNow.Add(-300 * time.Millisecond)
			for _, r := range rep.Results[:6] {
				m.checks.results[r.ID] = r
			}
		}},
		{"checks_done", func(m *Model) {
			m.mode, m.state = modeHaveCert, stateChecks
			m.checks.env = rep.Environment
			m.checks.run = 1
			send(m, checksDoneMsg{run: 1, report: rep})
		}},
		{"detail", func(m *Model) {
			m.mode, m.state = modeHaveCert, stateDetail
			m.detail.show(rep.Results[7])
		}},
		{"save", func(m *Model) {
			m.mode = modeHaveCert
			m.save.report = rep
			m.goTo(stateSave)
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m := newTestModel(t, testBackend("/home/tenant"))
			c.setup(m)
			golden.RequireEqual(t, []byte(m.View()))
		})
	}
}

func TestViewReflowsOnResize(t *testing.T) {
	m := newTestModel(t, testBackend("/home/tenant"))
	m.mode, m.state = modeHaveCert, stateChecks
	m.checks.run = 1
	send(m, checksDoneMsg{run: 1, report: sampleReport()})
	for i, size := range [][2]int{{80, 24}, {120, 40}, {60, 20}, {80, 24}} {
		send(m, tea.WindowSizeMsg{Width: size[0], Height: size[1]})
		if i == 3 {
			press(m, "?") // the full help is taller: the body gives way
		}
		v := m.View()
		lines := splitLines(v)
		if len(lines) != size[1] {
			t.Errorf("%dx%d: %d lines", size[0], size[1], len(lines))
		}
		for i, l := range lines {
			if w := lipglossWidth(l); w > size[0] {
				t.Errorf("%dx%d: line %d is %d wide: %q", size[0], size[1], i, w, l)
			}
		}
	}
}
