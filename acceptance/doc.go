// Package acceptance runs the axysdoctor binary, as a user would, against
// real peers nobody here wrote: nginx with ssl_verify_client on, openssl
// s_server -Verify 1 -verify_return_error, dnsmasq, and certificates signed
// by openssl. Its tests build only with the acceptance tag, because they
// need nginx, dnsmasq and openssl installed (.ci/run installs them):
//
//	go test -tags acceptance ./acceptance/
package acceptance
