package csr

import (
	"fmt"
	"time"
)

// DaysLeft is the whole days from now until t, counted toward zero, the
// one rule for "N days left" and "N days ago" everywhere: 2 days and 23
// hours ahead is 2, and 2 days and 23 hours ago is −2 (not −3: a
// certificate that expired three days and one hour ago expired "3 days
// ago").
func DaysLeft(t, now time.Time) int {
	return int(t.Sub(now) / (24 * time.Hour))
}

// InDays writes a whole number of days for "… left", "… ago" and "in …":
// "3 days", "1 day", and "less than a day" for 0 (whatever its sign).
func InDays(n int) string {
	switch n = abs(n); n {
	case 0:
		return "less than a day"
	case 1:
		return "1 day"
	}
	return fmt.Sprintf("%d days", n)
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}
