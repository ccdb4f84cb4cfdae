package bundle

import (
	"bufio"
	"bytes"
	"io"
	"net/url"
	"os"
	"runtime"
	"strings"
	"time"

	"github.com/axysdoctor/axysdoctor/checks"
)

// Facts describe where and how a run happened. It is environment.json in
// the bundle; field names are stable for tools that read bundles.
type Facts struct {
	CorrelationID string    `json:"correlation_id"`
	CreatedAt     time.Time `json:"created_at"`
	Version       string    `json:"axysdoctor_version"`
	OS            string    `json:"os"`
	Arch          string    `json:"arch"`
	OSRelease     string    `json:"os_release,omitempty"`
	GoVersion     string    `json:"go_version"`
	Hostname      string    `json:"hostname,omitempty"`
	Resolver      Resolver  `json:"resolver"`
	// ProxyEnv maps each proxy variable that is set to its value with any
	// user name, password and query removed.
	ProxyEnv map[string]string `json:"proxy_environment"`
	Gateway  Gateway           `json:"gateway"`
}

// Resolver is the DNS configuration the run used.
type Resolver struct {
	// Given is --resolver, when one was.
	Given string `json:"given,omitempty"`
	// ResolvConf are resolv.conf's nameserver, search, domain and options
	// lines (comments dropped).
	ResolvConf []string `json:"resolv_conf"`
}

// Gateway is what the gateway said about the run.
type Gateway struct {
	BaseURL    string   `json:"base_url"`
	HTTPStatus int      `json:"http_status,omitempty"`
	RequestIDs []string `json:"request_ids"`
	// ServerDate is the gateway's Date header; ClockSkewMS is this
	// machine's clock minus it (positive: this machine is ahead), set only
	// when a Date came. Certificates are judged by clocks: a skew of
	// minutes explains a "not yet valid" that nobody can reproduce. Names
	// and units are those of report.json's "gateway".
	ServerDate     string            `json:"server_date,omitempty"`
	ClockSkewMS    *int64            `json:"clock_skew_ms,omitempty"`
	ClockSkewNote  string            `json:"clock_skew_note,omitempty"`
	ProbeLatencyMS *int64            `json:"probe_latency_ms,omitempty"`
	Proxy          string            `json:"proxy,omitempty"`
	RootCause      *checks.RootCause `json:"root_cause,omitempty"`
}

// proxyVars are the variables curl and Go read, in both cases.
var proxyVars = []string{"HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy", "NO_PROXY", "no_proxy"}

// Sources are where Collect looks; zero fields get the real places.
type Sources struct {
	Getenv     func(string) string
	ResolvConf string // default /etc/resolv.conf
	OSRelease  string // default /etc/os-release
}

// Collect gathers the facts of a run whose report is rep.
func Collect(src Sources, id, version string, rep checks.Report, now time.Time) Facts {
	if src.ResolvConf == "" {
		src.ResolvConf = "/etc/resolv.conf"
	}
	if src.OSRelease == "" {
		src.OSRelease = "/etc/os-release"
	}
	f := Facts{
		CorrelationID: id, CreatedAt: now.UTC(), Version: version,
		OS: runtime.GOOS, Arch: runtime.GOARCH, GoVersion: runtime.Version(),
		OSRelease: osRelease(src.OSRelease),
		Resolver:  Resolver{Given: rep.Inputs.Resolver, ResolvConf: resolvConf(src.ResolvConf)},
		ProxyEnv:  map[string]string{},
		Gateway:   gatewayFacts(rep),
	}
	f.Hostname, _ = os.Hostname()
	for _, name := range proxyVars {
		if v := src.Getenv(name); v != "" {
			f.ProxyEnv[name] = redactProxy(name, v)
		}
	}
	return f
}

func gatewayFacts(rep checks.Report) Gateway {
	g := rep.Gateway
	out := Gateway{BaseURL: rep.Environment.BaseURL, HTTPStatus: g.HTTPStatus, RequestIDs: g.RequestIDs, Proxy: g.Proxy, RootCause: rep.RootCause}
	if out.RequestIDs == nil {
		out.RequestIDs = []string{}
	}
	if !g.ServerDate.IsZero() {
		skew := g.ClockSkew.Milliseconds()
		out.ServerDate, out.ClockSkewMS = g.ServerDate.UTC().Format(time.RFC3339), &skew
	} else if g.HTTPStatus > 0 {
		out.ClockSkewNote = "unknown: the gateway's answer had no Date header"
	} else {
		out.ClockSkewNote = "unknown: no HTTP answer came from the gateway"
	}
	if g.ProbeLatency > 0 {
		ms := g.ProbeLatency.Milliseconds()
		out.ProbeLatencyMS = &ms
	}
	return out
}

// redactProxy keeps a proxy variable's host and port and drops what may be
// a credential: user name, password, query. NO_PROXY is a host list.
func redactProxy(name, v string) string {
	if strings.EqualFold(name, "NO_PROXY") {
		return v
	}
	raw := v
	if !strings.Contains(raw, "://") {
		raw = "http://" + raw
	}
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return "(set, but not a URL: value not shown)"
	}
	if u.User != nil {
		u.User = url.User("REDACTED")
	}
	if u.RawQuery != "" {
		u.RawQuery = "REDACTED"
	}
	u.Fragment = ""
	return u.String()
}

// resolvConf returns the configuration lines of a resolv.conf, read up to a
// limit.
func resolvConf(path string) []string {
	lines := []string{}
	for _, l := range readLines(path) {
		if f := strings.Fields(l); len(f) > 0 {
			switch f[0] {
			case "nameserver", "search", "domain", "options", "sortlist":
				lines = append(lines, strings.Join(f, " "))
			}
		}
	}
	return lines
}

func osRelease(path string) string {
	for _, l := range readLines(path) {
		if v, ok := strings.CutPrefix(l, "PRETTY_NAME="); ok {
			return strings.Trim(v, `"'`)
		}
	}
	return ""
}

func readLines(path string) []string {
	fh, err := os.Open(path)
	if err != nil {
		return nil
	}
	defer fh.Close()
	data, _ := io.ReadAll(io.LimitReader(fh, 64<<10))
	var out []string
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		out = append(out, sc.Text())
	}
	return out
}
