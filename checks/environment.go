package checks

import (
	"fmt"
	"net/url"
	"strings"
)

// Environment is where the diagnosis points.
type Environment struct {
	Name     string `json:"name"`
	BaseURL  string `json:"base_url"`
	ProbeURL string `json:"probe_url"`
	Note     string `json:"note,omitempty"`
}

// The documented base URLs.
const (
	StagingURL    = "https://staging.api.axyscards.com/v2"
	SandboxURL    = "https://staging.api.axyscards.com/v2/sandbox"
	ProductionURL = "https://production.api.axyscards.com/v2"
)

// EnvironmentNames lists the accepted --env values.
var EnvironmentNames = []string{"staging", "sandbox", "production"}

// ResolveEnvironment picks the base URL for name, or validates override,
// and derives the probe URL. Sandbox has only emulation endpoints and shares
// staging's certificate and keys, so its probe goes to staging's API.
func ResolveEnvironment(name, override string) (Environment, error) {
	env := Environment{Name: strings.ToLower(strings.TrimSpace(name))}
	if env.Name == "" {
		env.Name = "staging"
	}
	switch env.Name {
	case "staging":
		env.BaseURL = StagingURL
	case "sandbox":
		env.BaseURL = SandboxURL
		env.Note = "sandbox holds only emulation endpoints and shares staging's certificate and API keys, so the probe calls the staging API's /cardholders"
	case "production":
		env.BaseURL = ProductionURL
	default:
		return env, fmt.Errorf("unknown environment %q: use staging, sandbox or production", name)
	}
	probeBase := env.BaseURL
	if env.Name == "sandbox" {
		probeBase = StagingURL
	}
	if override != "" {
		u, err := url.Parse(override)
		if err != nil || u.Host == "" {
			return env, fmt.Errorf("--base-url %q is not a URL such as https://staging.api.axyscards.com/v2", override)
		}
		if u.Scheme != "https" {
			return env, fmt.Errorf("--base-url %q: only https is allowed (the API key must never travel in clear text)", override)
		}
		if u.User != nil {
			return env, fmt.Errorf("--base-url must not contain credentials")
		}
		u.RawQuery, u.Fragment = "", ""
		env.BaseURL = strings.TrimSuffix(u.String(), "/")
		probeBase = env.BaseURL
		env.Note = strings.TrimSuffix("base URL overridden; "+env.Note, "; ")
	}
	env.ProbeURL = probeBase + "/cardholders?limit=1"
	return env, nil
}
