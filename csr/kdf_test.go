package csr

import (
	"crypto/x509"
	"encoding/asn1"
	"encoding/pem"
	"errors"
	"strings"
	"testing"

	"software.sslmate.com/src/go-pkcs12"
)

// hostileKDFFiles are files whose key derivation alone would take minutes
// or gigabytes. Each is refused before anything is derived; on the code
// before the budget, each one hung or ran out of memory.
func hostileKDFFiles(t testing.TB) []struct {
	name string
	data []byte
	want string
} {
	p := makePKI(t)
	modern, err := pkcs12.Modern.Encode(p.leafKey, p.leaf, nil, "s3cret")
	if err != nil {
		t.Fatal(err)
	}
	// The MAC's iteration count sits after 48 000 ASN.1 nodes of filler
	// bags: past the point where the old walker stopped looking.
	hiddenMAC := editPFX(t, modern, func(pdu *pfxPDU, safe []pfxContentInfo) []pfxContentInfo {
		filler := make([]pfxSafeBag, 12000)
		for i := range filler {
			filler[i] = pfxSafeBag{ID: asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 12, 10, 1, 5}, Value: explicit0([]byte{5, 0})}
		}
		pdu.MacData.Iterations = 1<<31 - 1
		return append(safe, plainContainer(t, filler))[1:]
	})
	// A key bag inside an encrypted container: its cost shows only once the
	// container is open, and go-pkcs12 would then derive it.
	sealedKey := craftPFX(t, "", sealedContainer(t, []pfxSafeBag{certBagOf(t, p.leaf.Raw), shroudedKeyBag(t, pbkdf2KDF(t, 1<<31-1))}, ""))
	// Eight keys, each within the old per-key limit of 4 000 000
	// iterations, adding up to about 5 s.
	var eight []byte
	for range 8 {
		eight = append(eight, pem.EncodeToMemory(&pem.Block{Type: "ENCRYPTED PRIVATE KEY", Bytes: craftEncryptedKey(t, pbkdf2KDF(t, 4_000_000))})...)
	}
	// A MAC and a key bag each within the old limit, which the empty
	// password and then the real one try: about 2.2 s in all.
	triedTwice := editPFX(t, modern, func(pdu *pfxPDU, safe []pfxContentInfo) []pfxContentInfo {
		pdu.MacData.Iterations = 4_000_000
		return []pfxContentInfo{safe[0], plainContainer(t, []pfxSafeBag{shroudedKeyBag(t, pbkdf2KDF(t, 4_000_000))})}
	})
	return []struct {
		name string
		data []byte
		want string
	}{
		{"PKCS#12 MAC hidden past 48 000 nodes", hiddenMAC, "the MAC: 2147483647 iterations of SHA-256"},
		{"PKCS#12 key bag inside an encrypted container", sealedKey, "inside an encrypted container"},
		{"eight PEM keys of 4 000 000 iterations", eight, "8 encrypted private keys: refusing to decrypt it: it needs about 4.6 s of key derivation"},
		{"a PKCS#12 MAC and key of 4 000 000 iterations, tried twice", triedTwice, "needs about 2.2 s of key derivation (the private key: PBKDF2-HMAC-SHA-256, 4000000 iterations); the limit is 2 s"},
		{"scrypt N=2^20 r=32 (4 GiB)", pem.EncodeToMemory(&pem.Block{Type: "ENCRYPTED PRIVATE KEY", Bytes: craftEncryptedKey(t, scryptKDF(t, 1<<20, 32, 1))}), "needs about 4 GiB of memory for key derivation (the private key: scrypt N=1048576, r=32, p=1); the limit is 64 MiB"},
		{"scrypt N·r·p over the time budget", craftEncryptedKey(t, scryptKDF(t, 1<<14, 8, 1000)), "scrypt N=16384, r=8, p=1000"},
		{"PBKDF2 with 2^62 iterations", craftEncryptedKey(t, pbkdf2KDF(t, 1<<62)), "years of key derivation"},
	}
}

func TestHostileKeyDerivationIsRefusedBeforeAnyWork(t *testing.T) {
	for _, c := range hostileKDFFiles(t) {
		t.Run(c.name, func(t *testing.T) {
			asked := false
			_, err := Parse(c.data, func() ([]byte, error) { asked = true; return []byte("s3cret"), nil })
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("error %v, want one containing %q", err, c.want)
			}
			if !errors.Is(err, ErrKDFBudget) && !errors.Is(err, errKeySealed) {
				t.Errorf("error %v is neither over budget nor a sealed key", err)
			}
			if asked && errors.Is(err, ErrKDFBudget) {
				t.Error("asked for a password for a file it refuses anyway")
			}
		})
	}
}

func TestTheBudgetIsSharedByEveryFileOfARun(t *testing.T) {
	// 1 500 000 iterations of PBKDF2-HMAC-SHA256 is about 0.2 s: two fit
	// in a budget of 0.5 s, a third does not.
	key := pem.EncodeToMemory(&pem.Block{Type: "ENCRYPTED PRIVATE KEY", Bytes: craftEncryptedKey(t, pbkdf2KDF(t, 1_500_000))})
	b := NewBudgetOf(500_000_000, DefaultKDFMemory)
	for i := range 3 {
		_, err := ParseWithin(key, nil, b)
		if i < 2 && errors.Is(err, ErrKDFBudget) {
			t.Fatalf("file %d refused: %v", i+1, err)
		}
		if i == 2 && (!errors.Is(err, ErrKDFBudget) || !strings.Contains(err.Error(), "other files already used 0.4 s of it")) {
			t.Fatalf("third file: %v", err)
		}
	}
}

// TestRealPKCS12FilesStillOpen: every encoder of go-pkcs12 (RC2 and 3DES
// containers, PBES2, PBMAC1, none), with a password and without.
func TestRealPKCS12FilesStillOpen(t *testing.T) {
	p := makePKI(t)
	encoders := map[string]*pkcs12.Encoder{
		"LegacyRC2": pkcs12.LegacyRC2, "LegacyDES": pkcs12.LegacyDES, "Modern2023": pkcs12.Modern2023,
		"Modern2026": pkcs12.Modern2026, "Passwordless": pkcs12.Passwordless,
	}
	for name, enc := range encoders {
		for _, pw := range []string{"", "s3cret"} {
			if name == "Passwordless" && pw != "" {
				continue
			}
			der, err := enc.Encode(p.leafKey, p.leaf, []*x509.Certificate{p.inter}, pw)
			if err != nil {
				t.Fatal(err)
			}
			t.Run(name+"/"+map[bool]string{true: "empty password", false: "password"}[pw == ""], func(t *testing.T) {
				asked := 0
				f, err := Parse(der, func() ([]byte, error) { asked++; return []byte(pw), nil })
				if err != nil {
					t.Fatal(err)
				}
				if got := f.Contents(); got != "2 certificates and a private key" || !f.Has(KindPrivateKey) {
					t.Errorf("contents %q", got)
				}
				if (asked > 0) != (pw != "") {
					t.Errorf("asked for the password %d times", asked)
				}
				if _, err := Parse(der, password("wrong")); pw != "" && !errors.Is(err, ErrWrongPassword) {
					t.Errorf("wrong password: %v", err)
				}
			})
		}
	}
}

// TestPKCS12WithoutOneKey: certificates only, several keys, a key alone.
func TestPKCS12WithoutOneKey(t *testing.T) {
	p := makePKI(t)
	k1, k2 := shroudedKeyBag(t, pbkdf2KDF(t, 1)), shroudedKeyBag(t, pbkdf2KDF(t, 1))
	cases := []struct {
		name string
		der  []byte
		want string
	}{
		{"certificates sealed", craftPFX(t, "s3cret", sealedContainer(t, []pfxSafeBag{certBagOf(t, p.leaf.Raw), certBagOf(t, p.inter.Raw)}, "s3cret")), "2 certificates"},
		{"two keys", craftPFX(t, "s3cret", sealedContainer(t, []pfxSafeBag{certBagOf(t, p.leaf.Raw)}, "s3cret"), plainContainer(t, []pfxSafeBag{k1, k2})), "a certificate and a private key"},
		{"a key alone", craftPFX(t, "s3cret", plainContainer(t, []pfxSafeBag{k1})), "a private key"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f, err := Parse(c.der, password("s3cret"))
			if err != nil {
				t.Fatal(err)
			}
			if f.Contents() != c.want || f.Has(KindPrivateKey) {
				t.Errorf("contents %q (usable key: %v); problems %v", f.Contents(), f.Has(KindPrivateKey), f.Problems())
			}
		})
	}
}

// TestEmptyPasswordWithoutBytes: the MAC of some files is made for the
// empty password encoded as no bytes; go-pkcs12 retries that way, and so do
// the containers' probes.
func TestEmptyPasswordWithoutBytes(t *testing.T) {
	p := makePKI(t)
	keyDER, _ := x509.MarshalPKCS8PrivateKey(p.leafKey)
	sealed := sealedContainer(t, []pfxSafeBag{certBagOf(t, p.leaf.Raw)}, "")
	der := craftPFXForBMP(t, nil, sealed, plainContainer(t, []pfxSafeBag{{ID: oidKeyBag, Value: explicit0(keyDER)}}))
	f, err := Parse(der, nil)
	if err != nil || f.Contents() != "a certificate and a private key" {
		t.Fatalf("%v %v", f, err)
	}
	for _, bare := range []bool{false, true} {
		certs, err := openContainer(sealed, "", bare)
		if err != nil || len(certs) != 1 {
			t.Errorf("bare %v: %d certificates, %v", bare, len(certs), err)
		}
	}
	if _, err := openContainer(sealed, "wrong", false); !errors.Is(err, errNotOpened) {
		t.Errorf("wrong password: %v", err)
	}
}

func TestWorkEstimates(t *testing.T) {
	cases := []struct {
		w    work
		want float64 // ns
	}{
		{pbkdf2Work("", kdfSHA256, 2048, 32), 2048 * 145},
		{pbkdf2Work("", kdfSHA1, 2048, 32), 2 * 2048 * 171}, // two SHA-1 blocks for a 32-byte key
		{pkcs12KDFWork("", kdfSHA1, 2048, 24), 2 * 2048 * 94},
		{scryptWork("", 1<<14, 8, 1), 1 << 17 * 264},
		{scryptWork("", 1000, 8, 1).plus(pbkdf2Work("", kdfSHA256, 0, 16)), 1000*8*264 + 145},
	}
	for i, c := range cases {
		if c.w.ns != c.want {
			t.Errorf("case %d: %v ns, want %v", i, c.w.ns, c.want)
		}
	}
	if w := scryptWork("k", 1<<20, 8, 1); w.mem != 1<<30+1024 || w.memWhat != "k: scrypt N=1048576, r=8, p=1" {
		t.Errorf("scrypt memory %v %q", w.mem, w.memWhat)
	}
	for ns, want := range map[float64]string{4.6e9: "4.6 s", 40e9: "40 s", 185e9: "3 min", 1e13: "3 h", 3e20: "9513 years", 1e30: "more than a million years"} {
		if got := formatNS(ns); got != want {
			t.Errorf("formatNS(%v) = %q, want %q", ns, got, want)
		}
	}
}
