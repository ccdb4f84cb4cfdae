package shell

import (
	"os/exec"
	"testing"
)

func TestQuoteSurvivesTheShell(t *testing.T) {
	words := []string{"check", "--cert", "/tmp/my certs/client.pem", "it's", "", "$HOME", "a;b", "[::1]:53"}
	if got := Join(words[:2]); got != "check --cert" {
		t.Errorf("safe words were quoted: %q", got)
	}
	out, err := exec.Command("sh", "-c", `for w in `+Join(words)+`; do printf '%s\n' "$w"; done`).Output()
	if err != nil {
		t.Fatal(err)
	}
	want := ""
	for _, w := range words {
		want += w + "\n"
	}
	if string(out) != want {
		t.Errorf("sh read back %q, want %q", out, want)
	}
}
