package checks

import (
	"context"
	"slices"
	"time"
)

// localIDs are the checks that judge the certificate and key alone: no
// network, no git, no file access beyond what LoadMaterial already read.
var localIDs = []string{IDCertChain, IDCertKeypair, IDCertValidity, IDCertSubject, IDCertSANs}

// LocalChecks runs the local certificate checks on mat, judged at now, in
// plan order, cleaned as Diagnose cleans them. The wizard's certificate
// card shows these results instead of judging the certificate a second
// way.
func LocalChecks(mat *Material, now time.Time) []Result {
	if mat == nil {
		mat = &Material{}
	}
	var steps []step
	for _, st := range plan() {
		if slices.Contains(localIDs, st.id) {
			// Waiting on a check that is not run here would block for ever.
			st.needs = slices.DeleteFunc(slices.Clone(st.needs), notLocal)
			st.after = slices.DeleteFunc(slices.Clone(st.after), notLocal)
			steps = append(steps, st)
		}
	}
	s := &session{mat: mat, deps: Deps{Now: func() time.Time { return now }}, results: map[string]Result{}}
	results := runGraph(context.Background(), steps, s, nil)
	for i := range results {
		results[i] = redactResult(results[i], redactor{})
	}
	return results
}

func notLocal(id string) bool { return !slices.Contains(localIDs, id) }

// ReminderDays are the days before expiry when Axys sends its renewal
// reminders, for renderers that draw them.
func ReminderDays() []int { return slices.Clone(reminderDays) }
