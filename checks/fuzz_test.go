package checks

import (
	"bufio"
	"bytes"
	"errors"
	"net/http"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/miekg/dns"
)

// FuzzDNSAnswer interprets arbitrary DNS replies the way FCrDNS and egress
// detection do: no panic, and the evidence line stays one line.
func FuzzDNSAnswer(f *testing.F) {
	for _, recs := range [][]string{
		{"1.0.0.127.in-addr.arpa. 300 IN PTR api.acmecards.example."},
		{"5.113.0.203.in-addr.arpa. 300 IN CNAME 5.0-25.113.0.203.in-addr.arpa.", "5.0-25.113.0.203.in-addr.arpa. 300 IN PTR a.example."},
		{"o-o.myaddr.l.google.com. 60 IN TXT \"203.0.113.7\" \"edns0-client-subnet 198.51.100.0/24\""},
		{"whoami.cloudflare. 0 CH TXT \"2001:db8::7\""},
		{"a.example. 300 IN CNAME a.example."},
	} {
		m := new(dns.Msg)
		m.SetQuestion("q.example.", dns.TypePTR)
		for _, r := range recs {
			rr, _ := dns.NewRR(r)
			m.Answer = append(m.Answer, rr)
		}
		b, _ := m.Pack()
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		r := new(dns.Msg)
		if err := r.Unpack(data); err != nil {
			if classifyDNS(nil, err, dns.TypeA) == dnsOK {
				t.Fatal("an unpack error classified as an answer")
			}
			return
		}
		for _, qt := range []uint16{dns.TypeA, dns.TypeAAAA, dns.TypePTR, dns.TypeTXT} {
			q := query{Reply: r, Type: qt, Failure: classifyDNS(r, nil, qt)}
			if d := q.describe(); strings.ContainsAny(d, "\n\r") && q.Failure != dnsOK {
				t.Fatalf("describe: %q", d)
			}
			_ = addrsFromReply(q)
			vals, end := followAnswer(r, "q.example.", qt)
			_, _ = vals, end
		}
		negativeTTL(r)
	})
}

// FuzzJudgeProbe classifies arbitrary HTTP responses: no panic, a row on
// every failure, the API key never in the result, one-line evidence.
func FuzzJudgeProbe(f *testing.F) {
	f.Add("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\r\n{\"status\":\"success\",\"items\":[],\"total\":0}")
	f.Add("HTTP/1.1 403 Forbidden\r\n\r\n{\"status\":\"error\",\"message\":\"No Authorised IPs configured\"}")
	f.Add("HTTP/1.1 302 Found\r\nLocation: https://x.example/?k=axys_prog_0123456789abcdef\r\n\r\n")
	f.Add("HTTP/1.1 400 Bad Request\r\n\r\n<title>400 The SSL certificate error</title>")
	f.Add("HTTP/1.1 429 Too Many\r\nRetry-After: 30\r\n\r\n")
	f.Add("HTTP/1.0 200 ok\r\n\r\n\x1b[31mred axys_prog_0123456789abcdef\n")
	key := NewAPIKey("axys_prog_0123456789abcdef")
	env, _ := ResolveEnvironment("staging", "")
	f.Fuzz(func(t *testing.T, raw string) {
		resp, err := http.ReadResponse(bufio.NewReader(strings.NewReader(raw)), nil)
		obs := &gatewayObservation{ExchangeErr: err, CertRequested: true}
		if err == nil {
			obs.Response = resp
			body := new(bytes.Buffer)
			body.ReadFrom(resp.Body)
			obs.Body = body.Bytes()
		}
		r := redactResult(judgeProbe(obs, key, env), newRedactor(key)) // as Diagnose does
		if r.Status == Fail && r.Row == "" {
			t.Fatalf("failure without a row: %+v", r)
		}
		if strings.Contains(r.Summary, key.Reveal()) {
			t.Fatal("summary shows the key")
		}
		for _, e := range r.Evidence {
			if strings.Contains(e.Value, key.Reveal()) {
				t.Fatalf("evidence %s shows the key", e.Label)
			}
			if strings.ContainsAny(e.Value, "\n\r\x1b") || !utf8.ValidString(e.Value) {
				t.Fatalf("evidence %s is not one clean line: %q", e.Label, e.Value)
			}
		}
		_ = nginxCertError(obs.Body)
		envelopeStatus(obs.Body)
	})
}

// FuzzReceivedAlert parses alerts out of arbitrary error text.
func FuzzReceivedAlert(f *testing.F) {
	f.Add("remote error: tls: certificate required")
	f.Add("remote error: tls: alert(255)")
	f.Add("local error: tls: bad record MAC")
	f.Fuzz(func(t *testing.T, s string) {
		a, ok := receivedAlert(errors.New(s))
		if ok && a.Name == "" {
			t.Fatalf("alert with no name from %q", s)
		}
		_ = a.meaning()
	})
}

// FuzzOneLine: text from the network becomes one printable line, bounded.
func FuzzOneLine(f *testing.F) {
	f.Add("a\nb\r\n\x1b[2Jc\x00", 10)
	f.Fuzz(func(t *testing.T, s string, n int) {
		n = n%300 + 1
		if n < 1 {
			n = 1
		}
		out := oneLine(s, n)
		if strings.ContainsAny(out, "\n\r\x1b\x00") || utf8.RuneCountInString(out) > n+1 {
			t.Fatalf("%q → %q", s, out)
		}
	})
}
