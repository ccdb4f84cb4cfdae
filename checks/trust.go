package checks

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"sync"
	"time"
)

// serverTrust verifies the gateway's certificate (and the who-am-I
// services'): first against the --ca-file certificates alone, which needs
// no system roots, then against the system's roots plus them. Parsing the
// system roots costs about 10 ms — the largest fixed cost of a run — so it
// is paid only when the CA file does not vouch for the server, and, when
// there is no CA file, started at the beginning of the run, where the
// network hides it.
type serverTrust struct {
	caFile string
	given  []*x509.Certificate // already read by LoadMaterial

	loadOnce sync.Once
	extra    []*x509.Certificate
	loadErr  error

	systemOnce sync.Once
	system     *x509.CertPool
}

// newServerTrust verifies with the system's roots plus the --ca-file
// certificates: given (as LoadMaterial read them), else read from caFile.
func newServerTrust(caFile string, given []*x509.Certificate) *serverTrust {
	return &serverTrust{caFile: caFile, given: given}
}

// prewarm starts parsing the system roots when they will be needed.
func (t *serverTrust) prewarm() {
	if t.caFile == "" && len(t.given) == 0 {
		go t.systemPool()
	}
}

// load reads --ca-file once.
func (t *serverTrust) load() ([]*x509.Certificate, error) {
	t.loadOnce.Do(func() {
		switch {
		case len(t.given) > 0:
			t.extra = t.given
		case t.caFile != "":
			// A Material built by hand (not by LoadMaterial): read it
			// the way LoadMaterial does.
			t.extra, t.loadErr = loadServerCAs(t.caFile, nil)
		}
	})
	return t.extra, t.loadErr
}

// systemPool is the system's roots plus --ca-file's certificates.
func (t *serverTrust) systemPool() *x509.CertPool {
	t.systemOnce.Do(func() {
		p, err := x509.SystemCertPool()
		if err != nil || p == nil {
			p = x509.NewCertPool()
		}
		extra, _ := t.load()
		for _, c := range extra {
			p.AddCert(c)
		}
		t.system = p
	})
	return t.system
}

// verify checks chain (leaf first) for host as crypto/tls would, trying
// the CA file's certificates before the system's roots.
func (t *serverTrust) verify(chain []*x509.Certificate, host string) error {
	if len(chain) == 0 {
		return errors.New("the server sent no certificate")
	}
	extra, err := t.load()
	if err != nil {
		return err
	}
	opts := x509.VerifyOptions{DNSName: host, Intermediates: x509.NewCertPool(), CurrentTime: time.Now()}
	for _, c := range chain[1:] {
		opts.Intermediates.AddCert(c)
	}
	if len(extra) > 0 {
		opts.Roots = x509.NewCertPool()
		for _, c := range extra {
			opts.Roots.AddCert(c)
		}
		_, err := chain[0].Verify(opts)
		var unknown x509.UnknownAuthorityError
		if err == nil || !errors.As(err, &unknown) {
			return err
		}
	}
	opts.Roots = t.systemPool()
	_, err = chain[0].Verify(opts)
	return err
}

// trusted reports whether c chains to a trusted root, whatever its name.
func (t *serverTrust) trusted(chain []*x509.Certificate) bool {
	return t.verify(chain, "") == nil
}

// tlsConfig is a client configuration that verifies with t; seen, if set,
// receives the server's chain whether or not it verifies.
func (t *serverTrust) tlsConfig(host string, seen func([]*x509.Certificate)) *tls.Config {
	return &tls.Config{
		ServerName: host,
		MinVersion: tls.VersionTLS12,
		// Verification is ours (VerifyConnection), in the same way as
		// crypto/tls's, so that the system roots load only when needed.
		InsecureSkipVerify: true,
		VerifyConnection: func(cs tls.ConnectionState) error {
			if seen != nil {
				seen(cs.PeerCertificates)
			}
			return t.verify(cs.PeerCertificates, host)
		},
	}
}
