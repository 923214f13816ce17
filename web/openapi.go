package web

import (
	_ "embed"
	"net/http"
)

// openapiJSON describes the API under /api/v1 (OpenAPI 3.0).
//
//go:embed openapi.json
var openapiJSON []byte

func (s *Server) openAPI(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "public, max-age=300")
	w.Write(openapiJSON)
}
