package checks

import (
	"errors"
	"fmt"
	"net"
	"reflect"
	"regexp"
	"strconv"
	"strings"
)

// tlsAlert is a TLS alert the server sent, as received.
type tlsAlert struct {
	Code uint8
	Name string
}

// alertMeanings says what each alert a gateway sends about a client
// certificate means (RFC 8446 §6.2), as the peer's statement only: causes
// inferred from our own certificate are added separately, as likely causes.
var alertMeanings = map[uint8]string{
	40:  "the handshake failed; in TLS 1.2 servers send it when no acceptable client certificate came",
	42:  "the gateway found the client certificate bad (signature, usage or chain)",
	43:  "the gateway does not accept this type of certificate or its key usage",
	44:  "the gateway says the client certificate is revoked",
	45:  "the gateway judged the client certificate expired (or not yet valid) by its clock",
	46:  "the gateway could not process the client certificate",
	48:  "the client certificate does not chain to a CA the gateway trusts",
	49:  "the certificate was accepted but the gateway refused access",
	70:  "no TLS version in common",
	71:  "no cipher suite in common",
	80:  "an internal error on the gateway",
	112: "the gateway does not serve this host name (SNI)",
	116: "the gateway requires a client certificate and received none",
}

var alertNames = map[string]uint8{
	"handshake failure": 40, "bad certificate": 42, "unsupported certificate": 43,
	"revoked certificate": 44, "expired certificate": 45, "unknown certificate": 46,
	"unknown certificate authority": 48, "access denied": 49, "protocol version not supported": 70,
	"insufficient security level": 71, "internal error": 80, "unrecognized name": 112,
	"certificate required": 116, "certificate unknown": 46,
}

var alertText = regexp.MustCompile(`remote error: tls: ([a-z0-9 ]+)`)

// receivedAlert extracts the alert from an error: crypto/tls wraps received
// alerts as *net.OpError{Op: "remote error", Err: alert(n)} with an
// unexported uint8 type, which errors.As with tls.AlertError does not catch.
func receivedAlert(err error) (tlsAlert, bool) {
	var op *net.OpError
	if errors.As(err, &op) && op.Op == "remote error" && op.Err != nil {
		v := reflect.ValueOf(op.Err)
		if v.Kind() == reflect.Uint8 {
			return tlsAlert{Code: uint8(v.Uint()), Name: strings.TrimPrefix(op.Err.Error(), "tls: ")}, true
		}
	}
	if m := alertText.FindStringSubmatch(err.Error()); m != nil {
		name := strings.TrimSpace(m[1])
		if name == "" {
			return tlsAlert{}, false
		}
		if code, ok := alertNames[name]; ok {
			return tlsAlert{Code: code, Name: name}, true
		}
		if strings.HasPrefix(name, "alert") {
			if n, err := strconv.Atoi(strings.TrimSpace(strings.TrimPrefix(name, "alert"))); err == nil && n < 256 {
				return tlsAlert{Code: uint8(n), Name: name}, true
			}
		}
		return tlsAlert{Name: name}, true
	}
	return tlsAlert{}, false
}

// String shows the alert as observed: its number, name and meaning.
func (a tlsAlert) String() string {
	if a.Code == 0 {
		return fmt.Sprintf("%q", a.Name)
	}
	return fmt.Sprintf("%d (%s: %s)", a.Code, a.Name, a.meaning())
}

func (a tlsAlert) meaning() string {
	if m, ok := alertMeanings[a.Code]; ok {
		return m
	}
	return a.Name
}
