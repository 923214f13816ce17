package web

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"net/http"
	"sort"
	"strings"
)

// The OpenAPI 3.0 document of the API under /api/v1 is kept as one JSON
// file per module in openapi/ (core.json holds the info, the security
// schemes, the shared responses and the proposal lifecycle), merged at start
// into the one document served at /api/openapi.json. A module's file has the
// same shape as a whole document but only "tags", "paths" and
// "components"; a path, schema or tag defined twice is an error, so two
// modules can never silently overwrite each other.
//
//go:embed openapi/*.json
var openapiFS embed.FS

// openapiJSON is the merged document.
var openapiJSON = mustMergeOpenAPI(openapiFS)

func mustMergeOpenAPI(fsys fs.FS) []byte {
	b, err := mergeOpenAPI(fsys)
	if err != nil {
		panic(err)
	}
	return b
}

func mergeOpenAPI(fsys fs.FS) ([]byte, error) {
	names, err := fs.Glob(fsys, "openapi/*.json")
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	// core.json comes first: its info and tag order lead.
	sort.SliceStable(names, func(i, j int) bool { return strings.HasSuffix(names[i], "/core.json") })
	var doc map[string]any
	for _, name := range names {
		raw, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, err
		}
		var part map[string]any
		if err := json.Unmarshal(raw, &part); err != nil {
			return nil, fmt.Errorf("%s: %v", name, err)
		}
		if doc == nil {
			doc = part
			continue
		}
		for key, v := range part {
			switch key {
			case "tags":
				tags, _ := v.([]any)
				doc["tags"] = append(asSlice(doc["tags"]), tags...)
			case "paths":
				if err := mergeInto(asMap(doc, "paths"), v, name+": path"); err != nil {
					return nil, err
				}
			case "components":
				comps, _ := v.(map[string]any)
				for section, defs := range comps {
					if err := mergeInto(asMap(asMap(doc, "components"), section), defs, name+": components."+section); err != nil {
						return nil, err
					}
				}
			default:
				return nil, fmt.Errorf("%s: only tags, paths and components may be in a module's file, not %q", name, key)
			}
		}
	}
	seen := map[string]bool{}
	for _, t := range asSlice(doc["tags"]) {
		m, _ := t.(map[string]any)
		n, _ := m["name"].(string)
		if seen[n] {
			return nil, fmt.Errorf("openapi: tag %q defined twice", n)
		}
		seen[n] = true
	}
	return json.MarshalIndent(doc, "", "  ")
}

func asSlice(v any) []any { s, _ := v.([]any); return s }

func asMap(parent map[string]any, key string) map[string]any {
	m, ok := parent[key].(map[string]any)
	if !ok {
		m = map[string]any{}
		parent[key] = m
	}
	return m
}

func mergeInto(dst map[string]any, src any, what string) error {
	m, _ := src.(map[string]any)
	for k, v := range m {
		if _, dup := dst[k]; dup {
			return fmt.Errorf("openapi %s %q defined twice", what, k)
		}
		dst[k] = v
	}
	return nil
}

func (s *Server) openAPI(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "public, max-age=300")
	w.Write(openapiJSON)
}
