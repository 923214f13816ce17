package zhengxie

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

// TestEveryEventCodeHasAName reads the services in app/ for the event codes
// they write (the action argument of Service.event and Service.Audit, and
// Action fields of Event literals) and checks that each has a Chinese name,
// so that the audit log and the timeline never show a raw code such as
// save_webhook.
func TestEveryEventCodeHasAName(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("app", "*.go"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no Go files in app/: %v", err)
	}
	codes := map[string]string{} // code → where it is written
	fset := token.NewFileSet()
	for _, path := range files {
		if strings.HasSuffix(path, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, decl := range f.Decls {
			fn, ok := decl.(*ast.FuncDecl)
			if !ok || fn.Body == nil {
				continue
			}
			// Literals assigned to a local variable, by name, for calls that
			// pass the variable (action := "user_enabled"; if … { action = … }).
			assigned := map[string][]*ast.BasicLit{}
			ast.Inspect(fn.Body, func(n ast.Node) bool {
				if as, ok := n.(*ast.AssignStmt); ok && len(as.Lhs) == len(as.Rhs) {
					for i, l := range as.Lhs {
						if id, ok := l.(*ast.Ident); ok {
							if lit := stringLit(as.Rhs[i]); lit != nil {
								assigned[id.Name] = append(assigned[id.Name], lit)
							}
						}
					}
				}
				return true
			})
			add := func(e ast.Expr) {
				if c, ok := e.(*ast.CallExpr); ok && len(c.Args) == 1 {
					if id, ok := c.Fun.(*ast.Ident); ok && id.Name == "string" {
						e = c.Args[0]
					}
				}
				lits := []*ast.BasicLit{stringLit(e)}
				if id, ok := e.(*ast.Ident); ok {
					lits = assigned[id.Name]
				}
				for _, lit := range lits {
					if lit == nil {
						continue
					}
					code, _ := strconv.Unquote(lit.Value)
					codes[code] = fset.Position(lit.Pos()).String()
				}
			}
			ast.Inspect(fn.Body, func(n ast.Node) bool {
				switch n := n.(type) {
				case *ast.CallExpr:
					sel, ok := n.Fun.(*ast.SelectorExpr)
					if !ok {
						return true
					}
					switch {
					case sel.Sel.Name == "event" && len(n.Args) >= 6:
						add(n.Args[5])
					case sel.Sel.Name == "Audit" && len(n.Args) >= 4:
						add(n.Args[3])
					}
				case *ast.KeyValueExpr:
					if k, ok := n.Key.(*ast.Ident); ok && k.Name == "Action" {
						add(n.Value)
					}
				}
				return true
			})
		}
	}
	// The scan must find what we know is there, or it checks nothing.
	for _, known := range []string{"save_webhook", "notify_settings", "user_disabled", "data_export"} {
		if _, ok := codes[known]; !ok {
			t.Errorf("the scan of app/ did not find the event code %q: the test no longer sees how events are written", known)
		}
	}
	var names []string
	for code, where := range codes {
		n := Action(code).Name()
		if n == code || n == "" {
			t.Errorf("event code %q (written at %s) has no Chinese name: add it to eventNames", code, where)
		}
		names = append(names, code)
	}
	slices.Sort(names)
	t.Logf("%d event codes written in app/: %s", len(names), strings.Join(names, " "))
}

func stringLit(e ast.Expr) *ast.BasicLit {
	if lit, ok := e.(*ast.BasicLit); ok && lit.Kind == token.STRING {
		return lit
	}
	return nil
}
