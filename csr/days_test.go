package csr

import (
	"crypto/x509"
	"testing"
	"time"
)

// TestDaysCountTowardZero: the one rule for "N days left / ago". Before,
// three days and a minute ago counted as four.
func TestDaysCountTowardZero(t *testing.T) {
	day, now := 24*time.Hour, testNow
	cases := []struct {
		t    time.Time
		days int
		text string
	}{
		{now.Add(-3*day - time.Minute), -3, "3 days"},
		{now.Add(-3 * day), -3, "3 days"},
		{now.Add(-day - 23*time.Hour), -1, "1 day"},
		{now.Add(-time.Minute), 0, "less than a day"},
		{now.Add(time.Minute), 0, "less than a day"},
		{now.Add(2*day + 23*time.Hour), 2, "2 days"},
		{now.Add(30 * day), 30, "30 days"},
	}
	for _, c := range cases {
		if got := DaysLeft(c.t, now); got != c.days || InDays(got) != c.text {
			t.Errorf("%v from now: %d (%q), want %d (%q)", c.t.Sub(now), got, InDays(got), c.days, c.text)
		}
	}
	expired := &x509.Certificate{NotBefore: now.Add(-93 * day), NotAfter: now.Add(-3*day - time.Minute)}
	if got := Validity(expired, now); got != "expired on 2026-11-24 (3 days ago)" {
		t.Errorf("Validity: %q", got)
	}
}
