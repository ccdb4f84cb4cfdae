// Package docs holds the Axys failure table and documentation links as
// data, so every check can point at the row that explains its failure and
// every output format can render it. The Markdown files beside this one are
// the user documentation.
package docs
