// Package acceptance runs the axysdoctor binary, as a user would, against
// real peers nobody here wrote, and asserts on its JSON report: the root
// cause, its row, what it says first, and the consequences that point at
// it. Its tests build only with the acceptance tag, because they need
// the peers installed (.ci/run installs them):
//
//	go test -tags acceptance ./acceptance/
//
// One file per class of outcome:
//
//	acceptance_test.go  the fixture (openssl PKI, nginx server blocks,
//	                    dnsmasq), helpers, and the documented failures
//	netpath_test.go     no ServerHello: socat closing, an SSH banner,
//	                    nginx speaking plain HTTP
//	alerts_test.go      openssl s_server -Verify 1 -verify_return_error
//	chain_test.go       a missing intermediate, against s_server and nginx
//	servername_test.go  a server certificate for another name, untrusted
//	                    issuers
//	foreign_test.go     401/403/404 pages that are not the API's; a TLS
//	                    hop that never asks for the client certificate
//	story_test.go       the gateway's 200 outranking dnsmasq's answers
//	proxy_test.go       tinyproxy, the gateway reachable only through it
//	                    (a network namespace, socat over Unix sockets)
//	clock_test.go       the gateway's Date header (openssl s_server -HTTP)
//	bounds_test.go      trickling and flooding peers, a slow resolver, the
//	                    run's deadline
//	local_test.go       git refusing a repository, a hostile .git/config
//
// Peers are started per test and stopped by their own process IDs; each
// is waited for by a line it prints once it listens, never by sleeping.
// A missing tool fails the run; nothing is skipped silently.
package acceptance
