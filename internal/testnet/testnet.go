// Package testnet gives tests network peers that misbehave on loopback:
// a TCP address that drops every connection attempt and a DNS server that
// never answers. It is for tests only.
package testnet

import (
	"fmt"
	"net"
	"syscall"
	"testing"
)

// TCPBlackhole returns a loopback address whose SYNs are dropped, like a
// firewall that drops: a socket listening with a backlog of 0 whose one
// slot is already taken, never accepting.
func TCPBlackhole(t testing.TB) string {
	t.Helper()
	fd, err := syscall.Socket(syscall.AF_INET, syscall.SOCK_STREAM, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { syscall.Close(fd) })
	if err := syscall.Bind(fd, &syscall.SockaddrInet4{Addr: [4]byte{127, 0, 0, 1}}); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Listen(fd, 0); err != nil {
		t.Fatal(err)
	}
	sa, err := syscall.Getsockname(fd)
	if err != nil {
		t.Fatal(err)
	}
	addr := fmt.Sprintf("127.0.0.1:%d", sa.(*syscall.SockaddrInet4).Port)
	filler, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { filler.Close() })
	return addr
}

// UDPBlackhole returns a loopback UDP address that receives and never
// answers: a resolver that times out.
func UDPBlackhole(t testing.TB) string {
	t.Helper()
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { pc.Close() })
	return pc.LocalAddr().String()
}
