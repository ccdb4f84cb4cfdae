package report

import (
	"encoding/xml"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/axysdoctor/axysdoctor/checks"
	"github.com/axysdoctor/axysdoctor/docs"
	"github.com/axysdoctor/axysdoctor/internal/termsafe"
)

// JUnit XML, the dialect GitLab, Jenkins and GitHub's test reporters
// share: a <testsuites> holding one <testsuite>, one <testcase> per check.
type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Errors   int          `xml:"errors,attr"`
	Skipped  int          `xml:"skipped,attr"`
	Time     string       `xml:"time,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name       string          `xml:"name,attr"`
	Tests      int             `xml:"tests,attr"`
	Failures   int             `xml:"failures,attr"`
	Errors     int             `xml:"errors,attr"`
	Skipped    int             `xml:"skipped,attr"`
	Time       string          `xml:"time,attr"`
	Timestamp  string          `xml:"timestamp,attr"`
	Hostname   string          `xml:"hostname,attr,omitempty"`
	Properties []junitProperty `xml:"properties>property"`
	Cases      []junitCase     `xml:"testcase"`
}

type junitProperty struct {
	Name  string `xml:"name,attr"`
	Value string `xml:"value,attr"`
}

type junitCase struct {
	Name      string        `xml:"name,attr"`
	Classname string        `xml:"classname,attr"`
	Time      string        `xml:"time,attr"`
	Failure   *junitFailure `xml:"failure"`
	Skipped   *junitSkipped `xml:"skipped"`
	SystemOut string        `xml:"system-out,omitempty"`
}

type junitFailure struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Text    string `xml:",chardata"`
}

type junitSkipped struct {
	Message string `xml:"message,attr"`
}

// JUnit writes the report as JUnit XML: a failed check is a failure whose
// text is its summary and fix, a skipped check is skipped, and a warning
// is a failure with strict and a pass carrying its summary otherwise.
func JUnit(w io.Writer, rep checks.Report, version string, strict bool) error {
	suite := junitSuite{
		Name:      "axysdoctor " + termsafe.Line(rep.Environment.Name),
		Time:      seconds(rep.Duration),
		Timestamp: rep.StartedAt.UTC().Format(time.RFC3339),
		Properties: []junitProperty{
			{"environment", termsafe.Line(rep.Environment.Name)},
			{"base_url", termsafe.Line(rep.Environment.BaseURL)},
			{"axysdoctor_version", version},
			{"strict", fmt.Sprint(strict)},
		},
	}
	suite.Hostname, _ = os.Hostname()
	for _, r := range rep.Results {
		c := junitCase{Name: r.ID + ": " + r.Title, Classname: "axysdoctor." + termsafe.Line(rep.Environment.Name), Time: seconds(r.Duration)}
		switch {
		case r.Status == checks.Fail || (strict && r.Status == checks.Warn):
			c.Failure = &junitFailure{Message: termsafe.Line(r.Summary), Type: string(r.Status), Text: failureText(r)}
			suite.Failures++
		case r.Status == checks.Skip:
			c.Skipped = &junitSkipped{Message: termsafe.Line(r.Summary)}
			suite.Skipped++
		case r.Status == checks.Warn:
			c.SystemOut = "warning: " + failureText(r)
		}
		suite.Cases = append(suite.Cases, c)
		suite.Tests++
	}
	doc := junitSuites{
		Name: "axysdoctor", Tests: suite.Tests, Failures: suite.Failures, Skipped: suite.Skipped,
		Time: suite.Time, Suites: []junitSuite{suite},
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}

// failureText is what a CI system shows for a failed check: the summary,
// the fix, and the failure-table row with its link.
func failureText(r checks.Result) string {
	var b strings.Builder
	b.WriteString(termsafe.Line(r.Summary))
	if r.Fix != "" {
		fmt.Fprintf(&b, "\n\nfix: %s", termsafe.Line(r.Fix))
	}
	if row, ok := docs.Lookup(r.Row); ok {
		fmt.Fprintf(&b, "\nrow: %s — %s (%s)", row.ID, row.Symptom, row.URL)
	}
	return b.String()
}

func seconds(d time.Duration) string { return fmt.Sprintf("%.3f", d.Seconds()) }
