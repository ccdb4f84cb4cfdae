// Package config reads and writes axysdoctor's config file,
// $XDG_CONFIG_HOME/axysdoctor/config.toml: named profiles, each a saved set
// of `check` flags (paths and the names of where secrets live, never a
// secret). Keys in a profile are the check flags' names, so a profile reads
// like the command line it replaces.
//
// The CLI (check, compare, exporter, profiles) and the wizard both go
// through it: Load and Lookup to start from a profile, Profile.Options to
// turn one into checks.Options, Save to add or update one without touching
// the others or the file's comments.
package config
