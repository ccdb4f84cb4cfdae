package csr

import (
	"crypto/x509"
	"net"
	"time"
)

// Inspection is what `axysdoctor inspect` found: a description of each
// file and, when a key was given, whether it belongs to them. It is plain
// data; report renders it as text or JSON.
type Inspection struct {
	Files    []InspectedFile `json:"files"`
	KeyMatch *KeyMatch       `json:"key_match,omitempty"`
}

// InspectedFile describes one file, or says why it could not be read.
type InspectedFile struct {
	Path      string          `json:"path"`
	Container string          `json:"container,omitempty"`
	Contents  string          `json:"contents,omitempty"`
	Notes     []string        `json:"notes,omitempty"`
	Items     []InspectedItem `json:"items,omitempty"`
	Chain     []string        `json:"chain_findings,omitempty"`
	Error     string          `json:"error,omitempty"`
}

// InspectedItem describes one certificate, key, CSR or block of a file.
type InspectedItem struct {
	Kind        string   `json:"kind"`
	Format      string   `json:"format"`
	Description string   `json:"description"`
	Subject     string   `json:"subject,omitempty"`
	Issuer      string   `json:"issuer,omitempty"`
	NotBefore   string   `json:"not_before,omitempty"`
	NotAfter    string   `json:"not_after,omitempty"`
	DaysLeft    *int     `json:"days_left,omitempty"`
	SANs        []string `json:"sans,omitempty"`
	Key         string   `json:"key,omitempty"`
	SHA256      string   `json:"sha256,omitempty"`
	Problem     string   `json:"problem,omitempty"`
	// Invalid marks a certificate expired or not yet valid.
	Invalid bool `json:"-"`
}

// KeyMatch says whether the key given with --key belongs to the
// certificate (or CSR) among the files; Cert is empty when there was none.
type KeyMatch struct {
	Key     string `json:"key"`
	Cert    string `json:"certificate"`
	Matches bool   `json:"matches"`
}

// Verdict is an inspection's outcome, which decides inspect's exit code.
type Verdict int

const (
	// Described: every file was read and nothing is wrong with it.
	Described Verdict = iota
	// Problem: a certificate is expired or not yet valid, or the key does
	// not match.
	Problem
	// Unreadable: a file could not be read at all (missing, special,
	// wrong password, not a certificate, key, CSR or PKCS#12), or nothing
	// in it is usable (a damaged certificate).
	Unreadable
)

// Verdict is the worst outcome among the files and the key match.
func (in Inspection) Verdict() Verdict {
	v := Described
	for _, f := range in.Files {
		if f.Error != "" {
			return Unreadable
		}
		damaged := 0
		for _, it := range f.Items {
			if it.Invalid {
				v = Problem
			}
			if it.Problem != "" {
				damaged++
			}
		}
		switch {
		case len(f.Items) > 0 && damaged == len(f.Items):
			return Unreadable // nothing in the file is usable: unreadable input
		case damaged > 0:
			v = Problem
		}
	}
	if m := in.KeyMatch; m != nil && m.Cert != "" && !m.Matches {
		v = Problem
	}
	return v
}

// Inspect reads every path, and keyPath when given, against one
// key-derivation budget, and describes them as of now.
func Inspect(paths []string, keyPath string, password PasswordFunc, now time.Time) Inspection {
	var in Inspection
	budget := NewBudget()
	var certs []*x509.Certificate
	var reqs []*x509.CertificateRequest
	for _, p := range paths {
		file, err := ReadFileWithin(p, password, budget)
		if err != nil {
			in.Files = append(in.Files, InspectedFile{Path: p, Error: err.Error()})
			continue
		}
		in.Files = append(in.Files, describeFile(file, now))
		certs = append(certs, file.Certificates()...)
		reqs = append(reqs, file.CSRs()...)
	}
	if keyPath == "" {
		return in
	}
	kf, err := ReadFileWithin(keyPath, password, budget)
	switch {
	case err != nil:
		in.Files = append(in.Files, InspectedFile{Path: keyPath, Error: err.Error()})
	case kf.MisuseAsKey() != "":
		in.Files = append(in.Files, InspectedFile{Path: keyPath, Error: kf.MisuseAsKey()})
	default:
		key := kf.Keys()[0]
		m := KeyMatch{Key: keyPath}
		if leaf := AnalyzeChain(certs, key, now).Leaf; leaf != nil {
			m.Cert, m.Matches = FormatName(leaf.RawSubject), KeyMatches(leaf.PublicKey, key)
		} else if len(reqs) > 0 {
			m.Cert, m.Matches = "the CSR for "+FormatName(reqs[0].RawSubject), KeyMatches(reqs[0].PublicKey, key)
		}
		in.KeyMatch = &m
	}
	return in
}

// describeFile describes every item of file and its chain.
func describeFile(file *File, now time.Time) InspectedFile {
	in := InspectedFile{Path: file.Path, Container: file.Container, Contents: file.Contents(), Notes: file.Notes}
	for _, it := range file.Items {
		in.Items = append(in.Items, describe(it, now))
	}
	if certs := file.Certificates(); len(certs) > 0 {
		var key any
		if keys := file.Keys(); len(keys) > 0 {
			key = keys[0]
		}
		ch := AnalyzeChain(certs, key, now)
		in.Chain = append(append(in.Chain, ch.Warnings...), ch.Info...)
	}
	return in
}

func describe(it Item, now time.Time) InspectedItem {
	info := InspectedItem{Kind: it.Kind.String(), Format: it.Format, Description: DescribeItem(it, now), Problem: it.Problem}
	switch {
	case it.Cert != nil:
		c := it.Cert
		info.Subject, info.Issuer = FormatName(c.RawSubject), FormatName(c.RawIssuer)
		info.NotBefore, info.NotAfter = c.NotBefore.UTC().Format(time.RFC3339), c.NotAfter.UTC().Format(time.RFC3339)
		d := DaysLeft(c.NotAfter, now)
		info.DaysLeft = &d
		info.SANs = SANs(c.DNSNames, ipStrings(c.IPAddresses))
		info.Key = DescribeKey(c.PublicKey)
		info.SHA256 = Fingerprint(c.Raw)
		info.Invalid = now.After(c.NotAfter) || now.Before(c.NotBefore)
	case it.CSR != nil:
		info.Subject = FormatName(it.CSR.RawSubject)
		info.SANs = SANs(it.CSR.DNSNames, ipStrings(it.CSR.IPAddresses))
		info.Key = DescribeKey(it.CSR.PublicKey)
		info.SHA256 = Fingerprint(it.CSR.Raw)
	case it.Public != nil:
		info.Key = DescribeKey(it.Public)
	}
	return info
}

func ipStrings(ips []net.IP) []string {
	var out []string
	for _, ip := range ips {
		out = append(out, ip.String())
	}
	return out
}
