package docs

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

// The alerting rules are valid and do what monitoring.md says: promtool
// checks them and runs their unit tests (monitoring-rules.test.yml).
func TestMonitoringRules(t *testing.T) {
	promtool, err := exec.LookPath("promtool")
	if err != nil {
		t.Skip("promtool is not installed (Debian: apt install prometheus); .ci/run installs it")
	}
	for _, args := range [][]string{
		{"check", "rules", "monitoring-rules.yml"},
		{"test", "rules", "monitoring-rules.test.yml"},
	} {
		if out, err := exec.Command(promtool, args...).CombinedOutput(); err != nil {
			t.Errorf("promtool %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
}

// monitoring.md shows the rules file itself, so the page cannot drift from
// what promtool checked.
func TestMonitoringPageQuotesTheRules(t *testing.T) {
	rules, err := os.ReadFile("monitoring-rules.yml")
	if err != nil {
		t.Fatal(err)
	}
	page, err := os.ReadFile("monitoring.md")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(page), "```yaml\n"+string(rules)+"```") {
		t.Error("monitoring.md does not quote monitoring-rules.yml verbatim")
	}
}
