package csr

import (
	"crypto"
	"crypto/x509"
	"fmt"
	"strings"
)

// Certificates returns the parsed certificates in file order.
func (f *File) Certificates() []*x509.Certificate {
	var out []*x509.Certificate
	for _, it := range f.Items {
		if it.Cert != nil {
			out = append(out, it.Cert)
		}
	}
	return out
}

// Keys returns the parsed private keys in file order.
func (f *File) Keys() []crypto.PrivateKey {
	var out []crypto.PrivateKey
	for _, it := range f.Items {
		if it.Key != nil {
			out = append(out, it.Key)
		}
	}
	return out
}

// KeyItems returns the items holding a parsed private key.
func (f *File) KeyItems() []Item {
	var out []Item
	for _, it := range f.Items {
		if it.Key != nil {
			out = append(out, it)
		}
	}
	return out
}

// CSRs returns the parsed certificate requests in file order.
func (f *File) CSRs() []*x509.CertificateRequest {
	var out []*x509.CertificateRequest
	for _, it := range f.Items {
		if it.CSR != nil {
			out = append(out, it.CSR)
		}
	}
	return out
}

// Problems lists what could not be used, one line each.
func (f *File) Problems() []string {
	var out []string
	for i, it := range f.Items {
		if it.Problem != "" {
			out = append(out, fmt.Sprintf("item %d (%s): %s", i+1, it.Format, it.Problem))
		}
	}
	return out
}

// Contents summarizes what the file holds, such as "2 certificates and a
// private key".
func (f *File) Contents() string {
	counts := map[Kind]int{}
	var order []Kind
	for _, it := range f.Items {
		if counts[it.Kind] == 0 {
			order = append(order, it.Kind)
		}
		counts[it.Kind]++
	}
	var parts []string
	for _, k := range order {
		parts = append(parts, plural(counts[k], k.String()))
	}
	switch len(parts) {
	case 0:
		return "nothing usable"
	case 1:
		return parts[0]
	}
	return strings.Join(parts[:len(parts)-1], ", ") + " and " + parts[len(parts)-1]
}

func plural(n int, what string) string {
	switch {
	case n == 1 && strings.ContainsAny(what[:1], "aeiouAEIOU"):
		return "an " + what
	case n == 1:
		return "a " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}

// Has reports whether the file holds a usable item of kind k.
func (f *File) Has(k Kind) bool {
	for _, it := range f.Items {
		if it.Kind == k && it.Problem == "" {
			return true
		}
	}
	return false
}

// MisuseAsCertificate explains, in plain words, why f cannot serve as the
// client certificate; "" when it holds one.
func (f *File) MisuseAsCertificate() string {
	if f.Has(KindCertificate) {
		return ""
	}
	switch {
	case f.Has(KindPrivateKey):
		return fmt.Sprintf("%s holds a private key, not a certificate: are the certificate and key files switched?", f.Path)
	case f.Has(KindCSR):
		return fmt.Sprintf("%s is a certificate signing request (what you send to Axys), not the signed certificate Axys returns about a day later", f.Path)
	case f.Has(KindPublicKey):
		return fmt.Sprintf("%s holds a bare public key, not a certificate", f.Path)
	}
	if p := f.Problems(); len(p) > 0 {
		return fmt.Sprintf("%s holds no usable certificate: %s", f.Path, p[0])
	}
	return fmt.Sprintf("%s holds no certificate (it has %s)", f.Path, f.Contents())
}

// MisuseAsKey explains why f cannot serve as the private key; "" when it
// holds one.
func (f *File) MisuseAsKey() string {
	if f.Has(KindPrivateKey) {
		return ""
	}
	switch {
	case f.Has(KindCertificate):
		return fmt.Sprintf("%s holds a certificate, not a private key: are the certificate and key files switched?", f.Path)
	case f.Has(KindCSR):
		return fmt.Sprintf("%s is a certificate signing request; the private key is the file written next to it when the CSR was made", f.Path)
	case f.Has(KindPublicKey):
		return fmt.Sprintf("%s holds a public key; the private key is the file made with it", f.Path)
	}
	if p := f.Problems(); len(p) > 0 {
		return fmt.Sprintf("%s holds no usable private key: %s", f.Path, p[0])
	}
	return fmt.Sprintf("%s holds no private key (it has %s)", f.Path, f.Contents())
}
