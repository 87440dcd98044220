package api

import _ "embed"

//go:embed openapi.json
var openAPIDocument []byte

// OpenAPIDocument returns the OpenAPI 3.1 description of every route,
// served at /openapi.json. A test checks real responses against it.
func OpenAPIDocument() []byte { return openAPIDocument }
