package csr

import (
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"errors"
	"fmt"

	"software.sslmate.com/src/go-pkcs12"
)

// A PKCS#12 file is read in two steps. First it is scanned here, with the
// structures and the strictness go-pkcs12 uses, so that every key
// derivation go-pkcs12 would do — the MAC (twice for an empty password),
// each encrypted container, the key bag — is known and paid for from the
// budget before any of it runs. Then go-pkcs12 decodes it; a key bag hidden
// inside an encrypted container, whose cost only shows once that container
// is open, is found first by openContainer (pkcs12open.go), which never lets
// go-pkcs12 decrypt such a bag.

var (
	oidDataContentType          = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 7, 1}
	oidEncryptedDataContentType = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 7, 6}
	oidKeyBag                   = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 12, 10, 1, 1}
	oidShroudedKeyBag           = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 12, 10, 1, 2}
	oidCertBag                  = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 12, 10, 1, 3}
	oidX509Certificate          = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 22, 1}
)

// The PFX structures of RFC 7292, shaped as go-pkcs12 reads them.
type (
	pfxPDU struct {
		Version  int
		AuthSafe pfxContentInfo
		MacData  pfxMacData `asn1:"optional"`
	}
	pfxContentInfo struct {
		ContentType asn1.ObjectIdentifier
		Content     asn1.RawValue `asn1:"tag:0,explicit,optional"`
	}
	pfxMacData struct {
		Mac struct {
			Algorithm pkix.AlgorithmIdentifier
			Digest    []byte
		}
		MacSalt    []byte
		Iterations int `asn1:"optional,default:1"`
	}
	pfxEncryptedData struct {
		Version              int
		EncryptedContentInfo struct {
			ContentType                asn1.ObjectIdentifier
			ContentEncryptionAlgorithm pkix.AlgorithmIdentifier
			EncryptedContent           []byte `asn1:"tag:0,optional"`
		}
	}
	pfxSafeBag struct {
		ID         asn1.ObjectIdentifier
		Value      asn1.RawValue  `asn1:"tag:0,explicit"`
		Attributes []pfxAttribute `asn1:"set,optional"`
	}
	pfxAttribute struct {
		ID    asn1.ObjectIdentifier
		Value asn1.RawValue `asn1:"set"`
	}
	pfxCertBag struct {
		ID   asn1.ObjectIdentifier
		Data []byte `asn1:"tag:0,explicit"`
	}
)

// pfx is a scanned PKCS#12 file: what can be seen without a password.
type pfx struct {
	der      []byte
	hasMAC   bool
	mac      work // checking the MAC once
	contents []pfxContent
	sealed   work // deriving the key of every encrypted container once
	keyBags  int  // key bags in plain containers, encrypted or not
	key      work // deriving the key of the (first) encrypted key bag
}

// pfxContent is one container of the file: plain, with its certificates
// read, or encrypted, with its certificates known once it is opened.
type pfxContent struct {
	info      pfxContentInfo
	encrypted bool
	certs     []Item
}

// looksLikePKCS12 reports whether der has the PFX shape: SEQUENCE { INTEGER 3,
// ContentInfo, ... }.
func looksLikePKCS12(der []byte) bool {
	var pdu struct {
		Version  int
		AuthSafe asn1.RawValue
		Rest     asn1.RawValue `asn1:"optional"`
	}
	_, err := asn1.Unmarshal(der, &pdu)
	return err == nil && pdu.Version == 3
}

// strictUnmarshal is asn1.Unmarshal refusing trailing data, as go-pkcs12 does.
func strictUnmarshal(der []byte, out any) error {
	rest, err := asn1.Unmarshal(der, out)
	if err == nil && len(rest) > 0 {
		err = errors.New("trailing data")
	}
	return err
}

// scanPFX reads der as go-pkcs12 will, without deriving anything.
func scanPFX(der []byte) (*pfx, error) {
	var pdu pfxPDU
	if err := strictUnmarshal(der, &pdu); err != nil {
		return nil, err
	}
	if pdu.Version != 3 || !pdu.AuthSafe.ContentType.Equal(oidDataContentType) {
		return nil, errors.New("only version 3, password-protected files are supported")
	}
	var octets asn1.RawValue
	if err := strictUnmarshal(pdu.AuthSafe.Content.Bytes, &octets); err != nil {
		return nil, err
	}
	x := &pfx{der: der}
	if len(pdu.MacData.Mac.Algorithm.Algorithm) > 0 {
		x.hasMAC, x.mac = true, macWork(pdu.MacData)
	}
	var safe []pfxContentInfo
	if err := strictUnmarshal(octets.Bytes, &safe); err != nil {
		return nil, err
	}
	if len(safe) < 1 || len(safe) > 2 {
		return nil, fmt.Errorf("%d containers; axysdoctor reads files with one or two, as openssl, Windows and Java write them", len(safe))
	}
	for _, ci := range safe {
		c := pfxContent{info: ci}
		switch {
		case ci.ContentType.Equal(oidDataContentType):
			var data []byte
			var bags []pfxSafeBag
			if err := strictUnmarshal(ci.Content.Bytes, &data); err != nil {
				return nil, err
			}
			if err := strictUnmarshal(data, &bags); err != nil {
				return nil, err
			}
			for _, b := range bags {
				c.certs = append(c.certs, x.scanBag(b)...)
			}
		case ci.ContentType.Equal(oidEncryptedDataContentType):
			var ed pfxEncryptedData
			if err := strictUnmarshal(ci.Content.Bytes, &ed); err != nil {
				return nil, err
			}
			c.encrypted = true
			x.sealed = x.sealed.plus(pbeWork("an encrypted container", ed.EncryptedContentInfo.ContentEncryptionAlgorithm))
		default:
			return nil, errors.New("a container that is neither plain nor password-encrypted")
		}
		x.contents = append(x.contents, c)
	}
	return x, nil
}

// scanBag notes a key bag's cost and returns a certificate bag's certificate.
func (x *pfx) scanBag(b pfxSafeBag) []Item {
	switch {
	case b.ID.Equal(oidKeyBag):
		x.keyBags++
	case b.ID.Equal(oidShroudedKeyBag):
		x.keyBags++
		var info encryptedPrivateKeyInfo
		if _, err := asn1.Unmarshal(b.Value.Bytes, &info); err == nil {
			x.key = x.key.plus(pbeWork("the private key", info.Algorithm))
		}
	case b.ID.Equal(oidCertBag):
		var cb pfxCertBag
		if err := strictUnmarshal(b.Value.Bytes, &cb); err != nil || !cb.ID.Equal(oidX509Certificate) {
			return []Item{{Kind: KindCertificate, Format: "PKCS#12", Problem: "damaged certificate bag"}}
		}
		c, err := x509.ParseCertificate(cb.Data)
		if err != nil {
			return []Item{{Kind: KindCertificate, Format: "PKCS#12", Problem: "damaged certificate: " + err.Error()}}
		}
		return []Item{certItem(c, "PKCS#12")}
	}
	return nil
}

// worstCase is the most key derivation reading x can take: with the empty
// password, each encrypted container opened for each of its two encodings
// (see openContainers), then the MAC twice and the containers and key bag
// again by go-pkcs12; with the password asked for, once each. Files without
// a MAC open only with the empty password.
func (x *pfx) worstCase() work {
	decode := x.sealed.plus(x.key)
	empty := x.sealed.times(2).plus(x.mac.times(2)).plus(decode)
	if !x.hasMAC {
		return empty
	}
	return empty.plus(x.sealed).plus(x.mac).plus(decode)
}

// errKeySealed refuses a file whose key bag sits inside an encrypted
// container: its key-derivation cost cannot be known before it is opened.
var errKeySealed = errors.New("its private key is inside an encrypted container, where its key-derivation cost cannot be checked first; re-export it with `openssl pkcs12 -export` (which keeps the key in its own container)")

// parsePKCS12 decodes a PFX. It tries the empty password first (many tools
// export without one), then asks.
func (p *parser) parsePKCS12(f *File, der []byte) error {
	x, err := scanPFX(der)
	if err != nil {
		return fmt.Errorf("damaged or unsupported PKCS#12 file: %w", err)
	}
	if err := p.budget.take(x.worstCase()); err != nil {
		return fmt.Errorf("PKCS#12 file: %w", err)
	}
	items, err := x.open("")
	if isPasswordError(err) && x.hasMAC {
		pw, perr := p.getPassword()
		if perr != nil {
			return fmt.Errorf("PKCS#12 file: %w", perr)
		}
		items, err = x.open(string(pw))
	}
	switch {
	case isPasswordError(err):
		return fmt.Errorf("PKCS#12 file: %w", ErrWrongPassword)
	case err != nil:
		return fmt.Errorf("PKCS#12 file: %w", err)
	case len(items) == 0:
		return errors.New("the PKCS#12 file holds no certificate or key")
	}
	f.Items = append(f.Items, items...)
	return nil
}

// open reads x with password: its containers first, then — when it holds
// exactly one key bag, in plain sight — the key, with go-pkcs12.
func (x *pfx) open(password string) ([]Item, error) {
	if err := x.openContainers(password); err != nil {
		return nil, err
	}
	var certs []Item
	for _, c := range x.contents {
		certs = append(certs, c.certs...)
	}
	switch {
	case x.keyBags == 0:
		return certs, nil
	case x.keyBags > 1:
		return append(certs, Item{Kind: KindPrivateKey, Format: "PKCS#12",
			Problem: fmt.Sprintf("%d private keys; axysdoctor reads PKCS#12 files holding one (export only the key of the client certificate)", x.keyBags)}), nil
	case len(certs) == 0:
		return []Item{{Kind: KindPrivateKey, Format: "PKCS#12", Problem: "a private key without its certificate; export the certificate with it"}}, nil
	}
	key, leaf, cas, err := pkcs12.DecodeChain(x.der, password)
	if err != nil {
		if isPasswordError(err) {
			return nil, err
		}
		return nil, fmt.Errorf("damaged or unsupported: %w", err)
	}
	items := []Item{certItem(leaf, "PKCS#12")}
	for _, c := range cas {
		items = append(items, certItem(c, "PKCS#12"))
	}
	return append(items, keyItem(key, "PKCS#12")), nil
}

func certItem(c *x509.Certificate, format string) Item {
	return Item{Kind: KindCertificate, Format: format, Cert: c, Public: c.PublicKey}
}

func isPasswordError(err error) bool {
	return errors.Is(err, pkcs12.ErrIncorrectPassword) || errors.Is(err, pkcs12.ErrDecryption) || errors.Is(err, errNotOpened)
}
