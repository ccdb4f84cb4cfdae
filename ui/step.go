package ui

import tea "github.com/charmbracelet/bubbletea"

// step is one screen of the wizard. The root model holds one value per
// stepID and talks to the current one through this interface only, so a
// new step is a new file and a new ID, not an edit of every root method.
//
// Steps are values: init and update return the new value, which the root
// stores. A step never does I/O in update; it returns commands that close
// over copies of their inputs.
type step interface {
	// title names the step in the header.
	title() string
	// init runs each time the step becomes current, forward or back: it
	// focuses the step's input. Starting work is update's job, on the
	// handoff message that leads here (handoff.go).
	init() (step, tea.Cmd)
	update(msg tea.Msg) (step, tea.Cmd)
	// view renders the body; the root adds the header, the help bar and
	// scrolling.
	view() string
	// busy reports running work that esc must not abandon half-way.
	busy() bool
	// keys is the step's help, and whether it is typing into a field.
	keys() stepKeys
}

// stepID names a step.
type stepID int

const (
	stepWelcome stepID = iota
	stepEnvironment
	stepAdvanced
	stepCurrentCert // renewal: the certificate to renew
	stepForm
	stepKeygen
	stepLoad
	stepAPIKey
	stepChecks
	stepDetail
	stepSave
	stepSaveProfile
	stepCount
)

// Where a handoff leads when it is not a step.
const (
	stay stepID = -1 // record only: the current step stays
	back stepID = -2 // return to the previous step
)

// mode is what the user came to do.
type mode int

const (
	modeOnboard mode = iota
	modeRenew
	modeHaveCert
	modeTriage
)

var modes = []mode{modeOnboard, modeRenew, modeHaveCert, modeTriage}

func (m mode) String() string {
	return [...]string{"New onboarding", "Renewal", "I have a signed certificate", "Triage an existing setup"}[m]
}

// path is the order of steps for a mode, for "step k of n" in the header.
func (m mode) path() []stepID {
	switch m {
	case modeOnboard:
		return []stepID{stepWelcome, stepEnvironment, stepForm, stepKeygen, stepLoad, stepAPIKey, stepChecks}
	case modeRenew:
		return []stepID{stepWelcome, stepEnvironment, stepCurrentCert, stepForm, stepKeygen, stepLoad, stepAPIKey, stepChecks}
	}
	return []stepID{stepWelcome, stepEnvironment, stepLoad, stepAPIKey, stepChecks}
}
