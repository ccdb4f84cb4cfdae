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
	"testing"
	"time"
)

// Keys the nginx gateway knows.
const (
	programKey = "axys_prog_acceptance_0123456789abcdef"
	tenantKey  = "axys_tenant_acceptance_fedcba9876543210"
)

// fixture is everything TestMain sets up once.
type fixture struct {
	dir, bin                   string
	serverCA                   string
	stagingCA, otherCA         string
	clientKey, clientCert      string
	otherCert, expiredCert     string
	gatewayPort, blockedPort   int
	dnsGood, dnsWrong, dnsNone string
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

func setup() (func(*testing.M) int, error) {
	for _, tool := range []string{"nginx", "dnsmasq", "openssl"} {
		if _, err := exec.LookPath(tool); err != nil {
			return nil, fmt.Errorf("%s is not installed (apt-get install -y nginx-light dnsmasq-base openssl)", tool)
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

// makePKI makes a server CA and certificate, two client CAs, and signs an
// axysdoctor-made CSR with openssl three ways: good, by the other CA, and
// expired (openssl ca with explicit dates).
func makePKI() error {
	d := fx.dir
	ca := func(name, cn string) error {
		return sh(d, "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
			"-keyout", name+".key", "-out", name+".pem", "-subj", "/O=Acceptance/CN="+cn, "-days", "30")
	}
	if err := ca("server-ca", "Acceptance Server CA"); err != nil {
		return err
	}
	if err := ca("staging-ca", "Acceptance Staging Client CA"); err != nil {
		return err
	}
	if err := ca("other-ca", "Acceptance Production Client CA"); err != nil {
		return err
	}
	fx.serverCA = filepath.Join(d, "server-ca.pem")
	fx.stagingCA = filepath.Join(d, "staging-ca.pem")
	fx.otherCA = filepath.Join(d, "other-ca.pem")
	if err := sh(d, "openssl", "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
		"-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=gateway.test"); err != nil {
		return err
	}
	write("server.ext", "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n")
	if err := sh(d, "openssl", "x509", "-req", "-in", "server.csr", "-CA", "server-ca.pem", "-CAkey", "server-ca.key",
		"-CAcreateserial", "-out", "server.pem", "-days", "30", "-extfile", "server.ext"); err != nil {
		return err
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
	if err := sign("staging-ca", "client.pem"); err != nil {
		return err
	}
	if err := sign("other-ca", "other.pem"); err != nil {
		return err
	}
	fx.clientCert, fx.otherCert = filepath.Join(d, "client.pem"), filepath.Join(d, "other.pem")
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

// startNginx runs nginx as a daemon: the nginx command returns only after
// the master has bound its sockets, so no waiting is needed.
func startNginx() (func(), error) {
	var err error
	if fx.gatewayPort, err = freePort(); err != nil {
		return nil, err
	}
	if fx.blockedPort, err = freePort(); err != nil {
		return nil, err
	}
	user := ""
	if os.Geteuid() == 0 {
		user = "user root;"
	}
	api := `
        location = /v2/cardholders {
            default_type application/json;
            if ($allowlisted = 0) { return 403 '{"status":"error","message":"No Authorised IPs configured"}'; }
            if ($http_x_api_key = "` + programKey + `") { return 200 '{"status":"success","items":[],"total":0,"limit":1,"offset":0}'; }
            if ($http_x_api_key = "` + tenantKey + `") { return 404 '{"status":"error","message":"Not Found"}'; }
            return 401 '{"status":"error","message":"Unauthorized"}';
        }
        location / { default_type application/json; return 404 '{"status":"error","message":"Not Found"}'; }`
	conf := fmt.Sprintf(`%s
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
        %[5]s
    }
    server {
        listen 127.0.0.1:%[4]d ssl;
        set $allowlisted 0;
        %[5]s
    }
}
`, user, fx.dir, fx.gatewayPort, fx.blockedPort, api)
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

// report is the part of the JSON output the tests read.
type report struct {
	Checks []struct {
		ID, Status, Row, Summary string
	} `json:"checks"`
	ExitCode int `json:"exit_code"`
}

func (r report) check(t *testing.T, id string) (status, row, summary string) {
	t.Helper()
	for _, c := range r.Checks {
		if c.ID == id {
			return c.Status, c.Row, c.Summary
		}
	}
	t.Fatalf("no check %s", id)
	return
}

// check runs axysdoctor check with JSON output and returns the document and
// the exit code.
func check(t *testing.T, apiKey string, args ...string) (report, int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, fx.bin, append([]string{"check", "--output", "json", "--timeout", "3s"}, args...)...)
	cmd.Env = append(os.Environ(), "AXYS_API_KEY="+apiKey)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
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
	if strings.Contains(out.String()+errb.String(), apiKey) && apiKey != "" {
		t.Fatal("the API key appears in the output")
	}
	return r, code
}

func gateway(port int, resolver, cert string) []string {
	return []string{"--base-url", fmt.Sprintf("https://127.0.0.1:%d/v2", port), "--ca-file", fx.serverCA,
		"--cert", cert, "--key", fx.clientKey, "--resolver", resolver, "--egress-server", resolver}
}

func dumpReport(r report) string {
	var b strings.Builder
	for _, c := range r.Checks {
		fmt.Fprintf(&b, "\n  %s %s [%s] %s", c.ID, c.Status, c.Row, c.Summary)
	}
	return b.String()
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
}

func TestNginxClassifiesEachFailure(t *testing.T) {
	cases := []struct {
		name          string
		key           string
		port          func() int
		resolver      func() string
		cert          func() string
		id, row, also string
	}{
		{"wrong API key", "not-the-key-0000000000", gw, good, cert, "api.probe", "api-key", ""},
		{"tenant-level key", tenantKey, gw, good, cert, "api.probe", "tenant-credentials", ""},
		{"not allowlisted", programKey, blocked, good, cert, "api.probe", "authorized-ips", "No Authorised IPs"},
		{"PTR names another host", programKey, gw, wrong, cert, "dns.fcrdns", "authorized-ips", "mail.other.example"},
		{"no PTR at all", programKey, gw, none, cert, "dns.fcrdns", "authorized-ips", "no PTR record"},
		{"expired certificate (handshake)", programKey, gw, good, expired, "tls.handshake", "tls-handshake", "400"},
		{"expired certificate (validity)", programKey, gw, good, expired, "cert.validity", "tls-handshake", "expired"},
		{"certificate from another CA", programKey, gw, good, other, "tls.handshake", "tls-handshake", "Acceptance Staging Client CA"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r, code := check(t, c.key, gateway(c.port(), c.resolver(), c.cert())...)
			status, row, summary := r.check(t, c.id)
			t.Logf("%s: %s", c.id, summary)
			if status != "fail" || row != c.row {
				t.Errorf("%s: %s on row %q, want fail on %q%s", c.id, status, row, c.row, dumpReport(r))
			}
			if !strings.Contains(summary, c.also) {
				t.Errorf("%s summary %q lacks %q", c.id, summary, c.also)
			}
			if code != 1 {
				t.Errorf("exit %d, want 1", code)
			}
		})
	}
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
// aborts the handshake on a bad client certificate, and returns its port
// once it prints ACCEPT.
func sServer(t *testing.T, extra ...string) int {
	t.Helper()
	port, err := freePort()
	if err != nil {
		t.Fatal(err)
	}
	args := append([]string{"s_server", "-accept", fmt.Sprintf("127.0.0.1:%d", port), "-cert", filepath.Join(fx.dir, "server.pem"),
		"-key", filepath.Join(fx.dir, "server.key"), "-CAfile", fx.stagingCA, "-Verify", "1", "-verify_return_error", "-www"}, extra...)
	cmd := exec.Command("openssl", args...)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = nil
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	sc := bufio.NewScanner(stdout)
	for sc.Scan() {
		if strings.Contains(sc.Text(), "ACCEPT") {
			go func() {
				for sc.Scan() {
				}
			}()
			return port
		}
	}
	t.Fatal("openssl s_server did not start")
	return 0
}

func TestOpenSSLStrictPeer(t *testing.T) {
	for _, version := range []string{"-tls1_3", "-tls1_2"} {
		t.Run(version, func(t *testing.T) {
			port := sServer(t, version)
			r, _ := check(t, programKey, gateway(port, fx.dnsGood, fx.otherCert)...)
			status, row, summary := r.check(t, "tls.handshake")
			if status != "fail" || row != "tls-handshake" || !strings.Contains(summary, "Acceptance Staging Client CA") || !strings.Contains(summary, "alert") {
				t.Errorf("other CA: %s [%s] %s", status, row, summary)
			}
			port = sServer(t, version)
			r, _ = check(t, programKey, gateway(port, fx.dnsGood, fx.expiredCert)...)
			if status, row, summary := r.check(t, "tls.handshake"); status != "fail" || row != "tls-handshake" || !strings.Contains(summary, "expired") {
				t.Errorf("expired: %s [%s] %s", status, row, summary)
			}
			port = sServer(t, version)
			r, _ = check(t, programKey, gateway(port, fx.dnsGood, fx.clientCert)...)
			if status, _, summary := r.check(t, "tls.handshake"); status != "pass" {
				t.Errorf("good certificate: %s %s", status, summary)
			}
			// s_server -www answers an HTML status page, not the API.
			if status, row, _ := r.check(t, "api.probe"); status != "fail" || row != "unexpected-response" {
				t.Errorf("probe against s_server: %s [%s]", status, row)
			}
		})
	}
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
