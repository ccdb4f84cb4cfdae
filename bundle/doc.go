// Package bundle writes a support bundle: one zip with the redacted report,
// the facts about the machine a support engineer asks for first (version,
// OS, resolver configuration, proxy variables with their credentials
// redacted, clock skew against the gateway, request IDs) and a correlation
// ID to quote in the ticket. Before anything is written, every file is
// scanned for the secrets it must never hold.
package bundle
