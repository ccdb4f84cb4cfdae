package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/axysdoctor/axysdoctor/checks"
	"github.com/axysdoctor/axysdoctor/emulator"
	"github.com/axysdoctor/axysdoctor/internal/cleanup"
	"github.com/axysdoctor/axysdoctor/ui"
)

// demoBackend starts the emulator with scenario and returns a wizard
// backend pointing at it, with files in a new temporary directory; stop
// releases both. So that every path of the wizard works with enter
// through the defaults, the emulator's ready credential is placed in
// DIR/current (renewal renews it; "I have a signed certificate" and triage
// test it), and new keys, CSRs and certificates go to DIR itself.
func demoBackend(scenario, style string) (b ui.Backend, stop func(), err error) {
	emu, err := emulator.Start(emulator.Options{Scenario: scenario, Style: style})
	if err != nil {
		return ui.Backend{}, nil, err
	}
	dir, err := os.MkdirTemp("", "axysdoctor-demo-")
	if err != nil {
		emu.Close()
		return ui.Backend{}, nil, err
	}
	unregister := cleanup.RemoveOnExit(dir) // also when a signal cuts the run short
	stop = func() { emu.Close(); os.RemoveAll(dir); unregister() }
	current := filepath.Join(dir, "current")
	if err := os.Mkdir(current, 0o700); err != nil {
		stop()
		return ui.Backend{}, nil, err
	}
	files, err := emu.WriteDir(current, false)
	if err != nil {
		stop()
		return ui.Backend{}, nil, err
	}
	env, _ := checks.ResolveEnvironment("staging", emu.BaseURL)
	env.Name = "emulator"
	env.Note = fmt.Sprintf("the built-in emulator plays the staging gateway at %s (scenario %s)", emu.BaseURL, emu.Scenario().Name)
	b = ui.Backend{
		Demo:         true,
		Scenario:     emu.Scenario().Name,
		Environments: []checks.Environment{env},
		Base: checks.Options{
			CAFile: files.CA, Resolver: emu.DNSAddr, EgressServers: []string{emu.DNSAddr},
			Timeout: 2 * time.Second, Proxy: checks.ProxyDirect,
		},
		Dir:          dir,
		CertPath:     files.Cert,
		KeyPath:      files.Key,
		APIKey:       checks.NewAPIKey(emu.APIKey()),
		APIKeySource: "the emulator",
		Sign: func(_ context.Context, csrPEM []byte) ([]byte, error) {
			return emu.SignCSR(csrPEM)
		},
	}
	if emu.Scenario().Proxy {
		b.Base.Proxy, b.Base.EgressURLs = emu.ProxyURL, []string{emu.WhoAmIURL}
	}
	return b, stop, nil
}
