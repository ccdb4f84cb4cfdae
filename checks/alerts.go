package checks

import (
	"errors"
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

// alertMeanings explains the alerts a gateway sends about a client
// certificate (RFC 8446 §6.2), in words a tenant can act on.
var alertMeanings = map[uint8]string{
	40:  "handshake failure: in TLS 1.2, usually no client certificate was sent, or no acceptable one",
	42:  "bad certificate: the gateway rejected the client certificate (signature, usage or chain)",
	43:  "unsupported certificate: the certificate's type or key usage is not accepted (clientAuth missing?)",
	44:  "certificate revoked: Axys revoked this certificate",
	45:  "certificate expired: the gateway judged the client certificate expired (or not yet valid)",
	46:  "certificate unknown: the gateway could not process the client certificate",
	48:  "unknown CA: the client certificate was not issued by a CA the gateway trusts — the other environment's certificate, or not Axys's",
	49:  "access denied: the certificate was valid but the gateway refused access",
	70:  "protocol version: no TLS version in common",
	71:  "insufficient security: no cipher suite in common",
	80:  "internal error on the gateway",
	112: "unrecognized name: the gateway does not serve this host name (SNI)",
	116: "certificate required: the gateway requires a client certificate and none was sent",
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

func (a tlsAlert) meaning() string {
	if m, ok := alertMeanings[a.Code]; ok {
		return m
	}
	return a.Name
}
