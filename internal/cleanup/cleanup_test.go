package cleanup

import (
	"os"
	"path/filepath"
	"testing"
)

func TestRunRemovesWhatIsStillRegistered(t *testing.T) {
	dir := t.TempDir()
	kept, gone := filepath.Join(dir, "kept"), filepath.Join(dir, "gone")
	for _, p := range []string{kept, gone} {
		if err := os.WriteFile(p, []byte("x"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	var order []string
	Register(func() { order = append(order, "first") })
	undo := RemoveOnExit(kept)
	RemoveOnExit(gone)
	Register(func() { order = append(order, "last") })
	undo() // done with it: it must survive
	Run()
	if _, err := os.Stat(kept); err != nil {
		t.Errorf("an unregistered path was removed: %v", err)
	}
	if _, err := os.Stat(gone); !os.IsNotExist(err) {
		t.Errorf("a registered path survived: %v", err)
	}
	if len(order) != 2 || order[0] != "last" || order[1] != "first" {
		t.Errorf("order %v, want newest first", order)
	}
	Run() // nothing left: no task runs twice
	if len(order) != 2 {
		t.Errorf("a task ran twice: %v", order)
	}
}
