package server

import (
	"go/ast"
	"go/parser"
	"go/token"
	"log/slog"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"ngoportal/internal/i18n"
	"ngoportal/internal/portal"
)

// auditWrites reads the sources of internal/portal and internal/postgres and
// returns what the code can write to the audit log: every action constant
// (portal's Audit* strings that are not object types) and every detail key
// (the string keys of map[string]any and map[string]portal.Change literals
// and of assignments such as changes["key"] = … and after["key"] = …).
func auditWrites(t *testing.T) (actions, keys []string) {
	t.Helper()
	fset := token.NewFileSet()
	seenKey := map[string]bool{}
	addKey := func(e ast.Expr) {
		if lit, ok := e.(*ast.BasicLit); ok && lit.Kind == token.STRING {
			if k, err := strconv.Unquote(lit.Value); err == nil && !seenKey[k] {
				seenKey[k] = true
				keys = append(keys, k)
			}
		}
	}
	mapOf := func(e ast.Expr) string {
		m, ok := e.(*ast.MapType)
		if !ok {
			return ""
		}
		switch v := m.Value.(type) {
		case *ast.Ident:
			return v.Name
		case *ast.SelectorExpr:
			return v.Sel.Name
		case *ast.InterfaceType:
			return "any"
		}
		return ""
	}
	for _, dir := range []string{"../portal", "../postgres"} {
		files, err := filepath.Glob(filepath.Join(dir, "*.go"))
		if err != nil {
			t.Fatal(err)
		}
		for _, name := range files {
			if strings.HasSuffix(name, "_test.go") {
				continue
			}
			f, err := parser.ParseFile(fset, name, nil, 0)
			if err != nil {
				t.Fatal(err)
			}
			inPortal := dir == "../portal"
			for _, d := range f.Decls {
				switch d := d.(type) {
				case *ast.GenDecl:
					if !inPortal || d.Tok != token.CONST {
						continue
					}
					for _, spec := range d.Specs {
						vs := spec.(*ast.ValueSpec)
						for i, id := range vs.Names {
							if !strings.HasPrefix(id.Name, "Audit") || strings.HasPrefix(id.Name, "AuditObject") || i >= len(vs.Values) {
								continue
							}
							if lit, ok := vs.Values[i].(*ast.BasicLit); ok && lit.Kind == token.STRING {
								a, _ := strconv.Unquote(lit.Value)
								actions = append(actions, a)
							}
						}
					}
				case *ast.FuncDecl:
					// In portal only the AuditFields methods build audit maps;
					// in postgres every such map is an audit record.
					if inPortal && d.Name.Name != "AuditFields" {
						continue
					}
					ast.Inspect(d, func(n ast.Node) bool {
						switch n := n.(type) {
						case *ast.CompositeLit:
							if v := mapOf(n.Type); v == "any" || v == "Change" {
								for _, el := range n.Elts {
									if kv, ok := el.(*ast.KeyValueExpr); ok {
										addKey(kv.Key)
									}
								}
							}
						case *ast.AssignStmt:
							for _, lhs := range n.Lhs {
								ix, ok := lhs.(*ast.IndexExpr)
								if !ok {
									continue
								}
								if id, ok := ix.X.(*ast.Ident); ok && (id.Name == "changes" || id.Name == "after" || id.Name == "before") {
									addKey(ix.Index)
								}
							}
						}
						return true
					})
				}
			}
		}
	}
	sort.Strings(actions)
	sort.Strings(keys)
	return actions, keys
}

// Every action and detail key the code can write, every enumerated value
// the audit page translates, and every report section a reviewer comments
// on has its text in both catalogues: an official never reads a raw key.
func TestAuditCatalogueCoversWrites(t *testing.T) {
	t.Parallel()
	cat, err := i18n.Load(slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	actions, keys := auditWrites(t)
	// The scan must see the writes it checks: a few known ones.
	for _, k := range []string{"status", "copied_from", "representatives_present", "format", "rows", "comment"} {
		if !slices.Contains(keys, k) {
			t.Errorf("the scan of the writes missed the detail key %q: is it still reading the sources?", k)
		}
	}
	for _, a := range actions {
		if !slices.Contains(portal.AuditActions, a) {
			t.Errorf("action %q is not in portal.AuditActions (the audit page's filter)", a)
		}
	}
	need := map[string]bool{"audit.field.order": true, "audit.field.comment_on": true}
	for _, a := range actions {
		need["audit.action."+a] = true
	}
	for _, k := range keys {
		need["audit.field."+k] = true
	}
	for enum, values := range auditEnums {
		for _, v := range values {
			need["audit.value."+enum+"."+v] = true
		}
	}
	for _, s := range portal.ReportSections {
		need["audit.section."+s] = true
	}
	for typ := range map[string]bool{portal.AuditObjectUser: true, portal.AuditObjectNGO: true, portal.AuditObjectOfficial: true,
		portal.AuditObjectSession: true, portal.AuditObjectInvitation: true, portal.AuditObjectRequest: true,
		portal.AuditObjectCycle: true, portal.AuditObjectTheme: true, portal.AuditObjectKeyProject: true,
		portal.AuditObjectReport: true, portal.AuditObjectAttachment: true, portal.AuditObjectSummary: true} {
		need["audit.object."+typ] = true
	}
	for _, l := range []i18n.Locale{i18n.ZhCN, i18n.En} {
		have := map[string]bool{}
		for _, k := range cat.Keys(l) {
			have[k] = true
		}
		var missing []string
		for k := range need {
			if !have[k] {
				missing = append(missing, k)
			}
		}
		sort.Strings(missing)
		for _, k := range missing {
			t.Errorf("%s: no text for %s", l, k)
		}
	}
}
