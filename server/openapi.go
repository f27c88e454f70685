package server

import (
	"net/http"
	"regexp"
	"sort"
	"strings"
	"sync"
)

var pathParam = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`\{([a-z_]+)\}`) })

// OpenAPI returns the OpenAPI 3.0 document of the /api/v1 routes, built
// from the route table the server registers.
func (s *Server) OpenAPI() map[string]any {
	paths := map[string]map[string]any{}
	var keys []string
	for _, rt := range s.routes {
		if !strings.HasPrefix(rt.pattern, "/api/") && rt.pattern != "/healthz" && rt.pattern != "/readyz" {
			continue
		}
		op := map[string]any{"summary": rt.summary, "operationId": opID(rt)}
		resp := map[string]any{}
		for code, d := range rt.responses {
			resp[code] = map[string]any{"description": d}
		}
		if len(resp) == 0 {
			resp["200"] = map[string]any{"description": "OK"}
		}
		op["responses"] = resp
		if rt.access.public {
			op["security"] = []any{}
		}
		var params []any
		for _, m := range pathParam().FindAllStringSubmatch(rt.pattern, -1) {
			params = append(params, map[string]any{"name": m[1], "in": "path", "required": true, "schema": map[string]string{"type": "string"}})
		}
		if params != nil {
			op["parameters"] = params
		}
		if paths[rt.pattern] == nil {
			paths[rt.pattern] = map[string]any{}
			keys = append(keys, rt.pattern)
		}
		paths[rt.pattern][strings.ToLower(rt.method)] = op
	}
	sort.Strings(keys)
	return map[string]any{
		"openapi": "3.0.3",
		"info":    map[string]any{"title": "lsc study API", "version": "v1"},
		"paths":   paths,
		"components": map[string]any{"securitySchemes": map[string]any{
			"bearer": map[string]any{"type": "http", "scheme": "bearer", "description": "personal access token from `lsc user token create`"},
			"cookie": map[string]any{"type": "apiKey", "in": "cookie", "name": sessionCookie},
		}},
		"security": []any{map[string]any{"bearer": []any{}}, map[string]any{"cookie": []any{}}},
	}
}

func opID(rt route) string {
	p := pathParam().ReplaceAllString(rt.pattern, "by_$1")
	p = strings.NewReplacer("/api/v1/", "", "/", "_", ".", "_").Replace(p)
	return strings.ToLower(rt.method) + "_" + strings.Trim(p, "_")
}

func (s *Server) openapi(w http.ResponseWriter, r *http.Request, _ *identity) {
	writeJSON(w, s.OpenAPI())
}
