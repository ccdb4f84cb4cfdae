package config

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/axysdoctor/axysdoctor/checks"
	"github.com/axysdoctor/axysdoctor/emulator"
)

// The wizard's path: a profile with paths relative to the config file,
// turned into options, diagnoses the emulator cleanly.
func TestProfileOptionsDiagnoseTheEmulator(t *testing.T) {
	emu, err := emulator.Start(emulator.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer emu.Close()
	cfgDir := filepath.Join(t.TempDir(), "axysdoctor")
	if _, err := emu.WriteDir(mkdir(t, filepath.Join(cfgDir, "emu")), false); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(cfgDir, "config.toml")
	p := Profile{Name: "emu", BaseURL: emu.BaseURL, Cert: "emu/client.pem", Key: "emu/client.key", APIKeyFile: "emu/api-key",
		CAFile: "emu/ca.pem", Resolver: emu.DNSAddr, EgressServers: []string{emu.DNSAddr}, Timeout: 2 * time.Second}
	if err := Save(path, p); err != nil {
		t.Fatal(err)
	}
	f, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	prof, err := f.Lookup("emu")
	if err != nil {
		t.Fatal(err)
	}
	opts, err := prof.Options(func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	mat, err := checks.LoadMaterial(opts, prof.Passwords(os.Getenv), time.Now())
	if err != nil {
		t.Fatal(err)
	}
	rep := checks.Diagnose(context.Background(), opts, mat, checks.Deps{}, nil)
	if s := rep.Summary(); s.Pass != len(rep.Results) {
		t.Errorf("want every check to pass: %s", s)
		for _, r := range rep.Results {
			t.Logf("%s %s %s", r.ID, r.Status, r.Summary)
		}
	}
}

func mkdir(t *testing.T, dir string) string {
	t.Helper()
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	return dir
}
