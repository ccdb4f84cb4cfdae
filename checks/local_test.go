package checks

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"encoding/pem"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"
)

func TestLocalChecksJudgeTheCertificateAlone(t *testing.T) {
	ca := newTestCA(t, "Local CA")
	leaf, key := ca.issue(t, "api.acme.example", false, time.Now().Add(10*24*time.Hour))
	dir := t.TempDir()
	certPath, keyPath, otherKey := filepath.Join(dir, "c.pem"), filepath.Join(dir, "c.key"), filepath.Join(dir, "o.key")
	os.WriteFile(certPath, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: leaf.Raw}), 0o644)
	writeKey := func(path string, k any) {
		der, _ := x509.MarshalPKCS8PrivateKey(k)
		os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}), 0o600)
	}
	writeKey(keyPath, key)
	other, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	writeKey(otherKey, other)

	now := time.Now()
	mat, err := LoadMaterial(Options{CertPath: certPath, KeyPath: keyPath}, Passwords{}, now)
	if err != nil {
		t.Fatal(err)
	}
	got := localByID(LocalChecks(mat, now))
	if ids := slices.Sorted(maps.Keys(got)); !slices.Equal(ids, slices.Sorted(slices.Values(localIDs))) {
		t.Fatalf("ran %v, want %v", ids, localIDs)
	}
	if v := got[IDCertValidity]; v.Status != Warn || v.Summary == "" || v.Row == "" {
		t.Errorf("10 days left is inside the reminders: %+v", v)
	}
	if k := got[IDCertKeypair]; k.Status != Pass {
		t.Errorf("keypair: %+v", k)
	}

	// A year later the same certificate has expired; another key does not match.
	mat, err = LoadMaterial(Options{CertPath: certPath, KeyPath: otherKey}, Passwords{}, now)
	if err != nil {
		t.Fatal(err)
	}
	got = localByID(LocalChecks(mat, now.AddDate(1, 0, 0)))
	if got[IDCertValidity].Status != Fail || got[IDCertKeypair].Status != Fail {
		t.Errorf("validity %s, keypair %s", got[IDCertValidity].Status, got[IDCertKeypair].Status)
	}

	// Without a certificate, the checks that need one say so.
	got = localByID(LocalChecks(&Material{}, now))
	if got[IDCertChain].Status != Skip || got[IDCertValidity].Status != Skip {
		t.Errorf("chain %s, validity %s", got[IDCertChain].Status, got[IDCertValidity].Status)
	}
}

func TestReminderDaysAreACopy(t *testing.T) {
	d := ReminderDays()
	if !slices.Equal(d, []int{30, 15, 5}) {
		t.Fatalf("%v", d)
	}
	d[0] = 1
	if ReminderDays()[0] != 30 {
		t.Error("ReminderDays exposes the engine's own slice")
	}
}

func localByID(rs []Result) map[string]Result {
	m := map[string]Result{}
	for _, r := range rs {
		m[r.ID] = r
	}
	return m
}
