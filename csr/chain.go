package csr

import (
	"bytes"
	"crypto"
	"crypto/x509"
	"fmt"
	"time"
)

// Chain is what a certificate bundle holds once its leaf is found.
type Chain struct {
	Leaf  *x509.Certificate
	Extra []*x509.Certificate // everything else, file order, duplicates removed
	// Findings about the bundle, each one line. Warnings deserve action;
	// Info is context.
	Warnings []string
	Info     []string
}

// AnalyzeChain finds the leaf among certs (the one matching key when given,
// else the first end-entity certificate, else the first) and looks at the
// rest: order, duplicates, a root included, a missing or expired issuer.
func AnalyzeChain(certs []*x509.Certificate, key crypto.PrivateKey, now time.Time) Chain {
	var ch Chain
	var uniq []*x509.Certificate
	for _, c := range certs {
		dup := false
		for _, u := range uniq {
			if bytes.Equal(u.Raw, c.Raw) {
				dup = true
			}
		}
		if dup {
			ch.Warnings = append(ch.Warnings, fmt.Sprintf("the bundle holds %s twice; remove the duplicate", FormatName(c.RawSubject)))
			continue
		}
		uniq = append(uniq, c)
	}
	if len(uniq) == 0 {
		return ch
	}
	leafAt := -1
	if key != nil {
		for i, c := range uniq {
			if KeyMatches(c.PublicKey, key) {
				leafAt = i
				break
			}
		}
	}
	if leafAt < 0 {
		for i, c := range uniq {
			if !c.IsCA {
				leafAt = i
				break
			}
		}
	}
	if leafAt < 0 {
		leafAt = 0
		ch.Warnings = append(ch.Warnings, "every certificate in the bundle is a CA certificate: the client certificate itself is missing")
	}
	ch.Leaf = uniq[leafAt]
	for i, c := range uniq {
		if i != leafAt {
			ch.Extra = append(ch.Extra, c)
		}
	}
	if leafAt != 0 {
		ch.Warnings = append(ch.Warnings, fmt.Sprintf("the client certificate is number %d in the bundle; put it first, then its issuer (some servers read only the first)", leafAt+1))
	}
	ch.inspectIssuers(uniq, leafAt, now)
	return ch
}

func (ch *Chain) inspectIssuers(uniq []*x509.Certificate, leafAt int, now time.Time) {
	// Walk up from the leaf through certificates present in the bundle.
	cur := ch.Leaf
	seen := map[*x509.Certificate]bool{cur: true}
	ordered := leafAt == 0
	pos := leafAt
	for {
		if IsSelfSigned(cur) {
			if cur != ch.Leaf {
				ch.Info = append(ch.Info, fmt.Sprintf("the bundle includes the root %s; servers already hold it, so it is harmless but unneeded", FormatName(cur.RawSubject)))
			}
			break
		}
		issuer := findIssuer(cur, uniq)
		if issuer == nil {
			switch {
			case len(ch.Extra) == 0:
				ch.Info = append(ch.Info, fmt.Sprintf("the file holds only the client certificate; its issuer %s is not included (the gateway must already trust it)", FormatName(cur.RawIssuer)))
			case cur != ch.Leaf:
				ch.Info = append(ch.Info, fmt.Sprintf("the chain ends at %s, issued by %s, which is not included (normal: servers hold their roots)", FormatName(cur.RawSubject), FormatName(cur.RawIssuer)))
			default:
				ch.Warnings = append(ch.Warnings, fmt.Sprintf("the issuer of %s (%s) is not in the bundle: an intermediate certificate is missing", FormatName(cur.RawSubject), FormatName(cur.RawIssuer)))
			}
			break
		}
		if seen[issuer] {
			break
		}
		seen[issuer] = true
		if idx := indexOf(uniq, issuer); idx != pos+1 {
			ordered = false
		} else {
			pos = idx
		}
		if now.After(issuer.NotAfter) {
			ch.Warnings = append(ch.Warnings, fmt.Sprintf("the CA certificate %s in the bundle expired on %s", FormatName(issuer.RawSubject), issuer.NotAfter.UTC().Format("2006-01-02")))
		}
		cur = issuer
	}
	if !ordered && leafAt == 0 && len(uniq) > 1 {
		ch.Warnings = append(ch.Warnings, "the bundle is not in order: put the client certificate first, then each certificate followed by its issuer")
	}
	for _, c := range ch.Extra {
		if !seen[c] {
			ch.Warnings = append(ch.Warnings, fmt.Sprintf("%s in the bundle is not part of the client certificate's chain", FormatName(c.RawSubject)))
		}
	}
}

func findIssuer(c *x509.Certificate, pool []*x509.Certificate) *x509.Certificate {
	for _, p := range pool {
		if p != c && bytes.Equal(p.RawSubject, c.RawIssuer) && c.CheckSignatureFrom(p) == nil {
			return p
		}
	}
	return nil
}

func indexOf(list []*x509.Certificate, c *x509.Certificate) int {
	for i, x := range list {
		if x == c {
			return i
		}
	}
	return -1
}
