// Package checks is axysdoctor's diagnostics engine: every check is a
// function of its inputs and injected dependencies (DNS exchanger, dialer,
// clock) returning a plain Result, and a runner executes them as a graph —
// independent chains concurrently, dependents after what they need — while
// emitting progress events. It never prints, styles or knows about a
// terminal; the report package and the wizard render its Results.
package checks
