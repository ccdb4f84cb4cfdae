package checks

import (
	"context"
	"fmt"
	"time"

	"github.com/axysdoctor/axysdoctor/csr"
	"github.com/axysdoctor/axysdoctor/docs"
)

// Axys sends reminders 30, 15 and 5 days before expiry; 30 is the cue to renew.
var reminderDays = []int{30, 15, 5}

// documentedLifetime is the validity Axys documents for client certificates.
const documentedLifetime = 90 * 24 * time.Hour

// clockFloor: a clock earlier than this is certainly wrong.
var clockFloor = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)

// checkValidity: not expired, not yet valid, clock plausible, days left
// against the reminders.
func checkValidity(_ context.Context, s *session) Result {
	c := s.mat.Leaf
	now := s.now()
	r := Result{Status: Pass}
	const stamp = "2006-01-02 15:04 MST"
	r.add("not before", "%s", c.NotBefore.UTC().Format(stamp))
	r.add("not after", "%s", c.NotAfter.UTC().Format(stamp))
	r.add("checked at", "%s (this machine's clock)", now.UTC().Format(stamp))
	life := c.NotAfter.Sub(c.NotBefore)
	r.add("lifetime", "%d days (Axys documents 90)", int(life.Hours()/24+0.5))
	if life > documentedLifetime+48*time.Hour {
		r.add("note", "longer than Axys issues: is this the certificate Axys signed, or one from another CA?")
	}
	if now.Before(clockFloor) {
		r.add("clock", "this machine's clock reads %s, which cannot be right", now.UTC().Format("2006-01-02"))
	}
	switch {
	case now.After(c.NotAfter):
		r.Status = Fail
		r.Row = docs.RowTLSHandshake
		r.Summary = fmt.Sprintf("the certificate expired on %s, %s ago; Axys allows no grace period", c.NotAfter.UTC().Format("2006-01-02"), csr.InDays(csr.DaysLeft(c.NotAfter, now)))
		r.Fix = "Renew now: `axysdoctor csr --from-cert CERT --key-out new.key --csr-out new.csr` makes a CSR with the same subject and SANs on a fresh key; send it to Axys (about 24 hours)."
		return r
	case now.Before(c.NotBefore):
		r.Status = Fail
		r.Row = docs.RowTLSHandshake
		r.Summary = fmt.Sprintf("the certificate is not valid until %s", c.NotBefore.UTC().Format(stamp))
		r.Fix = "If this machine's clock is wrong, fix it (timedatectl / NTP); otherwise wait until the certificate's start date."
		if now.Before(clockFloor) {
			r.Summary += "; this machine's clock is wrong"
		}
		return r
	}
	days := csr.DaysLeft(c.NotAfter, now)
	r.Summary = fmt.Sprintf("valid for %d more days, until %s", days, c.NotAfter.UTC().Format("2006-01-02"))
	for i := len(reminderDays) - 1; i >= 0; i-- {
		if days < reminderDays[i] {
			r.Status = Warn
			r.Row = docs.RowTLSHandshake
			r.Summary = fmt.Sprintf("expires in %s (%s): inside Axys's %d-day reminder window", csr.InDays(days), c.NotAfter.UTC().Format("2006-01-02"), reminderDays[i])
			r.Fix = "Renew now and deploy the new certificate alongside the old one: `axysdoctor csr --from-cert CERT` keeps the same O, OU, CN and SANs on a fresh key, as the rotation guide requires."
			break
		}
	}
	if now.Before(clockFloor) {
		r.worsen(Warn)
		r.Summary += "; but this machine's clock is wrong, so this may not hold"
		if r.Fix == "" {
			r.Fix = "Fix this machine's clock (timedatectl / NTP) and run again."
			r.Row = docs.RowTLSHandshake
		}
	}
	return r
}
