package main

import (
	"encoding/json"
	"encoding/xml"
	"strings"
	"testing"

	"github.com/axysdoctor/axysdoctor/emulator"
)

type junitDoc struct {
	XMLName  xml.Name `xml:"testsuites"`
	Tests    int      `xml:"tests,attr"`
	Failures int      `xml:"failures,attr"`
	Skipped  int      `xml:"skipped,attr"`
	Suites   []struct {
		Name     string `xml:"name,attr"`
		Tests    int    `xml:"tests,attr"`
		Failures int    `xml:"failures,attr"`
		Skipped  int    `xml:"skipped,attr"`
		Cases    []struct {
			Name      string `xml:"name,attr"`
			Classname string `xml:"classname,attr"`
			Time      string `xml:"time,attr"`
			Failure   *struct {
				Message string `xml:"message,attr"`
				Type    string `xml:"type,attr"`
				Text    string `xml:",chardata"`
			} `xml:"failure"`
			Skipped *struct {
				Message string `xml:"message,attr"`
			} `xml:"skipped"`
		} `xml:"testcase"`
	} `xml:"testsuite"`
}

// -o junit has one testcase per check; failures carry summary and fix,
// skipped checks are skipped, and the counts agree with the JSON report of
// the same diagnosis.
func TestJUnitOutput(t *testing.T) {
	_, _, args := startEmulator(t, emulator.Options{Scenario: "expired-cert"})
	r := runCLI(t, nil, "", append(args, "-o", "junit")...)
	if r.code != 1 {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
	if !strings.HasPrefix(r.stdout, `<?xml version="1.0" encoding="UTF-8"?>`) {
		t.Errorf("no XML declaration: %.60q", r.stdout)
	}
	var doc junitDoc
	dec := xml.NewDecoder(strings.NewReader(r.stdout))
	dec.Strict = true
	if err := dec.Decode(&doc); err != nil {
		t.Fatalf("not well-formed XML: %v\n%s", err, r.stdout)
	}
	var rep jsonReport
	js := runCLI(t, nil, "", append(args, "-o", "json")...)
	if err := json.Unmarshal([]byte(js.stdout), &rep); err != nil {
		t.Fatal(err)
	}
	fails, skips := 0, 0
	for _, c := range rep.Checks {
		switch c.Status {
		case "fail":
			fails++
		case "skip":
			skips++
		}
	}
	if len(doc.Suites) != 1 || doc.Tests != 10 || doc.Suites[0].Tests != 10 || len(doc.Suites[0].Cases) != 10 {
		t.Fatalf("tests %d, suites %d", doc.Tests, len(doc.Suites))
	}
	if fails == 0 || skips == 0 || doc.Failures != fails || doc.Skipped != skips || doc.Suites[0].Failures != fails {
		t.Errorf("junit failures %d skipped %d; json %d %d", doc.Failures, doc.Skipped, fails, skips)
	}
	for i, c := range doc.Suites[0].Cases {
		want := rep.Checks[i]
		if !strings.HasPrefix(c.Name, want.ID+": ") || c.Classname != "axysdoctor.staging" || c.Time == "" {
			t.Errorf("case %d: %q %q", i, c.Name, c.Classname)
		}
		switch want.Status {
		case "fail":
			if c.Failure == nil || c.Failure.Message != want.Summary || !strings.HasPrefix(c.Failure.Text, want.Summary) || !strings.Contains(c.Failure.Text, "\n\nfix: ") {
				t.Errorf("%s: failure %+v", want.ID, c.Failure)
			}
		case "skip":
			if c.Skipped == nil || c.Failure != nil || c.Skipped.Message != want.Summary {
				t.Errorf("%s: not skipped", want.ID)
			}
		default:
			if c.Failure != nil || c.Skipped != nil {
				t.Errorf("%s (%s) is not a pass", want.ID, want.Status)
			}
		}
	}
}
