package ui

import (
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/golden"

	"github.com/axysdoctor/axysdoctor/checks"
	"github.com/axysdoctor/axysdoctor/config"
)

// goldenCases put the wizard in every step's interesting states. The
// golden files are their View at 80×24 without colour. Update with:
// go test ./ui -run TestGolden -update
func goldenCases(t testing.TB) []goldenCase {
	certDir := t.TempDir()
	certPath, keyPath := fixture(t, certDir, time.Date(2027, 2, 18, 0, 0, 0, 0, time.UTC))
	mat, err := checks.LoadMaterial(checks.Options{CertPath: certPath, KeyPath: keyPath}, checks.Passwords{}, fixedNow)
	if err != nil {
		t.Fatal(err)
	}
	loadedCard := newLoaded(mat, "/home/tenant/client.pem", "/home/tenant/client.key", fixedNow)
	rep := sampleReport()
	made := created{
		keyPath: "/home/tenant/client.key", csrPath: "/home/tenant/client.csr",
		fingerprint: "3C:B5:25:6D:1F:11:32:5D:77:DC:A7:5E:DF:B5:A2:D3:23:7A:3D:16:90:F1:58:2B:9D:23:8A:93:86:F7:02:2D",
		subject:     "O=Acme Financial Services Ltd, OU=Acme Cards, CN=api.acmecards.example",
		sans:        []string{"DNS:api.acmecards.example", "IP:203.0.113.10"},
		notes:       []string{"added the CN api.acmecards.example as the first DNS SAN, as the Axys sample does"},
	}
	finished := func(m *Model) {
		run := startChecks(m)
		send(m, asyncMsg{step: stepChecks, job: jobChecks, run: run, msg: checksDoneMsg{rep}})
	}
	return []goldenCase{
		{"welcome", func(m *Model) {}},
		{"help", func(m *Model) { press(m, "?") }},
		{"environment", func(m *Model) { press(m, "enter", "down") }},
		{"advanced", func(m *Model) {
			press(m, "enter", "a", "tab", "tab", "tab", "tab", "tab", "tab", "socks5://proxy.corp:1080")
		}},
		{"current_cert", func(m *Model) { press(m, "down", "enter", "enter") }},
		{"form", func(m *Model) { press(m, "enter", "enter") }},
		{"form_renewal", func(m *Model) {
			press(m, "down", "enter", "enter")
			send(m, renewFromMsg{loadedCard})
		}},
		{"form_error", func(m *Model) {
			press(m, "enter", "enter", "Acme Financial Services Ltd", "enter", "Acme Cards", "enter", "*.acmecards")
		}},
		{"form_flagged", func(m *Model) {
			press(m, "enter", "enter", "Acme", "backspace", "backspace", "backspace", "backspace", "tab")
		}},
		{"form_offer", func(m *Model) {
			press(m, "enter", "enter")
			m.c.journey.created = &made
			setStep(m, stepForm, func(f *formStep) {
				f.pending = formResult{keyPath: made.keyPath, csrPath: made.csrPath}
			})
			send(m, asyncMsg{step: stepForm, job: jobPaths, run: newRun(m, stepForm, jobPaths), msg: pathsMsg{true, true}})
		}},
		{"keygen_running", func(m *Model) {
			show(m, modeOnboard, stepKeygen)
			setStep(m, stepKeygen, func(k *keygenStep) { k.phase = keygenRunning })
		}},
		{"keygen_written", func(m *Model) {
			show(m, modeOnboard, stepKeygen)
			send(m, asyncMsg{step: stepKeygen, job: jobKeygen, run: newRun(m, stepKeygen, jobKeygen), msg: keygenDoneMsg{made}})
		}},
		{"load", func(m *Model) { press(m, "down", "down", "enter", "enter") }},
		{"load_card", func(m *Model) {
			press(m, "down", "down", "enter", "enter")
			send(m, asyncMsg{step: stepLoad, job: jobRead, run: newRun(m, stepLoad, jobRead), msg: loadedMsg{loadedCard}})
		}},
		{"apikey", func(m *Model) {
			show(m, modeHaveCert, stepAPIKey)
			press(m, "axys_prog_0123456789abcdef")
		}},
		{"checks_running", func(m *Model) {
			m.c.journey.env = rep.Environment
			startChecks(m)
			setStep(m, stepChecks, func(c *checksStep) {
				c.started[checks.IDNetEgress] = fixedNow.Add(-1200 * time.Millisecond)
				c.started[checks.IDTLSHandshake] = fixedNow.Add(-300 * time.Millisecond)
				for _, r := range rep.Results[:6] {
					c.results[r.ID] = r
				}
			})
		}},
		{"checks_done", func(m *Model) {
			m.c.journey.env = rep.Environment
			finished(m)
		}},
		{"detail", func(m *Model) {
			finished(m)
			send(m, openDetailMsg{rep.Results[7]})
		}},
		{"detail_table", func(m *Model) {
			finished(m)
			send(m, openDetailMsg{rep.Results[7]})
			press(m, "t")
		}},
		{"detail_long", func(m *Model) {
			finished(m)
			send(m, openDetailMsg{longResult()})
		}},
		{"save", func(m *Model) {
			finished(m)
			press(m, "s")
		}},
		{"welcome_profiles", func(m *Model) {
			withProfiles(m, "production")
		}},
		{"environment_profile", func(m *Model) {
			withProfiles(m, "production")
			p := m.c.journey.profiles[1]
			env, _ := checks.ResolveEnvironment(p.Env, p.BaseURL)
			send(m, profileChosenMsg{from: fromProfile{profile: p, opts: checks.Options{Environment: env, CAFile: "/home/tenant/axys/gateway-ca.pem", Timeout: 10 * time.Second}},
				offer: keyOffer{key: checks.NewAPIKey("axys_prog_0123456789abcdef"), source: keySource{env: "AXYS_PROD_KEY"}}})
		}},
		{"apikey_profile_unset", func(m *Model) {
			withProfiles(m, "")
			m.c.journey.profile = &fromProfile{profile: m.c.journey.profiles[0]}
			m.c.journey.keyOffer = keyOffer{source: keySource{env: "AXYS_STAGING_KEY"}, problem: "$AXYS_STAGING_KEY is not set in this shell"}
			show(m, modeTriage, stepAPIKey)
		}},
		{"checks_done_config", func(m *Model) {
			withProfiles(m, "")
			m.c.journey.env = rep.Environment
			finished(m)
		}},
		{"save_profile", func(m *Model) {
			toSaveProfile(m, rep, finished)
		}},
		{"save_profile_clash", func(m *Model) {
			toSaveProfile(m, rep, finished)
			send(m, asyncMsg{step: stepSaveProfile, job: jobSaveProfile, run: newRun(m, stepSaveProfile, jobSaveProfile), msg: profileSaveMsg{
				path: goldenConfig, profile: stepOf[profileSaveStep](m, stepSaveProfile).profile(),
				clash: []change{{"cert", "/home/tenant/old/client.pem", "/home/tenant/client.pem"}, {"key", "/home/tenant/old/client.key", "/home/tenant/client.key"}, {"timeout", "", "10s"}},
			}})
		}},
		{"save_profile_saved", func(m *Model) {
			toSaveProfile(m, rep, finished)
			send(m, asyncMsg{step: stepSaveProfile, job: jobSaveProfile, run: newRun(m, stepSaveProfile, jobSaveProfile), msg: profileSaveMsg{
				path: goldenConfig, profile: stepOf[profileSaveStep](m, stepSaveProfile).profile(),
			}})
		}},
	}
}

const goldenConfig = "/home/tenant/.config/axysdoctor/config.toml"

// withProfiles gives the wizard a config file with two profiles, start
// selected (as --profile does) unless it is "".
func withProfiles(m *Model, start string) {
	m.c.config = Config{Path: goldenConfig, Start: start, WorkDir: "/home/tenant"}
	m.c.journey.profiles = []config.Profile{
		{Name: "staging", Env: "staging", Cert: "/home/tenant/axys/client.pem", Key: "/home/tenant/axys/client.key", APIKeyEnv: "AXYS_STAGING_KEY"},
		{Name: "production", Env: "production", BaseURL: "https://axys-gw.acmecards.example/v2", P12: "/home/tenant/axys/production.p12"},
	}
	m.steps[stepWelcome] = newWelcome(m.c)
}

// toSaveProfile opens "save as profile" after a run of a typed key.
func toSaveProfile(m *Model, rep checks.Report, finished func(*Model)) {
	withProfiles(m, "")
	m.c.journey.env = rep.Environment
	m.c.journey.creds = loaded{certPath: "/home/tenant/client.pem", keyPath: "/home/tenant/client.key"}
	m.c.journey.apiKey, m.c.journey.keyTyped = checks.NewAPIKey("axys_prog_0123456789abcdef"), true
	finished(m)
	press(m, "p")
}

type goldenCase struct {
	name  string
	setup func(m *Model)
}

func TestGolden(t *testing.T) {
	for _, c := range goldenCases(t) {
		t.Run(c.name, func(t *testing.T) {
			m := newTestModel(t, testBackend("/home/tenant"))
			c.setup(m)
			golden.RequireEqual(t, []byte(m.View()))
		})
	}
}

// longResult has more evidence than 80×24 shows at once.
func longResult() checks.Result {
	r := sampleReport().Results[7]
	r.Evidence = nil
	for _, name := range []string{"PTR 203.0.113.10", "A host-203-0-113-10.isp.example", "PTR 203.0.113.11", "A host-203-0-113-11.isp.example", "PTR 2001:db8::10", "AAAA host-2001-db8--10.isp.example"} {
		r.Evidence = append(r.Evidence, checks.Evidence{Label: name, Value: "NXDOMAIN (the name does not exist); a fix can take up to 300s (SOA minimum) to be seen"})
	}
	return r
}

func TestViewReflowsOnResize(t *testing.T) {
	m := newTestModel(t, testBackend("/home/tenant"))
	run := startChecks(m)
	send(m, asyncMsg{step: stepChecks, job: jobChecks, run: run, msg: checksDoneMsg{sampleReport()}})
	for i, size := range [][2]int{{80, 24}, {120, 40}, {60, 20}, {80, 24}} {
		send(m, tea.WindowSizeMsg{Width: size[0], Height: size[1]})
		if i == 3 {
			press(m, "?") // the full help is taller: the body gives way
		}
		lines := strings.Split(m.View(), "\n")
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
