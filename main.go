// Command axysdoctor diagnoses a tenant's access to the Axys card-issuing
// API: mutual-TLS client certificate, API key, IP allowlist and
// forward-confirmed reverse DNS. See README.md.
package main

import (
	"os"
)

func main() {
	os.Exit(runProcess(os.Args[1:], newSystemEnv(), nil))
}
