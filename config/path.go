package config

import (
	"errors"
	"path/filepath"
)

// Path is where the config file lives: $XDG_CONFIG_HOME/axysdoctor/config.toml,
// or ~/.config/axysdoctor/config.toml when XDG_CONFIG_HOME is unset. The XDG
// spec says a relative XDG_CONFIG_HOME is to be ignored, so it is. The same
// path is used on every OS, so the docs can name one place.
func Path(getenv func(string) string) (string, error) {
	if dir := getenv("XDG_CONFIG_HOME"); filepath.IsAbs(dir) {
		return filepath.Join(dir, "axysdoctor", "config.toml"), nil
	}
	if home := getenv("HOME"); filepath.IsAbs(home) {
		return filepath.Join(home, ".config", "axysdoctor", "config.toml"), nil
	}
	return "", errors.New("no config directory: set XDG_CONFIG_HOME or HOME")
}
