package ui

import tea "github.com/charmbracelet/bubbletea"

// job is a kind of background work a step runs. Runs of one job replace
// each other; runs of different jobs do not (a path completion does not
// make a certificate read stale).
type job int

const (
	jobSpin        job = iota // a spinner's next frame
	jobEgress                 // detecting the calling IP
	jobPaths                  // do the form's output files exist?
	jobRead                   // reading a certificate and key
	jobComplete               // listing paths for tab completion
	jobKeygen                 // making the key and CSR
	jobSign                   // the demo's emulator signing the CSR
	jobCopy                   // OSC 52 to the clipboard
	jobChecks                 // a diagnosis and its event stream
	jobSave                   // writing a report
	jobProfile                // reading a profile's API key
	jobSaveProfile            // writing a profile into the config file
)

// asyncMsg is what every background command returns: its result,
// addressed to the step and the run it belongs to. The root delivers it
// to that step whatever step is showing, and drops it when the step has
// started a newer run of the same job since (it is stale).
type asyncMsg struct {
	step stepID
	job  job
	run  int
	msg  tea.Msg
}

type taskKey struct {
	step stepID
	job  job
}

// tasks numbers the runs of each step's jobs. It is changed only inside
// Update (by steps starting work, and read by the root), never by a
// command.
type tasks map[taskKey]int

// start begins a new run of a step's job: answers from earlier runs
// become stale.
func (t tasks) start(s stepID, j job, cmd tea.Cmd) tea.Cmd {
	k := taskKey{s, j}
	t[k]++
	return address(s, j, t[k], cmd)
}

// follow continues the current run (the next message of a stream).
func (t tasks) follow(s stepID, j job, cmd tea.Cmd) tea.Cmd {
	return address(s, j, t[taskKey{s, j}], cmd)
}

// cancel makes every outstanding answer of a step's job stale.
func (t tasks) cancel(s stepID, j job) { t[taskKey{s, j}]++ }

// current reports whether msg answers the latest run of its job.
func (t tasks) current(msg asyncMsg) bool { return t[taskKey{msg.step, msg.job}] == msg.run }

func address(s stepID, j job, run int, cmd tea.Cmd) tea.Cmd {
	if cmd == nil {
		return nil
	}
	return func() tea.Msg { return asyncMsg{step: s, job: j, run: run, msg: cmd()} }
}
