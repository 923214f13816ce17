package assets

import (
	"bytes"
	"compress/gzip"
	"mime"
	"net/http"
	"path"
	"strconv"
	"strings"
	"sync"
	"time"
)

const (
	cacheImmutable = "public, max-age=31536000, immutable"
	// A request without the current checksum comes from a hand-typed URL or
	// from a page rendered by an older build: let it be revalidated soon so
	// that the next deployment is picked up.
	cacheShort = "public, max-age=300"
)

// Handler serves the embedded files at Prefix + name (mount it as
// mux.Handle("GET /static/", assets.Handler())). It answers GET and HEAD,
// sets Content-Type from the extension, nosniff, a strong ETag (so
// If-None-Match gives 304), a year of immutable caching when the v= query
// matches the content and a short one otherwise, and gzip for text files when
// the client accepts it. It lists no directories and serves nothing outside
// the embedded set.
func Handler() http.Handler {
	return http.HandlerFunc(serve)
}

func serve(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("X-Content-Type-Options", "nosniff")
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		h.Set("Allow", "GET, HEAD")
		http.Error(w, "不支持的请求方法", http.StatusMethodNotAllowed)
		return
	}
	name, ok := strings.CutPrefix(r.URL.Path, Prefix)
	a := catalog[name]
	if !ok || a == nil {
		h.Set("Cache-Control", "no-cache")
		http.Error(w, "文件不存在", http.StatusNotFound)
		return
	}

	if r.URL.Query().Get("v") == a.sum {
		h.Set("Cache-Control", cacheImmutable)
	} else {
		h.Set("Cache-Control", cacheShort)
	}
	h.Set("Content-Type", a.ctype)

	body, etag := a.data, a.etag
	if a.gzip != nil {
		h.Add("Vary", "Accept-Encoding")
		if acceptsGzip(r) {
			if gz := a.gzip.get(a.data); gz != nil {
				h.Set("Content-Encoding", "gzip")
				// The compressed bytes are a different representation, so
				// they need their own validator (RFC 9110 §8.8.3).
				body, etag = gz, a.etag[:len(a.etag)-1]+`-gz"`
			}
		}
	}
	h.Set("ETag", etag)
	// A zero modification time keeps ServeContent from sending
	// Last-Modified: embedded files have none, and the ETag is exact.
	http.ServeContent(w, r, a.name, time.Time{}, bytes.NewReader(body))
}

// gzipped holds the compressed form of one file, made on first request so
// that start-up stays fast and files nobody asks for cost nothing.
type gzipped struct {
	once sync.Once
	data []byte // nil when compression would not make the file smaller
}

func (g *gzipped) get(src []byte) []byte {
	g.once.Do(func() {
		var buf bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
		if _, err := zw.Write(src); err != nil {
			return
		}
		if err := zw.Close(); err != nil {
			return
		}
		if buf.Len() < len(src) {
			g.data = buf.Bytes()
		}
	})
	return g.data
}

func acceptsGzip(r *http.Request) bool {
	for _, part := range strings.Split(r.Header.Get("Accept-Encoding"), ",") {
		coding, params, _ := strings.Cut(part, ";")
		if !strings.EqualFold(strings.TrimSpace(coding), "gzip") {
			continue
		}
		// "gzip;q=0" is an explicit refusal.
		k, v, found := strings.Cut(strings.TrimSpace(params), "=")
		if found && strings.EqualFold(strings.TrimSpace(k), "q") {
			q, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
			return err == nil && q > 0
		}
		return true
	}
	return false
}

// contentType uses a fixed table for the kinds we ship, so that the answer
// does not depend on the host's mime.types, and the standard library for
// anything else.
func contentType(name string) string {
	switch ext := strings.ToLower(path.Ext(name)); ext {
	case ".css":
		return "text/css; charset=utf-8"
	case ".js", ".mjs":
		return "text/javascript; charset=utf-8"
	case ".json", ".map":
		return "application/json"
	case ".txt", "":
		return "text/plain; charset=utf-8"
	case ".md":
		return "text/markdown; charset=utf-8"
	case ".svg":
		return "image/svg+xml"
	case ".png":
		return "image/png"
	case ".ico":
		return "image/x-icon"
	case ".woff2":
		return "font/woff2"
	default:
		if t := mime.TypeByExtension(ext); t != "" {
			return t
		}
		return "application/octet-stream"
	}
}

func compressible(ctype string) bool {
	return strings.HasPrefix(ctype, "text/") ||
		strings.HasPrefix(ctype, "application/json") ||
		strings.HasPrefix(ctype, "image/svg+xml")
}
