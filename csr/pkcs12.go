package csr

import (
	"crypto/x509"
	"encoding/asn1"
	"errors"
	"fmt"

	"software.sslmate.com/src/go-pkcs12"
)

// looksLikePKCS12 reports whether der has the PFX shape: SEQUENCE { INTEGER 3,
// ContentInfo, ... }.
func looksLikePKCS12(der []byte) bool {
	var pfx struct {
		Version  int
		AuthSafe asn1.RawValue
		Rest     asn1.RawValue `asn1:"optional"`
	}
	_, err := asn1.Unmarshal(der, &pfx)
	return err == nil && pfx.Version == 3
}

// parsePKCS12 decodes a PFX. It tries an empty password first (many tools
// export without one), then asks. A file with no key or several keys falls
// back to converting every bag.
func (p *parser) parsePKCS12(f *File, der []byte) error {
	if err := checkKDFCost(der); err != nil {
		return fmt.Errorf("PKCS#12: %w", err)
	}
	password := ""
	key, leaf, cas, err := pkcs12.DecodeChain(der, password)
	if isPasswordError(err) {
		pw, perr := p.getPassword()
		if perr != nil {
			return fmt.Errorf("PKCS#12 file: %w", perr)
		}
		password = string(pw)
		key, leaf, cas, err = pkcs12.DecodeChain(der, password)
	}
	if isPasswordError(err) {
		return fmt.Errorf("PKCS#12 file: %w", ErrWrongPassword)
	}
	if err == nil {
		f.Items = append(f.Items, Item{Kind: KindCertificate, Format: "PKCS#12", Cert: leaf, Public: leaf.PublicKey})
		for _, c := range cas {
			f.Items = append(f.Items, Item{Kind: KindCertificate, Format: "PKCS#12", Cert: c, Public: c.PublicKey})
		}
		f.Items = append(f.Items, keyItem(key, "PKCS#12"))
		return nil
	}
	blocks, perr := pkcs12.ToPEM(der, password)
	if perr != nil {
		if isPasswordError(perr) {
			return fmt.Errorf("PKCS#12 file: %w", ErrWrongPassword)
		}
		return fmt.Errorf("damaged or unsupported PKCS#12 file: %v", err)
	}
	for _, b := range blocks {
		switch b.Type {
		case "CERTIFICATE":
			c, err := x509.ParseCertificate(b.Bytes)
			if err != nil {
				f.Items = append(f.Items, Item{Kind: KindCertificate, Format: "PKCS#12", Problem: "damaged certificate: " + err.Error()})
				continue
			}
			f.Items = append(f.Items, Item{Kind: KindCertificate, Format: "PKCS#12", Cert: c, Public: c.PublicKey})
		case "PRIVATE KEY":
			k, _, err := parsePlainKey(b.Bytes)
			if err != nil {
				f.Items = append(f.Items, Item{Kind: KindPrivateKey, Format: "PKCS#12", Problem: "damaged private key"})
				continue
			}
			f.Items = append(f.Items, keyItem(k, "PKCS#12"))
		}
	}
	if len(f.Items) == 0 {
		return errors.New("the PKCS#12 file holds no certificate or key")
	}
	return nil
}

func isPasswordError(err error) bool {
	return errors.Is(err, pkcs12.ErrIncorrectPassword) || errors.Is(err, pkcs12.ErrDecryption)
}
