package csr

import (
	"bytes"
	"crypto"
	"crypto/x509"
	"encoding/asn1"
	"encoding/pem"
	"errors"
	"fmt"
	"os"
	"strings"
)

// MaxFileSize bounds what ReadFile accepts (1 MB): certificates, keys and
// PKCS#12 bundles are a few KB; anything this large is the wrong file.
const MaxFileSize = 1 << 20

// Kind says what an item in a file is.
type Kind int

// Item kinds.
const (
	KindUnknown Kind = iota
	KindCertificate
	KindPrivateKey
	KindCSR
	KindPublicKey
	KindParameters
)

func (k Kind) String() string {
	switch k {
	case KindCertificate:
		return "certificate"
	case KindPrivateKey:
		return "private key"
	case KindCSR:
		return "certificate signing request"
	case KindPublicKey:
		return "public key"
	case KindParameters:
		return "EC parameters block"
	}
	return "unrecognized block"
}

// Item is one thing found in a file.
type Item struct {
	Kind Kind
	// Format is how the item was stored, such as "PEM CERTIFICATE",
	// "DER", "PKCS#8", "encrypted PKCS#8" or "PKCS#12".
	Format string
	Cert   *x509.Certificate
	Key    crypto.PrivateKey
	Public crypto.PublicKey
	CSR    *x509.CertificateRequest
	// Problem says why an item of a known kind could not be used.
	Problem string
}

// File is everything read from one input.
type File struct {
	Path string
	// Container is "PEM", "DER" or "PKCS#12".
	Container string
	Notes     []string
	Items     []Item
}

// PasswordFunc supplies a password when an encrypted key or PKCS#12 needs
// one. It is called at most once per file, and only when needed.
type PasswordFunc func() ([]byte, error)

// Errors that mean the input cannot be read at all (exit code 2).
var (
	ErrEmpty          = errors.New("the file is empty")
	ErrPasswordNeeded = errors.New("it is encrypted and no password was given")
	ErrWrongPassword  = errors.New("wrong password, or the file is damaged")
	ErrUnrecognized   = errors.New("not a certificate, private key, CSR or PKCS#12 file")
)

// ReadError is a failure to read or understand an input file; its message is
// one line naming the file.
type ReadError struct {
	Path string
	Err  error
}

func (e *ReadError) Error() string {
	if e.Path == "" {
		return e.Err.Error()
	}
	return e.Path + ": " + e.Err.Error()
}

func (e *ReadError) Unwrap() error { return e.Err }

// ReadFile reads path through ReadRegular (a regular file of at most
// MaxFileSize) and parses it, with a key-derivation budget of its own.
// Errors are *ReadError.
func ReadFile(path string, password PasswordFunc) (*File, error) {
	return ReadFileWithin(path, password, nil)
}

// ReadFileWithin is ReadFile spending key derivation from b, which every
// file of a run shares; nil means a budget of its own.
func ReadFileWithin(path string, password PasswordFunc, b *Budget) (*File, error) {
	data, err := ReadRegular(path, MaxFileSize)
	if errors.Is(err, ErrTooLarge) {
		return nil, &ReadError{Path: path, Err: fmt.Errorf("%w: not a certificate, key or PKCS#12 file", errors.Unwrap(err))}
	}
	if err != nil {
		return nil, err
	}
	file, err := ParseWithin(data, password, b)
	if err != nil {
		return nil, &ReadError{Path: path, Err: err}
	}
	file.Path = path
	return file, nil
}

// plainOSError drops the path and operation Go adds, which the caller names.
// It keeps the cause for errors.Is (fs.ErrNotExist, fs.ErrPermission).
func plainOSError(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		switch {
		case errors.Is(err, os.ErrNotExist):
			return plainError{"no such file", pe.Err}
		case errors.Is(err, os.ErrPermission):
			return plainError{"permission denied", pe.Err}
		}
		return pe.Err
	}
	return err
}

// plainError says msg and unwraps to the system's error.
type plainError struct {
	msg   string
	cause error
}

func (e plainError) Error() string { return e.msg }
func (e plainError) Unwrap() error { return e.cause }

// Parse identifies and decodes data: PEM (any number of blocks), DER
// certificates, CSRs and keys, or PKCS#12, with a key-derivation budget of
// its own.
func Parse(data []byte, password PasswordFunc) (*File, error) {
	return ParseWithin(data, password, nil)
}

// ParseWithin is Parse spending key derivation from b; nil means a budget
// of its own.
func ParseWithin(data []byte, password PasswordFunc, b *Budget) (*File, error) {
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, ErrEmpty
	}
	if b == nil {
		b = NewBudget()
	}
	p := &parser{password: password, budget: b}
	text, notes := decodeText(data)
	f := &File{Notes: notes}
	var err error
	if bytes.Contains(text, []byte("-----BEGIN")) {
		f.Container = "PEM"
		err = p.parsePEM(f, text)
	} else {
		err = p.parseBinary(f, data)
	}
	if err != nil {
		return nil, err
	}
	return f, nil
}

type parser struct {
	password PasswordFunc
	budget   *Budget
	asked    bool
	pw       []byte
	pwErr    error
}

func (p *parser) getPassword() ([]byte, error) {
	if !p.asked {
		p.asked = true
		if p.password == nil {
			p.pwErr = ErrPasswordNeeded
		} else {
			p.pw, p.pwErr = p.password()
			if p.pwErr == nil && len(p.pw) == 0 {
				p.pwErr = ErrPasswordNeeded
			}
		}
	}
	return p.pw, p.pwErr
}

func (p *parser) parsePEM(f *File, text []byte) error {
	blocks, err := splitPEM(f, text)
	if err != nil {
		return err
	}
	// Every encrypted key of the file is paid for before the first is
	// decrypted, so many modest blocks cannot add up unchecked.
	var need work
	encrypted := 0
	for _, b := range blocks {
		if b.Type == "ENCRYPTED PRIVATE KEY" {
			need = need.plus(pkcs8Work(b.Bytes))
			encrypted++
		}
	}
	if err := p.budget.take(need); err != nil {
		if encrypted > 1 {
			return fmt.Errorf("%d encrypted private keys: %w", encrypted, err)
		}
		return fmt.Errorf("the private key (encrypted PKCS#8): %w", err)
	}
	for _, b := range blocks {
		items, err := p.parseBlock(b)
		if err != nil {
			return err
		}
		f.Items = append(f.Items, items...)
	}
	if len(f.Items) == 0 {
		return ErrUnrecognized
	}
	return nil
}

// splitPEM decodes every PEM block of text, noting text around them.
func splitPEM(f *File, text []byte) ([]*pem.Block, error) {
	var blocks []*pem.Block
	rest := text
	for n := 0; ; n++ {
		start := bytes.Index(rest, []byte("-----BEGIN"))
		if start < 0 {
			if junk := bytes.TrimSpace(rest); len(junk) > 0 && n > 0 {
				f.Notes = append(f.Notes, fmt.Sprintf("%d bytes after the last PEM block ignored", len(junk)))
			}
			return blocks, nil
		}
		if junk := bytes.TrimSpace(rest[:start]); len(junk) > 0 {
			f.Notes = append(f.Notes, fmt.Sprintf("%d bytes of text before PEM block %d ignored", len(junk), n+1))
		}
		block, after := pem.Decode(rest[start:])
		if block == nil {
			line := firstLine(rest[start:])
			return nil, fmt.Errorf("damaged PEM block %d (%s): check for a missing -----END line or broken base64", n+1, line)
		}
		rest = after
		blocks = append(blocks, block)
	}
}

func firstLine(b []byte) string {
	if i := bytes.IndexAny(b, "\r\n"); i >= 0 {
		b = b[:i]
	}
	if len(b) > 60 {
		b = b[:60]
	}
	return strings.ToValidUTF8(string(b), "?")
}

func (p *parser) parseBlock(b *pem.Block) ([]Item, error) {
	format := "PEM " + b.Type
	switch b.Type {
	case "CERTIFICATE", "X509 CERTIFICATE", "X.509 CERTIFICATE":
		c, err := x509.ParseCertificate(b.Bytes)
		if err != nil {
			return []Item{{Kind: KindCertificate, Format: format, Problem: "damaged certificate: " + err.Error()}}, nil
		}
		return []Item{{Kind: KindCertificate, Format: format, Cert: c, Public: c.PublicKey}}, nil
	case "TRUSTED CERTIFICATE":
		// OpenSSL appends trust settings after the certificate's DER.
		var raw asn1.RawValue
		if _, err := asn1.Unmarshal(b.Bytes, &raw); err != nil {
			return []Item{{Kind: KindCertificate, Format: format, Problem: "damaged certificate: " + err.Error()}}, nil
		}
		c, err := x509.ParseCertificate(raw.FullBytes)
		if err != nil {
			return []Item{{Kind: KindCertificate, Format: format, Problem: "damaged certificate: " + err.Error()}}, nil
		}
		return []Item{{Kind: KindCertificate, Format: "PEM TRUSTED CERTIFICATE (OpenSSL trust settings ignored)", Cert: c, Public: c.PublicKey}}, nil
	case "CERTIFICATE REQUEST", "NEW CERTIFICATE REQUEST":
		r, err := x509.ParseCertificateRequest(b.Bytes)
		if err != nil {
			return []Item{{Kind: KindCSR, Format: format, Problem: "damaged CSR: " + err.Error()}}, nil
		}
		return []Item{{Kind: KindCSR, Format: format, CSR: r, Public: r.PublicKey}}, nil
	case "PRIVATE KEY", "RSA PRIVATE KEY", "EC PRIVATE KEY":
		der := b.Bytes
		if x509.IsEncryptedPEMBlock(b) { //nolint:staticcheck // legacy encrypted PEM is still common
			pw, err := p.getPassword()
			if err != nil {
				return nil, fmt.Errorf("the private key (legacy encrypted PEM, %s): %w", b.Headers["DEK-Info"], err)
			}
			der, err = x509.DecryptPEMBlock(b, pw) //nolint:staticcheck // see above
			if err != nil {
				return nil, fmt.Errorf("the private key (legacy encrypted PEM): %w", ErrWrongPassword)
			}
			k, enc, err := parsePlainKey(der)
			if err != nil {
				return nil, fmt.Errorf("the private key (legacy encrypted PEM): %w", ErrWrongPassword)
			}
			return []Item{keyItem(k, fmt.Sprintf("legacy encrypted PEM (%s, %s)", enc, dekCipher(b)))}, nil
		}
		k, enc, err := parsePlainKey(der)
		if err != nil {
			return []Item{{Kind: KindPrivateKey, Format: format, Problem: "damaged private key: " + err.Error()}}, nil
		}
		return []Item{keyItem(k, enc)}, nil
	case "ENCRYPTED PRIVATE KEY":
		k, err := p.decryptPKCS8(b.Bytes)
		if err != nil {
			return nil, err
		}
		return []Item{keyItem(k, "encrypted PKCS#8")}, nil
	case "EC PARAMETERS":
		return []Item{{Kind: KindParameters, Format: format}}, nil
	case "PUBLIC KEY", "RSA PUBLIC KEY":
		pub, err := x509.ParsePKIXPublicKey(b.Bytes)
		if err != nil {
			pub, err = x509.ParsePKCS1PublicKey(b.Bytes)
		}
		if err != nil {
			return []Item{{Kind: KindPublicKey, Format: format, Problem: "damaged public key: " + err.Error()}}, nil
		}
		return []Item{{Kind: KindPublicKey, Format: format, Public: pub}}, nil
	case "PKCS7", "CMS":
		return []Item{{Kind: KindUnknown, Format: format, Problem: "a PKCS#7 bundle: extract the certificates with `openssl pkcs7 -print_certs -in FILE -out cert.pem`"}}, nil
	case "OPENSSH PRIVATE KEY":
		return []Item{{Kind: KindPrivateKey, Format: format, Problem: "an OpenSSH key, not the TLS key that belongs to your certificate"}}, nil
	}
	return []Item{{Kind: KindUnknown, Format: format, Problem: fmt.Sprintf("a %q PEM block, which axysdoctor does not use", b.Type)}}, nil
}

// dekCipher names the cipher of a legacy encrypted PEM block.
func dekCipher(b *pem.Block) string {
	c, _, _ := strings.Cut(b.Headers["DEK-Info"], ",")
	if c == "" {
		return "unknown cipher"
	}
	return c
}

func keyItem(k crypto.PrivateKey, format string) Item {
	it := Item{Kind: KindPrivateKey, Format: format, Key: k}
	if s, ok := k.(crypto.Signer); ok {
		it.Public = s.Public()
	}
	return it
}

// parsePlainKey tries PKCS#8, PKCS#1 and SEC1, whatever the PEM label says:
// mislabelled blocks are common and harmless.
func parsePlainKey(der []byte) (crypto.PrivateKey, string, error) {
	if k, err := x509.ParsePKCS8PrivateKey(der); err == nil {
		return k, "PKCS#8", nil
	}
	if k, err := x509.ParsePKCS1PrivateKey(der); err == nil {
		return k, "PKCS#1", nil
	}
	k, err := x509.ParseECPrivateKey(der)
	if err == nil {
		return k, "SEC1", nil
	}
	return nil, "", errors.New("not a PKCS#8, PKCS#1 or SEC1 private key")
}

// parseBinary handles input without PEM armour: DER certificates (one or a
// concatenated chain), a DER CSR, PKCS#12, or a DER key.
func (p *parser) parseBinary(f *File, data []byte) error {
	// No trimming: DER may end in any byte, whitespace included.
	if len(data) == 0 || data[0] != 0x30 {
		if looksLikeText(data) {
			return errors.New("text without a -----BEGIN line: not a PEM certificate, key or CSR")
		}
		return fmt.Errorf("binary data: %w", ErrUnrecognized)
	}
	f.Container = "DER"
	if certs, err := x509.ParseCertificates(data); err == nil && len(certs) > 0 {
		for _, c := range certs {
			f.Items = append(f.Items, Item{Kind: KindCertificate, Format: "DER", Cert: c, Public: c.PublicKey})
		}
		return nil
	}
	if r, err := x509.ParseCertificateRequest(data); err == nil {
		f.Items = append(f.Items, Item{Kind: KindCSR, Format: "DER", CSR: r, Public: r.PublicKey})
		return nil
	}
	if looksLikePKCS12(data) {
		f.Container = "PKCS#12"
		return p.parsePKCS12(f, data)
	}
	if k, enc, err := parsePlainKey(data); err == nil {
		f.Items = append(f.Items, keyItem(k, "DER "+enc))
		return nil
	}
	if looksLikeEncryptedPKCS8(data) {
		if err := p.budget.take(pkcs8Work(data)); err != nil {
			return fmt.Errorf("the private key (encrypted PKCS#8): %w", err)
		}
		k, err := p.decryptPKCS8(data)
		if err != nil {
			return err
		}
		f.Items = append(f.Items, keyItem(k, "DER encrypted PKCS#8"))
		return nil
	}
	if pub, err := x509.ParsePKIXPublicKey(data); err == nil {
		f.Items = append(f.Items, Item{Kind: KindPublicKey, Format: "DER", Public: pub})
		return nil
	}
	return fmt.Errorf("binary ASN.1 data: %w", ErrUnrecognized)
}

func looksLikeText(b []byte) bool {
	if len(b) > 512 {
		b = b[:512]
	}
	printable := 0
	for _, c := range b {
		if c == '\n' || c == '\r' || c == '\t' || (c >= 0x20 && c < 0x7f) {
			printable++
		}
	}
	return len(b) > 0 && printable*10 >= len(b)*9
}
