//go:build acceptance

package acceptance

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// The proxy lab: nginx (the gateway, and an HTTPS who-am-I service) and
// three tinyproxies run inside a network namespace that has only
// loopback, with 10.200.0.1 — an address that is not loopback, so that
// environment proxies apply to it — on it. The host cannot reach the
// gateway at all; only the proxies are exposed, each by a socat inside the
// namespace listening on a Unix socket (the file system is shared) and a
// socat on the host's 127.0.0.1 forwarding to that socket.
//
// Where no network namespace can be made (no unshare, or neither root nor
// unprivileged user namespaces), the lab runs on the host's loopback
// instead. That is weaker, and the test says so in its log: the gateway is
// then reachable directly, so "direct is refused" is not proven, and the
// environment-proxy cases, which need a gateway address that is not
// loopback, are replaced by the loopback exclusion alone. tinyproxy's own
// log proves, in both modes, that the tunnel went through it.

const (
	nsAddr        = "10.200.0.1"
	proxyUser     = "axd"
	proxyPassword = "pr0xy-s3cret-Zq81" // must never appear in any output
)

// netns is a network namespace held open by a shell waiting on its stdin.
type netns struct {
	enter []string // nsenter's arguments to run a command inside
}

// newNetns makes the namespace, or says why it could not.
func newNetns(t *testing.T) (*netns, string) {
	t.Helper()
	if os.Getenv("ACCEPTANCE_NO_NETNS") != "" {
		return nil, "ACCEPTANCE_NO_NETNS is set, to try the fallback"
	}
	unshare, enter := []string{"-n"}, []string{"-n"}
	if os.Geteuid() != 0 {
		unshare, enter = []string{"-r", "-n"}, []string{"-U", "-n", "--preserve-credentials"}
	}
	if err := exec.Command("unshare", append(unshare, "true")...).Run(); err != nil {
		return nil, fmt.Sprintf("unshare %s: %v", strings.Join(unshare, " "), err)
	}
	if _, err := exec.LookPath("nsenter"); err != nil {
		return nil, "nsenter is not installed"
	}
	cmd := exec.Command("unshare", append(unshare, "sh", "-c",
		"ip link set lo up && ip addr add "+nsAddr+"/32 dev lo && echo namespace ready && exec cat")...)
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { stdin.Close() })
	p := startCmd(t, cmd, "namespace ready")
	return &netns{enter: append([]string{"-t", strconv.Itoa(p.cmd.Process.Pid)}, enter...)}, ""
}

// command is name with args, inside the namespace (or on the host, for
// the fallback's nil namespace).
func (n *netns) command(dir, name string, args ...string) *exec.Cmd {
	var cmd *exec.Cmd
	if n == nil {
		cmd = exec.Command(name, args...)
	} else {
		cmd = exec.Command("nsenter", append(append(append([]string{}, n.enter...), name), args...)...)
	}
	cmd.Dir = dir
	return cmd
}

// proxyLab is what the proxy tests reach.
type proxyLab struct {
	ns       *netns
	gwHost   string // the gateway's address: nsAddr in the namespace
	gwPort   int
	whoami   string // the HTTPS who-am-I URL, inside
	resolver string // dnsmasq: FCrDNS of the proxy's egress address passes
	// Host ports of the proxies: open, wanting credentials, and allowing
	// CONNECT only to port 443.
	open, auth, strict int
	proxies            map[int]*peer // tinyproxy, by host port, for their logs
}

func startProxyLab(t *testing.T) *proxyLab {
	t.Helper()
	lab := &proxyLab{proxies: map[int]*peer{}}
	var why string
	lab.ns, why = newNetns(t)
	lab.gwHost = nsAddr
	if lab.ns == nil {
		t.Logf("WEAKER: no network namespace (%s): the gateway runs on the host's loopback, so direct access is not refused and environment proxies are tested only for their loopback exclusion", why)
		lab.gwHost = "127.0.0.1"
	}
	dir := t.TempDir()
	lab.gwPort = mustPort(t)
	whoPort := mustPort(t)
	lab.whoami = fmt.Sprintf("https://%s:%d/", lab.gwHost, whoPort)

	// The gateway allowlists only the proxy's egress address: inside the
	// namespace, connections to 10.200.0.1 come from 10.200.0.1.
	listen := func(port int) string {
		if lab.ns == nil {
			return fmt.Sprintf("listen 127.0.0.1:%d ssl;", port)
		}
		return fmt.Sprintf("listen %s:%d ssl; listen 127.0.0.1:%d ssl;", nsAddr, port, port)
	}
	user := ""
	if os.Geteuid() == 0 {
		user = "user root;"
	}
	conf := fmt.Sprintf(`%[1]s
worker_processes 1;
pid %[2]s/nginx.pid;
error_log %[2]s/error.log;
events { worker_connections 64; }
http {
    access_log %[2]s/access.log;
    client_body_temp_path %[2]s/body; proxy_temp_path %[2]s/proxy; fastcgi_temp_path %[2]s/fastcgi;
    uwsgi_temp_path %[2]s/uwsgi; scgi_temp_path %[2]s/scgi;
    ssl_certificate %[3]s/server.pem;
    ssl_certificate_key %[3]s/server.key;
    ssl_protocols TLSv1.2 TLSv1.3;
    geo $allowed_here { default 0; %[4]s/32 1; }
    server {
        %[5]s
        ssl_client_certificate %[3]s/staging-ca.pem;
        ssl_verify_client on;
        set $allowlisted $allowed_here;
        %[6]s
    }
    server {
        %[7]s
        location / { default_type text/plain; return 200 "$remote_addr\n"; }
    }
}
`, user, dir, fx.dir, lab.gwHost, listen(lab.gwPort), apiLocations(), listen(whoPort))
	confPath := filepath.Join(dir, "nginx.conf")
	if err := os.WriteFile(confPath, []byte(conf), 0o644); err != nil {
		t.Fatal(err)
	}
	// nginx returns once its master has bound the sockets.
	if out, err := lab.ns.command(dir, "nginx", "-p", dir, "-c", confPath).CombinedOutput(); err != nil {
		t.Fatalf("nginx: %v\n%s", err, out)
	}
	t.Cleanup(func() { exec.Command("nginx", "-p", dir, "-c", confPath, "-s", "stop").Run() })

	for _, px := range []struct {
		port  *int
		extra string
	}{
		{&lab.open, ""},
		{&lab.auth, "BasicAuth " + proxyUser + " " + proxyPassword + "\n"},
		{&lab.strict, "ConnectPort 443\n"},
	} {
		*px.port = mustPort(t)
		inner := *px.port // tinyproxy's own port, inside
		if lab.ns != nil {
			inner = mustPort(t)
		}
		tconf := filepath.Join(dir, fmt.Sprintf("tinyproxy-%d.conf", *px.port))
		if err := os.WriteFile(tconf, []byte(fmt.Sprintf("Port %d\nListen 127.0.0.1\nTimeout 30\nLogLevel Info\nMaxClients 20\nAllow 127.0.0.1\n%s", inner, px.extra)), 0o644); err != nil {
			t.Fatal(err)
		}
		lab.proxies[*px.port] = startCmd(t, lab.ns.command(dir, "tinyproxy", "-d", "-c", tconf), "Accepting connections")
		if lab.ns == nil {
			continue
		}
		sock := filepath.Join(dir, fmt.Sprintf("proxy-%d.sock", *px.port))
		startCmd(t, lab.ns.command(dir, "socat", "-d", "-d", "UNIX-LISTEN:"+sock+",fork,unlink-early", fmt.Sprintf("TCP:127.0.0.1:%d", inner)), "listening on")
		socat(t, fmt.Sprintf("TCP-LISTEN:%d,bind=127.0.0.1,reuseaddr,fork", *px.port), "UNIX-CONNECT:"+sock)
	}
	lab.resolver = dnsmasqFor(t, "--host-record=api.acmecards.example,"+lab.gwHost)
	return lab
}

// args are check's flags for the lab's gateway at host.
func (lab *proxyLab) args(host string) []string {
	return []string{"--base-url", fmt.Sprintf("https://%s:%d/v2", host, lab.gwPort), "--ca-file", fx.serverCA,
		"--cert", fx.clientCert, "--key", fx.clientKey, "--resolver", lab.resolver, "--egress-server", lab.resolver,
		"--egress-url", lab.whoami}
}

func proxyURL(port int) string { return fmt.Sprintf("http://127.0.0.1:%d", port) }

// tunnelled asserts a run that passed through the proxy on port, chosen
// by source: every check passes, the tunnel evidence names the proxy and
// its CONNECT answer, the proxy's log has the CONNECT, net.egress reports
// the proxy's egress address, and FCrDNS verified that address.
func (lab *proxyLab) tunnelled(t *testing.T, r run, port int, source string) {
	t.Helper()
	logSummaries(t, r.report)
	wantOnly(t, r.report)
	if r.code != 0 {
		t.Errorf("exit %d", r.code)
	}
	hs := r.get(t, "tls.handshake")
	ev := hs.evidenceText()
	if !strings.Contains(ev, "proxy: "+proxyURL(port)+" (from "+source+")") {
		t.Errorf("tls.handshake evidence does not name the proxy %s from %s:\n%s", proxyURL(port), source, ev)
	}
	if !strings.Contains(ev, fmt.Sprintf("CONNECT: %s:%d → 200 Connection established", lab.gwHost, lab.gwPort)) {
		t.Errorf("tls.handshake evidence lacks the proxy's CONNECT answer:\n%s", ev)
	}
	if r.Gateway.Proxy != proxyURL(port) {
		t.Errorf("gateway.proxy %q, want %q", r.Gateway.Proxy, proxyURL(port))
	}
	if log := lab.proxies[port].output(); !strings.Contains(log, fmt.Sprintf("CONNECT %s:%d HTTP/1.1", lab.gwHost, lab.gwPort)) {
		t.Errorf("tinyproxy on %d did not log the CONNECT:\n%s", port, log)
	}
	eg := r.get(t, "net.egress")
	if !strings.Contains(eg.Summary, "the gateway sees the proxy's egress address "+lab.gwHost) {
		t.Errorf("net.egress %q does not report the proxy's egress address %s", eg.Summary, lab.gwHost)
	}
	if fc := r.get(t, "dns.fcrdns"); !strings.Contains(fc.Summary, lab.gwHost+" ⇄ api.acmecards.example") {
		t.Errorf("dns.fcrdns %q did not verify the proxy's address", fc.Summary)
	}
	if strings.Contains(r.out, proxyPassword) {
		t.Error("the proxy's password appears in the output")
	}
}

// TestThroughTinyproxy: the gateway reachable only through tinyproxy.
func TestThroughTinyproxy(t *testing.T) {
	lab := startProxyLab(t)
	ns := lab.ns != nil

	t.Run("direct is refused", func(t *testing.T) {
		if !ns {
			t.Log("WEAKER: without a namespace the gateway is reachable directly; not asserted")
			return
		}
		r := checkEnv(t, programKey, nil, append(lab.args("127.0.0.1"), "--proxy", "direct")...)
		logSummaries(t, r.report)
		wantRoot(t, r.report, "tls.handshake", "network-path")
		if hs := r.get(t, "tls.handshake"); !strings.Contains(hs.Summary, "connection refused") || strings.Contains(hs.evidenceText(), "proxy") {
			t.Errorf("tls.handshake %q", hs.Summary)
		}
	})

	t.Run("--proxy", func(t *testing.T) {
		r := checkEnv(t, programKey, nil, append(lab.args(lab.gwHost), "--proxy", proxyURL(lab.open))...)
		lab.tunnelled(t, r, lab.open, "--proxy")
	})

	for _, name := range []string{"HTTPS_PROXY", "https_proxy", "ALL_PROXY"} {
		t.Run("$"+name, func(t *testing.T) {
			if !ns {
				t.Log("WEAKER: environment proxies never apply to loopback, and without a namespace the gateway has no other address; only the exclusion is asserted below")
				return
			}
			r := checkEnv(t, programKey, []string{name + "=" + proxyURL(lab.open)}, lab.args(lab.gwHost)...)
			lab.tunnelled(t, r, lab.open, "$"+name)
		})
	}

	t.Run("$HTTPS_PROXY is not used for loopback", func(t *testing.T) {
		r := checkEnv(t, programKey, []string{"HTTPS_PROXY=" + proxyURL(lab.open)}, lab.args("127.0.0.1")...)
		logSummaries(t, r.report)
		if r.Gateway.Proxy != "" || strings.Contains(r.get(t, "tls.handshake").evidenceText(), "proxy:") {
			t.Errorf("an environment proxy was used for 127.0.0.1 (gateway.proxy %q)", r.Gateway.Proxy)
		}
		if ns {
			wantRoot(t, r.report, "tls.handshake", "network-path")
		}
	})

	t.Run("$NO_PROXY", func(t *testing.T) {
		if !ns {
			t.Log("WEAKER: needs the namespace's non-loopback address; not asserted")
			return
		}
		r := checkEnv(t, programKey, []string{"HTTPS_PROXY=" + proxyURL(lab.open), "NO_PROXY=" + nsAddr}, append(lab.args(lab.gwHost), "--timeout", "1s")...)
		logSummaries(t, r.report)
		// Direct to 10.200.0.1 goes wherever the host routes it: only that
		// the proxy was not used is certain.
		if r.Gateway.Proxy != "" || strings.Contains(r.get(t, "tls.handshake").evidenceText(), "proxy:") {
			t.Errorf("NO_PROXY=%s was not honoured (gateway.proxy %q)", nsAddr, r.Gateway.Proxy)
		}
	})

	t.Run("407 without credentials", func(t *testing.T) {
		r := checkEnv(t, programKey, nil, append(lab.args(lab.gwHost), "--proxy", proxyURL(lab.auth))...)
		logSummaries(t, r.report)
		wantRoot(t, r.report, "tls.handshake", "network-path")
		hs := r.get(t, "tls.handshake")
		want := fmt.Sprintf("the proxy %s (--proxy) answered CONNECT with 407 Proxy Authentication Required: it wants proxy credentials", proxyURL(lab.auth))
		if !strings.Contains(hs.Summary, want) {
			t.Errorf("tls.handshake %q lacks %q", hs.Summary, want)
		}
		if !strings.Contains(hs.evidenceText(), "proxy software: Server: tinyproxy/") {
			t.Errorf("the evidence does not name the proxy's software:\n%s", hs.evidenceText())
		}
		if !strings.Contains(hs.Fix, "http://USER:PASSWORD@HOST:PORT") {
			t.Errorf("fix %q", hs.Fix)
		}
		// The proxy kept net.egress from learning its address: the same
		// cause, not a second story.
		wantConsequence(t, r.report, "net.egress", "tls.handshake")
		wantOnly(t, r.report, "tls.handshake", "net.egress")
		if r.code != 1 {
			t.Errorf("exit %d", r.code)
		}
	})

	withCredentials := fmt.Sprintf("http://%s:%s@127.0.0.1:%d", proxyUser, proxyPassword, lab.auth)
	t.Run("credentials in --proxy", func(t *testing.T) {
		r := checkEnv(t, programKey, nil, append(lab.args(lab.gwHost), "--proxy", withCredentials)...)
		lab.tunnelledWithCredentials(t, r, "--proxy")
	})
	t.Run("credentials in $HTTPS_PROXY", func(t *testing.T) {
		if !ns {
			t.Log("WEAKER: needs the namespace's non-loopback address; not asserted")
			return
		}
		r := checkEnv(t, programKey, []string{"HTTPS_PROXY=" + withCredentials}, lab.args(lab.gwHost)...)
		lab.tunnelledWithCredentials(t, r, "$HTTPS_PROXY")
	})
	t.Run("wrong password", func(t *testing.T) {
		r := checkEnv(t, programKey, nil, append(lab.args(lab.gwHost), "--proxy", fmt.Sprintf("http://%s:not-the-password@127.0.0.1:%d", proxyUser, lab.auth))...)
		logSummaries(t, r.report)
		wantRoot(t, r.report, "tls.handshake", "network-path")
		// tinyproxy answers a wrong password with 401, not 407.
		want := fmt.Sprintf("the proxy http://%s:xxxxx@127.0.0.1:%d (--proxy) answered CONNECT with 401 Unauthorized: it refused the credentials given in the proxy's URL", proxyUser, lab.auth)
		if hs := r.get(t, "tls.handshake"); !strings.Contains(hs.Summary, want) {
			t.Errorf("tls.handshake %q lacks %q", hs.Summary, want)
		}
		if strings.Contains(r.out, "not-the-password") {
			t.Error("the proxy's password appears in the output")
		}
	})

	t.Run("CONNECT refused by ConnectPort", func(t *testing.T) {
		r := checkEnv(t, programKey, nil, append(lab.args(lab.gwHost), "--proxy", proxyURL(lab.strict))...)
		logSummaries(t, r.report)
		wantRoot(t, r.report, "tls.handshake", "network-path")
		hs := r.get(t, "tls.handshake")
		want := fmt.Sprintf("the proxy %s (--proxy) refused to tunnel to %s:%d: it answered CONNECT with 403 Access violation", proxyURL(lab.strict), lab.gwHost, lab.gwPort)
		if !strings.Contains(hs.Summary, want) {
			t.Errorf("tls.handshake %q lacks %q", hs.Summary, want)
		}
		if !strings.Contains(hs.Fix, fmt.Sprintf("allow CONNECT to %s:%d", lab.gwHost, lab.gwPort)) {
			t.Errorf("fix %q", hs.Fix)
		}
		if log := lab.proxies[lab.strict].output(); !strings.Contains(log, fmt.Sprintf("Refused CONNECT method on port %d", lab.gwPort)) {
			t.Errorf("tinyproxy did not log the refusal:\n%s", log)
		}
	})

	t.Run("the proxy cannot reach the gateway", func(t *testing.T) {
		closed := mustPort(t) // nothing listens there, inside or out
		r := checkEnv(t, programKey, nil, append(withFlag(lab.args(lab.gwHost), "--base-url", fmt.Sprintf("https://%s:%d/v2", lab.gwHost, closed)), "--proxy", proxyURL(lab.open))...)
		logSummaries(t, r.report)
		wantRoot(t, r.report, "tls.handshake", "network-path")
		hs := r.get(t, "tls.handshake")
		want := fmt.Sprintf("the proxy %s (--proxy) could not connect to %s:%d: it answered CONNECT with 500 Unable to connect", proxyURL(lab.open), lab.gwHost, closed)
		if !strings.Contains(hs.Summary, want) {
			t.Errorf("tls.handshake %q lacks %q", hs.Summary, want)
		}
	})
}

// tunnelledWithCredentials: the authenticating proxy tunnelled, and its
// password appears nowhere.
func (lab *proxyLab) tunnelledWithCredentials(t *testing.T, r run, source string) {
	t.Helper()
	logSummaries(t, r.report)
	wantOnly(t, r.report)
	if r.code != 0 {
		t.Errorf("exit %d", r.code)
	}
	ev := r.get(t, "tls.handshake").evidenceText()
	if !strings.Contains(ev, fmt.Sprintf("http://%s:xxxxx@127.0.0.1:%d (from %s)", proxyUser, lab.auth, source)) {
		t.Errorf("the evidence does not name the proxy with its password redacted:\n%s", ev)
	}
	if strings.Contains(r.out, proxyPassword) {
		t.Error("the proxy's password appears in the output")
	}
}
