package checks

import (
	"context"
	"net"
	"os"
	"time"
)

// Deps are the diagnosis's connections to the world, injectable for tests.
// Zero fields get the real thing.
type Deps struct {
	// DNS sends one query to one server.
	DNS DNSExchanger
	// Dial opens TCP connections to the gateway.
	Dial func(ctx context.Context, network, addr string) (net.Conn, error)
	// Now is the clock certificates are judged by.
	Now func() time.Time
	// Git answers whether a file is tracked or ignored.
	Git GitInspector
	// ResolvConf is read when no resolver is given (default /etc/resolv.conf).
	ResolvConf string
	// WhoAmI are the public egress services (default PublicWhoAmI).
	WhoAmI []WhoAmIService
	// WhoAmIHTTPS are asked through the proxy, when there is one, for the
	// address the proxy calls from (default PublicWhoAmIHTTPS).
	WhoAmIHTTPS []string
	// Getenv reads proxy variables (default os.Getenv).
	Getenv func(string) string
}

func (d Deps) getenv(name string) string {
	if d.Getenv != nil {
		return d.Getenv(name)
	}
	return os.Getenv(name)
}

func (d Deps) now() time.Time {
	if d.Now != nil {
		return d.Now()
	}
	return time.Now()
}

func (d Deps) dns() DNSExchanger {
	if d.DNS != nil {
		return d.DNS
	}
	return NetDNS{}
}

func (d Deps) dial(ctx context.Context, network, addr string) (net.Conn, error) {
	if d.Dial != nil {
		return d.Dial(ctx, network, addr)
	}
	var nd net.Dialer
	return nd.DialContext(ctx, network, addr)
}

func (d Deps) git() GitInspector {
	if d.Git != nil {
		return d.Git
	}
	return ExecGit{}
}

func (d Deps) whoAmI() []WhoAmIService {
	if d.WhoAmI != nil {
		return d.WhoAmI
	}
	return PublicWhoAmI
}

func (d Deps) whoAmIHTTPS() []string {
	if d.WhoAmIHTTPS != nil {
		return d.WhoAmIHTTPS
	}
	return PublicWhoAmIHTTPS
}
