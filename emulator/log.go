package emulator

import (
	"fmt"
	"io"
	"strings"
	"sync"
	"time"
)

// requestLog writes one line per event for people running the emulator
// for their own tests: what came in, with which certificate, and what the
// gateway answered. A nil writer discards.
type requestLog struct {
	mu sync.Mutex
	w  io.Writer
}

func newRequestLog(w io.Writer) *requestLog { return &requestLog{w: w} }

func (l *requestLog) printf(format string, args ...any) {
	if l == nil || l.w == nil {
		return
	}
	line := fmt.Sprintf(format, args...)
	line = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return '?'
		}
		return r
	}, line)
	l.mu.Lock()
	defer l.mu.Unlock()
	fmt.Fprintf(l.w, "%s %s\n", time.Now().Format("15:04:05.000"), line)
}

// handshakeWriter receives net/http's error log, which reports refused
// handshakes ("http: TLS handshake error from …"); they are the point of
// the emulator, so they are logged as verdicts.
func (l *requestLog) handshakeWriter() io.Writer { return handshakeLog{l} }

type handshakeLog struct{ l *requestLog }

func (h handshakeLog) Write(p []byte) (int, error) {
	msg := strings.TrimSpace(string(p))
	msg = strings.TrimPrefix(msg, "http: ")
	h.l.printf("%s", msg)
	return len(p), nil
}
