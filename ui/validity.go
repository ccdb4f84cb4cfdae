package ui

import (
	"strings"
	"time"
)

// reminders are the days before expiry when Axys sends its reminders.
var reminders = []int{30, 15, 5}

// validityBar draws a certificate's lifetime in width cells: the elapsed
// part filled, the rest shaded, a tick at each reminder (30/15/5 days
// before expiry), and under it the reminders' labels. It is pure.
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
	for _, d := range reminders {
		at := pos(notAfter.Add(-time.Duration(d) * 24 * time.Hour))
		if at <= 0 || at >= width {
			continue
		}
		cells[at] = '│'
		tag := []rune(strings.TrimSpace(itoa(d)) + "d")
		for j, r := range tag {
			if at+j < len(lab) && lab[at+j] == ' ' {
				lab[at+j] = r
			}
		}
	}
	return string(cells), strings.TrimRight(string(lab), " ")
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b []byte
	for n > 0 {
		b = append([]byte{byte('0' + n%10)}, b...)
		n /= 10
	}
	return string(b)
}
