// Package fleet runs diagnoses on an interval and exposes them as
// Prometheus metrics (client_golang), for a tenant who calls Axys from many
// egress hosts: each host runs the exporter, Prometheus scrapes them all,
// and alerting rules (docs/monitoring.md) warn before a certificate
// expires anywhere and when any check fails. A scrape only reads the last
// results; it never triggers a diagnosis, so scrapes cannot load the
// gateway.
package fleet
