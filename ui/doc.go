// Package ui is axysdoctor's terminal wizard on Bubble Tea v1: a root model
// owning the step state machine and one child model per step (welcome,
// environment, CSR form, key generation, certificate, API key, checks,
// detail, save). It renders the engine's checks.Result values and never
// re-implements a check; all I/O and slow work (RSA generation, network
// checks) runs in tea.Cmds that a cancel function in the root stops on quit.
package ui
