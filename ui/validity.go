package ui

import (
	"strconv"
	"strings"
	"time"

	"github.com/axysdoctor/axysdoctor/checks"
)

// validityBar draws a certificate's lifetime in width cells: the elapsed
// part filled, the rest shaded, a tick at each of the engine's reminder
// days before expiry, and under it the reminders' labels. It draws what
// the engine judged; it judges nothing.
func validityBar(notBefore, notAfter, now time.Time, width int) (bar, labels string) {
	if width < 10 || !notAfter.After(notBefore) {
		return "", ""
	}
	total := notAfter.Sub(notBefore)
	pos := func(t time.Time) int {
		f := float64(t.Sub(notBefore)) / float64(total)
		return min(max(int(f*float64(width)+0.5), 0), width)
	}
	filled := pos(now)
	cells := make([]rune, width)
	for i := range cells {
		if i < filled {
			cells[i] = '█'
		} else {
			cells[i] = '░'
		}
	}
	lab := []rune(strings.Repeat(" ", width+4))
	for _, d := range checks.ReminderDays() {
		at := pos(notAfter.Add(-time.Duration(d) * 24 * time.Hour))
		if at <= 0 || at >= width {
			continue
		}
		cells[at] = '│'
		for j, r := range strconv.Itoa(d) + "d" {
			if at+j < len(lab) && lab[at+j] == ' ' {
				lab[at+j] = r
			}
		}
	}
	return string(cells), strings.TrimRight(string(lab), " ")
}
