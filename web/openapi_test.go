package web

import (
	"strings"
	"testing"
	"testing/fstest"
)

func TestMergeOpenAPIRefusesDuplicates(t *testing.T) {
	core := `{"openapi":"3.0.3","info":{"title":"t","version":"1"},"tags":[{"name":"a"}],"paths":{"/x":{}},"components":{"schemas":{"S":{}}}}`
	for name, mod := range map[string]string{
		"path":   `{"paths":{"/x":{}}}`,
		"schema": `{"components":{"schemas":{"S":{}}}}`,
		"tag":    `{"tags":[{"name":"a"}]}`,
		"other":  `{"info":{}}`,
	} {
		_, err := mergeOpenAPI(fstest.MapFS{"openapi/core.json": {Data: []byte(core)}, "openapi/m.json": {Data: []byte(mod)}})
		if err == nil {
			t.Errorf("%s: a duplicate or foreign key was merged without error", name)
		}
	}
	b, err := mergeOpenAPI(fstest.MapFS{"openapi/core.json": {Data: []byte(core)},
		"openapi/m.json": {Data: []byte(`{"tags":[{"name":"b"}],"paths":{"/y":{}},"components":{"schemas":{"T":{}}}}`)}})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"/x"`, `"/y"`, `"S"`, `"T"`, `"name": "b"`} {
		if !strings.Contains(string(b), want) {
			t.Errorf("merged document lacks %s", want)
		}
	}
}
