package config

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestSaveCreatesAPrivateFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "cfg", "axysdoctor", "config.toml")
	p := Profile{Name: "staging", Env: "staging", Cert: "/creds/client.pem", Key: "/creds/client.key", APIKeyEnv: "AXYS_STAGING_KEY",
		EgressIPs: []string{"203.0.113.10"}, Timeout: 3 * time.Second, Strict: true}
	if err := Save(path, p); err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(path)
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("mode %v %v", st.Mode(), err)
	}
	if dst, _ := os.Stat(filepath.Dir(path)); dst.Mode().Perm() != 0o700 {
		t.Errorf("directory mode %v", dst.Mode())
	}
	f, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := f.Lookup("staging")
	if !slices.Equal(got.Flags(), p.Flags()) {
		t.Errorf("read back %v, want %v", got.Flags(), p.Flags())
	}
}

// Updating one profile leaves the rest of the file as the user wrote it:
// comments, the other profile, unchanged values (a relative path stays
// relative), and only the changed keys' lines differ.
func TestSaveEditsOneProfileAndKeepsTheRest(t *testing.T) {
	t.Setenv("HOME", t.TempDir())
	path := write(t, t.TempDir(), sample)
	dir := filepath.Dir(path)
	f, _ := Load(path)
	p, _ := f.Lookup("staging")
	p.Timeout = 0                                     // remove
	p.Key = filepath.Join(dir, "staging/new.key")     // change (given absolute)
	p.EgressIPs = []string{"203.0.113.10"}            // change a list
	p.ExpectTenant = "Acme Financial Services Ltd"    // add
	p.Cert = filepath.Join(dir, "staging/client.pem") // same file as before, written differently
	if err := Save(path, p); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(path)
	text := string(b)
	want := strings.NewReplacer(
		`key = "staging/client.key"`, "key = '"+filepath.Join(dir, "staging/new.key")+"'",
		`egress-ip = ["203.0.113.10", "2001:db8::10"]`, `egress-ip = ['203.0.113.10']`,
		"timeout = \"2s\"\n", "expect-tenant = 'Acme Financial Services Ltd'\n",
	).Replace(sample)
	if text != want {
		t.Errorf("edited file:\n%s\nwant:\n%s", text, want)
	}
	f, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := f.Lookup("staging")
	if !slices.Equal(got.Flags(), p.Flags()) {
		t.Errorf("read back %v\nwant %v", got.Flags(), p.Flags())
	}
}

func TestSaveAppendsANewProfile(t *testing.T) {
	path := write(t, t.TempDir(), strings.TrimSuffix(sample, "\n")) // no final newline
	if err := Save(path, Profile{Name: "dr-site", Env: "production", P12: "/dr.p12"}); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(path)
	if !strings.HasPrefix(string(b), sample) || !strings.HasSuffix(string(b), "\n\n[profiles.dr-site]\nenv = 'production'\np12 = '/dr.p12'\n") {
		t.Errorf("file:\n%s", b)
	}
	f, err := Load(path)
	if err != nil || !slices.Equal(f.Names(), []string{"staging", "production", "dr-site"}) {
		t.Errorf("%v %v", f.Names(), err)
	}
}

func TestSaveRefuses(t *testing.T) {
	broken := "[profiles.a]\ncert = \n"
	cases := []struct {
		name, file string
		p          Profile
		want       string
	}{
		{"a file that does not load", broken, Profile{Name: "b", Env: "staging"}, "does not load"},
		{"a bad name", "", Profile{Name: "my prod"}, "profile name"},
		{"a key as the variable's name", "", Profile{Name: "a", APIKeyEnv: "axys_prog_0123456789abcdef0123"}, "looks like an API key"},
		{"p12 with cert", "", Profile{Name: "a", P12: "/a.p12", Cert: "/a.pem"}, "either p12"},
		{"a profile in dotted keys", "[profiles]\na.env = \"staging\"\n", Profile{Name: "a", Env: "production"}, "by hand"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			path := write(t, t.TempDir(), c.file)
			err := Save(path, c.p)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("got %v, want %q", err, c.want)
			}
			if b, _ := os.ReadFile(path); string(b) != c.file {
				t.Errorf("the file changed:\n%s", b)
			}
		})
	}
}
