package csr

import (
	"crypto"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/hex"
	"fmt"
	"strings"
	"time"
)

var attrNames = map[string]string{
	"2.5.4.3":                    "CN",
	"2.5.4.6":                    "C",
	"2.5.4.7":                    "L",
	"2.5.4.8":                    "ST",
	"2.5.4.10":                   "O",
	"2.5.4.11":                   "OU",
	"2.5.4.5":                    "serialNumber",
	"1.2.840.113549.1.9.1":       "emailAddress",
	"0.9.2342.19200300.100.1.25": "DC",
}

// FormatName renders a DER-encoded name in the order it is written
// (as `openssl -nameopt oneline` does, C first), keeping the RDN structure:
// separate RDNs are joined by ", ", a multi-valued RDN by "+".
func FormatName(raw []byte) string {
	var seq pkix.RDNSequence
	if rest, err := asn1.Unmarshal(raw, &seq); err != nil || len(rest) > 0 {
		return "(unparseable name)"
	}
	var rdns []string
	for _, set := range seq {
		var parts []string
		for _, atv := range set {
			name, ok := attrNames[atv.Type.String()]
			if !ok {
				name = atv.Type.String()
			}
			parts = append(parts, name+"="+fmt.Sprint(atv.Value))
		}
		rdns = append(rdns, strings.Join(parts, "+"))
	}
	if len(rdns) == 0 {
		return "(empty)"
	}
	return strings.Join(rdns, ", ")
}

// KeyFingerprint is Fingerprint of a public key's SubjectPublicKeyInfo
// (what `openssl pkey -pubout -outform der | openssl sha256` hashes), to
// tell keys apart in the same format as certificates.
func KeyFingerprint(pub crypto.PublicKey) string {
	der, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil {
		return "(unknown key type)"
	}
	return Fingerprint(der)
}

// MultiValuedRDN reports whether a DER name packs several attributes into
// one RDN (OU=a+OU=b), which is not how openssl or Axys's docs write them.
func MultiValuedRDN(raw []byte) bool {
	var seq pkix.RDNSequence
	if _, err := asn1.Unmarshal(raw, &seq); err != nil {
		return false
	}
	for _, set := range seq {
		if len(set) > 1 {
			return true
		}
	}
	return false
}

// Fingerprint is the SHA-256 of DER bytes as colon-separated upper-case
// hex, as `openssl x509 -fingerprint -sha256` prints it: the one way
// axysdoctor writes a fingerprint.
func Fingerprint(der []byte) string {
	sum := sha256.Sum256(der)
	h := strings.ToUpper(hex.EncodeToString(sum[:]))
	var b strings.Builder
	for i := 0; i < len(h); i += 2 {
		if i > 0 {
			b.WriteByte(':')
		}
		b.WriteString(h[i : i+2])
	}
	return b.String()
}

// Validity says in words where now falls in a certificate's lifetime.
func Validity(c *x509.Certificate, now time.Time) string {
	const day = "2006-01-02"
	switch {
	case now.Before(c.NotBefore):
		return fmt.Sprintf("not valid until %s (in %s)", c.NotBefore.UTC().Format(day), InDays(DaysLeft(c.NotBefore, now)))
	case now.After(c.NotAfter):
		return fmt.Sprintf("expired on %s (%s ago)", c.NotAfter.UTC().Format(day), InDays(DaysLeft(c.NotAfter, now)))
	}
	return fmt.Sprintf("valid until %s (%s left)", c.NotAfter.UTC().Format(day), InDays(DaysLeft(c.NotAfter, now)))
}

// IsSelfSigned reports whether c names itself as issuer and its signature
// checks out with its own key.
//
// The signature is checked with the certificate's own key directly, not
// with CheckSignatureFrom, which also demands that the parent be a CA: a
// self-signed end-entity certificate (CA:FALSE) is self-signed too.
func IsSelfSigned(c *x509.Certificate) bool {
	return string(c.RawIssuer) == string(c.RawSubject) && c.CheckSignature(c.SignatureAlgorithm, c.RawTBSCertificate, c.Signature) == nil
}

// Role names a certificate's place in a chain.
func Role(c *x509.Certificate) string {
	switch {
	case c.IsCA && IsSelfSigned(c):
		return "root CA"
	case c.IsCA:
		return "intermediate CA"
	}
	return "end-entity"
}

// DescribeItem is a one-line description of an item, for inspect.
func DescribeItem(it Item, now time.Time) string {
	if it.Problem != "" {
		return fmt.Sprintf("%s (%s): %s", it.Kind, it.Format, it.Problem)
	}
	switch it.Kind {
	case KindCertificate:
		c := it.Cert
		return fmt.Sprintf("%s certificate %s; issued by %s; %s; %s key", Role(c), FormatName(c.RawSubject), FormatName(c.RawIssuer), Validity(c, now), DescribeKey(c.PublicKey))
	case KindPrivateKey:
		return fmt.Sprintf("%s private key (%s)", DescribeKey(it.Public), it.Format)
	case KindCSR:
		sig := "signature valid"
		if err := it.CSR.CheckSignature(); err != nil {
			sig = "SIGNATURE INVALID"
		}
		return fmt.Sprintf("certificate signing request for %s; %s key; %s", FormatName(it.CSR.RawSubject), DescribeKey(it.Public), sig)
	case KindPublicKey:
		return fmt.Sprintf("%s public key (not a private key)", DescribeKey(it.Public))
	case KindParameters:
		return "EC PARAMETERS block (from `openssl ecparam`); harmless, ignored"
	}
	return fmt.Sprintf("unrecognized %s", it.Format)
}

// SANs lists a certificate's or CSR's DNS and IP SANs as "DNS:x", "IP:y".
func SANs(dns []string, ips []string) []string {
	var out []string
	for _, d := range dns {
		out = append(out, "DNS:"+d)
	}
	for _, ip := range ips {
		out = append(out, "IP:"+ip)
	}
	return out
}
