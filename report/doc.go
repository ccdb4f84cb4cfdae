// Package report renders a checks.Report as text for a terminal, as JSON
// for scripts and as Markdown for support tickets. Every format is
// complete and carries only redacted secrets: the engine never hands it an
// API key or private key, only their redacted forms.
package report
