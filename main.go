// Command axysdoctor diagnoses a tenant's access to the Axys card-issuing
// API: mutual-TLS client certificate, API key, IP allowlist and
// forward-confirmed reverse DNS. See README.md.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], newSystemEnv())
	stop()
	os.Exit(code)
}
