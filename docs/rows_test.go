package docs

import (
	"strings"
	"testing"
)

func TestTableHasTheDocumentedRowsFirst(t *testing.T) {
	want := []string{RowTLSHandshake, RowAuthorizedIPs, RowAPIKey, RowTenantCredentials}
	for i, id := range want {
		if Table[i].ID != id || Table[i].Ours {
			t.Errorf("row %d is %q (ours=%v), want the documented %q", i, Table[i].ID, Table[i].Ours, id)
		}
	}
	seen := map[string]bool{}
	for i, r := range Table {
		if seen[r.ID] {
			t.Errorf("duplicate row %q", r.ID)
		}
		seen[r.ID] = true
		if i >= len(want) && !r.Ours {
			t.Errorf("row %q is not from the docs but not marked ours", r.ID)
		}
		if r.Symptom == "" || r.Cause == "" || !strings.HasPrefix(r.URL, Base) {
			t.Errorf("row %q is incomplete", r.ID)
		}
	}
	if _, ok := Lookup("api-key"); !ok {
		t.Error("Lookup(api-key) failed")
	}
	if _, ok := Lookup("nope"); ok {
		t.Error("Lookup(nope) found something")
	}
}
