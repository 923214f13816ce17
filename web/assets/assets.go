// Package assets holds the stylesheet, script and vendored JavaScript that the
// web pages use, embedded in the binary so that Zhengxie runs on an intranet
// with no CDN and no Node.js.
//
// Pages refer to a file through URL, which appends a checksum of the content:
// browsers may then keep the file for a year, and a new build changes the URL.
// Handler serves the files under /static/.
//
// What the pages can rely on:
//
//   - /static/app.css: every class the templates use (see the comment at its top).
//   - /static/app.js, loaded with defer after htmx and (where charts are shown)
//     ECharts: CSRF header from <meta name="csrf-token">, data-confirm,
//     data-chart, data-similar-url, the collapsing navigation. No inline
//     script or style attribute is needed anywhere, so the CSP can forbid both.
//   - /static/vendor/htmx.min.js and /static/vendor/echarts.min.js
//     (versions and licences in static/vendor/README.md).
package assets

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"io/fs"
	"sort"
)

//go:embed static
var files embed.FS

// Prefix is the URL path under which Handler serves the files.
const Prefix = "/static/"

// hashLen is the number of hex digits of the SHA-256 kept in URLs: 48 bits is
// far more than needed to tell builds apart, and keeps the HTML short.
const hashLen = 12

type asset struct {
	name  string
	data  []byte
	sum   string // short hex SHA-256, the v= query value
	etag  string // quoted strong validator
	ctype string
	gzip  *gzipped
}

// catalog is filled once at init and never changed, so it is read without locks.
var catalog = mustLoad()

func mustLoad() map[string]*asset {
	sub, err := fs.Sub(files, "static")
	if err != nil {
		panic(err)
	}
	m := map[string]*asset{}
	err = fs.WalkDir(sub, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := fs.ReadFile(sub, p)
		if err != nil {
			return err
		}
		h := sha256.Sum256(data)
		full := hex.EncodeToString(h[:])
		a := &asset{
			name:  p,
			data:  data,
			sum:   full[:hashLen],
			etag:  `"` + full[:2*hashLen] + `"`,
			ctype: contentType(p),
		}
		if compressible(a.ctype) {
			a.gzip = &gzipped{}
		}
		m[p] = a
		return nil
	})
	if err != nil {
		panic(fmt.Sprintf("assets: reading embedded files: %v", err))
	}
	return m
}

// URL returns the path of the embedded file name (relative to static/, for
// example "app.css" or "vendor/htmx.min.js") with its checksum as v= query,
// for use in templates. It panics on a name that is not embedded: that is a
// typo in a template, and html/template turns the panic into an execution
// error that any test rendering the page reports.
func URL(name string) string {
	a, ok := catalog[name]
	if !ok {
		panic(fmt.Sprintf("assets: no embedded file %q", name))
	}
	return Prefix + a.name + "?v=" + a.sum
}

// Names lists the embedded files, sorted, as URL accepts them.
func Names() []string {
	names := make([]string, 0, len(catalog))
	for n := range catalog {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}
