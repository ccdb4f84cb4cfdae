package config

import (
	"bytes"
	"strings"
)

// Where secrets belong instead of the config file, in the words of the
// refusals. The file is read by every command, copied into dotfiles
// repositories and backups; a secret in it is a secret in all of those.
const (
	whereTheKeyLives     = `keep the API key in an environment variable and name it with api-key-env = "NAME" (default AXYS_API_KEY), or in a file only you can read (chmod 600) named with api-key-file = "PATH"`
	wherePasswordsLive   = `keep passwords in environment variables and name them with key-password-env = "NAME" or p12-password-env = "NAME"`
	wherePrivateKeysLive = `keep the private key in its own file (chmod 600) and give its path with key = "PATH" or p12 = "PATH"`
)

// refuseKey says why a key must not be in the config file, or "" when it
// may be. Names are compared without case, dashes or underscores, so
// api_key, apiKey and X-API-Key are all caught.
func refuseKey(name string) string {
	n := strings.ToLower(strings.NewReplacer("-", "", "_", "", " ", "").Replace(name))
	switch n {
	case "apikey", "xapikey", "apitoken", "token", "secret", "apisecret", "apikeyvalue":
		return "an API key must not be written in the config file: " + whereTheKeyLives
	case "password", "passphrase", "keypassword", "p12password", "pass", "pw":
		return "a password must not be written in the config file: " + wherePasswordsLive
	case "privatekey", "keypem", "keydata":
		return "a private key must not be written in the config file: " + wherePrivateKeysLive
	}
	return ""
}

// privateKeyAt is the byte offset of a PEM private key pasted into the
// file (any "-----BEGIN … PRIVATE KEY-----" line), or -1.
func privateKeyAt(data []byte) int {
	for off := 0; ; {
		i := bytes.Index(data[off:], []byte("-----BEGIN "))
		if i < 0 {
			return -1
		}
		start := off + i
		line := data[start:]
		if nl := bytes.IndexByte(line, '\n'); nl >= 0 {
			line = line[:nl]
		}
		if bytes.Contains(line, []byte("PRIVATE KEY")) {
			return start
		}
		off = start + 1
	}
}
