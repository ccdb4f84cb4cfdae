// Package emulator is a local stand-in for the Axys gateway, for tests,
// `axysdoctor demo` and `axysdoctor emulator`: staging and production client
// CAs that sign CSRs, an mTLS HTTPS API answering like the documented one
// (handshake failure, 403 No Authorised IPs configured, 401, 404 for a
// tenant-level key, 200), an allowlist, FCrDNS through its own DNS server
// (miekg/dns), which also answers myip.opendns.com with the asker's address,
// and scripted faults per scenario. Everything listens on 127.0.0.1 on
// random ports.
package emulator
