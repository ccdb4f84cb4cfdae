package ui

import (
	"context"

	"github.com/axysdoctor/axysdoctor/checks"
)

// Backend is what differs between a real session and the demo: where the
// checks point, where files go by default, what is already in place, and
// who signs a CSR. The demo's is built in package main, next to the
// emulator, which ui does not import.
type Backend struct {
	// Demo is set when the emulator stands in for Axys.
	Demo     bool
	Scenario string
	// Environments offered, in order (the demo offers only its emulator).
	Environments []checks.Environment
	// Base holds the options every check run starts from (CA file,
	// resolver, egress servers, timeout); the Advanced panel changes them.
	Base checks.Options
	// Deps reach the network (tests and the demo keep them on loopback).
	Deps checks.Deps
	// Dir is where new keys, CSRs and certificates are written by default.
	Dir string
	// CertPath and KeyPath are a certificate and key already in place,
	// offered by the steps that load one (the demo's ready credential).
	CertPath, KeyPath string
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
