package ui

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// parseUI parses the package's non-test files.
func parseUI(t *testing.T) map[string]*ast.File {
	t.Helper()
	names, _ := filepath.Glob("*.go")
	files := map[string]*ast.File{}
	fset := token.NewFileSet()
	for _, n := range names {
		if strings.HasSuffix(n, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, n, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		files[n] = f
	}
	return files
}

// The wizard does not know the emulator: the demo's backend is built in
// package main (design: main → ui → checks; emulator → csr).
func TestUIDoesNotImportTheEmulator(t *testing.T) {
	for name, f := range parseUI(t) {
		for _, imp := range f.Imports {
			if p, _ := strconv.Unquote(imp.Path.Value); strings.HasSuffix(p, "/emulator") {
				t.Errorf("%s imports %s", name, p)
			}
		}
	}
}

// I/O lives in commands, never in Update: only commands.go may import
// the packages that touch files and the network, or call what reads,
// writes or dials.
func TestOnlyCommandsDoIO(t *testing.T) {
	io := []string{"os", "os/exec", "net/http", "io/fs", "io/ioutil"}
	calls := []string{"checks.LoadMaterial", "checks.Diagnose", "checks.DetectEgress", "csr.Create", "csr.WriteFile", "csr.ReadFile", "csr.GenerateKey", "config.Load", "config.Save"}
	for name, f := range parseUI(t) {
		if name == "commands.go" {
			continue
		}
		// A profile's methods that read files or the environment.
		ast.Inspect(f, func(n ast.Node) bool {
			if call, ok := n.(*ast.CallExpr); ok {
				if sel, ok := call.Fun.(*ast.SelectorExpr); ok && slices.Contains([]string{"Options", "ReadAPIKey", "Files"}, sel.Sel.Name) {
					t.Errorf("%s calls .%s: reading a profile's files belongs in a command in commands.go", name, sel.Sel.Name)
				}
			}
			return true
		})
		for _, imp := range f.Imports {
			if p, _ := strconv.Unquote(imp.Path.Value); slices.Contains(io, p) {
				t.Errorf("%s imports %s: I/O belongs in a command in commands.go", name, p)
			}
		}
		ast.Inspect(f, func(n ast.Node) bool {
			if sel, ok := n.(*ast.SelectorExpr); ok {
				if x, ok := sel.X.(*ast.Ident); ok && slices.Contains(calls, x.Name+"."+sel.Sel.Name) {
					t.Errorf("%s calls %s.%s: I/O belongs in a command in commands.go", name, x.Name, sel.Sel.Name)
				}
			}
			return true
		})
	}
}
