//go:build acceptance

package acceptance

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// Keys the nginx gateway knows.
const (
	programKey = "axys_prog_acceptance_0123456789abcdef"
	tenantKey  = "axys_tenant_acceptance_fedcba9876543210"
)

// The API's answers, as the nginx gateways give them.
const (
	envelope200   = `{"status":"success","items":[],"total":0,"limit":1,"offset":0}`
	documented403 = `{"status":"error","message":"No Authorised IPs configured"}`
)

// fixture is everything TestMain sets up once.
type fixture struct {
	dir, bin                   string
	serverCA                   string
	stagingCA, otherCA         string
	clientKey, clientCert      string
	otherCert, expiredCert     string
	unrelatedCert              string
	chainRoot, chainLeaf       string // a client certificate issued by an intermediate, the file holding the leaf only
	chainBundle                string // the same leaf with the intermediate appended
	gatewayPort, blockedPort   int
	chainPort                  int // mTLS trusting only the chain's root
	wrongNamePort              int // a server certificate for other.test, from the trusted server CA
	interceptNamePort          int // a certificate for other.test from an untrusted CA
	interceptPort              int // a certificate for 127.0.0.1 from an untrusted CA
	noMTLSPort                 int // TLS without ssl_verify_client
	plainPort                  int // plain HTTP, no TLS at all
	dnsGood, dnsWrong, dnsNone string
	dnsServfail                string // SERVFAIL for every reverse lookup (DNSSEC validation fails)
}

var fx fixture

func TestMain(m *testing.M) {
	code, err := setup()
	if err != nil {
		fmt.Fprintln(os.Stderr, "acceptance setup:", err)
		os.Exit(1)
	}
	os.Exit(code(m))
}

// tools are the peers nobody here wrote; a missing one fails the run
// rather than skipping the tests that need it.
var tools = []string{"nginx", "dnsmasq", "openssl", "socat", "tinyproxy", "git"}

func setup() (func(*testing.M) int, error) {
	for _, tool := range tools {
		if _, err := exec.LookPath(tool); err != nil {
			return nil, fmt.Errorf("%s is not installed (apt-get install -y nginx-light dnsmasq-base openssl socat tinyproxy git)", tool)
		}
	}
	dir, err := os.MkdirTemp("", "axysdoctor-acceptance-")
	if err != nil {
		return nil, err
	}
	fx.dir = dir
	fx.bin = filepath.Join(dir, "axysdoctor")
	if out, err := exec.Command("go", "build", "-o", fx.bin, "..").CombinedOutput(); err != nil {
		return nil, fmt.Errorf("go build: %v\n%s", err, out)
	}
	if err := makePKI(); err != nil {
		return nil, err
	}
	var stops []func()
	stop := func() {
		for i := len(stops) - 1; i >= 0; i-- {
			stops[i]()
		}
		os.RemoveAll(dir)
	}
	s, err := startNginx()
	if err != nil {
		stop()
		return nil, err
	}
	stops = append(stops, s)
	for _, d := range []struct {
		addr *string
		args []string
	}{
		{&fx.dnsGood, []string{"--host-record=api.acmecards.example,127.0.0.1"}},
		{&fx.dnsWrong, []string{"--address=/api.acmecards.example/127.0.0.1", "--ptr-record=1.0.0.127.in-addr.arpa,mail.other.example", "--address=/mail.other.example/127.0.0.1"}},
		{&fx.dnsNone, []string{"--address=/api.acmecards.example/127.0.0.1", "--local=/127.in-addr.arpa/"}},
	} {
		addr, s, err := startDnsmasq(d.args)
		if err != nil {
			stop()
			return nil, err
		}
		*d.addr = addr
		stops = append(stops, s)
	}
	// SERVFAIL, as a validating resolver gives it: dnsmasq with DNSSEC on
	// and the root's trust anchor forwards what it does not hold itself
	// (the reverse lookups) to an unsigned dnsmasq, cannot validate the
	// answer, and answers SERVFAIL.
	unsigned, s, err := startDnsmasq([]string{"--ptr-record=1.0.0.127.in-addr.arpa,api.acmecards.example"})
	if err != nil {
		stop()
		return nil, err
	}
	stops = append(stops, s)
	fx.dnsServfail, s, err = startDnsmasq([]string{"--address=/api.acmecards.example/127.0.0.1",
		"--server=" + strings.Replace(unsigned, ":", "#", 1), "--dnssec",
		"--trust-anchor=.,20326,8,2,E06D44B80B8F1D39A95C0B0D7C65D08458E880409BBC683457104237C7F8EC8D"})
	if err != nil {
		stop()
		return nil, err
	}
	stops = append(stops, s)
	return func(m *testing.M) int {
		defer stop()
		return m.Run()
	}, nil
}

func sh(dir string, name string, args ...string) error {
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
	return nil
}

func write(name, content string) string {
	p := filepath.Join(fx.dir, name)
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		panic(err)
	}
	return p
}

func concat(out string, in ...string) (string, error) {
	var b []byte
	for _, f := range in {
		data, err := os.ReadFile(filepath.Join(fx.dir, f))
		if err != nil {
			return "", err
		}
		b = append(b, data...)
	}
	return write(out, string(b)), nil
}

// makePKI makes the server CA and certificates (one for the gateway's
// address, one for another name, two from a CA nobody trusts), the client
// CAs (staging, production, an unrelated one, and a root with an
// intermediate), and signs an axysdoctor-made CSR with openssl each way:
// good, by the other environment's CA, by an unrelated CA, by the
// intermediate, and expired (openssl ca with explicit dates).
func makePKI() error {
	d := fx.dir
	ca := func(name, subject string) error {
		return sh(d, "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
			"-keyout", name+".key", "-out", name+".pem", "-subj", subject, "-days", "30")
	}
	for _, c := range [][2]string{
		{"server-ca", "/O=Acceptance/CN=Acceptance Server CA"},
		{"intercept-ca", "/O=Example Corp Web Filter/CN=Example Corp Inspection CA"},
		{"staging-ca", "/O=Acceptance/CN=Acceptance Staging Client CA"},
		{"other-ca", "/O=Acceptance/CN=Acceptance Production Client CA"},
		// A tenant's own corporate CA: neither Axys environment's.
		{"unrelated-ca", "/O=Acme Corporate IT/CN=Acme Corporate Root CA"},
		{"chain-root", "/O=Acceptance/CN=Acceptance Root CA"},
	} {
		if err := ca(c[0], c[1]); err != nil {
			return err
		}
	}
	fx.serverCA = filepath.Join(d, "server-ca.pem")
	fx.stagingCA = filepath.Join(d, "staging-ca.pem")
	fx.otherCA = filepath.Join(d, "other-ca.pem")
	fx.chainRoot = filepath.Join(d, "chain-root.pem")

	// Server certificates.
	serverCert := func(name, cn, sans, caName string) error {
		if err := sh(d, "openssl", "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
			"-keyout", name+".key", "-out", name+".csr", "-subj", "/CN="+cn); err != nil {
			return err
		}
		write(name+".ext", "subjectAltName="+sans+"\nextendedKeyUsage=serverAuth\n")
		return sh(d, "openssl", "x509", "-req", "-in", name+".csr", "-CA", caName+".pem", "-CAkey", caName+".key",
			"-CAcreateserial", "-out", name+".pem", "-days", "30", "-extfile", name+".ext")
	}
	for _, c := range [][4]string{
		// 10.200.0.1 is the gateway's address inside the proxy test's network
		// namespace; gw.test its name in the slow-path test.
		{"server", "gateway.test", "IP:127.0.0.1,DNS:localhost,IP:10.200.0.1,DNS:gw.test", "server-ca"},
		{"other-name", "other.test", "DNS:other.test,DNS:www.other.test", "server-ca"},
		{"intercept-name", "other.test", "DNS:other.test", "intercept-ca"},
		{"intercept", "gateway.test", "IP:127.0.0.1,DNS:localhost", "intercept-ca"},
	} {
		if err := serverCert(c[0], c[1], c[2], c[3]); err != nil {
			return err
		}
	}

	// The client key and CSR come from axysdoctor itself.
	if err := sh(d, fx.bin, "csr", "--org", "Acme Financial Services Ltd", "--unit", "Acme Cards", "--unit", "Acme Prepaid",
		"--cn", "api.acmecards.example", "--ip", "127.0.0.1", "--key-out", "client.key", "--csr-out", "client.csr"); err != nil {
		return err
	}
	fx.clientKey = filepath.Join(d, "client.key")
	write("client.ext", "extendedKeyUsage=clientAuth\n")
	sign := func(caName, out string) error {
		return sh(d, "openssl", "x509", "-req", "-in", "client.csr", "-CA", caName+".pem", "-CAkey", caName+".key",
			"-CAcreateserial", "-out", out, "-days", "90", "-copy_extensions", "copy", "-extfile", "client.ext")
	}
	for _, c := range [][2]string{{"staging-ca", "client.pem"}, {"other-ca", "other.pem"}, {"unrelated-ca", "unrelated.pem"}} {
		if err := sign(c[0], c[1]); err != nil {
			return err
		}
	}
	fx.clientCert, fx.otherCert = filepath.Join(d, "client.pem"), filepath.Join(d, "other.pem")
	fx.unrelatedCert = filepath.Join(d, "unrelated.pem")

	// An intermediate CA under the chain's root, and the client
	// certificate it issues.
	if err := sh(d, "openssl", "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
		"-keyout", "intermediate.key", "-out", "intermediate.csr", "-subj", "/O=Acceptance/CN=Acceptance Issuing CA 1"); err != nil {
		return err
	}
	write("intermediate.ext", "basicConstraints=critical,CA:TRUE,pathlen:0\nkeyUsage=critical,keyCertSign,cRLSign\n")
	if err := sh(d, "openssl", "x509", "-req", "-in", "intermediate.csr", "-CA", "chain-root.pem", "-CAkey", "chain-root.key",
		"-CAcreateserial", "-out", "intermediate.pem", "-days", "30", "-extfile", "intermediate.ext"); err != nil {
		return err
	}
	if err := sign("intermediate", "chain-leaf.pem"); err != nil {
		return err
	}
	fx.chainLeaf = filepath.Join(d, "chain-leaf.pem")
	var err error
	if fx.chainBundle, err = concat("chain-bundle.pem", "chain-leaf.pem", "intermediate.pem"); err != nil {
		return err
	}

	write("index.txt", "")
	write("serial", "1000\n")
	write("ca.cnf", `[ca]
default_ca = CA_default
[CA_default]
database = index.txt
new_certs_dir = .
serial = serial
default_md = sha256
policy = policy_any
copy_extensions = copy
unique_subject = no
x509_extensions = client_ext
[policy_any]
organizationName = optional
organizationalUnitName = optional
commonName = supplied
[client_ext]
extendedKeyUsage = clientAuth
`)
	if err := sh(d, "openssl", "ca", "-batch", "-config", "ca.cnf", "-cert", "staging-ca.pem", "-keyfile", "staging-ca.key",
		"-in", "client.csr", "-out", "expired.pem", "-startdate", "20250101000000Z", "-enddate", "20250401000000Z", "-notext", "-preserveDN"); err != nil {
		return err
	}
	fx.expiredCert = filepath.Join(d, "expired.pem")
	return nil
}

// freePort finds a port free for both TCP and UDP on 127.0.0.1.
func freePort() (int, error) {
	for range 20 {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return 0, err
		}
		port := ln.Addr().(*net.TCPAddr).Port
		pc, err := net.ListenPacket("udp", fmt.Sprintf("127.0.0.1:%d", port))
		ln.Close()
		if err == nil {
			pc.Close()
			return port, nil
		}
	}
	return 0, fmt.Errorf("no free port")
}

// mustPort is freePort for tests.
func mustPort(t *testing.T) int {
	t.Helper()
	p, err := freePort()
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// apiLocations is the Axys API as nginx plays it: the documented order
// (allowlist, then key), the documented answers, plus base URLs under
// which something other than the API answers (a WAF's HTML page, a
// proxy's plain text) — the probe goes to {base}/cardholders, so the base
// URL picks the answer.
func apiLocations() string {
	return `
        location = /v2/cardholders {
            default_type application/json;
            if ($allowlisted = 0) { return 403 '` + documented403 + `'; }
            if ($http_x_api_key = "` + programKey + `") { return 200 '` + envelope200 + `'; }
            if ($http_x_api_key = "` + tenantKey + `") { return 404 '{"status":"error","message":"Not Found"}'; }
            return 401 '{"status":"error","message":"Unauthorized"}';
        }
        location = /html401/v2/cardholders { return 401; }
        location = /html403/v2/cardholders { return 403; }
        location = /html404/v2/cardholders { return 404; }
        location = /text403/v2/cardholders { default_type text/plain; return 403 "Forbidden by policy\n"; }
        location = /textips403/v2/cardholders { default_type text/plain; return 403 "No Authorised IPs configured\n"; }
        location / { default_type application/json; return 404 '{"status":"error","message":"Not Found"}'; }`
}

// startNginx runs nginx as a daemon: the nginx command returns only after
// the master has bound its sockets, so no waiting is needed. One nginx,
// one server block per kind of peer.
func startNginx() (func(), error) {
	ports := []*int{&fx.gatewayPort, &fx.blockedPort, &fx.chainPort, &fx.wrongNamePort, &fx.interceptNamePort,
		&fx.interceptPort, &fx.noMTLSPort, &fx.plainPort}
	for _, p := range ports {
		var err error
		if *p, err = freePort(); err != nil {
			return nil, err
		}
	}
	user := ""
	if os.Geteuid() == 0 {
		user = "user root;"
	}
	d := fx.dir
	conf := fmt.Sprintf(`%[1]s
worker_processes 1;
pid %[2]s/nginx.pid;
error_log %[2]s/nginx-error.log;
events { worker_connections 64; }
http {
    access_log %[2]s/nginx-access.log;
    client_body_temp_path %[2]s/body; proxy_temp_path %[2]s/proxy; fastcgi_temp_path %[2]s/fastcgi;
    uwsgi_temp_path %[2]s/uwsgi; scgi_temp_path %[2]s/scgi;
    ssl_certificate %[2]s/server.pem;
    ssl_certificate_key %[2]s/server.key;
    ssl_client_certificate %[2]s/staging-ca.pem;
    ssl_verify_client on;
    ssl_protocols TLSv1.2 TLSv1.3;
    geo $allowed_here { default 0; 127.0.0.0/8 1; }
    server {
        listen 127.0.0.1:%[3]d ssl;
        set $allowlisted $allowed_here;
        %[4]s
    }
    server {
        listen 127.0.0.1:%[5]d ssl;
        set $allowlisted 0;
        %[4]s
    }
    # Trusts only the root above the client certificate's intermediate.
    server {
        listen 127.0.0.1:%[6]d ssl;
        ssl_client_certificate %[2]s/chain-root.pem;
        ssl_verify_depth 2;
        set $allowlisted $allowed_here;
        %[4]s
    }
    # A certificate for another name, from the trusted server CA.
    server {
        listen 127.0.0.1:%[7]d ssl;
        ssl_certificate %[2]s/other-name.pem;
        ssl_certificate_key %[2]s/other-name.key;
        set $allowlisted $allowed_here;
        %[4]s
    }
    # A certificate for another name from a CA this machine does not trust.
    server {
        listen 127.0.0.1:%[8]d ssl;
        ssl_certificate %[2]s/intercept-name.pem;
        ssl_certificate_key %[2]s/intercept-name.key;
        set $allowlisted $allowed_here;
        %[4]s
    }
    # The right name, from a CA this machine does not trust.
    server {
        listen 127.0.0.1:%[9]d ssl;
        ssl_certificate %[2]s/intercept.pem;
        ssl_certificate_key %[2]s/intercept.key;
        set $allowlisted $allowed_here;
        %[4]s
    }
    # TLS that never asks for a client certificate.
    server {
        listen 127.0.0.1:%[10]d ssl;
        ssl_verify_client off;
        location = /v2/cardholders { default_type application/json; return 403 '%[12]s'; }
        location = /ok/v2/cardholders { default_type application/json; return 200 '%[13]s'; }
    }
    # Plain HTTP on the port the base URL names.
    server {
        listen 127.0.0.1:%[11]d;
        location / { return 404; }
    }
}
`, user, d, fx.gatewayPort, apiLocations(), fx.blockedPort, fx.chainPort, fx.wrongNamePort, fx.interceptNamePort,
		fx.interceptPort, fx.noMTLSPort, fx.plainPort, documented403, envelope200)
	path := write("nginx.conf", conf)
	if err := sh(fx.dir, "nginx", "-p", fx.dir, "-c", path); err != nil {
		return nil, err
	}
	return func() { exec.Command("nginx", "-p", fx.dir, "-c", path, "-s", "stop").Run() }, nil
}

// startDnsmasq runs a dnsmasq that answers myip.opendns.com with 127.0.0.1
// plus the given records, nothing else. dnsmasq returns once it listens.
func startDnsmasq(records []string) (string, func(), error) {
	port, err := freePort()
	if err != nil {
		return "", nil, err
	}
	pid := filepath.Join(fx.dir, fmt.Sprintf("dnsmasq-%d.pid", port))
	args := append([]string{
		"--no-resolv", "--no-hosts", "--bind-interfaces", "--listen-address=127.0.0.1",
		"--port=" + strconv.Itoa(port), "--pid-file=" + pid, "--user=" + currentUser(),
		"--address=/myip.opendns.com/127.0.0.1", "--log-facility=" + filepath.Join(fx.dir, "dnsmasq.log"),
	}, records...)
	if err := sh(fx.dir, "dnsmasq", args...); err != nil {
		return "", nil, err
	}
	return fmt.Sprintf("127.0.0.1:%d", port), func() {
		if b, err := os.ReadFile(pid); err == nil {
			if n, err := strconv.Atoi(strings.TrimSpace(string(b))); err == nil {
				if p, err := os.FindProcess(n); err == nil {
					p.Kill()
				}
			}
		}
	}, nil
}

// dnsmasqFor is startDnsmasq for one test: stopped when it ends.
func dnsmasqFor(t *testing.T, records ...string) string {
	t.Helper()
	addr, stop, err := startDnsmasq(records)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(stop)
	return addr
}

func currentUser() string {
	if os.Geteuid() == 0 {
		return "root"
	}
	out, err := exec.Command("id", "-un").Output()
	if err != nil {
		return "nobody"
	}
	return strings.TrimSpace(string(out))
}

// peer is a long-running process nobody here wrote, started for one test
// and stopped, by its own process ID, when the test ends.
type peer struct {
	cmd *exec.Cmd
	mu  sync.Mutex
	out bytes.Buffer
}

// output is everything the peer printed so far.
func (p *peer) output() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.out.String()
}

// startPeer starts name with args in dir and returns once a line of its
// output (stdout or stderr) contains ready: the peer says it listens, so
// nothing sleeps or polls.
func startPeer(t *testing.T, dir, ready string, name string, args ...string) *peer {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	return startCmd(t, cmd, ready)
}

// startCmd is startPeer for a command set up by the caller.
func startCmd(t *testing.T, cmd *exec.Cmd, ready string) *peer {
	t.Helper()
	name := filepath.Base(cmd.Path)
	p := &peer{cmd: cmd}
	pr, pw, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	p.cmd.Stdout, p.cmd.Stderr = pw, pw
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	pw.Close()
	t.Cleanup(func() {
		p.cmd.Process.Kill()
		p.cmd.Wait()
	})
	found := make(chan bool, 1)
	go func() {
		sc := bufio.NewScanner(pr)
		sent := false
		for sc.Scan() {
			p.mu.Lock()
			p.out.WriteString(sc.Text() + "\n")
			p.mu.Unlock()
			if !sent && strings.Contains(sc.Text(), ready) {
				found <- true
				sent = true
			}
		}
		if !sent {
			found <- false
		}
		pr.Close()
	}()
	select {
	case ok := <-found:
		if !ok {
			t.Fatalf("%s exited before saying %q:\n%s", name, ready, p.output())
		}
	case <-time.After(15 * time.Second):
		t.Fatalf("%s did not say %q within 15s:\n%s", name, ready, p.output())
	}
	return p
}

// socat runs socat with -d -d, which logs "listening on" (TCP, Unix) or
// "receiving on" (UDP) once it listens.
func socat(t *testing.T, args ...string) *peer {
	t.Helper()
	return startPeer(t, fx.dir, "ing on AF=", "socat", append([]string{"-d", "-d"}, args...)...)
}

// script writes a shell script for socat to EXEC: socat's address syntax
// gives ':' ',' '\\' and quotes meanings of its own, a file has none.
func script(t *testing.T, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "peer.sh")
	if err := os.WriteFile(p, []byte(body), 0o755); err != nil {
		t.Fatal(err)
	}
	return "EXEC:/bin/sh " + p
}

// evidence is one observed fact of a check.
type evidence struct {
	Label, Value string
}

// result is one check of the JSON report.
type result struct {
	ID, Status, Row, Summary, Fix string
	Evidence                      []evidence
}

// report is the part of the JSON output the tests read.
type report struct {
	Checks    []result `json:"checks"`
	RootCause *struct {
		ID, Reason, Row string
	} `json:"root_cause"`
	Gateway struct {
		Proxy       string `json:"proxy"`
		ClockSkewMS *int64 `json:"clock_skew_ms"`
		HTTPStatus  int    `json:"http_status"`
	} `json:"gateway"`
	ExitCode int `json:"exit_code"`
}

func (r report) get(t *testing.T, id string) result {
	t.Helper()
	for _, c := range r.Checks {
		if c.ID == id {
			return c
		}
	}
	t.Fatalf("no check %s", id)
	return result{}
}

func (r report) check(t *testing.T, id string) (status, row, summary string) {
	t.Helper()
	c := r.get(t, id)
	return c.Status, c.Row, c.Summary
}

// evidenceText is a check's evidence, one "label: value" per line.
func (c result) evidenceText() string {
	var b strings.Builder
	for _, e := range c.Evidence {
		fmt.Fprintf(&b, "%s: %s\n", e.Label, e.Value)
	}
	return b.String()
}

// run is one axysdoctor check as a user runs it.
type run struct {
	report
	code int
	// out is stdout and stderr together, for what must never appear.
	out  string
	took time.Duration
}

// proxyVars are scrubbed from the environment each run gets, so that the
// machine's own proxy settings never change what a test means.
var proxyVars = []string{"https_proxy", "HTTPS_PROXY", "http_proxy", "HTTP_PROXY", "all_proxy", "ALL_PROXY", "no_proxy", "NO_PROXY"}

// checkEnv runs axysdoctor check with JSON output and --timeout 3s (args
// may override it), the API key in AXYS_API_KEY and env added to a
// scrubbed environment.
func checkEnv(t *testing.T, apiKey string, env []string, args ...string) run {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, fx.bin, append([]string{"check", "--output", "json", "--timeout", "3s"}, args...)...)
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		if !contains(proxyVars, name) && name != "AXYS_API_KEY" && name != "XDG_CONFIG_HOME" {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	cmd.Env = append(cmd.Env, "AXYS_API_KEY="+apiKey, "XDG_CONFIG_HOME="+filepath.Join(fx.dir, "xdg"))
	cmd.Env = append(cmd.Env, env...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	start := time.Now()
	err := cmd.Run()
	took := time.Since(start)
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	var r report
	if err := json.Unmarshal(out.Bytes(), &r); err != nil {
		t.Fatalf("stdout is not JSON (%v): %s\nstderr: %s", err, out.String(), errb.String())
	}
	all := out.String() + errb.String()
	if strings.Contains(all, apiKey) && apiKey != "" {
		t.Fatal("the API key appears in the output")
	}
	if r.ExitCode != code {
		t.Errorf("the JSON says exit_code %d, the process exited %d", r.ExitCode, code)
	}
	return run{report: r, code: code, out: all, took: took}
}

// check runs axysdoctor check and returns the document and the exit code.
func check(t *testing.T, apiKey string, args ...string) (report, int) {
	t.Helper()
	r := checkEnv(t, apiKey, nil, args...)
	return r.report, r.code
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// base is the gateway URL on port with a path prefix ("" for the API).
func base(port int, prefix string) string {
	return fmt.Sprintf("https://127.0.0.1:%d%s/v2", port, prefix)
}

func gateway(port int, resolver, cert string) []string {
	return gatewayAt(base(port, ""), resolver, cert)
}

func gatewayAt(baseURL, resolver, cert string) []string {
	return []string{"--base-url", baseURL, "--ca-file", fx.serverCA,
		"--cert", cert, "--key", fx.clientKey, "--resolver", resolver, "--egress-server", resolver}
}

// withFlag returns args with flag's value replaced (or flag added).
func withFlag(args []string, flag, value string) []string {
	out := append([]string{}, args...)
	for i := 0; i+1 < len(out); i++ {
		if out[i] == flag {
			out[i+1] = value
			return out
		}
	}
	return append(out, flag, value)
}

func dumpReport(r report) string {
	var b strings.Builder
	for _, c := range r.Checks {
		fmt.Fprintf(&b, "\n  %s %s [%s] %s", c.ID, c.Status, c.Row, c.Summary)
	}
	if rc := r.RootCause; rc != nil {
		fmt.Fprintf(&b, "\n  root cause: %s [%s]", rc.ID, rc.Row)
	}
	return b.String()
}

// logSummaries shows what the binary printed, check by check.
func logSummaries(t *testing.T, r report) {
	t.Helper()
	t.Log(dumpReport(r))
}

// wantRoot asserts the run's root cause: the check, its row, and that the
// check itself fails with that row.
func wantRoot(t *testing.T, r report, id, row string) {
	t.Helper()
	if r.RootCause == nil {
		t.Errorf("no root cause, want %s [%s]%s", id, row, dumpReport(r))
		return
	}
	if r.RootCause.ID != id || r.RootCause.Row != row {
		t.Errorf("root cause %s [%s], want %s [%s]%s", r.RootCause.ID, r.RootCause.Row, id, row, dumpReport(r))
	}
	if c := r.get(t, id); c.Status != "fail" || c.Row != row {
		t.Errorf("%s: %s [%s], want fail [%s] (the root cause)", id, c.Status, c.Row, row)
	} else if r.RootCause.Reason != c.Summary {
		t.Errorf("root cause reason %q is not %s's summary %q", r.RootCause.Reason, id, c.Summary)
	}
}

// wantConsequence asserts a check that failed because of the root cause:
// a warning that keeps its observation, names the root cause, and gives no
// advice of its own.
func wantConsequence(t *testing.T, r report, id, root string) result {
	t.Helper()
	c := r.get(t, id)
	if c.Status != "warn" || !strings.Contains(c.Summary, "a consequence of "+root+" (the root cause)") {
		t.Errorf("%s: %s %q, want a warning that is a consequence of %s", id, c.Status, c.Summary, root)
	}
	if !strings.Contains(c.Fix, root) && !strings.Contains(c.Fix, "see "+root) {
		t.Errorf("%s's fix %q does not point at %s", id, c.Fix, root)
	}
	return c
}

// wantOnly asserts that no check but those named fails or warns.
func wantOnly(t *testing.T, r report, allowed ...string) {
	t.Helper()
	for _, c := range r.Checks {
		if (c.Status == "fail" || c.Status == "warn") && !contains(allowed, c.ID) {
			t.Errorf("%s %s [%s]: %s (only %v may fail or warn)", c.ID, c.Status, c.Row, c.Summary, allowed)
		}
	}
}

// wantOrder asserts that first appears in s, and before second.
func wantOrder(t *testing.T, what, s, first, second string) {
	t.Helper()
	i, j := strings.Index(s, first), strings.Index(s, second)
	if i < 0 || j < 0 || i > j {
		t.Errorf("%s %q: want %q, then %q", what, s, first, second)
	}
}

func TestNginxGoodCredentialsPassEverything(t *testing.T) {
	r, code := check(t, programKey, gateway(fx.gatewayPort, fx.dnsGood, fx.clientCert)...)
	if code != 0 {
		t.Errorf("exit %d%s", code, dumpReport(r))
	}
	for _, c := range r.Checks {
		if c.Status != "pass" {
			t.Errorf("%s %s: %s", c.ID, c.Status, c.Summary)
		}
	}
	if r.RootCause != nil {
		t.Errorf("root cause %+v on a run that passes", *r.RootCause)
	}
	// The gateway's Date header agrees with this machine's clock.
	if v := r.get(t, "cert.validity").evidenceText(); !strings.Contains(v, "gateway clock") || !strings.Contains(v, "agrees with it") {
		t.Errorf("cert.validity evidence lacks the gateway's clock:\n%s", v)
	}
}

// TestNginxClassifiesEachFailure: against nginx and dnsmasq, each failure
// is the run's root cause, on its row; what it explains is a consequence
// that points at it; nothing else fails or warns.
func TestNginxClassifiesEachFailure(t *testing.T) {
	cases := []struct {
		name         string
		key          string
		port         func() int
		resolver     func() string
		cert         func() string
		root, row    string
		also         string   // in the root cause's summary
		consequences []string // checks the root cause explains
	}{
		{"wrong API key", "not-the-key-0000000000", gw, good, cert, "api.probe", "api-key", "HTTP 401", nil},
		{"tenant-level key", tenantKey, gw, good, cert, "api.probe", "tenant-credentials", "HTTP 404", nil},
		{"not allowlisted, FCrDNS passes here", programKey, blocked, good, cert, "api.probe", "authorized-ips", "No Authorised IPs", nil},
		{"not allowlisted, PTR names another host", programKey, blocked, wrong, cert, "dns.fcrdns", "authorized-ips", "mail.other.example", []string{"api.probe"}},
		{"not allowlisted, no PTR at all", programKey, blocked, none, cert, "dns.fcrdns", "authorized-ips", "no PTR record", []string{"api.probe"}},
		{"expired certificate", programKey, gw, good, expired, "cert.validity", "tls-handshake", "expired", []string{"tls.handshake"}},
		{"certificate from the other environment", programKey, gw, good, other, "tls.handshake", "tls-handshake", "other environment", nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r, code := check(t, c.key, gateway(c.port(), c.resolver(), c.cert())...)
			logSummaries(t, r)
			wantRoot(t, r, c.root, c.row)
			if _, _, summary := r.check(t, c.root); !strings.Contains(summary, c.also) {
				t.Errorf("%s summary %q lacks %q", c.root, summary, c.also)
			}
			for _, id := range c.consequences {
				wantConsequence(t, r, id, c.root)
			}
			wantOnly(t, r, append([]string{c.root}, c.consequences...)...)
			if code != 1 {
				t.Errorf("exit %d, want 1", code)
			}
		})
	}
	t.Run("the 403 names what FCrDNS saw", func(t *testing.T) {
		r, _ := check(t, programKey, gateway(fx.blockedPort, fx.dnsGood, fx.clientCert)...)
		probe := r.get(t, "api.probe")
		if ev := probe.evidenceText(); !strings.Contains(ev, "FCrDNS: passed here, so the likely cause is the allowlist") {
			t.Errorf("api.probe evidence:\n%s", ev)
		}
		if !strings.Contains(probe.Fix, "allowlist 127.0.0.1") {
			t.Errorf("api.probe fix %q does not name the address to allowlist", probe.Fix)
		}
	})
	t.Run("the expired certificate's handshake keeps nginx's answer", func(t *testing.T) {
		r, _ := check(t, programKey, gateway(fx.gatewayPort, fx.dnsGood, fx.expiredCert)...)
		hs := r.get(t, "tls.handshake")
		wantOrder(t, "tls.handshake", hs.Summary, `HTTP 400 "The SSL certificate error"`, "likely cause: our certificate expired on 2025-04-01")
		if s, _, summary := r.check(t, "api.probe"); s != "skip" || !strings.Contains(summary, "verdict on the certificate") {
			t.Errorf("api.probe %s %q: nginx's 400 is the gateway's verdict, not an API answer", s, summary)
		}
	})
}

func gw() int         { return fx.gatewayPort }
func blocked() int    { return fx.blockedPort }
func good() string    { return fx.dnsGood }
func wrong() string   { return fx.dnsWrong }
func none() string    { return fx.dnsNone }
func cert() string    { return fx.clientCert }
func expired() string { return fx.expiredCert }
func other() string   { return fx.otherCert }

// sServer runs openssl s_server -Verify 1 -verify_return_error, which
// aborts the handshake on a bad client certificate, trusting caFile for
// client certificates, and returns its port once it prints ACCEPT.
func sServer(t *testing.T, caFile string, extra ...string) int {
	t.Helper()
	return sServerIn(t, fx.dir, 1, caFile, extra...)
}

// sServerIn is sServer in dir (where -HTTP finds its files) with a
// verification depth (2 for a chain with an intermediate).
func sServerIn(t *testing.T, dir string, depth int, caFile string, extra ...string) int {
	t.Helper()
	port := mustPort(t)
	args := append([]string{"s_server", "-accept", fmt.Sprintf("127.0.0.1:%d", port), "-cert", filepath.Join(fx.dir, "server.pem"),
		"-key", filepath.Join(fx.dir, "server.key"), "-CAfile", caFile, "-Verify", strconv.Itoa(depth), "-verify_return_error"}, extra...)
	if !contains(extra, "-HTTP") {
		args = append(args, "-www")
	}
	startPeer(t, dir, "ACCEPT", "openssl", args...)
	return port
}

func TestCSRPassesOpenSSLVerify(t *testing.T) {
	out, err := exec.Command("openssl", "req", "-in", filepath.Join(fx.dir, "client.csr"), "-verify", "-noout", "-text").CombinedOutput()
	if err != nil {
		t.Fatalf("openssl req -verify: %v\n%s", err, out)
	}
	text := string(out)
	for _, want := range []string{"verify OK", "O = Acme Financial Services Ltd, OU = Acme Cards, OU = Acme Prepaid, CN = api.acmecards.example",
		"DNS:api.acmecards.example", "IP Address:127.0.0.1", "Public-Key: (2048 bit)"} {
		if !strings.Contains(text, want) {
			t.Errorf("openssl output lacks %q:\n%s", want, text)
		}
	}
	st, err := os.Stat(fx.clientKey)
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Errorf("client.key mode %v %v", st.Mode(), err)
	}
	before, _ := os.ReadFile(fx.clientKey)
	cmd := exec.Command(fx.bin, "csr", "--org", "X", "--unit", "Y", "--cn", "api.acmecards.example", "--key-out", "client.key", "--csr-out", "client.csr")
	cmd.Dir = fx.dir
	o, err := cmd.CombinedOutput()
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 2 || !strings.Contains(string(o), "already exists") {
		t.Errorf("second csr run: %v %s", err, o)
	}
	if after, _ := os.ReadFile(fx.clientKey); !bytes.Equal(before, after) {
		t.Error("the key changed")
	}
}
