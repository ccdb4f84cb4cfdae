// Package ui is axysdoctor's terminal wizard on Bubble Tea v1.
//
// A root model (model.go) owns the history, the chrome (header, help bar,
// scrolling), the global keys and the window size, and routes to exactly
// one step. Each step implements the small step interface (step.go) in
// its own file. Steps move the wizard on with typed handoff messages
// (handoff.go), which the root records in the journey (journey.go), the
// one place the steps share what they learned. Background work returns
// asyncMsgs addressed to a step and a run (async.go): the root delivers
// them to their step whatever is showing, and drops them when stale.
//
// The wizard renders the engine's checks.Result values and never judges a
// certificate itself; all I/O and slow work (RSA generation, network
// checks, reading files) runs in tea.Cmds that close over copies of their
// inputs, and a cancel function in the root stops them on quit. The demo's
// backend (the emulator) is built by package main: ui does not import it.
package ui
