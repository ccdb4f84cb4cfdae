package csr

import (
	"crypto"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"testing"

	"github.com/youmark/pkcs8"
	"software.sslmate.com/src/go-pkcs12"
)

// BenchmarkKDFUnitCosts measures the unit costs kdfcost.go uses, with the
// libraries axysdoctor decrypts with: ns/unit is one iteration of the
// PKCS#12 KDF (a hash), one PBKDF2 iteration per output block (an HMAC),
// one unit of scrypt's N·r·p. Re-run it on a new reference machine and
// update the constants:
//
//	go test ./csr -run '^$' -bench KDFUnitCosts
func BenchmarkKDFUnitCosts(b *testing.B) {
	hash := func(name string, sum func([]byte) []byte, size int) {
		b.Run("pkcs12-kdf/"+name, func(b *testing.B) {
			x := make([]byte, size)
			for b.Loop() {
				x = sum(x)
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N), "ns/unit")
		})
	}
	hash("SHA-1", func(x []byte) []byte { s := sha1.Sum(x); return s[:] }, 20)
	hash("SHA-256", func(x []byte) []byte { s := sha256.Sum256(x); return s[:] }, 32)
	hash("SHA-512", func(x []byte) []byte { s := sha512.Sum512(x); return s[:] }, 64)
	const iter = 10_000
	for _, h := range []struct {
		name string
		h    crypto.Hash
	}{{"SHA-1", crypto.SHA1}, {"SHA-256", crypto.SHA256}} {
		b.Run("pbkdf2/HMAC-"+h.name, func(b *testing.B) {
			opts := pkcs8.PBKDF2Opts{SaltSize: 8, IterationCount: iter, HMACHash: h.h}
			for b.Loop() {
				opts.DeriveKey([]byte("pw"), []byte("saltsalt"), h.h.Size())
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/iter, "ns/unit")
		})
	}
	b.Run("scrypt", func(b *testing.B) {
		const n, r = 1 << 14, 8
		opts := pkcs8.ScryptOpts{SaltSize: 8, CostParameter: n, BlockSize: r, ParallelizationParameter: 1}
		for b.Loop() {
			opts.DeriveKey([]byte("pw"), []byte("saltsalt"), 32)
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/(n*r), "ns/unit")
	})
}

// BenchmarkEstimateAgainstReality reads real PKCS#12 files with many
// iterations and reports the estimate taken from the budget next to the
// time reading actually took (estimate/actual ≥ 1: the estimate is the
// worst case, the empty password tried first included).
func BenchmarkEstimateAgainstReality(b *testing.B) {
	p := makePKI(b)
	for _, enc := range []struct {
		name string
		e    *pkcs12.Encoder
	}{{"Modern2023", pkcs12.Modern2023}, {"LegacyDES", pkcs12.LegacyDES}} {
		der, err := enc.e.WithIterations(200_000).Encode(p.leafKey, p.leaf, nil, "s3cret")
		if err != nil {
			b.Fatal(err)
		}
		x, err := scanPFX(der)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(enc.name, func(b *testing.B) {
			for b.Loop() {
				if _, err := Parse(der, password("s3cret")); err != nil {
					b.Fatal(err)
				}
			}
			actual := float64(b.Elapsed().Nanoseconds()) / float64(b.N)
			b.ReportMetric(x.worstCase().ns/1e6, "estimate-ms")
			b.ReportMetric(x.worstCase().ns/actual, "estimate/actual")
		})
	}
}

// BenchmarkHostileFiles: every file of hostileKDFFiles is refused in
// microseconds and kilobytes (goal: under 2 s and 100 MB each).
func BenchmarkHostileFiles(b *testing.B) {
	for _, c := range hostileKDFFiles(b) {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Parse(c.data, password("s3cret")); err == nil {
					b.Fatal("accepted")
				}
			}
		})
	}
}
