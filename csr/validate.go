package csr

import (
	"fmt"
	"net/netip"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/idna"
)

// Upper bounds from RFC 5280 (ub-organization-name and friends).
const (
	maxOrgLen      = 64
	maxUnitLen     = 64
	maxCNLen       = 64
	maxPlaceLen    = 128
	maxDNSNameLen  = 253
	maxDNSLabelLen = 63
)

// idnaProfile converts Unicode host names to A-labels the way browsers and
// resolvers do, refusing what cannot be a host name.
var idnaProfile = idna.New(
	idna.MapForLookup(),
	idna.BidiRule(),
	idna.StrictDomainName(true),
	idna.ValidateLabels(true),
	idna.VerifyDNSLength(true),
)

// ValidateOrganization checks the subject O, the tenant's legal entity name.
func ValidateOrganization(s string) error {
	return validateText("organization (O)", s, maxOrgLen, "your legal entity name, as Axys knows your Tenant")
}

// ValidateUnit checks one subject OU, a Program's trading or brand name.
func ValidateUnit(s string) error {
	return validateText("organizational unit (OU)", s, maxUnitLen, "the Program's trading or brand name")
}

// ValidatePlace checks the optional state or locality.
func ValidatePlace(field, s string) error {
	if strings.TrimSpace(s) == "" {
		return nil
	}
	return validateText(field, s, maxPlaceLen, "")
}

// ValidateCountry checks the optional two-letter ISO 3166 country code.
func ValidateCountry(s string) error {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil
	}
	if len(s) != 2 || !isASCIILetter(s[0]) || !isASCIILetter(s[1]) {
		return fmt.Errorf("country (C) %q: use the two-letter ISO 3166 code, such as GB or US", s)
	}
	return nil
}

func isASCIILetter(b byte) bool { return (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') }

func validateText(field, s string, max int, what string) error {
	t := strings.TrimSpace(s)
	if t == "" {
		if what != "" {
			return fmt.Errorf("%s is empty: give %s", field, what)
		}
		return fmt.Errorf("%s is empty", field)
	}
	if !utf8.ValidString(t) {
		return fmt.Errorf("%s is not valid UTF-8 text", field)
	}
	for _, r := range t {
		if unicode.IsControl(r) {
			return fmt.Errorf("%s %q contains a control character", field, t)
		}
	}
	if n := utf8.RuneCountInString(t); n > max {
		return fmt.Errorf("%s %q is %d characters long; certificates allow at most %d", field, t, n, max)
	}
	return nil
}

// NormalizeDNSName validates a host name for the CN or a DNS SAN and returns
// it in the form DNS and certificates use: lower case, A-labels for IDNs, no
// trailing dot. The error names the bad value and says what to do instead.
func NormalizeDNSName(s string) (string, error) {
	raw := strings.TrimSpace(s)
	name := strings.TrimSuffix(raw, ".")
	switch {
	case name == "":
		return "", fmt.Errorf("empty host name")
	case !utf8.ValidString(name) || strings.ContainsRune(name, utf8.RuneError):
		return "", fmt.Errorf("%q is not valid text: retype the host name", raw)
	case strings.Contains(name, "*"):
		return "", fmt.Errorf("%q is a wildcard: Axys refuses wildcards, list every host you call from explicitly", raw)
	case strings.ContainsAny(name, " \t/:@"):
		return "", fmt.Errorf("%q is not a host name: give just the name, such as api.example.com (no scheme, port or path)", raw)
	}
	if _, err := netip.ParseAddr(name); err == nil {
		return "", fmt.Errorf("%q is an IP address: list it as an IP entry, not a DNS name", raw)
	}
	ascii, err := idnaProfile.ToASCII(name)
	if err != nil {
		return "", fmt.Errorf("%q is not a valid host name: %v", raw, idnaReason(err))
	}
	ascii = strings.ToLower(ascii)
	if len(ascii) > maxDNSNameLen {
		return "", fmt.Errorf("%q is %d characters long; host names are at most %d", raw, len(ascii), maxDNSNameLen)
	}
	labels := strings.Split(ascii, ".")
	if len(labels) < 2 {
		return "", fmt.Errorf("%q has a single label: give the fully qualified name you call from, such as api.%s.com", raw, ascii)
	}
	for _, l := range labels {
		if err := checkLabel(l); err != nil {
			return "", fmt.Errorf("%q is not a valid host name: %v", raw, err)
		}
	}
	if allDigits(labels[len(labels)-1]) {
		return "", fmt.Errorf("%q ends in a numeric label: that is not a host name", raw)
	}
	return ascii, nil
}

func checkLabel(l string) error {
	if l == "" {
		return fmt.Errorf("empty label (two dots in a row)")
	}
	if len(l) > maxDNSLabelLen {
		return fmt.Errorf("label %q is longer than %d characters", l, maxDNSLabelLen)
	}
	if l[0] == '-' || l[len(l)-1] == '-' {
		return fmt.Errorf("label %q starts or ends with a hyphen", l)
	}
	for i := 0; i < len(l); i++ {
		c := l[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
			return fmt.Errorf("label %q contains %q: only letters, digits and hyphens are allowed", l, string(c))
		}
	}
	return nil
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// idnaReason shortens the idna package's error text to its cause.
func idnaReason(err error) string {
	msg := err.Error()
	if i := strings.LastIndex(msg, ": "); i >= 0 && i+2 < len(msg) {
		return msg[i+2:]
	}
	return msg
}

// NormalizeIP validates an IP SAN entry and returns its canonical form.
func NormalizeIP(s string) (netip.Addr, error) {
	raw := strings.TrimSpace(s)
	if raw == "" {
		return netip.Addr{}, fmt.Errorf("empty IP address")
	}
	if strings.Contains(raw, "/") {
		return netip.Addr{}, fmt.Errorf("%q is a network range: certificates list single addresses, one entry each", raw)
	}
	a, err := netip.ParseAddr(raw)
	if err != nil {
		return netip.Addr{}, fmt.Errorf("%q is not an IP address", raw)
	}
	if a.Zone() != "" {
		return netip.Addr{}, fmt.Errorf("%q has a zone (%%%s): give the address without it", raw, a.Zone())
	}
	if a.IsUnspecified() {
		return netip.Addr{}, fmt.Errorf("%q is the unspecified address: give the address you call from", raw)
	}
	return a.Unmap(), nil
}

// AddressNote explains, for an IP the gateway could never see as a caller
// (private, CGNAT, loopback, link-local), why it is probably a mistake.
// It returns "" for a public address.
func AddressNote(a netip.Addr) string {
	a = a.Unmap()
	switch {
	case a.IsLoopback():
		return "a loopback address: the gateway never sees it as a caller"
	case a.IsLinkLocalUnicast():
		return "a link-local address: the gateway never sees it as a caller"
	case a.IsPrivate():
		return "a private address (RFC 1918 / ULA): the gateway sees your NAT's public address instead"
	case cgnat.Contains(a):
		return "a carrier-grade NAT address (100.64.0.0/10): the gateway sees your provider's public address instead"
	}
	return ""
}

var cgnat = netip.MustParsePrefix("100.64.0.0/10")
