package ui

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/axysdoctor/axysdoctor/checks"
	"github.com/axysdoctor/axysdoctor/emulator"
)

// Backend is what differs between a real session and the demo: where the
// checks point, where files go by default, and who signs a CSR.
type Backend struct {
	// Demo is set when the emulator stands in for Axys.
	Demo     bool
	Scenario string
	// Environments offered, in order (the demo offers only its emulator).
	Environments []checks.Environment
	// Base holds the options every check run starts from (CA file,
	// resolver, egress servers, timeout).
	Base checks.Options
	// Deps reach the network (tests and the demo keep them on loopback).
	Deps checks.Deps
	// Dir is where new keys, CSRs and certificates are written by default.
	Dir string
	// APIKey is a key given by the environment ($AXYS_API_KEY) or the demo.
	APIKey checks.APIKey
	// APIKeySource names where APIKey came from, for the screen.
	APIKeySource string
	// Sign stands in for Axys signing a CSR (demo only); it returns PEM.
	Sign func(ctx context.Context, csrPEM []byte) ([]byte, error)
}

// RealBackend is a session against the real platform.
func RealBackend(getenv func(string) string, dir string) Backend {
	var envs []checks.Environment
	for _, n := range checks.EnvironmentNames {
		e, _ := checks.ResolveEnvironment(n, "")
		envs = append(envs, e)
	}
	b := Backend{Environments: envs, Base: checks.Options{Timeout: checks.DefaultTimeout}, Dir: dir}
	if k := checks.NewAPIKey(getenv("AXYS_API_KEY")); !k.Empty() {
		b.APIKey, b.APIKeySource = k, "$AXYS_API_KEY"
	}
	return b
}

// DemoBackend starts the emulator with scenario and returns a backend
// pointing at it, with files in a new temporary directory; stop releases
// both.
func DemoBackend(scenario, style string) (Backend, func(), error) {
	emu, err := emulator.Start(emulator.Options{Scenario: scenario, Style: style})
	if err != nil {
		return Backend{}, nil, err
	}
	dir, err := os.MkdirTemp("", "axysdoctor-demo-")
	if err != nil {
		emu.Close()
		return Backend{}, nil, err
	}
	caFile := filepath.Join(dir, "emulator-ca.pem")
	if err := os.WriteFile(caFile, emu.ServerCA.PEM(), 0o644); err != nil {
		emu.Close()
		os.RemoveAll(dir)
		return Backend{}, nil, err
	}
	env, _ := checks.ResolveEnvironment("staging", emu.BaseURL)
	env.Name = "emulator"
	env.Note = fmt.Sprintf("the built-in emulator plays the staging gateway at %s (scenario %s)", emu.BaseURL, emu.Scenario().Name)
	b := Backend{
		Demo:         true,
		Scenario:     emu.Scenario().Name,
		Environments: []checks.Environment{env},
		Base: checks.Options{
			CAFile: caFile, Resolver: emu.DNSAddr, EgressServers: []string{emu.DNSAddr},
			Timeout: 2 * time.Second, Proxy: checks.ProxyDirect,
		},
		Dir:          dir,
		APIKey:       checks.NewAPIKey(emu.APIKey()),
		APIKeySource: "the emulator",
		Sign: func(_ context.Context, csrPEM []byte) ([]byte, error) {
			return emu.SignCSR(csrPEM)
		},
	}
	if emu.Scenario().Proxy {
		b.Base.Proxy, b.Base.EgressURLs = emu.ProxyURL, []string{emu.WhoAmIURL}
	}
	return b, func() { emu.Close(); os.RemoveAll(dir) }, nil
}
