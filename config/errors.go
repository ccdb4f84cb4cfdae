package config

import (
	"fmt"

	"github.com/axysdoctor/axysdoctor/internal/termsafe"
)

// Error is a problem with the config file, at a line and column when one
// is known, printed as compilers do: "PATH:LINE:COL: message".
type Error struct {
	Path         string
	Line, Column int // 1-based; 0 when the problem has no one place
	Msg          string
}

func (e *Error) Error() string {
	// The message may quote the file, which is hostile until cleaned.
	msg := termsafe.Line(e.Msg)
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d:%d: %s", e.Path, e.Line, e.Column, msg)
	}
	return fmt.Sprintf("%s: %s", e.Path, msg)
}
