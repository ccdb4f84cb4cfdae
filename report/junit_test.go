package report

import (
	"bytes"
	"encoding/xml"
	"strings"
	"testing"
)

// A warning is a failure only with --strict, and text from outside cannot
// break the XML.
func TestJUnitWarningsAndEscaping(t *testing.T) {
	rep := sample()
	rep.Results[2].Summary = `HTTP 401 <b>"&'</b>`
	for _, strict := range []bool{false, true} {
		var b bytes.Buffer
		if err := JUnit(&b, rep, "v1", strict); err != nil {
			t.Fatal(err)
		}
		var doc struct {
			Failures int `xml:"failures,attr"`
			Skipped  int `xml:"skipped,attr"`
			Suite    struct {
				Cases []struct {
					Name      string `xml:"name,attr"`
					SystemOut string `xml:"system-out"`
					Failure   *struct {
						Message string `xml:"message,attr"`
						Type    string `xml:"type,attr"`
					} `xml:"failure"`
				} `xml:"testcase"`
			} `xml:"testsuite"`
		}
		if err := xml.Unmarshal(b.Bytes(), &doc); err != nil {
			t.Fatalf("strict=%v: %v\n%s", strict, err, b.String())
		}
		wantFailures := 1
		if strict {
			wantFailures = 2
		}
		if doc.Failures != wantFailures || doc.Skipped != 1 {
			t.Errorf("strict=%v: failures %d skipped %d", strict, doc.Failures, doc.Skipped)
		}
		warn := doc.Suite.Cases[1]
		if strict && (warn.Failure == nil || warn.Failure.Type != "warn") {
			t.Errorf("strict: the warning is not a failure")
		}
		if !strict && (warn.Failure != nil || !strings.HasPrefix(warn.SystemOut, "warning: the services disagree")) {
			t.Errorf("not strict: warning case %+v", warn)
		}
		if got := doc.Suite.Cases[2].Failure.Message; got != rep.Results[2].Summary {
			t.Errorf("summary after a round trip: %q", got)
		}
	}
}
