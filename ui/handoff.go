package ui

import (
	tea "github.com/charmbracelet/bubbletea"

	"github.com/axysdoctor/axysdoctor/checks"
	"github.com/axysdoctor/axysdoctor/config"
)

// handoff is a typed message a step sends to the root when it is done or
// has learned something the others need. The root lets it record what it
// carries in the journey, moves to the step it names, and passes it on
// to that step, whose update starts from it. This file is the wizard's
// whole flow.
type handoff interface {
	// apply records the message in j and returns the step to show next,
	// stay, or back.
	apply(j *journey) stepID
}

// handOff is the command that sends h.
func handOff(h handoff) tea.Cmd { return func() tea.Msg { return h } }

// modeChosenMsg: the welcome step's choice. A profile chosen before (and
// gone back from) no longer applies.
type modeChosenMsg struct{ mode mode }

func (h modeChosenMsg) apply(j *journey) stepID {
	j.mode = h.mode
	if j.profile != nil {
		j.profile = nil
		j.settings, j.keyOffer = j.defaults.settings, j.defaults.keyOffer
	}
	return stepEnvironment
}

// profileChosenMsg: the welcome step's other choice, a profile, read. It
// is a triage of what the profile holds: its environment, settings,
// credentials and API key become the steps' defaults.
type profileChosenMsg struct {
	from  fromProfile
	offer keyOffer
}

func (h profileChosenMsg) apply(j *journey) stepID {
	from := h.from
	j.mode, j.profile = modeTriage, &from
	j.settings, j.keyOffer = settingsOf(from.opts), h.offer
	return stepEnvironment
}

// envChosenMsg: the environment, and with it the base URL.
type envChosenMsg struct{ env checks.Environment }

func (h envChosenMsg) apply(j *journey) stepID {
	j.env = h.env
	switch j.mode {
	case modeOnboard:
		return stepForm
	case modeRenew:
		return stepCurrentCert
	}
	return stepLoad
}

// openAdvancedMsg opens the Advanced settings.
type openAdvancedMsg struct{}

func (openAdvancedMsg) apply(*journey) stepID { return stepAdvanced }

// settingsMsg: the Advanced settings were saved; back to where they were
// opened from (the checks run again with them).
type settingsMsg struct{ settings settings }

func (h settingsMsg) apply(j *journey) stepID { j.settings = h.settings; return back }

// rerunMsg: a result on screen is out of date; back to the checks, which
// run again.
type rerunMsg struct{}

func (rerunMsg) apply(*journey) stepID { return back }

// renewFromMsg: renewal's current certificate, which fills the form.
type renewFromMsg struct{ current loaded }

func (renewFromMsg) apply(*journey) stepID { return stepForm }

// requestMsg: the form is valid. keep, when set, is the key and CSR made
// earlier in this session, kept instead of making new ones.
type requestMsg struct {
	req  formResult
	keep *created
}

func (requestMsg) apply(*journey) stepID { return stepKeygen }

// createdMsg: a key and CSR are on disk.
type createdMsg struct{ created created }

func (h createdMsg) apply(j *journey) stepID { c := h.created; j.created = &c; return stay }

// csrReadyMsg: the key exists; certPath is the signed certificate when the
// demo's emulator made one.
type csrReadyMsg struct{ certPath, keyPath string }

func (csrReadyMsg) apply(*journey) stepID { return stepLoad }

// credentialsMsg: the certificate and key to test were read.
type credentialsMsg struct{ creds loaded }

func (h credentialsMsg) apply(j *journey) stepID { j.creds = h.creds; return stepAPIKey }

// apiKeyMsg: the API key; the checks start. typed: it was typed into the
// wizard rather than offered.
type apiKeyMsg struct {
	key   checks.APIKey
	typed bool
}

func (h apiKeyMsg) apply(j *journey) stepID { j.apiKey, j.keyTyped = h.key, h.typed; return stepChecks }

// reportMsg: a diagnosis finished.
type reportMsg struct{ report checks.Report }

func (h reportMsg) apply(j *journey) stepID { j.report = h.report; return stay }

// openDetailMsg shows one result.
type openDetailMsg struct{ result checks.Result }

func (openDetailMsg) apply(*journey) stepID { return stepDetail }

// openSaveMsg opens the save step for the last report.
type openSaveMsg struct{}

func (openSaveMsg) apply(*journey) stepID { return stepSave }

// reportSavedMsg: the report is on disk.
type reportSavedMsg struct{ path string }

func (h reportSavedMsg) apply(j *journey) stepID { j.saved = h.path; return stay }

// openProfileSaveMsg opens "save as profile" for the last run.
type openProfileSaveMsg struct{}

func (openProfileSaveMsg) apply(*journey) stepID { return stepSaveProfile }

// profileSavedMsg: a profile is in the config file at path.
type profileSavedMsg struct {
	path    string
	profile config.Profile
}

func (h profileSavedMsg) apply(j *journey) stepID {
	j.profiles = withProfile(j.profiles, h.profile)
	j.savedProfile, j.savedProfilePath = h.profile.Name, h.path
	return stay
}
